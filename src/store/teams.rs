//! Teams: created by admins, read by members, settings changed by leads.

use crate::auth::{team_access, write_access, AuthUser};
use crate::db::models::TeamRow;
use crate::db::schema::{clients, memberships, teams};
use crate::db::{self, caseload, DbConn, Pool};
use crate::domain::roles::Role;
use crate::domain::team::{Mode, Privacy};
use crate::error::{AppError, AppResult};
use crate::store::events::{append, Event};
use diesel::prelude::*;
use uuid::Uuid;

pub use crate::store::records::team::TeamOut;

/// A new team's checked settings.
pub struct NewTeam {
    pub name: String,
    pub mode: Mode,
    pub timezone: chrono_tz::Tz,
    pub caseload_cap: i32,
    pub privacy: Privacy,
    pub escalate_after_minutes: i32,
}

/// Checked changes to a team's settings (absent: unchanged).
pub struct TeamChanges {
    pub version: i32,
    pub name: Option<String>,
    pub timezone: Option<chrono_tz::Tz>,
    pub caseload_cap: Option<i32>,
    pub privacy: Option<Privacy>,
    pub mode: Option<Mode>,
    pub escalate_after_minutes: Option<i32>,
    /// The narrowed qualifying diagnoses (`Some(None)`: back to the default).
    pub qualifying_diagnoses: Option<Option<Vec<crate::domain::care::screening::Diagnosis>>>,
}

pub fn load_team(conn: &mut DbConn, team_id: &str) -> AppResult<TeamRow> {
    teams::table
        .filter(teams::id.eq(team_id))
        .select(TeamRow::as_select())
        .first(conn)
        .optional()?
        .ok_or_else(|| AppError::not_found("team"))
}

/// Store a team and its first event (inside a transaction).
pub fn insert(conn: &mut DbConn, t: &NewTeam, actor: &str) -> AppResult<TeamRow> {
    let id = Uuid::new_v4().to_string();
    diesel::insert_into(teams::table)
        .values((
            teams::id.eq(&id),
            teams::name.eq(&t.name),
            teams::mode.eq(t.mode.as_str()),
            teams::timezone.eq(t.timezone.name()),
            teams::caseload_cap.eq(t.caseload_cap),
            teams::privacy.eq(t.privacy.as_str()),
            teams::escalate_after_minutes.eq(t.escalate_after_minutes),
            teams::last_seq.eq(0i64),
            teams::version.eq(1),
            teams::created_at.eq(db::now()),
        ))
        .execute(conn)?;
    let row = load_team(conn, &id)?;
    append(
        conn,
        &id,
        Event::TeamCreated(TeamOut::from(&row)),
        Some(actor),
    )?;
    Ok(row)
}

/// What only an admin may do here (the 403's wording).
pub const CREATE: &str = "create teams";

/// Create a team (admins only).
pub async fn create(pool: &Pool, user: AuthUser, t: NewTeam) -> AppResult<TeamOut> {
    user.require_admin(CREATE)?;
    db::tx(pool, move |conn| {
        Ok(TeamOut::from(&insert(conn, &t, &user.id)?))
    })
    .await
}

/// The caller's teams (every team for an admin), by name.
pub async fn list(pool: &Pool, user: AuthUser) -> AppResult<Vec<TeamOut>> {
    db::run(pool, move |conn| {
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
        Ok(q.load::<TeamRow>(conn)?.iter().map(TeamOut::from).collect())
    })
    .await
}

/// One team (members and admins; others get 404).
pub async fn get(pool: &Pool, user: AuthUser, team_id: String) -> AppResult<TeamOut> {
    db::run(pool, move |conn| {
        team_access(conn, &user, &team_id)?;
        Ok(TeamOut::from(&load_team(conn, &team_id)?))
    })
    .await
}

/// Change a team's settings (leads and admins), with the version last read. Switching to
/// ICM or lowering its cap is refused while anyone carries more than the cap, and switching
/// to ICM while an active client has no case manager.
pub async fn update(
    pool: &Pool,
    user: AuthUser,
    team_id: String,
    p: TeamChanges,
) -> AppResult<TeamOut> {
    db::tx(pool, move |conn| {
        let current = write_access(conn, &user, &team_id, Role::Lead)?;
        if current.version != p.version {
            return Err(AppError::VersionConflict {
                current: serde_json::to_value(TeamOut::from(&current)).unwrap_or_default(),
            });
        }
        let mode = p
            .mode
            .map(|m| m.as_str())
            .unwrap_or(current.mode.as_str())
            .to_string();
        let new_cap = p.caseload_cap.unwrap_or(current.caseload_cap);
        if mode == "icm" && (current.mode != "icm" || new_cap < current.caseload_cap) {
            // A switch to ICM adds this team's clients to each person's count over their ICM
            // teams (locked, then counted); a lower cap only concerns this team.
            let switching = current.mode != "icm";
            let loads = caseload::loads(conn, &team_id, switching)?;
            caseload::check_cap(&loads, new_cap)?;
            if switching {
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
            }
        }
        diesel::update(teams::table.filter(teams::id.eq(&team_id)))
            .set((
                teams::name.eq(p.name.unwrap_or(current.name.clone())),
                teams::timezone.eq(p
                    .timezone
                    .map(|t| t.name().to_string())
                    .unwrap_or(current.timezone.clone())),
                teams::caseload_cap.eq(new_cap),
                teams::mode.eq(&mode),
                teams::privacy.eq(p
                    .privacy
                    .map(|x| x.as_str().to_string())
                    .unwrap_or(current.privacy.clone())),
                teams::escalate_after_minutes
                    .eq(p.escalate_after_minutes.unwrap_or(current.escalate_after_minutes)),
                teams::version.eq(current.version + 1),
            ))
            .execute(conn)?;
        if let Some(q) = &p.qualifying_diagnoses {
            let stored = match q {
                Some(list) => Some(serde_json::to_string(list).map_err(AppError::internal)?),
                None => None,
            };
            diesel::update(teams::table.filter(teams::id.eq(&team_id)))
                .set(teams::qualifying_diagnoses.eq(stored))
                .execute(conn)?;
        }
        let team = TeamOut::from(&load_team(conn, &team_id)?);
        append(conn, &team_id, Event::TeamUpdated(team.clone()), Some(&user.id))?;
        Ok(team)
    })
    .await
}
