//! Staff accounts (admins only): create, list, change, deactivate.

use crate::api::json::Json;
use crate::api::page;
use crate::api::Problem;
use crate::auth::{password, AuthUser, PendingUser};
use crate::db;
use crate::domain::staff as rules;
use crate::domain::FieldError;
use crate::error::{AppError, AppResult};
use crate::state::AppState;
use crate::store::carriers::{Assignment, HandoverOut};
use crate::store::passwords;
use crate::store::staff::{self, MeOut, NewStaff, StaffChanges, StaffListed, StaffOut};
use actix_web::{get, patch, post, web, HttpRequest, HttpResponse};
use serde::Deserialize;
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct StaffPatch {
    #[schema(min_length = 1, max_length = 100, pattern = r"\S")]
    pub display_name: Option<String>,
    pub discipline: Option<String>,
    pub is_admin: Option<bool>,
    /// false signs the person out everywhere and blocks login. Refused (409
    /// `carries_clients`, with `clients`) while the person is case manager of clients not
    /// yet discharged, unless `reassign_to` is given.
    pub active: Option<bool>,
    /// With `active: false` only: every client the person carries (on every team) moves to
    /// this staff member in the same transaction, within the caseload caps (409
    /// `caseload_full`, nothing moved). They must work on each of those teams.
    pub reassign_to: Option<Uuid>,
    /// A new password (12 to 256 characters, not a common one, not the username); every
    /// session of the person ends. Set for someone else, it is temporary: they must choose
    /// their own at the next sign-in (`must_change_password`).
    #[schema(min_length = 12, max_length = 256)]
    pub password: Option<String>,
}

/// The signed-in user and the teams they belong to, with their role on each.
#[utoipa::path(tag = "auth", responses((status = 200, body = MeOut)))]
#[get("/me")]
pub async fn me(st: web::Data<AppState>, user: PendingUser) -> AppResult<HttpResponse> {
    Ok(HttpResponse::Ok().json(staff::me(&st.pool, user.0).await?))
}

/// Create a staff account (admins only).
#[utoipa::path(tag = "staff", request_body = NewStaff, responses(
    (status = 201, body = StaffOut),
    (status = 403, body = Problem, content_type = "application/problem+json"),
    (status = 409, description = "username taken", body = Problem, content_type = "application/problem+json"),
))]
#[post("/staff")]
pub async fn create_staff(
    st: web::Data<AppState>,
    user: AuthUser,
    body: Json<NewStaff>,
) -> AppResult<HttpResponse> {
    Ok(HttpResponse::Created().json(staff::create(&st.pool, user, body.0).await?))
}

#[derive(Deserialize, IntoParams)]
pub struct StaffQuery {
    /// Rows per page: at most 1000 (default 500). When there are more, the answer has a
    /// `Link: <…>; rel="next"` header.
    #[param(minimum = 1, maximum = 1000)]
    pub limit: Option<i64>,
    /// Where the page starts: the opaque value from the previous page's `Link` header.
    pub cursor: Option<String>,
}

/// Every staff account with the teams each person is on (admins only), by display name and
/// id, in pages (`limit`, `cursor`; the next page's URL is in the `Link` header).
#[utoipa::path(tag = "staff", params(StaffQuery), responses(
    (status = 200, body = Vec<StaffListed>, headers(("Link" = String, description = "RFC 8288 link to the next page, `<…?…&cursor=…>; rel=\"next\"` (relative; follow it as it is); absent on the last page"))),
    (status = 403, body = Problem, content_type = "application/problem+json"),
))]
#[get("/staff")]
pub async fn list_staff(
    req: HttpRequest,
    st: web::Data<AppState>,
    user: AuthUser,
    q: web::Query<StaffQuery>,
) -> AppResult<HttpResponse> {
    // Before the field checks: a non-admin gets 403, nothing else.
    user.require_admin(staff::MANAGE)?;
    let q = q.into_inner();
    let page = page::request(q.limit, q.cursor.as_deref(), 500, staff::LIST, 2)?;
    Ok(page::respond(
        &req,
        staff::list(&st.pool, user, page).await?,
    ))
}

