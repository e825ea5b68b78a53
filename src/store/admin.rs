//! The administrator's overview (`GET /api/admin/setup`): what exists, per team, so the admin
//! landing page can say what to do first on a new installation and tick each step off from
//! real data.

use crate::auth::AuthUser;
use crate::db::schema::{
    clients, display_tokens, memberships, oncall_patterns, oncall_shifts, staff, teams,
};
use crate::db::{self, Pool};
use crate::domain::client::Status;
use crate::domain::roles::Role;
use crate::error::AppResult;
use diesel::prelude::*;
use serde::Serialize;
use utoipa::ToSchema;

/// One team as the set-up checklist counts it.
#[derive(Serialize, ToSchema, Debug)]
pub struct TeamSetup {
    #[schema(format = Uuid)]
    pub id: String,
    pub name: String,
    pub mode: String,
    pub timezone: String,
    pub caseload_cap: i32,
    /// Members with any role (active accounts).
    pub members: i64,
    /// Members with the role lead (active accounts).
    pub leads: i64,
    /// Clients not discharged or declined.
    pub clients: i64,
    /// On-call shifts that have not ended yet.
    pub upcoming_shifts: i64,
    /// A repeating on-call week with at least one slot.
    pub has_rota_pattern: bool,
    /// Display links not revoked.
    pub display_tokens: i64,
}

#[derive(Serialize, ToSchema, Debug)]
pub struct SetupOut {
    pub teams: Vec<TeamSetup>,
    /// Active accounts that are not administrators.
    pub active_staff: i64,
    pub inactive_staff: i64,
    pub admins: i64,
}

/// What an admin must know to set up the agency (admins only).
pub async fn setup(pool: &Pool, user: AuthUser) -> AppResult<SetupOut> {
    user.require_admin("see the set-up overview")?;
    db::run(pool, |conn| {
        let now = db::now();
        let rows: Vec<(String, String, String, String, i32)> = teams::table
            .select((
                teams::id,
                teams::name,
                teams::mode,
                teams::timezone,
                teams::caseload_cap,
            ))
            .order((teams::name.asc(), teams::id.asc()))
            .load(conn)?;
        let mut out = Vec::with_capacity(rows.len());
        for (id, name, mode, timezone, caseload_cap) in rows {
            let roles: Vec<String> = memberships::table
                .inner_join(staff::table)
                .filter(memberships::team_id.eq(&id))
                .filter(staff::active.eq(true))
                .select(memberships::role)
                .load(conn)?;
            let clients: i64 = clients::table
                .filter(clients::team_id.eq(&id))
                .filter(clients::status.ne_all(Status::CLOSED))
                .count()
                .get_result(conn)?;
            let upcoming_shifts: i64 = oncall_shifts::table
                .filter(oncall_shifts::team_id.eq(&id))
                .filter(oncall_shifts::ends_at.gt(now))
                .count()
                .get_result(conn)?;
            let slots: Option<String> = oncall_patterns::table
                .filter(oncall_patterns::team_id.eq(&id))
                .select(oncall_patterns::slots)
                .first(conn)
                .optional()?;
            let has_rota_pattern = slots
                .and_then(|s| serde_json::from_str::<Vec<serde_json::Value>>(&s).ok())
                .is_some_and(|v| !v.is_empty());
            let display_tokens: i64 = display_tokens::table
                .filter(display_tokens::team_id.eq(&id))
                .filter(display_tokens::revoked_at.is_null())
                .count()
                .get_result(conn)?;
            out.push(TeamSetup {
                id,
                name,
                mode,
                timezone,
                caseload_cap,
                members: roles.len() as i64,
                leads: roles
                    .iter()
                    .filter(|r| Role::parse(r) == Some(Role::Lead))
                    .count() as i64,
                clients,
                upcoming_shifts,
                has_rota_pattern,
                display_tokens,
            });
        }
        let count = |conn: &mut db::DbConn, active: bool, admin: bool| -> AppResult<i64> {
            Ok(staff::table
                .filter(staff::active.eq(active))
                .filter(staff::is_admin.eq(admin))
                .count()
                .get_result(conn)?)
        };
        let active_staff = count(conn, true, false)?;
        let inactive_staff = count(conn, false, false)? + count(conn, false, true)?;
        let admins = count(conn, true, true)?;
        Ok(SetupOut {
            teams: out,
            active_staff,
            inactive_staff,
            admins,
        })
    })
    .await
}
