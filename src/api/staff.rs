//! Staff accounts (admins only): create, list, change, deactivate.

use crate::api::dto::StaffOut;
use crate::api::json::Json;
use crate::api::Problem;
use crate::auth::{password, AuthUser};
use crate::db::models::StaffRow;
use crate::api::members;
use crate::db::events;
use crate::db::schema::{memberships, refresh_tokens, staff};
use crate::db::{self, DbConn};
use crate::domain::staff as rules;
use crate::error::{AppError, AppResult, FieldError};
use crate::state::AppState;
use actix_web::{get, patch, post, web, HttpResponse};
use diesel::prelude::*;
use serde::Deserialize;
use utoipa::ToSchema;
use uuid::Uuid;

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewStaff {
    #[schema(pattern = r"^[A-Za-z0-9._@-]{3,64}$")]
    pub username: String,
    #[schema(min_length = 1, max_length = 100, pattern = r"\S")]
    pub display_name: String,
    /// team_lead, psychiatrist, nurse, case_manager, social_worker, peer_specialist,
    /// substance_use_specialist, employment_specialist, housing_specialist, other
    pub discipline: String,
    /// At least 8 characters.
    #[schema(min_length = 8)]
    pub password: String,
    #[serde(default)]
    pub is_admin: bool,
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct StaffPatch {
    #[schema(min_length = 1, max_length = 100, pattern = r"\S")]
    pub display_name: Option<String>,
    pub discipline: Option<String>,
    pub is_admin: Option<bool>,
    /// false signs the person out everywhere and blocks login.
    pub active: Option<bool>,
    #[schema(min_length = 8)]
    pub password: Option<String>,
}

fn require_admin(user: &AuthUser) -> AppResult<()> {
    if user.is_admin {
        Ok(())
    } else {
        Err(AppError::Forbidden(
            "only an admin may manage staff accounts".into(),
        ))
    }
}

pub fn load_staff(conn: &mut DbConn, id: &str) -> AppResult<StaffRow> {
    staff::table
        .filter(staff::id.eq(id))
        .select(StaffRow::as_select())
        .first(conn)
        .optional()?
        .ok_or_else(|| AppError::not_found("staff member"))
}

/// Validate and store a new staff account (used by the CLI and the demo loader).
pub fn insert_staff(conn: &mut DbConn, s: NewStaff) -> AppResult<StaffRow> {
    store_staff(conn, prepare_staff(s)?)
}

/// A new account, validated and with its password hashed: ready to store.
pub struct PreparedStaff {
    username: String,
    display_name: String,
    discipline: String,
    password_hash: String,
    is_admin: bool,
}

/// Validate and hash (argon2: tens of milliseconds of CPU), with no database: the API does
/// this on a blocking thread before its transaction, not while holding a connection.
pub fn prepare_staff(s: NewStaff) -> AppResult<PreparedStaff> {
    let mut errors = vec![];
    let username = rules::normalize_username(&s.username)
        .map_err(|m| errors.push(FieldError::new("username", m)))
        .ok();
    let display = rules::check_display_name(&s.display_name)
        .map_err(|m| errors.push(FieldError::new("display_name", m)))
        .ok();
    if let Err(m) = rules::check_discipline(&s.discipline) {
        errors.push(FieldError::new("discipline", m));
    }
    if let Err(m) = password::check_strength(&s.password) {
        errors.push(FieldError::new("password", m));
    }
    let (Some(username), Some(display_name), true) = (username, display, errors.is_empty()) else {
        return Err(AppError::from_fields(errors));
    };
    let password_hash = password::hash(&s.password).map_err(AppError::internal)?;
    Ok(PreparedStaff { username, display_name, discipline: s.discipline, password_hash, is_admin: s.is_admin })
}

/// Store a prepared account; a taken username is a 409.
pub fn store_staff(conn: &mut DbConn, s: PreparedStaff) -> AppResult<StaffRow> {
    let username = s.username;
    let taken: i64 = staff::table
        .filter(staff::username.eq(&username))
        .count()
        .get_result(conn)?;
    if taken > 0 {
        return Err(AppError::conflict(format!(
            "the username '{username}' is taken"
        )));
    }
    let id = Uuid::new_v4().to_string();
    diesel::insert_into(staff::table)
        .values((
            staff::id.eq(&id),
            staff::username.eq(&username),
            staff::display_name.eq(&s.display_name),
            staff::discipline.eq(&s.discipline),
            staff::password_hash.eq(&s.password_hash),
            staff::is_admin.eq(s.is_admin),
            staff::active.eq(true),
            staff::created_at.eq(db::now()),
        ))
        .execute(conn)?;
    load_staff(conn, &id)
}

/// Create a staff account (admins only).
#[utoipa::path(tag = "staff", request_body = NewStaff, responses(
    (status = 201, body = StaffOut),
    (status = 403, body = Problem, content_type = "application/problem+json"),
    (status = 409, description = "username taken", body = Problem, content_type = "application/problem+json"),
    (status = 422, body = Problem, content_type = "application/problem+json"),
))]
#[post("/staff")]
pub async fn create_staff(
    st: web::Data<AppState>,
    user: AuthUser,
    body: Json<NewStaff>,
) -> AppResult<HttpResponse> {
    require_admin(&user)?;
    let prepared = web::block(move || prepare_staff(body.0)).await??;
    let row = db::tx(&st.pool, move |conn| store_staff(conn, prepared)).await?;
    Ok(HttpResponse::Created().json(StaffOut::from(&row)))
}

