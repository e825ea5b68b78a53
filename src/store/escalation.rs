//! Escalation of unanswered emergencies: an open emergency flag nobody has responded to
//! within the team's `escalate_after_minutes` gets exactly one `flag.escalated` event, naming
//! who to alert (the on-call person now and the team's leads).
//!
//! Every instance scans (`serve` starts `spawn`); exactly-once across instances comes from
//! the claim: a conditional UPDATE (`… WHERE escalated_at IS NULL`) in the same transaction
//! as the event, after the team's write lock. A second instance's claim then matches no row.

use crate::db::models::FlagRow;
use crate::db::schema::{crisis_flags as f, memberships, staff, teams};
use crate::db::{self, DbConn, Pool};
use crate::domain::flag::{alert_list, escalation_due, Severity};
use crate::error::AppResult;
use crate::store::events::{append, Event};
use crate::store::flags::{self, FlagEscalated};
use crate::store::oncall;
use chrono::{NaiveDateTime, TimeDelta};
use diesel::prelude::*;
use std::time::Duration;

/// Open, unanswered, not yet escalated emergencies of every team that are due at `now`:
/// (flag id, team id).
fn due(conn: &mut DbConn, now: NaiveDateTime) -> AppResult<Vec<(String, String)>> {
    type Candidate = (String, String, String, NaiveDateTime, bool, i32);
    let candidates: Vec<Candidate> = f::table
        .inner_join(teams::table)
        .filter(f::severity.eq(Severity::Emergency.as_str()))
        .filter(f::resolved_at.is_null())
        .filter(f::escalated_at.is_null())
        .select((
            f::id,
            f::team_id,
            f::severity,
            f::raised_at,
            f::acknowledged_at.is_not_null(),
            teams::escalate_after_minutes,
        ))
        .load(conn)?;
    Ok(candidates
        .into_iter()
        .filter(|(_, _, severity, raised_at, answered, after)| {
            escalation_due(severity, true, *answered, false, *raised_at, *after, now)
        })
        .map(|(id, team, ..)| (id, team))
        .collect())
}

/// Claim and announce one flag's escalation (one transaction). False when it is no longer
/// due: another instance claimed it, someone responded, or it was resolved.
fn escalate(
    conn: &mut DbConn,
    team_id: &str,
    flag_id: &str,
    now: NaiveDateTime,
) -> AppResult<bool> {
    crate::db::events::lock_team(conn, team_id)?;
    let after: i32 = teams::table
        .filter(teams::id.eq(team_id))
        .select(teams::escalate_after_minutes)
        .first(conn)?;
    let cutoff = now - TimeDelta::minutes(after.into());
    let claimed = diesel::update(
        f::table
            .filter(f::id.eq(flag_id))
            .filter(f::team_id.eq(team_id))
            .filter(f::severity.eq(Severity::Emergency.as_str()))
            .filter(f::escalated_at.is_null())
            .filter(f::resolved_at.is_null())
            .filter(f::acknowledged_at.is_null())
            .filter(f::raised_at.le(cutoff)),
    )
    .set((f::escalated_at.eq(now), f::version.eq(f::version + 1)))
    .execute(conn)?;
    if claimed == 0 {
        return Ok(false);
    }
    let row: FlagRow = flags::load(conn, team_id, flag_id)?;
    let flag = flags::out(conn, &row)?;
    let on_call = oncall::current(conn, team_id, now)?.map(|s| s.staff_id);
    let lead_ids: Vec<String> = memberships::table
        .inner_join(staff::table)
        .filter(memberships::team_id.eq(team_id))
        .filter(memberships::role.eq("lead"))
        .filter(staff::active.eq(true))
        .select(staff::id)
        .order(staff::id.asc())
        .load(conn)?;
    let alert_staff_ids = alert_list(on_call.as_deref(), &lead_ids);
    let payload = FlagEscalated {
        flag,
        on_call_staff_id: on_call,
        lead_ids,
        alert_staff_ids,
    };
    append(conn, team_id, Event::FlagEscalated(payload), None)?;
    Ok(true)
}

/// One scan over every team at `now`: escalates what is due; returns how many flags this
/// call escalated. Blocking (a background thread, or `scan` from async code).
pub fn scan_blocking(pool: &Pool, now: NaiveDateTime) -> AppResult<usize> {
    let due = {
        let mut conn = pool.get()?;
        due(&mut conn, now)?
    };
    let mut n = 0;
    for (flag_id, team_id) in due {
        if db::tx_blocking(pool, move |conn| escalate(conn, &team_id, &flag_id, now))? {
            n += 1;
        }
    }
    Ok(n)
}

/// `scan_blocking` from async code (tests run many of these at once, on several instances).
pub async fn scan(pool: &Pool, now: NaiveDateTime) -> AppResult<usize> {
    let pool = pool.clone();
    actix_web::web::block(move || scan_blocking(&pool, now)).await?
}

/// Scan every `every` on a thread of its own until `alive` can no longer be upgraded (the
/// server's state was dropped).
pub fn spawn(pool: Pool, every: Duration, alive: std::sync::Weak<()>) {
    let started = std::thread::Builder::new()
        .name("actboard-escalation".into())
        .spawn(move || loop {
            std::thread::sleep(every);
            if alive.upgrade().is_none() {
                return;
            }
            match scan_blocking(&pool, db::now()) {
                Ok(0) => {}
                Ok(n) => tracing::info!(escalated = n, "unanswered emergency flags escalated"),
                Err(e) => tracing::warn!(error = %e, "escalation scan failed"),
            }
        });
    if let Err(e) = started {
        tracing::error!(error = %e, "cannot start the escalation scan");
    }
}