/// Change a staff account (admins only). Deactivating revokes every session at once; a
/// person who still carries clients is deactivated only with `reassign_to`.
/// Change a staff account (admins only). Deactivating or a new password ends every session
/// of the person at once: their access tokens stop working and their websockets close.
#[utoipa::path(tag = "staff", params(("staff_id" = Uuid, Path)), request_body = StaffPatch, responses(
    (status = 200, body = StaffOut),
    (status = 403, body = Problem, content_type = "application/problem+json"),
    (status = 409, description = "`carries_clients` (with `clients`: the ids of the clients the person still carries), `caseload_full` (the person named in `reassign_to` has no room; nothing moved), or `conflict` (deactivating yourself)", body = Problem, content_type = "application/problem+json"),
))]
#[patch("/staff/{staff_id}")]
pub async fn patch_staff(
    st: web::Data<AppState>,
    user: AuthUser,
    path: web::Path<Uuid>,
    body: Json<StaffPatch>,
) -> AppResult<HttpResponse> {
    // Before the field checks and the password hash: a non-admin gets 403, nothing else.
    user.require_admin(staff::MANAGE)?;
    let p = body.0;
    let mut errors = vec![];
    let display_name = p
        .display_name
        .as_deref()
        .map(rules::check_display_name)
        .transpose()
        .map_err(|m| errors.push(FieldError::new("display_name", m)))
        .ok()
        .flatten();
    if let Some(Err(m)) = p.discipline.as_deref().map(rules::check_discipline) {
        errors.push(FieldError::new("discipline", m));
    }
    let id = path.into_inner().to_string();
    if let Some(pw) = p.password.clone() {
        // The rule needs the account's username (404 when there is no such account).
        if let Err(m) = passwords::check_reset(&st.pool, id.clone(), pw).await? {
            errors.push(FieldError::new("password", m));
        }
    }
    if p.reassign_to.is_some() && p.active != Some(false) {
        errors.push(FieldError::new(
            "reassign_to",
            "only goes with active: false (a deactivation)",
        ));
    }
    if !errors.is_empty() {
        return Err(AppError::from_fields(errors));
    }
    let new_password = p.password;
    let password_hash = db::blocking(move || {
        new_password
            .as_deref()
            .map(password::hash)
            .transpose()
            .map_err(AppError::internal)
    })
    .await?;
    let changes = StaffChanges {
        display_name,
        discipline: p.discipline,
        is_admin: p.is_admin,
        active: p.active,
        password_hash,
        reassign_to: p.reassign_to.map(|u| u.to_string()),
    };
    let out = staff::update(&st.pool, user, id, changes).await?;
    Ok(HttpResponse::Ok().json(out))
}

#[derive(Deserialize, IntoParams)]
pub struct HandoverQuery {
    /// Only this team's clients (a removal from one team).
    pub team_id: Option<Uuid>,
}

/// What a hand-over must place before someone leaves: the clients they carry (not
/// discharged), per team, and who on each team could take them with their caseloads (on an
/// ICM team, `room` 0 means full). Admins only.
#[utoipa::path(tag = "staff", params(("staff_id" = Uuid, Path), HandoverQuery), responses(
    (status = 200, body = HandoverOut),
    (status = 403, body = Problem, content_type = "application/problem+json"),
))]
#[get("/staff/{staff_id}/handover")]
pub async fn get_handover(
    st: web::Data<AppState>,
    user: AuthUser,
    path: web::Path<Uuid>,
    q: web::Query<HandoverQuery>,
) -> AppResult<HttpResponse> {
    let team = q.into_inner().team_id.map(|t| t.to_string());
    let out = staff::handover(&st.pool, user, path.into_inner().to_string(), team).await?;
    Ok(HttpResponse::Ok().json(out))
}

/// A hand-over plan: a new case manager for each client the person carries.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct HandoverPlan {
    /// One line per client the person carries (every one of them, each once).
    pub assignments: Vec<Assignment>,
}

/// Deactivate an account with a hand-over plan, in one transaction (admins only): each
/// client the person carries moves to the case manager its line names (caps checked for
/// everyone at once), then the account is deactivated and every session of it ends.
#[utoipa::path(tag = "staff", params(("staff_id" = Uuid, Path)), request_body = HandoverPlan, responses(
    (status = 200, body = StaffOut),
    (status = 403, body = Problem, content_type = "application/problem+json"),
    (status = 409, description = "`carries_clients` (the plan misses the clients listed in `clients`), `caseload_full` (a receiver has no room; nothing moved), or `conflict` (deactivating yourself)", body = Problem, content_type = "application/problem+json"),
    (status = 422, description = "a line names a client the person does not carry, twice, or a receiver who cannot carry on that team (`assignments[i].…`)", body = Problem, content_type = "application/problem+json"),
))]
#[post("/staff/{staff_id}/deactivate")]
pub async fn deactivate_staff(
    st: web::Data<AppState>,
    user: AuthUser,
    path: web::Path<Uuid>,
    body: Json<HandoverPlan>,
) -> AppResult<HttpResponse> {
    let out = staff::deactivate(
        &st.pool,
        user,
        path.into_inner().to_string(),
        body.0.assignments,
    )
    .await?;
    Ok(HttpResponse::Ok().json(out))
}
