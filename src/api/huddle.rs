//! The huddle: review marks per team-local day, and the focus every screen follows.

use crate::api::json::Json;
use crate::api::Problem;
use crate::auth::AuthUser;
use crate::domain::time;
use crate::error::{AppError, AppResult};
use crate::state::AppState;
use crate::store::huddle::{self, HuddleFocus, ReviewOut};
use actix_web::{delete, put, web, HttpResponse};
use utoipa::ToSchema;
use uuid::Uuid;

#[derive(serde::Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct FocusIn {
    /// The client to show on every screen; null ends the huddle (screens show the board).
    #[schema(format = Uuid)]
    pub client_id: Option<Uuid>,
}

/// The path's day: a real date in the accepted range, else 422 naming `day` (the OpenAPI
/// document's `format: date` admits years the server refuses, so 422 is documented).
fn check_day(day: &str) -> AppResult<()> {
    time::parse_day(day).map_err(|m| AppError::validation("day", m))?;
    Ok(())
}

/// Mark a client reviewed in the huddle of `day` (members). Marking twice changes nothing.
#[utoipa::path(tag = "huddle", params(("team_id" = Uuid, Path), ("day" = String, Path, description = "team-local YYYY-MM-DD", format = Date, pattern = r"^\d{4}-\d{2}-\d{2}$"), ("client_id" = Uuid, Path)), responses(
    (status = 200, body = ReviewOut),
    (status = 403, body = Problem, content_type = "application/problem+json"),
    (status = 422, description = "The day is not a real date in the accepted range (`validation_failed` on `day`)", body = Problem, content_type = "application/problem+json"),
))]
#[put("/teams/{team_id}/huddle/{day}/reviews/{client_id}")]
pub async fn mark_reviewed(
    st: web::Data<AppState>,
    user: AuthUser,
    path: web::Path<(Uuid, String, Uuid)>,
) -> AppResult<HttpResponse> {
    let (team_id, day, client_id) = path.into_inner();
    check_day(&day)?;
    let out = huddle::mark(
        &st.pool,
        user,
        team_id.to_string(),
        day,
        client_id.to_string(),
    )
    .await?;
    Ok(HttpResponse::Ok().json(out))
}

/// Undo a review mark (members).
#[utoipa::path(tag = "huddle", params(("team_id" = Uuid, Path), ("day" = String, Path, description = "team-local YYYY-MM-DD", format = Date, pattern = r"^\d{4}-\d{2}-\d{2}$"), ("client_id" = Uuid, Path)), responses(
    (status = 204, description = "Unmarked"),
    (status = 403, body = Problem, content_type = "application/problem+json"),
    (status = 422, description = "The day is not a real date in the accepted range (`validation_failed` on `day`)", body = Problem, content_type = "application/problem+json"),
))]
#[delete("/teams/{team_id}/huddle/{day}/reviews/{client_id}")]
pub async fn unmark_reviewed(
    st: web::Data<AppState>,
    user: AuthUser,
    path: web::Path<(Uuid, String, Uuid)>,
) -> AppResult<HttpResponse> {
    let (team_id, day, client_id) = path.into_inner();
    check_day(&day)?;
    huddle::unmark(
        &st.pool,
        user,
        team_id.to_string(),
        day,
        client_id.to_string(),
    )
    .await?;
    Ok(HttpResponse::NoContent().finish())
}

/// Step the team's huddle to a client (members): every screen of the team, the wall display
/// included, follows as `huddle.focus`. `client_id: null` ends the huddle.
#[utoipa::path(tag = "huddle", params(("team_id" = Uuid, Path), ("day" = String, Path, description = "team-local YYYY-MM-DD", format = Date, pattern = r"^\d{4}-\d{2}-\d{2}$")), request_body = FocusIn, responses(
    (status = 200, body = HuddleFocus),
    (status = 403, body = Problem, content_type = "application/problem+json"),
))]
#[put("/teams/{team_id}/huddle/{day}/focus")]
pub async fn put_huddle_focus(
    st: web::Data<AppState>,
    user: AuthUser,
    path: web::Path<(Uuid, String)>,
    body: Json<FocusIn>,
) -> AppResult<HttpResponse> {
    let (team_id, day) = path.into_inner();
    check_day(&day)?;
    let client_id = body.0.client_id.map(|c| c.to_string());
    let out = huddle::set_focus(&st.pool, user, team_id.to_string(), day, client_id).await?;
    Ok(HttpResponse::Ok().json(out))
}
