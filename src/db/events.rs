//! The event log: one row per change, `seq` gap-free per team.
//!
//! Every writing transaction on a team first calls `lock_team`, an UPDATE of the team row:
//! on PostgreSQL that takes the row lock, on SQLite the database write lock, so writers of a
//! team are serialized from their first statement and `seq` is taken from `teams.last_seq`
//! without a race (never from an autoincrement: a late commit would be skipped by readers).

use crate::db::schema::{events, teams};
use crate::db::DbConn;
use crate::error::{AppError, AppResult};
use diesel::prelude::*;

/// The PostgreSQL NOTIFY channel every instance LISTENs on (payload "team_id:seq").
pub const CHANNEL: &str = "actboard_events";

thread_local! {
    /// Events appended by the transaction running on this thread, announced after commit.
    static APPENDED: std::cell::RefCell<Vec<(String, i64)>> = const { std::cell::RefCell::new(Vec::new()) };
    /// Their kinds, for the events counter (`metrics`), counted after commit.
    static KINDS: std::cell::RefCell<Vec<String>> = const { std::cell::RefCell::new(Vec::new()) };
}

/// The (team, seq) pairs appended on this thread since the last call.
pub fn take_appended() -> Vec<(String, i64)> {
    APPENDED.with(|a| std::mem::take(&mut *a.borrow_mut()))
}

/// The kinds of the events appended on this thread since the last call.
pub fn take_kinds() -> Vec<String> {
    KINDS.with(|a| std::mem::take(&mut *a.borrow_mut()))
}

/// The team's latest seq; 404 when the team is gone.
pub fn last_seq(conn: &mut DbConn, team_id: &str) -> AppResult<i64> {
    teams::table
        .filter(teams::id.eq(team_id))
        .select(teams::last_seq)
        .first(conn)
        .optional()?
        .ok_or_else(|| AppError::not_found("team"))
}

/// Take the team's write lock for the rest of the transaction. 404 when the team is gone.
pub fn lock_team(conn: &mut DbConn, team_id: &str) -> AppResult<()> {
    let n = diesel::update(teams::table.filter(teams::id.eq(team_id)))
        .set(teams::last_seq.eq(teams::last_seq))
        .execute(conn)?;
    if n == 0 {
        return Err(AppError::not_found("team"));
    }
    Ok(())
}

/// `lock_team` that also reads the team row, in one round trip: `SELECT … FOR NO KEY
/// UPDATE` on PostgreSQL (the same row lock the UPDATE takes); on SQLite the writing
/// transaction already holds the whole database.
pub fn lock_team_row(conn: &mut DbConn, team_id: &str) -> AppResult<crate::db::models::TeamRow> {
    use crate::db::models::TeamRow;
    let q = teams::table.filter(teams::id.eq(team_id));
    let row = match conn {
        DbConn::Postgres(c) => q
            .select(TeamRow::as_select())
            .for_no_key_update()
            .first(c)
            .optional()?,
        DbConn::Sqlite(c) => q.select(TeamRow::as_select()).first(c).optional()?,
    };
    row.ok_or_else(|| AppError::not_found("team"))
}

/// Store one event row in the current transaction (after `lock_team`); returns its seq.
/// Only `store::events::append` calls this, with a kind from the typed vocabulary.
pub(crate) fn insert_event(
    conn: &mut DbConn,
    team_id: &str,
    kind: &str,
    payload: &str,
    actor: Option<&str>,
) -> AppResult<i64> {
    // One round trip for the next seq; the row lock it takes orders the team's writers.
    let seq: i64 = diesel::update(teams::table.filter(teams::id.eq(team_id)))
        .set(teams::last_seq.eq(teams::last_seq + 1))
        .returning(teams::last_seq)
        .get_result(conn)
        .optional()?
        .ok_or_else(|| AppError::not_found("team"))?;
    diesel::insert_into(events::table)
        .values((
            events::team_id.eq(team_id),
            events::seq.eq(seq),
            events::kind.eq(kind),
            events::payload.eq(payload),
            events::actor.eq(actor),
            events::at.eq(crate::db::now()),
        ))
        .execute(conn)?;
    APPENDED.with(|a| a.borrow_mut().push((team_id.to_string(), seq)));
    KINDS.with(|k| k.borrow_mut().push(kind.to_string()));
    Ok(seq)
}

/// PostgreSQL: tell every instance, once per team, just before the commit; PostgreSQL
/// delivers it only if the transaction commits. Ids only, never clinical data.
pub fn notify_appended(conn: &mut DbConn) -> AppResult<()> {
    let DbConn::Postgres(pg) = conn else {
        return Ok(());
    };
    let latest: std::collections::BTreeMap<String, i64> =
        APPENDED.with(|a| a.borrow().iter().map(|(t, s)| (t.clone(), *s)).collect());
    for (team_id, seq) in latest {
        diesel::sql_query("SELECT pg_notify($1, $2)")
            .bind::<diesel::sql_types::Text, _>(CHANNEL)
            .bind::<diesel::sql_types::Text, _>(format!("{team_id}:{seq}"))
            .execute(pg)?;
    }
    Ok(())
}
