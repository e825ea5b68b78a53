//! Login, token refresh (rotating, with a grace window and reuse detection), logout, and
//! changing one's own password.

use crate::api::json::Json;
use crate::api::Problem;
use crate::auth::PendingUser;
use crate::error::AppResult;
use crate::state::AppState;
use crate::store::passwords::{self, Attempt};
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

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PasswordChange {
    /// The password in use now.
    pub current: String,
    /// 12 to 256 characters, not a common password, not the username.
    #[schema(min_length = 12, max_length = 256)]
    pub new: String,
}

/// Where a sign-in attempt comes from, for the throttle.
fn attempt(req: &HttpRequest, st: &AppState) -> Attempt {
    Attempt {
        address: client_address(req, &st.config.trusted_proxies),
        address_limit: st.config.login_failures_per_address,
    }
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

/// Sign in. Wrong password and unknown user get the same 401. Each attempt is counted before
/// the password is checked: ten failures in five minutes for one username from one address
/// answer 429 until the window passes (whatever the password); from other addresses that
/// username is only slowed down (up to a few seconds), never locked out.
#[utoipa::path(tag = "auth", security(()), request_body = LoginRequest, responses(
    (status = 200, body = TokenResponse),
    (status = 401, description = "invalid_credentials", body = Problem, content_type = "application/problem+json"),
    (status = 429, description = "rate_limited (with Retry-After)", body = Problem, content_type = "application/problem+json"),
))]
#[post("/auth/login")]
pub async fn login(
    st: web::Data<AppState>,
    req: HttpRequest,
    body: Json<LoginRequest>,
) -> AppResult<HttpResponse> {
    let LoginRequest { username, password } = body.0;
    let out = sessions::login(
        &st.pool,
        st.jwt.clone(),
        attempt(&req, &st),
        username,
        password,
    )
    .await?;
    Ok(HttpResponse::Ok().json(out))
}

/// Exchange a refresh token for a new pair. The old refresh token stops working, except for
/// a short grace window (30 s by default): two refreshes racing with one token both get a
/// working pair. Presenting a used one after the window ends the whole session (it was
/// probably stolen).
#[utoipa::path(tag = "auth", security(()), request_body = RefreshRequest, responses(
    (status = 200, body = TokenResponse),
    (status = 401, description = "The refresh token is unknown, used, expired or revoked, or its session ended (`unauthenticated`)", body = Problem, content_type = "application/problem+json"),
))]
#[post("/auth/refresh")]
pub async fn refresh(
    st: web::Data<AppState>,
    body: Json<RefreshRequest>,
) -> AppResult<HttpResponse> {
    let grace = st.config.refresh_grace;
    let out = sessions::refresh(&st.pool, st.jwt.clone(), grace, body.0.refresh_token).await?;
    Ok(HttpResponse::Ok().json(out))
}

/// End the session of this refresh token: every refresh token rotated from the same sign-in,
/// and its access tokens. Always 204: revoking a token one holds needs no other proof.
#[utoipa::path(tag = "auth", security(()), request_body = RefreshRequest, responses((status = 204, description = "Signed out")))]
#[post("/auth/logout")]
pub async fn logout(
    st: web::Data<AppState>,
    body: Json<RefreshRequest>,
) -> AppResult<HttpResponse> {
    sessions::logout(&st.pool, body.0.refresh_token).await?;
    Ok(HttpResponse::NoContent().finish())
}

/// Change one's own password. The current one is checked like a sign-in (counted first;
/// 429 past the limit); a wrong one is 422 `validation_failed` on `current`, a new one that
/// breaks the rule 422 on `new`. Every other session of the person ends (their tokens stop
/// working and their other websockets close); the calling session stays signed in.
#[utoipa::path(tag = "auth", request_body = PasswordChange, responses(
    (status = 204, description = "Changed; the other sessions ended"),
    (status = 403, description = "A display token", body = Problem, content_type = "application/problem+json"),
    (status = 422, description = "validation_failed: `current` is not the current password, or `new` breaks the password rule", body = Problem, content_type = "application/problem+json"),
    (status = 429, description = "rate_limited (with Retry-After): too many wrong passwords", body = Problem, content_type = "application/problem+json"),
))]
#[post("/me/password")]
pub async fn change_my_password(
    st: web::Data<AppState>,
    req: HttpRequest,
    user: PendingUser,
    body: Json<PasswordChange>,
) -> AppResult<HttpResponse> {
    let PasswordChange { current, new } = body.0;
    passwords::change_own(&st.pool, user.0, attempt(&req, &st), current, new).await?;
    Ok(HttpResponse::NoContent().finish())
}
