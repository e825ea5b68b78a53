//! Handoffs after I-PASS: per client illness severity, summary, actions and contingency;
//! only the receiver acknowledges, with a synthesis. Overdue 15 minutes after the shift starts.

use crate::api::json::Json;
use crate::api::page;
use crate::api::Problem;
use crate::auth::AuthUser;
use crate::domain::flag::check_text;
use crate::error::{AppError, AppResult};
use crate::state::AppState;
use crate::store::handoffs::{self, HandoffOut, NewHandoff};
use actix_web::{get, post, web, HttpRequest, HttpResponse};
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
    /// Rows per page: at most 1000 (default 200). When there are more, the answer has a
    /// `Link: <…>; rel="next"` header.
    #[param(minimum = 1, maximum = 1000)]
    pub limit: Option<i64>,
    /// Where the page starts: the opaque value from the previous page's `Link` header.
    pub cursor: Option<String>,
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

/// The team's handoffs, newest first, in pages (`limit`, default 200; `cursor`; the next
/// page's URL is in the `Link` header).
#[utoipa::path(tag = "on-call", params(("team_id" = Uuid, Path), HandoffQuery), responses(
    (status = 200, body = Vec<HandoffOut>, headers(("Link" = String, description = "RFC 8288 link to the next page, `<…?…&cursor=…>; rel=\"next\"` (relative; follow it as it is); absent on the last page"))),
    (status = 422, description = "A query parameter breaks a rule (`validation_failed`)", body = Problem, content_type = "application/problem+json"),
))]
#[get("/teams/{team_id}/handoffs")]
pub async fn list_handoffs(
    req: HttpRequest,
    st: web::Data<AppState>,
    user: AuthUser,
    path: web::Path<Uuid>,
    q: web::Query<HandoffQuery>,
) -> AppResult<HttpResponse> {
    let q = q.into_inner();
    let page = page::request(q.limit, q.cursor.as_deref(), 200, handoffs::LIST, 2)?;
    let client_id = q.client_id.map(|u| u.to_string());
    let out = handoffs::list(
        &st.pool,
        user,
        path.into_inner().to_string(),
        q.pending == Some(true),
        client_id,
        page,
    )
    .await?;
    Ok(page::respond(&req, out))
}
