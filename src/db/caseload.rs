//! The ICM caseload cap, the one place it is checked.
//!
//! The cap is per person: a case manager's active and transitioning clients over every ICM
//! team they work in stay at or below 15, and within one team at or below that team's own
//! cap (`domain::caseload`). Every client write that makes someone hold a slot (admission,
//! case-manager assignment, PATCH, reactivation, transfer in, a carrier's clients handed
//! over) calls `take` or `check_intake` inside its transaction, after the team's write lock.
//!
//! Counts come from the clients table itself, under a lock on the person's staff row
//! (`lock_person`): two transactions on two different teams assigning the same person are
//! serialized there on PostgreSQL (the second counts after the first commits); on SQLite the
//! database write lock already serializes every writer. A per-team counter cannot see the
//! person's other teams, so there is none (the board counts its own roster).

use crate::db::models::{ClientRow, TeamRow};
use crate::db::schema::{clients, memberships, staff, teams};
use crate::db::DbConn;
use crate::domain::caseload::{self as rules, over_caps, Full, Load, Share, PERSON_CAP};
use crate::domain::client::Status;
use crate::domain::roles::Role;
use crate::error::{AppError, AppResult};
use diesel::dsl::count_star;
use diesel::prelude::*;
use serde_json::{json, Map};

const HOLDS_SLOT: [&str; 2] = ["active", "transitioning"];

/// Serialize every caseload decision about one person for the rest of the transaction: an
/// UPDATE that changes nothing takes the staff row's lock on PostgreSQL (SQLite's writer
/// already holds the database lock). `false` when there is no such person.
pub fn lock_person(conn: &mut DbConn, staff_id: &str) -> AppResult<bool> {
    let n = diesel::update(staff::table.filter(staff::id.eq(staff_id)))
        .set(staff::active.eq(staff::active))
        .execute(conn)?;
    Ok(n > 0)
}

/// Lock several people in one order (by id), so two transactions cannot deadlock.
pub fn lock_people(conn: &mut DbConn, ids: &[String]) -> AppResult<()> {
    let mut ids: Vec<&String> = ids.iter().collect();
    ids.sort();
    ids.dedup();
    for id in ids {
        lock_person(conn, id)?;
    }
    Ok(())
}

/// A person's slot-holding clients on `team_id`.
pub fn held_on(conn: &mut DbConn, team_id: &str, staff_id: &str) -> AppResult<i32> {
    let n: i64 = clients::table
        .filter(clients::team_id.eq(team_id))
        .filter(clients::case_manager_id.eq(staff_id))
        .filter(clients::status.eq_any(HOLDS_SLOT))
        .count()
        .get_result(conn)?;
    Ok(n as i32)
}

/// A person's slot-holding clients over every ICM team.
pub fn held_in_icm(conn: &mut DbConn, staff_id: &str) -> AppResult<i32> {
    let n: i64 = clients::table
        .inner_join(teams::table)
        .filter(teams::mode.eq("icm"))
        .filter(clients::case_manager_id.eq(staff_id))
        .filter(clients::status.eq_any(HOLDS_SLOT))
        .count()
        .get_result(conn)?;
    Ok(n as i32)
}

/// Why `staff_id` cannot carry clients on `team_id`, if they cannot: not on the team, a
/// viewer, or a deactivated account.
pub fn cannot_carry(
    conn: &mut DbConn,
    team_id: &str,
    staff_id: &str,
) -> AppResult<Option<&'static str>> {
    let row: Option<(String, bool)> = memberships::table
        .inner_join(staff::table)
        .filter(memberships::team_id.eq(team_id))
        .filter(memberships::staff_id.eq(staff_id))
        .select((memberships::role, staff::active))
        .first(conn)
        .optional()?;
    Ok(match row {
        None => rules::carry_refusal(None, true),
        Some((role, active)) => {
            rules::carry_refusal(Some(Role::parse(&role).unwrap_or(Role::Viewer)), active)
        }
    })
}