/// Every staff account (admins only).
#[utoipa::path(tag = "staff", responses((status = 200, body = Vec<StaffOut>), (status = 403, body = Problem, content_type = "application/problem+json")))]
#[get("/staff")]
pub async fn list_staff(st: web::Data<AppState>, user: AuthUser) -> AppResult<HttpResponse> {
    require_admin(&user)?;
    let rows: Vec<StaffRow> = db::run(&st.pool, |conn| {
        Ok(staff::table
            .select(StaffRow::as_select())
            .order(staff::display_name.asc())
            .load(conn)?)
    })
    .await?;
    Ok(HttpResponse::Ok().json(rows.iter().map(StaffOut::from).collect::<Vec<_>>()))
}

/// Change a staff account (admins only). Deactivating revokes every session at once.
#[utoipa::path(tag = "staff", params(("staff_id" = Uuid, Path)), request_body = StaffPatch, responses(
    (status = 200, body = StaffOut),
    (status = 403, body = Problem, content_type = "application/problem+json"),
    (status = 404, body = Problem, content_type = "application/problem+json"),
    (status = 422, body = Problem, content_type = "application/problem+json"),
))]
#[patch("/staff/{staff_id}")]
pub async fn patch_staff(
    st: web::Data<AppState>,
    user: AuthUser,
    path: web::Path<Uuid>,
    body: Json<StaffPatch>,
) -> AppResult<HttpResponse> {
    require_admin(&user)?;
    let id = path.into_inner().to_string();
    let p = body.0;
    let mut errors = vec![];
    let display = p
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
    if let Some(Err(m)) = p.password.as_deref().map(password::check_strength) {
        errors.push(FieldError::new("password", m));
    }
    if !errors.is_empty() {
        return Err(AppError::from_fields(errors));
    }
    if id == user.id && (p.active == Some(false) || p.is_admin == Some(false)) {
        return Err(AppError::conflict(
            "you cannot deactivate yourself or remove your own admin rights",
        ));
    }
    let new_password = p.password.clone();
    let hash = web::block(move || new_password.as_deref().map(password::hash).transpose())
        .await?
        .map_err(AppError::internal)?;
    let names_changed = p.display_name.is_some() || p.discipline.is_some();
    let row = db::tx(&st.pool, move |conn| {
        let cur = load_staff(conn, &id)?;
        diesel::update(staff::table.filter(staff::id.eq(&id)))
            .set((
                staff::display_name.eq(display.unwrap_or(cur.display_name)),
                staff::discipline.eq(p.discipline.unwrap_or(cur.discipline)),
                staff::is_admin.eq(p.is_admin.unwrap_or(cur.is_admin)),
                staff::active.eq(p.active.unwrap_or(cur.active)),
                staff::password_hash.eq(hash.unwrap_or(cur.password_hash)),
            ))
            .execute(conn)?;
        if p.active == Some(false) || p.password.is_some() {
            diesel::update(
                refresh_tokens::table
                    .filter(refresh_tokens::staff_id.eq(&id))
                    .filter(refresh_tokens::revoked_at.is_null()),
            )
            .set(refresh_tokens::revoked_at.eq(db::now()))
            .execute(conn)?;
        }
        load_staff(conn, &id)
    })
    .await?;
    if names_changed {
        announce_to_teams(&st, &row.id, &user.id).await?;
    }
    Ok(HttpResponse::Ok().json(StaffOut::from(&row)))
}

/// A renamed person (or a new discipline): every team they belong to gets `member.updated`,
/// so boards show the new name without waiting for their next snapshot. One transaction per
/// team, each under that team's lock, as every event append is.
async fn announce_to_teams(st: &AppState, staff_id: &str, actor: &str) -> AppResult<()> {
    let sid = staff_id.to_string();
    let teams: Vec<String> = db::run(&st.pool, move |conn| {
        Ok(memberships::table.filter(memberships::staff_id.eq(sid)).select(memberships::team_id).load(conn)?)
    })
    .await?;
    for team in teams {
        let (sid, actor) = (staff_id.to_string(), actor.to_string());
        db::tx(&st.pool, move |conn| {
            events::lock_team(conn, &team)?;
            if let Some(m) = members::list(conn, &team)?.into_iter().find(|m| m.staff_id == sid) {
                events::append(conn, &team, "member.updated", &m, Some(&actor))?;
            }
            Ok(())
        })
        .await?;
    }
    Ok(())
}
