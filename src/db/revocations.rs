//! Ended sessions, announced to the live connections, so that a person's open websockets
//! check their access again at once instead of at the next periodic check.
//!
//! It works like the event wake-ups (`db::events`): the transaction that ends a session
//! records the staff id here (`record`); on PostgreSQL `notify_pending` sends
//! `NOTIFY actboard_sessions '<staff_id>'` inside the transaction, so every instance's LISTEN
//! connection hears it once it commits; and after the commit `db::tx` announces it on this
//! process's pool (the only signal on SQLite). Ids only, never anything else.

use crate::db::DbConn;
use crate::error::AppResult;
use diesel::prelude::*;

/// The PostgreSQL NOTIFY channel every instance LISTENs on (payload: a staff id).
pub const CHANNEL: &str = "actboard_sessions";

thread_local! {
    /// Staff whose sessions the transaction running on this thread ended.
    static PENDING: std::cell::RefCell<Vec<String>> = const { std::cell::RefCell::new(Vec::new()) };
}

/// Announce after the commit that this person's sessions (some or all) ended.
pub fn record(staff_id: &str) {
    PENDING.with(|p| {
        let mut p = p.borrow_mut();
        if !p.iter().any(|s| s == staff_id) {
            p.push(staff_id.to_string());
        }
    });
}

/// The staff ids recorded on this thread since the last call.
pub fn take() -> Vec<String> {
    PENDING.with(|p| std::mem::take(&mut *p.borrow_mut()))
}

/// PostgreSQL: tell every instance, just before the commit (delivered only if it commits).
pub fn notify_pending(conn: &mut DbConn) -> AppResult<()> {
    let DbConn::Postgres(pg) = conn else {
        return Ok(());
    };
    let pending: Vec<String> = PENDING.with(|p| p.borrow().clone());
    for staff_id in pending {
        diesel::sql_query("SELECT pg_notify($1, $2)")
            .bind::<diesel::sql_types::Text, _>(CHANNEL)
            .bind::<diesel::sql_types::Text, _>(staff_id)
            .execute(pg)?;
    }
    Ok(())
}