/// For each of `ids`: their slot-holding clients on `team_id` and over every ICM team
/// (`(here, total)`), in one grouped query per 500 people.
pub fn held_by(
    conn: &mut DbConn,
    team_id: &str,
    ids: &[String],
) -> AppResult<std::collections::HashMap<String, (i32, i32)>> {
    let mut out: std::collections::HashMap<String, (i32, i32)> =
        ids.iter().map(|id| (id.clone(), (0, 0))).collect();
    for chunk in ids.chunks(500) {
        let rows: Vec<(Option<String>, String, i64)> = clients::table
            .inner_join(teams::table)
            .filter(teams::mode.eq("icm"))
            .filter(clients::case_manager_id.eq_any(chunk))
            .filter(clients::status.eq_any(HOLDS_SLOT))
            .group_by((clients::case_manager_id, clients::team_id))
            .select((clients::case_manager_id, clients::team_id, count_star()))
            .load(conn)?;
        for (cm, team, n) in rows {
            let Some(e) = cm.and_then(|cm| out.get_mut(&cm)) else {
                continue;
            };
            e.1 += n as i32;
            if team == team_id {
                e.0 += n as i32;
            }
        }
    }
    Ok(out)
}

/// `staff_id` takes one slot on `team` (an ICM team; on an ACT team nothing is checked),
/// with room under both caps. Whether they may carry clients there at all is checked first,
/// under their lock (`cannot_carry`, 422 on `case_manager_id`), so a deactivation that
/// commits meanwhile is seen.
pub fn take(conn: &mut DbConn, team: &TeamRow, staff_id: &str) -> AppResult<()> {
    if team.mode != "icm" {
        return Ok(());
    }
    lock_person(conn, staff_id)?;
    if let Some(why) = cannot_carry(conn, &team.id, staff_id)? {
        return Err(AppError::validation("case_manager_id", why));
    }
    check_intake(conn, staff_id, &[(team, 1)])
}

/// The clients not discharged whose case manager `staff_id` is (on one team, or on all), by
/// team and id.
pub fn carried(
    conn: &mut DbConn,
    staff_id: &str,
    team_id: Option<&str>,
) -> AppResult<Vec<ClientRow>> {
    let mut q = clients::table
        .filter(clients::case_manager_id.eq(staff_id))
        .filter(clients::status.ne_all(Status::CLOSED))
        .select(ClientRow::as_select())
        .order((clients::team_id.asc(), clients::id.asc()))
        .into_boxed();
    if let Some(t) = team_id {
        q = q.filter(clients::team_id.eq(t.to_string()));
    }
    Ok(q.load(conn)?)
}

/// 409 `carries_clients` with `clients` (their ids) and `staff_id`; `what` says what to do.
pub fn carries_clients(staff_id: &str, rows: &[ClientRow], what: &str) -> AppError {
    let mut extra = Map::new();
    extra.insert("staff_id".into(), json!(staff_id));
    extra.insert(
        "clients".into(),
        json!(rows.iter().map(|c| c.id.as_str()).collect::<Vec<_>>()),
    );
    AppError::Conflict {
        code: "carries_clients",
        detail: format!(
            "this person is case manager of {} client(s) not yet discharged; {what}",
            rows.len()
        ),
        extra,
    }
}

/// `staff_id` takes `n` slots on each listed team at once (all fit, or 409 `caseload_full`
/// naming the first limit passed). Locks the person first; ACT teams take nothing.
pub fn check_intake(
    conn: &mut DbConn,
    staff_id: &str,
    intake: &[(&TeamRow, i32)],
) -> AppResult<()> {
    let icm: Vec<(&TeamRow, i32)> = intake
        .iter()
        .filter(|(t, n)| t.mode == "icm" && *n > 0)
        .map(|(t, n)| (*t, *n))
        .collect();
    if icm.is_empty() {
        return Ok(());
    }
    lock_person(conn, staff_id)?;
    let total = held_in_icm(conn, staff_id)?;
    let mut shares = Vec::with_capacity(icm.len());
    for (team, n) in &icm {
        shares.push(Share {
            here: held_on(conn, &team.id, staff_id)?,
            team_cap: team.caseload_cap,
            adding: *n,
        });
    }
    match rules::check_intake(total, &shares) {
        Ok(()) => Ok(()),
        Err((i, full)) => {
            let adding = shares.iter().map(|s| s.adding).sum();
            Err(caseload_full(
                conn,
                staff_id,
                icm[i].0,
                full,
                shares[i].here,
                total,
                adding,
            )?)
        }
    }
}

