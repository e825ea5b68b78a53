//! Teams: created by admins, read by members, settings changed by leads.

use crate::api::dto::TeamOut;
use crate::api::json::Json;
use crate::api::Problem;
use crate::auth::{team_access, AuthUser};
use crate::db::models::TeamRow;
use crate::db::schema::{clients, memberships, teams};
use crate::db::{self, caseload, events, DbConn};
use crate::domain::roles::Role;
use crate::domain::team::{self as rules, Mode, Privacy};
use crate::error::{AppError, AppResult};
use crate::state::AppState;
use actix_web::{get, patch, post, web, HttpResponse};
use diesel::prelude::*;
use serde::Deserialize;
use utoipa::ToSchema;
use uuid::Uuid;

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewTeam {
    #[schema(min_length = 1, max_length = 100, pattern = r"\S")]
    pub name: String,
    pub mode: Mode,
    /// IANA time zone name, e.g. America/New_York.
    pub timezone: String,
    /// ICM only: 1–15, default 15.
    #[schema(minimum = 1, maximum = 15)]
    pub caseload_cap: Option<i32>,
    pub privacy: Option<Privacy>,
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct TeamPatch {
    /// The version you read; a stale one is refused with 409 `version_conflict`.
    #[schema(minimum = 1)]
    pub version: i32,
    #[schema(min_length = 1, max_length = 100, pattern = r"\S")]
    pub name: Option<String>,
    pub timezone: Option<String>,
    #[schema(minimum = 1, maximum = 15)]
    pub caseload_cap: Option<i32>,
    pub privacy: Option<Privacy>,
    /// Switching to ICM is refused while anyone carries more than the cap or an active
    /// client has no case manager.
    pub mode: Option<Mode>,
}

pub fn load_team(conn: &mut DbConn, team_id: &str) -> AppResult<TeamRow> {
    teams::table
        .filter(teams::id.eq(team_id))
        .select(TeamRow::as_select())
        .first(conn)
        .optional()?
        .ok_or_else(|| AppError::not_found("team"))
}

/// Create a team (admins only).
#[utoipa::path(tag = "teams", request_body = NewTeam, responses(
    (status = 201, body = TeamOut),
    (status = 403, body = Problem, content_type = "application/problem+json"),
    (status = 422, body = Problem, content_type = "application/problem+json"),
))]
#[post("/teams")]
pub async fn create_team(
    st: web::Data<AppState>,
    user: AuthUser,
    body: Json<NewTeam>,
) -> AppResult<HttpResponse> {
    if !user.is_admin {
        return Err(AppError::Forbidden("only an admin may create teams".into()));
    }
    let b = body.0;
    let mut errors = vec![];
    let name = rules::check_name(&b.name).map_err(|e| errors.push(e)).ok();
    let tz = rules::check_timezone(&b.timezone)
        .map_err(|e| errors.push(e))
        .ok();
    let cap = rules::check_cap(b.caseload_cap.unwrap_or(rules::MAX_CASELOAD_CAP))
        .map_err(|e| errors.push(e))
        .ok();
    let (Some(name), Some(tz), Some(cap)) = (name, tz, cap) else {
        return Err(AppError::from_fields(errors));
    };
    let id = Uuid::new_v4().to_string();
    let privacy = b.privacy.unwrap_or(Privacy::Names);
    let team = db::tx(&st.pool, move |conn| {
        diesel::insert_into(teams::table)
            .values((
                teams::id.eq(&id),
                teams::name.eq(&name),
                teams::mode.eq(b.mode.as_str()),
                teams::timezone.eq(tz.name()),
                teams::caseload_cap.eq(cap),
                teams::privacy.eq(privacy.as_str()),
                teams::last_seq.eq(0i64),
                teams::version.eq(1),
                teams::created_at.eq(db::now()),
            ))
            .execute(conn)?;
        let team = TeamOut::from(&load_team(conn, &id)?);
        events::append(conn, &id, "team.created", &team, Some(&user.id))?;
        Ok(team)
    })
    .await?;
    Ok(HttpResponse::Created().json(team))
}

/// The caller's teams (every team for an admin).
#[utoipa::path(tag = "teams", responses((status = 200, body = Vec<TeamOut>)))]
#[get("/teams")]
pub async fn list_teams(st: web::Data<AppState>, user: AuthUser) -> AppResult<HttpResponse> {
    let rows: Vec<TeamRow> = db::run(&st.pool, move |conn| {
        let q = teams::table
            .select(TeamRow::as_select())
            .order(teams::name.asc())
            .into_boxed();
        let q = if user.is_admin {
            q
        } else {
            q.filter(
                teams::id.eq_any(
                    memberships::table
                        .filter(memberships::staff_id.eq(user.id))
                        .select(memberships::team_id),
                ),
            )
        };
        Ok(q.load(conn)?)
    })
    .await?;
    Ok(HttpResponse::Ok().json(rows.iter().map(TeamOut::from).collect::<Vec<_>>()))
}

