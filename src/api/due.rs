//! What comes due in the care cycle: reassessments, plan reviews, goal target days.

use crate::api::Problem;
use crate::auth::AuthUser;
use crate::error::{AppError, AppResult};
use crate::state::AppState;
use crate::store::due::{self, DueItemOut};
use actix_web::{get, web, HttpResponse};
use serde::Deserialize;
use utoipa::IntoParams;
use uuid::Uuid;

const MAX_WITHIN_DAYS: u32 = 366;

#[derive(Deserialize, IntoParams)]
pub struct DueQuery {
    /// Days ahead to look (0–366, default 14); overdue items are always included.
    #[param(minimum = 0, maximum = 366)]
    pub within_days: Option<u32>,
}

/// The team's care-cycle due items for clients on the caseload, overdue first (readers of the
/// team).
#[utoipa::path(tag = "care", params(("team_id" = Uuid, Path), DueQuery), responses(
    (status = 200, body = Vec<DueItemOut>),
    (status = 422, description = "`within_days` outside 0–366 (`validation_failed`)", body = Problem, content_type = "application/problem+json"),
))]
#[get("/teams/{team_id}/due")]
pub async fn list_due(
    st: web::Data<AppState>,
    user: AuthUser,
    path: web::Path<Uuid>,
    q: web::Query<DueQuery>,
) -> AppResult<HttpResponse> {
    let within = q.within_days.unwrap_or(14);
    if within > MAX_WITHIN_DAYS {
        return Err(AppError::validation("within_days", "must be from 0 to 366"));
    }
    let out = due::list(&st.pool, user, path.into_inner().to_string(), within).await?;
    Ok(HttpResponse::Ok().json(out))
}
