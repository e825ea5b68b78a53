//! Login, token refresh (rotating, with reuse detection) and logout.

use crate::api::json::Json;
use crate::api::Problem;
use crate::error::AppResult;
use crate::state::AppState;
use crate::store::sessions::{self, TokenResponse};
use actix_web::{post, web, HttpRequest, HttpResponse};
use serde::Deserialize;
use utoipa::ToSchema;

#[derive(Deserialize, ToSchema)]
pub struct LoginRequest {
    pub username: String,
    pub password: String,
}

#[derive(Deserialize, ToSchema)]
pub struct RefreshRequest {
    pub refresh_token: String,
}

fn client_address(req: &HttpRequest, trusted: &[ipnet::IpNet]) -> String {
    let forwarded: Vec<&str> = req
        .headers()
        .get_all("x-forwarded-for")
        .filter_map(|v| v.to_str().ok())
        .collect();
    crate::auth::client_ip::client_ip(req.peer_addr().map(|a| a.ip()), &forwarded, trusted)
        .map(|ip| ip.to_string())
        .unwrap_or_else(|| "unknown".into())
}

/// Sign in. Wrong password and unknown user get the same 401; ten failures in five minutes
/// for one username or one address answer 429 until the window passes.
#[utoipa::path(tag = "auth", security(()), request_body = LoginRequest, responses(
    (status = 200, body = TokenResponse),
    (status = 401, description = "invalid_credentials", body = Problem, content_type = "application/problem+json"),
    (status = 429, description = "rate_limited", body = Problem, content_type = "application/problem+json"),
))]
#[post("/auth/login")]
pub async fn login(
    st: web::Data<AppState>,
    req: HttpRequest,
    body: Json<LoginRequest>,
) -> AppResult<HttpResponse> {
    let LoginRequest { username, password } = body.0;
    let address = client_address(&req, &st.config.trusted_proxies);
    let limit = st.config.login_failures_per_address;
    let out = sessions::login(&st.pool, st.jwt.clone(), limit, username, password, address).await?;
    Ok(HttpResponse::Ok().json(out))
}

/// Exchange a refresh token for a new pair. The old refresh token stops working; presenting
/// a used one again revokes its whole family (it was probably stolen).
#[utoipa::path(tag = "auth", security(()), request_body = RefreshRequest, responses(
    (status = 200, body = TokenResponse),
    (status = 401, description = "The refresh token is unknown, used, expired or revoked (`unauthenticated`)", body = Problem, content_type = "application/problem+json"),
))]
#[post("/auth/refresh")]
pub async fn refresh(
    st: web::Data<AppState>,
    body: Json<RefreshRequest>,
) -> AppResult<HttpResponse> {
    let out = sessions::refresh(&st.pool, st.jwt.clone(), body.0.refresh_token).await?;
    Ok(HttpResponse::Ok().json(out))
}

/// End the session of this refresh token (and every token rotated from it). Always 204:
/// revoking a token one holds needs no other proof.
#[utoipa::path(tag = "auth", security(()), request_body = RefreshRequest, responses((status = 204, description = "Signed out")))]
#[post("/auth/logout")]
pub async fn logout(
    st: web::Data<AppState>,
    body: Json<RefreshRequest>,
) -> AppResult<HttpResponse> {
    sessions::logout(&st.pool, body.0.refresh_token).await?;
    Ok(HttpResponse::NoContent().finish())
}