/// One team (members and admins; others get 404).
#[utoipa::path(tag = "teams", params(("team_id" = Uuid, Path)), responses(
    (status = 200, body = TeamOut),
    (status = 404, body = Problem, content_type = "application/problem+json"),
))]
#[get("/teams/{team_id}")]
pub async fn get_team(
    st: web::Data<AppState>,
    user: AuthUser,
    path: web::Path<Uuid>,
) -> AppResult<HttpResponse> {
    let team_id = path.into_inner().to_string();
    let team = db::run(&st.pool, move |conn| {
        team_access(conn, &user, &team_id)?;
        load_team(conn, &team_id)
    })
    .await?;
    Ok(HttpResponse::Ok().json(TeamOut::from(&team)))
}

/// Change a team's settings (leads and admins), with the version last read.
#[utoipa::path(tag = "teams", params(("team_id" = Uuid, Path)), request_body = TeamPatch, responses(
    (status = 200, body = TeamOut),
    (status = 403, body = Problem, content_type = "application/problem+json"),
    (status = 409, description = "version_conflict (with `current`); caseload_full when the cap would be below someone's caseload (names them in `over`)", body = Problem, content_type = "application/problem+json"),
    (status = 422, body = Problem, content_type = "application/problem+json"),
))]
#[patch("/teams/{team_id}")]
pub async fn patch_team(
    st: web::Data<AppState>,
    user: AuthUser,
    path: web::Path<Uuid>,
    body: Json<TeamPatch>,
) -> AppResult<HttpResponse> {
    let team_id = path.into_inner().to_string();
    let p = body.0;
    let mut errors = vec![];
    let name = p
        .name
        .as_deref()
        .map(rules::check_name)
        .transpose()
        .map_err(|e| errors.push(e))
        .ok()
        .flatten();
    let tz = p
        .timezone
        .as_deref()
        .map(rules::check_timezone)
        .transpose()
        .map_err(|e| errors.push(e))
        .ok()
        .flatten();
    let cap = p
        .caseload_cap
        .map(rules::check_cap)
        .transpose()
        .map_err(|e| errors.push(e))
        .ok()
        .flatten();
    if !errors.is_empty() {
        return Err(AppError::from_fields(errors));
    }
    let team = db::tx(&st.pool, move |conn| {
        let current = crate::auth::write_access(conn, &user, &team_id, Role::Lead)?;
        if current.version != p.version {
            return Err(AppError::VersionConflict { current: serde_json::to_value(TeamOut::from(&current)).unwrap_or_default() });
        }
        let mode = p.mode.map(|m| m.as_str()).unwrap_or(current.mode.as_str()).to_string();
        let new_cap = cap.unwrap_or(current.caseload_cap);
        if mode == "icm" && (current.mode != "icm" || new_cap < current.caseload_cap) {
            let counts = caseload::recount(conn, &team_id)?;
            caseload::check_cap(&counts, new_cap)?;
            if current.mode != "icm" {
                let without: i64 = clients::table
                    .filter(clients::team_id.eq(&team_id))
                    .filter(clients::status.eq_any(["active", "transitioning"]))
                    .filter(clients::case_manager_id.is_null())
                    .count()
                    .get_result(conn)?;
                if without > 0 {
                    return Err(AppError::conflict(format!(
                        "{without} active client(s) have no case manager; an ICM team needs one for each"
                    )));
                }
                caseload::reset_counters(conn, &team_id, &counts)?;
            }
        }
        if mode == "act" && current.mode == "icm" {
            caseload::reset_counters(conn, &team_id, &[])?;
        }
        diesel::update(teams::table.filter(teams::id.eq(&team_id)))
            .set((
                teams::name.eq(name.unwrap_or(current.name.clone())),
                teams::timezone.eq(tz.map(|t| t.name().to_string()).unwrap_or(current.timezone.clone())),
                teams::caseload_cap.eq(new_cap),
                teams::mode.eq(&mode),
                teams::privacy.eq(p.privacy.map(|x| x.as_str().to_string()).unwrap_or(current.privacy.clone())),
                teams::version.eq(current.version + 1),
            ))
            .execute(conn)?;
        let team = TeamOut::from(&load_team(conn, &team_id)?);
        events::append(conn, &team_id, "team.updated", &team, Some(&user.id))?;
        Ok(team)
    })
    .await?;
    Ok(HttpResponse::Ok().json(team))
}
