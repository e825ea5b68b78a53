//! Team-level authorization, looked up in the database on every request so that removing
//! someone from a team takes effect at once.

use crate::auth::AuthUser;
use crate::db::schema::{memberships, teams};
use crate::db::DbConn;
use crate::domain::roles::{Role, Standing};
use crate::error::{AppError, AppResult};
use diesel::prelude::*;

/// A caller's standing on one team, checked to exist.
#[derive(Debug, Clone, Copy)]
pub struct Access {
    pub standing: Standing,
}

impl Access {
    pub fn require(self, role: Role) -> AppResult<Self> {
        if self.standing.at_least(role) {
            Ok(self)
        } else {
            Err(AppError::Forbidden(match role {
                Role::Lead => "only a team lead or an admin may do this".into(),
                Role::Member => "viewers may read but not change the team's records".into(),
                Role::Viewer => "not a member of this team".into(),
            }))
        }
    }
}

/// The caller's standing on `team_id`. A team the caller does not belong to answers 404,
/// exactly like a team that does not exist, so ids of other teams reveal nothing.
pub fn team_access(conn: &mut DbConn, user: &AuthUser, team_id: &str) -> AppResult<Access> {
    let exists: i64 = teams::table
        .filter(teams::id.eq(team_id))
        .count()
        .get_result(conn)?;
    if exists == 0 {
        return Err(AppError::not_found("team"));
    }
    standing(conn, user, team_id)
}

/// The caller's standing on a team known to exist.
fn standing(conn: &mut DbConn, user: &AuthUser, team_id: &str) -> AppResult<Access> {
    if user.is_admin {
        return Ok(Access {
            standing: Standing::Admin,
        });
    }
    let role: Option<String> = memberships::table
        .filter(memberships::team_id.eq(team_id))
        .filter(memberships::staff_id.eq(&user.id))
        .select(memberships::role)
        .first(conn)
        .optional()?;
    match role.as_deref().and_then(Role::parse) {
        Some(r) => Ok(Access {
            standing: Standing::Member(r),
        }),
        None => Err(AppError::not_found("team")),
    }
}

/// The start of every writing use case on a team: the team row under the team's write lock
/// (`db::events::lock_team_row`, one statement), then the caller's standing (at least
/// `role`). One function, so no write path can forget the lock. Taking the lock before the
/// standing check costs nothing: a caller who is refused rolls back at once, and a team the
/// caller cannot see answers 404 either way.
pub fn write_access(
    conn: &mut DbConn,
    user: &AuthUser,
    team_id: &str,
    role: Role,
) -> AppResult<crate::db::models::TeamRow> {
    let team = crate::db::events::lock_team_row(conn, team_id)?;
    standing(conn, user, team_id)?.require(role)?;
    Ok(team)
}
