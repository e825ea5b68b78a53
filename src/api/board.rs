//! The board of one team-local day (staff of the team, or its display token).

use crate::api::Problem;
use crate::auth::Principal;
use crate::domain::team::Privacy;
use crate::domain::time;
use crate::error::{AppError, AppResult};
use crate::state::AppState;
use crate::store::board::{self, Board};
use actix_web::{get, web, HttpResponse};
use serde::Deserialize;
use utoipa::IntoParams;
use uuid::Uuid;

#[derive(Deserialize, IntoParams)]
pub struct BoardQuery {
    /// Team-local day YYYY-MM-DD (default: today in the team's time zone).
    #[param(pattern = r"^\d{4}-\d{2}-\d{2}$", format = Date)]
    pub day: Option<String>,
    /// `initials` hides client names (e.g. on a shared screen). Display tokens use their own.
    pub privacy: Option<Privacy>,
}

/// The board for one team-local day (staff of the team, or the team's display token).
#[utoipa::path(tag = "board", params(("team_id" = Uuid, Path), BoardQuery), responses(
    (status = 200, body = Board),
    (status = 422, description = "A query parameter breaks a rule (`validation_failed`)", body = Problem, content_type = "application/problem+json"),
))]
#[get("/teams/{team_id}/board")]
pub async fn get_board(
    st: web::Data<AppState>,
    principal: Principal,
    path: web::Path<Uuid>,
    q: web::Query<BoardQuery>,
) -> AppResult<HttpResponse> {
    let q = q.into_inner();
    let day = q
        .day
        .as_deref()
        .map(time::parse_day)
        .transpose()
        .map_err(|m| AppError::validation("day", m))?;
    let body = board::get(
        &st.pool,
        principal,
        path.into_inner().to_string(),
        day,
        q.privacy,
    )
    .await?;
    Ok(HttpResponse::Ok().json(body))
}
