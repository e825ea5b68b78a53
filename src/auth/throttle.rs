//! Failed sign-ins, kept in the database so that several instances share one count, and
//! counted BEFORE the password is checked: `admit` records the attempt as a failure in the
//! same transaction that counts the earlier ones, and a success takes it back (`succeeded`).
//! So under any number of parallel guesses at most `MAX_FAILURES` per username and address
//! ever reach the password check in the window; the rest are answered 429.
//!
//! The count and the record are atomic: on PostgreSQL the transaction first takes an
//! advisory lock on the username (then one on the address, always in that order, so two
//! attempts cannot wait on each other), on SQLite the writing transaction (`BEGIN IMMEDIATE`)
//! already serializes every writer.
//!
//! The lockout is per username AND address: a stranger guessing a clinician's password from
//! elsewhere cannot keep the clinician out during a crisis. Across addresses the username is
//! only slowed down (`slowdown`: a delay that grows with its failures, capped at a few
//! seconds). The per-address limit over all usernames (`address_limit`, configurable, 0:
//! off) still stops one address from spraying many usernames.

use crate::db::schema::login_failures as lf;
use crate::db::DbConn;
use crate::error::{AppError, AppResult};
use chrono::{NaiveDateTime, TimeDelta};
use diesel::prelude::*;
use std::time::Duration;

/// Failures allowed per username and address in the window.
pub const MAX_FAILURES: i64 = 10;
pub const WINDOW_SECS: i64 = 5 * 60;
/// Each failure of a username beyond `MAX_FAILURES` (from any address) adds this much delay
/// to its next attempts…
pub const DELAY_STEP_MS: u64 = 200;
/// …up to this.
pub const MAX_DELAY_MS: u64 = 3_000;

/// Advisory-lock namespaces (the first key of `pg_advisory_xact_lock(int, int)`).
const LOCK_USERNAME: i32 = 7_263_101;
const LOCK_ADDRESS: i32 = 7_263_102;

/// An attempt that may go on to the password check, after waiting `delay`.
#[derive(Debug)]
pub struct Admitted {
    pub delay: Duration,
}

/// Count this attempt before the password is checked, inside the caller's writing
/// transaction: 429 when the username and address together already have `MAX_FAILURES`
/// failures in the window (or the address alone `address_limit`, unless 0); otherwise the
/// attempt is stored as a failure and admitted, with the username's slow-down.
pub fn admit(
    conn: &mut DbConn,
    username: &str,
    address: &str,
    address_limit: i64,
    now: NaiveDateTime,
) -> AppResult<Admitted> {
    lock(conn, username, address)?;
    let since = now - TimeDelta::seconds(WINDOW_SECS);
    let pair = lf::table
        .filter(lf::username.eq(username))
        .filter(lf::address.eq(address))
        .into_boxed();
    refuse_if_full(conn, pair, MAX_FAILURES, since, now)?;
    if address_limit > 0 {
        let by_address = lf::table.filter(lf::address.eq(address)).into_boxed();
        refuse_if_full(conn, by_address, address_limit, since, now)?;
    }
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
    let for_username: i64 = lf::table
        .filter(lf::username.eq(username))
        .filter(lf::at.gt(since))
        .count()
        .get_result(conn)?;
    Ok(Admitted {
        delay: slowdown(for_username),
    })
}

/// The password was right: clear this username and address's failures (the admitted
/// attempt among them). Other addresses' failures for the username stay counted.
pub fn succeeded(conn: &mut DbConn, username: &str, address: &str) -> AppResult<()> {
    diesel::delete(
        lf::table
            .filter(lf::username.eq(username))
            .filter(lf::address.eq(address)),
    )
    .execute(conn)?;
    Ok(())
}

/// How long an attempt on a username with `failures` failures in the window (from every
/// address, this attempt included) waits before its password is checked.
pub fn slowdown(failures: i64) -> Duration {
    let beyond = failures - MAX_FAILURES;
    if beyond <= 0 {
        return Duration::ZERO;
    }
    Duration::from_millis(
        (beyond as u64)
            .saturating_mul(DELAY_STEP_MS)
            .min(MAX_DELAY_MS),
    )
}

/// PostgreSQL: serialize the attempts on this username, then on this address, until the
/// transaction ends. SQLite: the writing transaction already holds the database's lock.
fn lock(conn: &mut DbConn, username: &str, address: &str) -> AppResult<()> {
    let DbConn::Postgres(pg) = conn else {
        return Ok(());
    };
    for (space, key) in [(LOCK_USERNAME, username), (LOCK_ADDRESS, address)] {
        diesel::sql_query("SELECT pg_advisory_xact_lock($1, hashtext($2))")
            .bind::<diesel::sql_types::Integer, _>(space)
            .bind::<diesel::sql_types::Text, _>(key)
            .execute(pg)?;
    }
    Ok(())
}

type Failures<'a> = lf::BoxedQuery<'a, <DbConn as diesel::Connection>::Backend>;

/// 429 when `q` has `limit` failures in the window, with the seconds until the oldest of
/// them leaves it.
fn refuse_if_full(
    conn: &mut DbConn,
    q: Failures<'_>,
    limit: i64,
    since: NaiveDateTime,
    now: NaiveDateTime,
) -> AppResult<()> {
    let times: Vec<NaiveDateTime> = q
        .filter(lf::at.gt(since))
        .select(lf::at)
        .order(lf::at.desc())
        .limit(limit)
        .load(conn)?;
    if (times.len() as i64) < limit {
        return Ok(());
    }
    let oldest = times[times.len() - 1];
    let retry = (oldest + TimeDelta::seconds(WINDOW_SECS) - now)
        .num_seconds()
        .max(1);
    Err(AppError::RateLimited {
        retry_after_secs: retry as u64,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slowdown_grows_and_is_capped() {
        assert_eq!(slowdown(0), Duration::ZERO);
        assert_eq!(slowdown(MAX_FAILURES), Duration::ZERO);
        assert_eq!(
            slowdown(MAX_FAILURES + 1),
            Duration::from_millis(DELAY_STEP_MS)
        );
        assert!(slowdown(MAX_FAILURES + 5) > slowdown(MAX_FAILURES + 2));
        assert_eq!(slowdown(i64::MAX), Duration::from_millis(MAX_DELAY_MS));
        const { assert!(MAX_DELAY_MS <= 5_000, "a few seconds at most") };
    }
}
