//! The administrator's set-up overview.

use crate::api::Problem;
use crate::auth::AuthUser;
use crate::error::AppResult;
use crate::state::AppState;
use crate::store::admin::{self, SetupOut};
use actix_web::{get, web, HttpResponse};

/// What exists, per team (members, leads, clients, on-call, display links) and how many
/// accounts: the admin landing page's checklist ticks itself from this (admins only).
#[utoipa::path(tag = "staff", responses(
    (status = 200, body = SetupOut),
    (status = 403, body = Problem, content_type = "application/problem+json"),
))]
#[get("/admin/setup")]
pub async fn admin_setup(st: web::Data<AppState>, user: AuthUser) -> AppResult<HttpResponse> {
    Ok(HttpResponse::Ok().json(admin::setup(&st.pool, user).await?))
}
