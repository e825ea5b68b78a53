//! Liveness and readiness.

use crate::db;
use crate::state::AppState;
use actix_web::{get, web, HttpResponse};
use serde_json::json;

/// 200 while the process runs.
#[utoipa::path(tag = "operations", security(()), responses((status = 200, description = "The process is running")))]
#[get("/healthz")]
pub async fn healthz() -> HttpResponse {
    HttpResponse::Ok().json(json!({"status": "ok"}))
}

/// 200 when the database answers, 503 otherwise; names the engine and this instance.
#[utoipa::path(tag = "operations", security(()), responses(
    (status = 200, description = "The database answers"),
    (status = 503, description = "The database does not answer", body = crate::api::Problem, content_type = "application/problem+json"),
))]
#[get("/readyz")]
pub async fn readyz(st: web::Data<AppState>) -> HttpResponse {
    let ok = db::ping(&st.pool).await;
    let body = json!({
        "status": if ok.is_ok() { "ready" } else { "unavailable" },
        "engine": st.engine,
        "instance_id": st.config.instance_id,
        "version": env!("CARGO_PKG_VERSION"),
    });
    match ok {
        Ok(()) => HttpResponse::Ok().json(body),
        Err(_) => HttpResponse::ServiceUnavailable().content_type("application/problem+json").json(json!({
            "type": "urn:actboard:problem:unavailable", "title": "Service unavailable", "status": 503,
            "code": "unavailable", "detail": "the database is not answering",
            "engine": st.engine, "instance_id": st.config.instance_id,
        })),
    }
}
