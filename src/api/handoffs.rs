//! Handoffs after I-PASS: per client illness severity, summary, actions and contingency;
//! only the receiver acknowledges, with a synthesis. Overdue 15 minutes after the shift starts.

use crate::api::json::Json;
use crate::api::Problem;
use crate::auth::AuthUser;
use crate::domain::flag::check_text;
use crate::error::{AppError, AppResult};
use crate::state::AppState;
use crate::store::handoffs::{self, HandoffOut, NewHandoff};
use actix_web::{get, post, web, HttpResponse};
use serde::Deserialize;
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Acknowledge {
    #[schema(min_length = 1, max_length = 1000, pattern = r"\S")]
    pub synthesis: String,
}

#[derive(Deserialize, IntoParams)]
pub struct HandoffQuery {
    /// true: only handoffs not yet acknowledged.
    pub pending: Option<bool>,
    /// Only handoffs that mention this client.
    pub client_id: Option<Uuid>,
}

/// Hand off to the next person on call (any member); `from` is the caller. Actions may be
/// bare strings or `{text, owner_id?, due_at?}`; they are read back as objects.
#[utoipa::path(tag = "on-call", params(("team_id" = Uuid, Path)), request_body = NewHandoff, responses(
    (status = 201, body = HandoffOut),
    (status = 403, body = Problem, content_type = "application/problem+json"),
    (status = 422, description = "`to_staff_id` is the caller or not a working member; an item's field breaks a rule (e.g. `items[0].contingency` missing for an unstable client, `items[0].actions[1].owner_id` not a working member)", body = Problem, content_type = "application/problem+json"),
))]
#[post("/teams/{team_id}/handoffs")]
pub async fn create_handoff(
    st: web::Data<AppState>,
    user: AuthUser,
    path: web::Path<Uuid>,
    body: Json<NewHandoff>,
) -> AppResult<HttpResponse> {
    let out = handoffs::create(&st.pool, user, path.into_inner().to_string(), body.0).await?;
    Ok(HttpResponse::Created().json(out))
}

/// The receiver (only) acknowledges, reading back a synthesis.
#[utoipa::path(tag = "on-call", params(("team_id" = Uuid, Path), ("handoff_id" = Uuid, Path)), request_body = Acknowledge, responses(
    (status = 200, body = HandoffOut),
    (status = 403, description = "not the receiver", body = Problem, content_type = "application/problem+json"),
    (status = 409, description = "already acknowledged", body = Problem, content_type = "application/problem+json"),
))]
#[post("/teams/{team_id}/handoffs/{handoff_id}/acknowledge")]
pub async fn acknowledge_handoff(
    st: web::Data<AppState>,
    user: AuthUser,
    path: web::Path<(Uuid, Uuid)>,
    body: Json<Acknowledge>,
) -> AppResult<HttpResponse> {
    let (team_id, id) = path.into_inner();
    let synthesis =
        check_text("synthesis", &body.0.synthesis).map_err(|e| AppError::from_fields(vec![e]))?;
    let out = handoffs::acknowledge(
        &st.pool,
        user,
        team_id.to_string(),
        id.to_string(),
        synthesis,
    )
    .await?;
    Ok(HttpResponse::Ok().json(out))
}

/// The team's handoffs, newest first (up to 200).
#[utoipa::path(tag = "on-call", params(("team_id" = Uuid, Path), HandoffQuery), responses((status = 200, body = Vec<HandoffOut>)))]
#[get("/teams/{team_id}/handoffs")]
pub async fn list_handoffs(
    st: web::Data<AppState>,
    user: AuthUser,
    path: web::Path<Uuid>,
    q: web::Query<HandoffQuery>,
) -> AppResult<HttpResponse> {
    let q = q.into_inner();
    let client_id = q.client_id.map(|u| u.to_string());
    let out = handoffs::list(
        &st.pool,
        user,
        path.into_inner().to_string(),
        q.pending == Some(true),
        client_id,
    )
    .await?;
    Ok(HttpResponse::Ok().json(out))
}
