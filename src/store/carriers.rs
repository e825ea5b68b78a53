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
use crate::db::schema::{memberships, staff};
use crate::db::DbConn;
use crate::domain::caseload::PERSON_CAP;
use crate::domain::client::{slot_holder, Status};
use crate::domain::handover::{self, Move, PlanProblem};
use crate::domain::roles::Role;
use crate::error::{AppError, AppResult};
use crate::store::clients::{save, values_of};
use crate::store::teams::load_team;
use diesel::prelude::*;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use utoipa::ToSchema;

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

// ---------------------------------------------------------------------------------------
// A hand-over plan: a new case manager for each client (issue 13's admin screens)
// ---------------------------------------------------------------------------------------

/// One line of a hand-over plan as the API takes it: `client_id` goes to `staff_id`.
#[derive(Deserialize, ToSchema, Clone, Debug)]
#[serde(deny_unknown_fields)]
pub struct Assignment {
    #[schema(format = Uuid)]
    pub client_id: String,
    /// The new case manager: an active, working member of the client's team, with room under
    /// the caps (ICM).
    #[schema(format = Uuid)]
    pub staff_id: String,
}

/// A client the leaver carries, as the plan screen shows it.
#[derive(Serialize, ToSchema, Clone, Debug)]
pub struct CarriedClient {
    #[schema(format = Uuid)]
    pub id: String,
    pub given_name: String,
    pub family_name: String,
    pub preferred_name: Option<String>,
    pub status: String,
    /// Active or transitioning: takes a caseload slot of its new case manager on an ICM team.
    pub holds_slot: bool,
}

/// Someone who could take clients on a team, with their caseload.
#[derive(Serialize, ToSchema, Clone, Debug)]
pub struct Candidate {
    #[schema(format = Uuid)]
    pub staff_id: String,
    pub display_name: String,
    pub discipline: String,
    pub role: String,
    /// Active and transitioning clients they carry on this team.
    pub on_this_team: i32,
    /// Active and transitioning clients they carry over every ICM team (this one included).
    pub on_icm_teams: i32,
    /// ICM: the lower of the team's cap and 15 counted over their ICM teams; null on an ACT
    /// team (no cap).
    pub cap: Option<i32>,
    /// ICM: how many more slot-holding clients they may take (0: full, not offered); null on
    /// an ACT team.
    pub room: Option<i32>,
}

/// One team's part of the plan.
#[derive(Serialize, ToSchema, Clone, Debug)]
pub struct HandoverTeam {
    #[schema(format = Uuid)]
    pub team_id: String,
    pub name: String,
    pub mode: String,
    pub caseload_cap: i32,
    pub clients: Vec<CarriedClient>,
    /// Working members of the team other than the leaver (active accounts), by name.
    pub candidates: Vec<Candidate>,
}

/// What a hand-over has to place: the leaver's clients not yet discharged, per team, and who
/// could take them.
#[derive(Serialize, ToSchema, Clone, Debug)]
pub struct HandoverOut {
    #[schema(format = Uuid)]
    pub staff_id: String,
    pub display_name: String,
    pub teams: Vec<HandoverTeam>,
}

/// The clients `staff_id` carries (on `team_id`, or on every team) with each team's
/// candidates and their caseloads (a read: no locks; the execution checks again).
pub fn handover_view(
    conn: &mut DbConn,
    staff_id: &str,
    team_id: Option<&str>,
) -> AppResult<HandoverOut> {
    let leaver: (String, String) = staff::table
        .filter(staff::id.eq(staff_id))
        .select((staff::id, staff::display_name))
        .first(conn)
        .optional()?
        .ok_or_else(|| AppError::not_found("staff member"))?;
    let rows = carried(conn, staff_id, team_id)?;
    let mut out: Vec<HandoverTeam> = vec![];
    for c in rows {
        if out.last().is_none_or(|t| t.team_id != c.team_id) {
            let team = load_team(conn, &c.team_id)?;
            let candidates = candidates(conn, &team, staff_id)?;
            out.push(HandoverTeam {
                team_id: team.id,
                name: team.name,
                mode: team.mode,
                caseload_cap: team.caseload_cap,
                clients: vec![],
                candidates,
            });
        }
        let holds_slot = Status::parse(&c.status).is_some_and(|s| s.holds_slot());
        if let Some(t) = out.last_mut() {
            t.clients.push(CarriedClient {
                id: c.id,
                given_name: c.given_name,
                family_name: c.family_name,
                preferred_name: c.preferred_name,
                status: c.status,
                holds_slot,
            });
        }
    }
    Ok(HandoverOut {
        staff_id: leaver.0,
        display_name: leaver.1,
        teams: out,
    })
}

