//! Team membership: who is on the team and with which role (changed by leads and admins).

use crate::auth::{team_access, write_access, AuthUser};
use crate::db::schema::{memberships, staff};
use crate::db::{self, caseload, events::lock_team, DbConn, Pool};
use crate::domain::roles::{leaves_no_lead, Role};
use crate::error::{AppError, AppResult};
use crate::store::carriers;
use crate::store::events::{append, Event};
use diesel::prelude::*;

pub use crate::store::records::member::{MemberOut, MemberRemoved};

pub fn list(conn: &mut DbConn, team_id: &str) -> AppResult<Vec<MemberOut>> {
    let rows: Vec<(String, String, String, String, String)> = memberships::table
        .inner_join(staff::table)
        .filter(memberships::team_id.eq(team_id))
        .select((
            staff::id,
            staff::username,
            staff::display_name,
            staff::discipline,
            memberships::role,
        ))
        .order(staff::display_name.asc())
        .load(conn)?;
    Ok(rows
        .into_iter()
        .map(
            |(staff_id, username, display_name, discipline, role)| MemberOut {
                staff_id,
                username,
                display_name,
                discipline,
                role,
            },
        )
        .collect())
}

pub fn lead_count(conn: &mut DbConn, team_id: &str) -> AppResult<i64> {
    Ok(memberships::table
        .filter(memberships::team_id.eq(team_id))
        .filter(memberships::role.eq(Role::Lead.as_str()))
        .count()
        .get_result(conn)?)
}

/// The person's role on the team; `None` when not on it.
pub fn current_role(conn: &mut DbConn, team_id: &str, staff_id: &str) -> AppResult<Option<Role>> {
    let r: Option<String> = memberships::table
        .filter(memberships::team_id.eq(team_id))
        .filter(memberships::staff_id.eq(staff_id))
        .select(memberships::role)
        .first(conn)
        .optional()?;
    Ok(r.as_deref().and_then(Role::parse))
}

/// Whether the person is a working member of the team (`Role::works`).
pub fn is_working(conn: &mut DbConn, team_id: &str, staff_id: &str) -> AppResult<bool> {
    Ok(current_role(conn, team_id, staff_id)?.is_some_and(Role::works))
}

/// Which of `ids` are working members of the team, in one query.
pub fn working_ids(
    conn: &mut DbConn,
    team_id: &str,
    ids: &[String],
) -> AppResult<std::collections::HashSet<String>> {
    let rows: Vec<(String, String)> = memberships::table
        .filter(memberships::team_id.eq(team_id))
        .filter(memberships::staff_id.eq_any(ids))
        .select((memberships::staff_id, memberships::role))
        .load(conn)?;
    Ok(rows
        .into_iter()
        .filter(|(_, r)| Role::parse(r).is_some_and(Role::works))
        .map(|(id, _)| id)
        .collect())
}

/// Add someone to the team or change their role; insert or update under the team lock.
pub fn set_role(
    conn: &mut DbConn,
    team_id: &str,
    staff_id: &str,
    role: Role,
    actor: Option<&str>,
) -> AppResult<MemberOut> {
    lock_team(conn, team_id)?;
    let active: Option<bool> = staff::table
        .filter(staff::id.eq(staff_id))
        .select(staff::active)
        .first(conn)
        .optional()?;
    match active {
        None => return Err(AppError::not_found("staff member")),
        Some(false) => {
            return Err(AppError::validation(
                "staff_id",
                "this account is deactivated",
            ))
        }
        Some(true) => {}
    }
    let before = current_role(conn, team_id, staff_id)?;
    if leaves_no_lead(
        lead_count(conn, team_id)?,
        before == Some(Role::Lead),
        Some(role),
    ) {
        return Err(AppError::conflict(
            "this is the team's only lead; appoint another lead first",
        ));
    }
    // A viewer cannot carry clients (assignment refuses it), so neither can a demotion make one.
    if !role.works() && before.is_some_and(Role::works) {
        let rows = caseload::carried(conn, staff_id, Some(team_id))?;
        if !rows.is_empty() {
            return Err(caseload::carries_clients(
                staff_id,
                &rows,
                "assign them to someone else before making them a viewer",
            ));
        }
    }
    if before.is_some() {
        diesel::update(
            memberships::table
                .filter(memberships::team_id.eq(team_id))
                .filter(memberships::staff_id.eq(staff_id)),
        )
        .set(memberships::role.eq(role.as_str()))
        .execute(conn)?;
    } else {
        diesel::insert_into(memberships::table)
            .values((
                memberships::team_id.eq(team_id),
                memberships::staff_id.eq(staff_id),
                memberships::role.eq(role.as_str()),
                memberships::created_at.eq(db::now()),
            ))
            .execute(conn)?;
    }
    let member = list(conn, team_id)?
        .into_iter()
        .find(|m| m.staff_id == staff_id)
        .ok_or_else(|| AppError::internal("membership vanished"))?;
    append(conn, team_id, Event::MemberUpdated(member.clone()), actor)?;
    Ok(member)
}

