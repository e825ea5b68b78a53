//! A carrier cannot vanish: a person who is case manager of clients not yet discharged is not
//! deactivated (anywhere) or removed from a team (that team's clients) while they still
//! carry them: 409 `carries_clients` listing the clients, unless the request names
//! `reassign_to`. Then every such client moves to that person in the same transaction,
//! within the caseload caps (409 `caseload_full` and nothing moved), one `client.updated`
//! per client on its team's log.
//!
//! "Carries" counts every client not discharged whose case manager the person is (referred
//! and screening too, so no client is left pointing at an account nobody uses); only active
//! and transitioning ones count toward the caps.

use crate::db::caseload::{self, carried, carries_clients};
use crate::db::events::lock_team;
use crate::db::models::{ClientRow, TeamRow};
use crate::db::schema::staff;
use crate::db::DbConn;
use crate::domain::client::{slot_holder, Status};
use crate::error::{AppError, AppResult};
use crate::store::clients::{save, values_of};
use crate::store::teams::load_team;
use diesel::prelude::*;

/// Removing `staff_id` from `team` (its write lock held): their clients on this team move to
/// `reassign_to`, or the removal is refused.
pub fn before_removal(
    conn: &mut DbConn,
    team: &TeamRow,
    staff_id: &str,
    reassign_to: Option<&str>,
    actor: &str,
) -> AppResult<()> {
    let rows = carried(conn, staff_id, Some(&team.id))?;
    if rows.is_empty() {
        return Ok(());
    }
    let Some(to) = reassign_to else {
        return Err(carries_clients(
            staff_id,
            &rows,
            "assign them to someone else before removing them, or name reassign_to to move them \
             in the same step",
        ));
    };
    hand_over(conn, staff_id, to, rows, actor)
}

/// Deactivating `staff_id` (before the account row changes): their clients on every team move
/// to `reassign_to`, or the deactivation is refused. Lock order, as everywhere: the teams
/// (by id), then the people (by id); the person's clients are read again under their lock,
/// so an assignment to them that commits meanwhile is seen.
pub fn before_deactivation(
    conn: &mut DbConn,
    staff_id: &str,
    reassign_to: Option<&str>,
    actor: &str,
) -> AppResult<()> {
    let mut teams: Vec<String> = carried(conn, staff_id, None)?
        .into_iter()
        .map(|c| c.team_id)
        .collect();
    teams.dedup();
    if reassign_to.is_some() {
        for t in &teams {
            lock_team(conn, t)?;
        }
    }
    let mut people = vec![staff_id.to_string()];
    people.extend(reassign_to.map(str::to_string));
    caseload::lock_people(conn, &people)?;
    let rows = carried(conn, staff_id, None)?;
    if rows.is_empty() {
        return Ok(());
    }
    let Some(to) = reassign_to else {
        return Err(carries_clients(
            staff_id,
            &rows,
            "assign them to someone else before deactivating the account, or name reassign_to \
             to move them in the same step",
        ));
    };
    if rows
        .iter()
        .any(|c| teams.binary_search(&c.team_id).is_err())
    {
        return Err(AppError::conflict(
            "this person was given a client on another team meanwhile; retry the request",
        ));
    }
    hand_over(conn, staff_id, to, rows, actor)
}

/// Move `rows` (sorted by team) from `from` to `to`: `to` must be an active account working
/// on each team, with room for all of them at once; then each client is saved through the
/// one client write path (its event included).
fn hand_over(
    conn: &mut DbConn,
    from: &str,
    to: &str,
    rows: Vec<ClientRow>,
    actor: &str,
) -> AppResult<()> {
    if to == from {
        return Err(AppError::validation(
            "reassign_to",
            "must be someone other than the person who leaves",
        ));
    }
    let exists: i64 = staff::table
        .filter(staff::id.eq(to))
        .count()
        .get_result(conn)?;
    if exists == 0 {
        return Err(AppError::validation("reassign_to", "no such staff member"));
    }
    let mut teams: Vec<(TeamRow, i32)> = vec![];
    for c in &rows {
        if teams.last().is_none_or(|(t, _)| t.id != c.team_id) {
            let team = load_team(conn, &c.team_id)?;
            if let Some(why) = caseload::cannot_carry(conn, &team.id, to)? {
                return Err(AppError::validation(
                    "reassign_to",
                    format!("cannot take the clients of {}: {why}", team.name),
                ));
            }
            teams.push((team, 0));
        }
        let status =
            Status::parse(&c.status).ok_or_else(|| AppError::internal("bad stored status"))?;
        if let Some(last) = teams.last_mut() {
            last.1 += i32::from(slot_holder(status, Some(to)).is_some());
        }
    }
    let intake: Vec<(&TeamRow, i32)> = teams.iter().map(|(t, n)| (t, *n)).collect();
    caseload::check_intake(conn, to, &intake)?;
    for c in rows {
        let Some((team, _)) = teams.iter().find(|(t, _)| t.id == c.team_id) else {
            continue;
        };
        let mut v = values_of(&c)?;
        v.case_manager_id = Some(to.to_string());
        save(conn, team, &c.id, Some(&c), v, actor)?;
    }
    Ok(())
}
