//! Failed-login throttling, per username and per client address, kept in the database so
//! that several instances share one count.

use crate::db::schema::login_failures as lf;
use crate::db::DbConn;
use crate::error::{AppError, AppResult};
use chrono::{NaiveDateTime, TimeDelta};
use diesel::prelude::*;

pub const MAX_FAILURES: i64 = 10;
pub const WINDOW_SECS: i64 = 5 * 60;

/// Refuse when the username has `MAX_FAILURES` failures in the window, or the address has
/// `address_limit` (0: no limit per address).
pub fn check(
    conn: &mut DbConn,
    username: &str,
    address: &str,
    address_limit: i64,
    now: NaiveDateTime,
) -> AppResult<()> {
    let since = now - TimeDelta::seconds(WINDOW_SECS);
    for (by_user, key, limit) in [
        (true, username, MAX_FAILURES),
        (false, address, address_limit),
    ] {
        if limit <= 0 {
            continue;
        }
        let q = lf::table.filter(lf::at.gt(since)).into_boxed();
        let q = if by_user {
            q.filter(lf::username.eq(key))
        } else {
            q.filter(lf::address.eq(key))
        };
        let times: Vec<NaiveDateTime> = q
            .select(lf::at)
            .order(lf::at.desc())
            .limit(limit)
            .load(conn)?;
        if times.len() as i64 >= limit {
            // Blocked until the oldest of the last `limit` leaves the window.
            let oldest = times[times.len() - 1];
            let retry = (oldest + TimeDelta::seconds(WINDOW_SECS) - now)
                .num_seconds()
                .max(1);
            return Err(AppError::RateLimited {
                retry_after_secs: retry as u64,
            });
        }
    }
    Ok(())
}

pub fn record_failure(
    conn: &mut DbConn,
    username: &str,
    address: &str,
    now: NaiveDateTime,
) -> AppResult<()> {
    diesel::insert_into(lf::table)
        .values((
            lf::id.eq(uuid::Uuid::new_v4().to_string()),
            lf::username.eq(username),
            lf::address.eq(address),
            lf::at.eq(now),
        ))
        .execute(conn)?;
    // Keep the table small: nothing older than a day matters.
    diesel::delete(lf::table.filter(lf::at.lt(now - TimeDelta::days(1)))).execute(conn)?;
    Ok(())
}

/// A successful login clears that username's failures (not the address's).
pub fn clear_user(conn: &mut DbConn, username: &str) -> AppResult<()> {
    diesel::delete(lf::table.filter(lf::username.eq(username))).execute(conn)?;
    Ok(())
}