/// The team's members and their roles.
pub async fn list_of(pool: &Pool, user: AuthUser, team_id: String) -> AppResult<Vec<MemberOut>> {
    db::run(pool, move |conn| {
        team_access(conn, &user, &team_id)?;
        list(conn, &team_id)
    })
    .await
}

/// Add a staff member to the team or change their role (leads and admins).
pub async fn put(
    pool: &Pool,
    user: AuthUser,
    team_id: String,
    staff_id: String,
    role: Role,
) -> AppResult<MemberOut> {
    db::tx(pool, move |conn| {
        team_access(conn, &user, &team_id)?.require(Role::Lead)?;
        set_role(conn, &team_id, &staff_id, role, Some(&user.id))
    })
    .await
}

/// Remove someone from the team (leads and admins); their access ends at once. Their clients
/// on this team move to `reassign_to` in the same transaction, or the removal is refused
/// (`store::carriers`).
pub async fn remove(
    pool: &Pool,
    user: AuthUser,
    team_id: String,
    staff_id: String,
    reassign_to: Option<String>,
) -> AppResult<()> {
    remove_with(pool, user, team_id, staff_id, Handover::To(reassign_to)).await
}

/// Who takes the clients of someone removed from a team.
pub enum Handover {
    /// One person for all (or nobody: refused while they carry clients).
    To(Option<String>),
    /// A new case manager for each client (`store::carriers::execute_plan`).
    Plan(Vec<carriers::Assignment>),
}

/// Remove someone from the team (leads and admins), their clients on it placed by `how`, in
/// one transaction.
pub async fn remove_with(
    pool: &Pool,
    user: AuthUser,
    team_id: String,
    staff_id: String,
    how: Handover,
) -> AppResult<()> {
    db::tx(pool, move |conn| {
        let team = write_access(conn, &user, &team_id, Role::Lead)?;
        let before = current_role(conn, &team_id, &staff_id)?
            .ok_or_else(|| AppError::not_found("member"))?;
        if leaves_no_lead(lead_count(conn, &team_id)?, before == Role::Lead, None) {
            return Err(AppError::conflict(
                "this is the team's only lead; appoint another lead first",
            ));
        }
        match &how {
            Handover::To(to) => {
                carriers::before_removal(conn, &team, &staff_id, to.as_deref(), &user.id)?
            }
            Handover::Plan(plan) => {
                carriers::execute_plan(conn, &staff_id, Some(&team_id), plan, &user.id)?
            }
        }
        diesel::delete(
            memberships::table
                .filter(memberships::team_id.eq(&team_id))
                .filter(memberships::staff_id.eq(&staff_id)),
        )
        .execute(conn)?;
        append(
            conn,
            &team_id,
            Event::MemberRemoved(MemberRemoved { staff_id }),
            Some(&user.id),
        )?;
        Ok(())
    })
    .await
}
