//! A request id per request: echoed in `x-request-id`, attached to the access line and to
//! every 5xx log, so an operator can find the failure a user quotes.

use actix_web::body::MessageBody;
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::header::{HeaderName, HeaderValue};
use actix_web::middleware::Next;
use std::time::Instant;

tokio::task_local! {
    static REQUEST_ID: String;
}

pub fn current() -> String {
    REQUEST_ID
        .try_with(|s| s.clone())
        .unwrap_or_else(|_| "-".into())
}

pub async fn middleware(
    req: ServiceRequest,
    next: Next<impl MessageBody>,
) -> Result<ServiceResponse<impl MessageBody>, actix_web::Error> {
    let id = req
        .headers()
        .get("x-request-id")
        .and_then(|v| v.to_str().ok())
        .filter(|v| !v.is_empty() && v.len() <= 64 && v.bytes().all(|b| b.is_ascii_graphic()))
        .map(str::to_string)
        .unwrap_or_else(|| uuid::Uuid::new_v4().simple().to_string());
    let method = req.method().clone();
    // The path only: query strings may carry tokens (display links) and are never logged.
    let path = req.path().to_string();
    let started = Instant::now();
    let mut res = REQUEST_ID.scope(id.clone(), next.call(req)).await?;
    let status = res.status().as_u16();
    tracing::info!(
        request_id = %id, %method, %path, status,
        ms = started.elapsed().as_secs_f64() * 1000.0, "request"
    );
    if let Ok(v) = HeaderValue::from_str(&id) {
        res.headers_mut()
            .insert(HeaderName::from_static("x-request-id"), v);
    }
    Ok(res)
}
