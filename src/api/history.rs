//! A client's history across teams (contacts and crisis flags, whichever team recorded them),
//! for readers of the client's current team.

use crate::api::Problem;
use crate::auth::AuthUser;
use crate::error::AppResult;
use crate::state::AppState;
use crate::store::history::{self, ClientHistory};
use actix_web::{get, web, HttpResponse};
use uuid::Uuid;

/// A client's contacts and crisis flags on every team it has been on, latest first (any
/// reader of the client's current team; after a transfer the sending team gets 404). Every
/// read is written to the audit trail.
#[utoipa::path(tag = "clients", params(("team_id" = Uuid, Path), ("client_id" = Uuid, Path)), responses(
    (status = 200, body = ClientHistory),
    (status = 403, description = "a display token (staff only)", body = Problem, content_type = "application/problem+json"),
))]
#[get("/teams/{team_id}/clients/{client_id}/history")]
pub async fn client_history(
    st: web::Data<AppState>,
    user: AuthUser,
    path: web::Path<(Uuid, Uuid)>,
) -> AppResult<HttpResponse> {
    let (team_id, client_id) = path.into_inner();
    let out = history::get(&st.pool, user, team_id.to_string(), client_id.to_string()).await?;
    Ok(HttpResponse::Ok().json(out))
}