/// 409 `caseload_full`: `cap` and `current` (the limit reached and the count compared with
/// it), `limit` (`person_cap` over every ICM team, or `team_cap`), `staff_id`, `team_id`,
/// `on_this_team`, `on_other_teams` and `adding`.
fn caseload_full(
    conn: &mut DbConn,
    staff_id: &str,
    team: &TeamRow,
    full: Full,
    here: i32,
    total: i32,
    adding: i32,
) -> AppResult<AppError> {
    let name: String = staff::table
        .filter(staff::id.eq(staff_id))
        .select(staff::display_name)
        .first(conn)
        .optional()?
        .unwrap_or_default();
    let elsewhere = total - here;
    let mut extra = Map::new();
    extra.insert("cap".into(), json!(full.cap));
    extra.insert("current".into(), json!(full.current));
    extra.insert("limit".into(), json!(full.limit.as_str()));
    extra.insert("staff_id".into(), json!(staff_id));
    extra.insert("team_id".into(), json!(team.id));
    extra.insert("on_this_team".into(), json!(here));
    extra.insert("on_other_teams".into(), json!(elsewhere));
    extra.insert("adding".into(), json!(adding));
    let detail = rules::full_words(&name, full, here, total, adding);
    Ok(AppError::Conflict {
        code: "caseload_full",
        detail,
        extra,
    })
}

/// Every member's caseload on `team_id` (those holding at least one slot), with what they
/// hold on other ICM teams when `with_elsewhere` (a switch to ICM adds this team to theirs);
/// the people are locked first.
pub fn loads(conn: &mut DbConn, team_id: &str, with_elsewhere: bool) -> AppResult<Vec<Load>> {
    let rows: Vec<(Option<String>, i64)> = clients::table
        .filter(clients::team_id.eq(team_id))
        .filter(clients::status.eq_any(HOLDS_SLOT))
        .filter(clients::case_manager_id.is_not_null())
        .group_by(clients::case_manager_id)
        .select((clients::case_manager_id, count_star()))
        .load(conn)?;
    let mut rows: Vec<(String, i32)> = rows
        .into_iter()
        .filter_map(|(id, n)| Some((id?, n as i32)))
        .collect();
    rows.sort();
    let mut out = Vec::with_capacity(rows.len());
    for (id, here) in rows {
        let elsewhere = if with_elsewhere {
            lock_person(conn, &id)?;
            let all: i64 = clients::table
                .inner_join(teams::table)
                .filter(teams::mode.eq("icm"))
                .filter(teams::id.ne(team_id))
                .filter(clients::case_manager_id.eq(&id))
                .filter(clients::status.eq_any(HOLDS_SLOT))
                .count()
                .get_result(conn)?;
            all as i32
        } else {
            0
        };
        let display_name: String = staff::table
            .filter(staff::id.eq(&id))
            .select(staff::display_name)
            .first(conn)
            .optional()?
            .unwrap_or_default();
        out.push(Load {
            staff_id: id,
            display_name,
            here,
            elsewhere,
        });
    }
    Ok(out)
}

/// Refuse a cap (or a switch to ICM) that someone's caseload already passes, naming them in
/// `over` with `current` (on this team) and `on_other_teams`.
pub fn check_cap(loads: &[Load], cap: i32) -> AppResult<()> {
    let over = over_caps(loads, cap);
    if over.is_empty() {
        return Ok(());
    }
    let names: Vec<String> = over
        .iter()
        .map(|l| {
            if l.elsewhere > 0 {
                format!(
                    "{} ({} here, {} on other ICM teams)",
                    l.display_name, l.here, l.elsewhere
                )
            } else {
                format!("{} ({})", l.display_name, l.here)
            }
        })
        .collect();
    let mut extra = Map::new();
    extra.insert("cap".into(), json!(cap));
    extra.insert("person_cap".into(), json!(PERSON_CAP));
    extra.insert(
        "over".into(),
        json!(over
            .iter()
            .map(|l| json!({
                "staff_id": l.staff_id,
                "display_name": l.display_name,
                "current": l.here,
                "on_other_teams": l.elsewhere,
            }))
            .collect::<Vec<_>>()),
    );
    Err(AppError::Conflict {
        code: "caseload_full",
        detail: format!(
            "a cap of {cap} per case manager on this team (and {PERSON_CAP} over all ICM teams) \
             is below the caseload of {}; move clients first",
            names.join(", ")
        ),
        extra,
    })
}
