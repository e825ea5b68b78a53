//! `GET /metrics` (Prometheus text) and the middleware that counts every answered request.

use crate::auth::client_ip::metrics_allowed;
use crate::error::{AppError, AppResult};
use crate::metrics::{self, Scrape};
use crate::state::AppState;
use actix_web::body::MessageBody;
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::middleware::Next;
use actix_web::{get, web, HttpRequest, HttpResponse};
use std::time::Duration;

/// Prometheus metrics of this instance in the text exposition format: HTTP requests by route
/// pattern and status, events committed by kind, the fan-out lag histogram, live websocket
/// connections, database pool connections, and open unacknowledged crisis flags by team and
/// severity. Served only to loopback and to the networks in `ACTBOARD_METRICS_ALLOW`, and
/// refused when a forwarding header (`X-Forwarded-For`, `X-Real-IP`, `Forwarded`) names an
/// address outside them. No token: Prometheus scrapes it as it is.
#[utoipa::path(tag = "operations", security(()), responses(
    (status = 200, description = "The metrics (text/plain; version=0.0.4)", body = String, content_type = "text/plain"),
    (status = 403, description = "The caller is not on loopback or an allowed network, or a proxy forwarded the request from elsewhere (`forbidden`)", body = crate::api::Problem, content_type = "application/problem+json"),
    (status = 503, description = "The database does not answer (`unavailable`)", body = crate::api::Problem, content_type = "application/problem+json"),
))]
#[get("/metrics")]
pub async fn get_metrics(req: HttpRequest, st: web::Data<AppState>) -> AppResult<HttpResponse> {
    let headers = req.headers();
    let values = |name: &str| -> Vec<&str> {
        headers
            .get_all(name)
            // A header that is not text cannot be vouched for: "?" is refused below.
            .map(|v| v.to_str().unwrap_or("?"))
            .collect()
    };
    let mut forwarded_for = values("x-forwarded-for");
    forwarded_for.extend(values("x-real-ip"));
    let forwarded = values("forwarded");
    let peer = req.peer_addr().map(|a| a.ip());
    if !metrics_allowed(peer, &forwarded_for, &forwarded, &st.config.metrics_allow) {
        return Err(AppError::Forbidden(
            "metrics are served to loopback and the networks in ACTBOARD_METRICS_ALLOW only".into(),
        ));
    }
    let unacknowledged = crate::store::monitoring::unacknowledged_flags(&st.pool).await?;
    let hub = tokio::time::timeout(Duration::from_secs(2), st.hub.stats())
        .await
        .unwrap_or_default();
    let pool = st.pool.state();
    let scrape = Scrape {
        ws_connections: hub.connections as i64,
        ws_slow_closed: hub.slow_closed,
        events_fanned_out: hub.events_fanned_out,
        pool_in_use: i64::from(pool.connections - pool.idle_connections),
        pool_idle: i64::from(pool.idle_connections),
        pool_max: i64::from(st.config.pool_size),
        unacknowledged,
    };
    let text = metrics::render(&scrape).map_err(AppError::Internal)?;
    Ok(HttpResponse::Ok()
        .content_type(metrics::CONTENT_TYPE)
        .insert_header(("Cache-Control", "no-store"))
        .body(text))
}

/// Count every answered request by its route pattern (`/api/teams/{team_id}/board`, never
/// the path with its ids), method and status.
pub async fn count_requests(
    req: ServiceRequest,
    next: Next<impl MessageBody>,
) -> Result<ServiceResponse<impl MessageBody>, actix_web::Error> {
    let api = req.path().starts_with("/api/");
    let method = req.method().clone();
    let res = next.call(req).await;
    let (route, status) = match &res {
        Ok(r) => (r.request().match_pattern(), r.status().as_u16()),
        Err(e) => (None, e.error_response().status().as_u16()),
    };
    let route = route.unwrap_or_else(|| {
        // Nothing matched: the web app's files, or an unknown API path. One label each.
        if api {
            "/api/(unmatched)"
        } else {
            "/(web app)"
        }
        .to_string()
    });
    metrics::global().http_request(&route, method.as_str(), status);
    res
}