fn candidates(conn: &mut DbConn, team: &TeamRow, leaver: &str) -> AppResult<Vec<Candidate>> {
    let rows: Vec<(String, String, String, String)> = memberships::table
        .inner_join(staff::table)
        .filter(memberships::team_id.eq(&team.id))
        .filter(memberships::staff_id.ne(leaver))
        .filter(staff::active.eq(true))
        .select((
            staff::id,
            staff::display_name,
            staff::discipline,
            memberships::role,
        ))
        .order((staff::display_name.asc(), staff::id.asc()))
        .load(conn)?;
    let mut out = vec![];
    for (id, display_name, discipline, role) in rows {
        if !Role::parse(&role).is_some_and(Role::works) {
            continue;
        }
        let here = caseload::held_on(conn, &team.id, &id)?;
        let total = caseload::held_in_icm(conn, &id)?;
        let icm = team.mode == "icm";
        // On an ICM team the person's cap is counted with this team included.
        out.push(Candidate {
            staff_id: id,
            display_name,
            discipline,
            role,
            on_this_team: here,
            on_icm_teams: total,
            cap: icm.then_some(team.caseload_cap.min(PERSON_CAP)),
            room: icm.then(|| handover::room(here, team.caseload_cap, total)),
        });
    }
    Ok(out)
}

/// Carry out a plan for `staff_id`'s clients (on `scope`, a team whose write lock is held,
/// or on every team): lock order as everywhere (the teams by id, then the people by id),
/// the person's clients read again under the locks, every one placed by the plan (409
/// `carries_clients` naming those it misses), each receiver able to carry on the client's
/// team (422 on the line) and with room for all they take at once (409 `caseload_full`,
/// nothing moved); then each client is saved through the one client write path.
pub fn execute_plan(
    conn: &mut DbConn,
    staff_id: &str,
    scope: Option<&str>,
    plan: &[Assignment],
    actor: &str,
) -> AppResult<()> {
    let mut teams: Vec<String> = carried(conn, staff_id, scope)?
        .into_iter()
        .map(|c| c.team_id)
        .collect();
    teams.dedup();
    if scope.is_none() {
        for t in &teams {
            lock_team(conn, t)?;
        }
    }
    let mut people: Vec<String> = vec![staff_id.to_string()];
    people.extend(plan.iter().map(|a| a.staff_id.clone()));
    caseload::lock_people(conn, &people)?;
    let rows = carried(conn, staff_id, scope)?;
    if scope.is_none()
        && rows
            .iter()
            .any(|c| teams.binary_search(&c.team_id).is_err())
    {
        return Err(AppError::conflict(
            "this person was given a client on another team meanwhile; retry the request",
        ));
    }
    let moves: Vec<Move> = plan
        .iter()
        .map(|a| Move {
            client_id: a.client_id.clone(),
            to: a.staff_id.clone(),
        })
        .collect();
    let ids: Vec<&str> = rows.iter().map(|c| c.id.as_str()).collect();
    match handover::check_plan(staff_id, &ids, &moves) {
        Ok(()) => {}
        Err(PlanProblem::Lines(errors)) => return Err(AppError::from_fields(errors)),
        Err(PlanProblem::Unplaced(missing)) => {
            let left: Vec<ClientRow> = rows
                .iter()
                .filter(|c| missing.contains(&c.id))
                .cloned()
                .collect();
            return Err(carries_clients(
                staff_id,
                &left,
                "the plan does not say who takes them; give each a new case manager",
            ));
        }
    }
    // Who takes what, and whether they may carry on each team.
    let mut loaded: Vec<TeamRow> = vec![];
    let mut placed: Vec<(Move, String, bool)> = vec![];
    for (i, m) in moves.iter().enumerate() {
        let Some(c) = rows.iter().find(|c| c.id == m.client_id) else {
            continue;
        };
        if !loaded.iter().any(|t| t.id == c.team_id) {
            loaded.push(load_team(conn, &c.team_id)?);
        }
        if let Some(why) = caseload::cannot_carry(conn, &c.team_id, &m.to)? {
            return Err(AppError::validation(
                &format!("assignments[{i}].staff_id"),
                why,
            ));
        }
        let holds = Status::parse(&c.status).is_some_and(|s| s.holds_slot());
        placed.push((m.clone(), c.team_id.clone(), holds));
    }
    // Every receiver's whole intake at once, receivers in id order (their locks are held).
    let mut by_person: BTreeMap<String, Vec<(&TeamRow, i32)>> = BTreeMap::new();
    for ((to, team_id), n) in handover::intake(&placed) {
        if let Some(team) = loaded.iter().find(|t| t.id == team_id) {
            by_person.entry(to).or_default().push((team, n));
        }
    }
    for (to, intake) in &by_person {
        caseload::check_intake(conn, to, intake)?;
    }
    for (m, team_id, _) in placed {
        let (Some(team), Some(c)) = (
            loaded.iter().find(|t| t.id == team_id),
            rows.iter().find(|c| c.id == m.client_id),
        ) else {
            continue;
        };
        let mut v = values_of(c)?;
        v.case_manager_id = Some(m.to);
        save(conn, team, &c.id, Some(c), v, actor)?;
    }
    Ok(())
}
