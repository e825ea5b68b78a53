//! The phone's quick card for one client.

use crate::api::Problem;
use crate::auth::AuthUser;
use crate::error::AppResult;
use crate::state::AppState;
use crate::store::client_card::{self, ClientCard};
use actix_web::{get, web, HttpResponse};
use uuid::Uuid;

/// The quick card for on-call (any reader of the team): the client with `details` (phone,
/// address, crisis plan, emergency contact), open flags, the last 5 contacts that happened
/// on any team, the next planned visit, the case manager and who is on call now. The read is
/// written to the audit trail.
#[utoipa::path(tag = "clients", params(("team_id" = Uuid, Path), ("client_id" = Uuid, Path)), responses(
    (status = 200, body = ClientCard),
    (status = 403, description = "a display token (staff only)", body = Problem, content_type = "application/problem+json"),
))]
#[get("/teams/{team_id}/clients/{client_id}/card")]
pub async fn get_client_card(
    st: web::Data<AppState>,
    user: AuthUser,
    path: web::Path<(Uuid, Uuid)>,
) -> AppResult<HttpResponse> {
    let (team_id, client_id) = path.into_inner();
    let out = client_card::get(&st.pool, user, team_id.to_string(), client_id.to_string()).await?;
    Ok(HttpResponse::Ok().json(out))
}
