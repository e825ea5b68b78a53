//! Team membership: who is on the team and with which role (changed by leads and admins).

use crate::api::json::Json;
use crate::api::staff::HandoverPlan;
use crate::api::Problem;
use crate::auth::AuthUser;
use crate::domain::roles::Role;
use crate::error::AppResult;
use crate::state::AppState;
use crate::store::members::{self, MemberOut};
use actix_web::{delete, get, post, put, web, HttpResponse};
use serde::Deserialize;
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct MemberRole {
    pub role: Role,
}

#[derive(Deserialize, IntoParams)]
pub struct RemoveQuery {
    /// Who takes over the clients the person carries on this team (in the same transaction,
    /// within the caseload caps). Without it, removing someone who carries clients is 409
    /// `carries_clients`.
    pub reassign_to: Option<Uuid>,
}

/// The team's members and their roles.
#[utoipa::path(tag = "teams", params(("team_id" = Uuid, Path)), responses((status = 200, body = Vec<MemberOut>)))]
#[get("/teams/{team_id}/members")]
pub async fn list_members(
    st: web::Data<AppState>,
    user: AuthUser,
    path: web::Path<Uuid>,
) -> AppResult<HttpResponse> {
    let out = members::list_of(&st.pool, user, path.into_inner().to_string()).await?;
    Ok(HttpResponse::Ok().json(out))
}

/// Add a staff member to the team or change their role (leads and admins).
#[utoipa::path(tag = "teams", params(("team_id" = Uuid, Path), ("staff_id" = Uuid, Path)), request_body = MemberRole, responses(
    (status = 200, body = MemberOut),
    (status = 403, body = Problem, content_type = "application/problem+json"),
    (status = 409, description = "`conflict`: would leave the team without a lead; `carries_clients` (with `clients`): would make a viewer of someone who carries clients", body = Problem, content_type = "application/problem+json"),
))]
#[put("/teams/{team_id}/members/{staff_id}")]
pub async fn put_member(
    st: web::Data<AppState>,
    user: AuthUser,
    path: web::Path<(Uuid, Uuid)>,
    body: Json<MemberRole>,
) -> AppResult<HttpResponse> {
    let (team_id, staff_id) = path.into_inner();
    let out = members::put(
        &st.pool,
        user,
        team_id.to_string(),
        staff_id.to_string(),
        body.0.role,
    )
    .await?;
    Ok(HttpResponse::Ok().json(out))
}

/// Remove someone from the team (leads and admins); their access ends at once. Their clients
/// on this team move to `reassign_to`, or the removal is refused.
#[utoipa::path(tag = "teams", params(("team_id" = Uuid, Path), ("staff_id" = Uuid, Path), RemoveQuery), responses(
    (status = 204, description = "Removed"),
    (status = 403, body = Problem, content_type = "application/problem+json"),
    (status = 409, description = "`conflict` (the team's only lead), `carries_clients` (still case manager of the clients listed in `clients`; name `reassign_to`), or `caseload_full` (the person named in `reassign_to` has no room; nothing moved)", body = Problem, content_type = "application/problem+json"),
    (status = 422, description = "`reassign_to` cannot take the clients (not a working member, deactivated, or the person removed)", body = Problem, content_type = "application/problem+json"),
))]
#[delete("/teams/{team_id}/members/{staff_id}")]
pub async fn delete_member(
    st: web::Data<AppState>,
    user: AuthUser,
    path: web::Path<(Uuid, Uuid)>,
    q: web::Query<RemoveQuery>,
) -> AppResult<HttpResponse> {
    let (team_id, staff_id) = path.into_inner();
    let reassign_to = q.into_inner().reassign_to.map(|u| u.to_string());
    members::remove(
        &st.pool,
        user,
        team_id.to_string(),
        staff_id.to_string(),
        reassign_to,
    )
    .await?;
    Ok(HttpResponse::NoContent().finish())
}

/// Remove someone from the team with a hand-over plan (leads and admins): each of their
/// clients on this team moves to the case manager its line names, in the same transaction
/// (caps checked for everyone at once), then the membership ends.
#[utoipa::path(tag = "teams", params(("team_id" = Uuid, Path), ("staff_id" = Uuid, Path)), request_body = HandoverPlan, responses(
    (status = 204, description = "Removed"),
    (status = 403, body = Problem, content_type = "application/problem+json"),
    (status = 409, description = "`conflict` (the team's only lead), `carries_clients` (the plan misses the clients listed in `clients`), or `caseload_full` (a receiver has no room; nothing moved)", body = Problem, content_type = "application/problem+json"),
    (status = 422, description = "a line names a client the person does not carry here, twice, or a receiver who cannot carry on this team (`assignments[i].…`)", body = Problem, content_type = "application/problem+json"),
))]
#[post("/teams/{team_id}/members/{staff_id}/remove")]
pub async fn remove_member_with_plan(
    st: web::Data<AppState>,
    user: AuthUser,
    path: web::Path<(Uuid, Uuid)>,
    body: Json<HandoverPlan>,
) -> AppResult<HttpResponse> {
    let (team_id, staff_id) = path.into_inner();
    members::remove_with(
        &st.pool,
        user,
        team_id.to_string(),
        staff_id.to_string(),
        members::Handover::Plan(body.0.assignments),
    )
    .await?;
    Ok(HttpResponse::NoContent().finish())
}
