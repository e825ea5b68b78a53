//! Sessions: one per sign-in. Its refresh tokens form one family (`family_id` is the session
//! id) and its access tokens carry the id in their `sid` claim, so ending a session ends
//! both at once: the refresh tokens are revoked, and the access tokens are refused on their
//! next request (`extractor::user_from_token` reads the session) and on the live stream
//! (`db::revocations` tells the open websockets to check again).

use crate::db::revocations;
use crate::db::schema::{refresh_tokens as rt, sessions};
use crate::db::DbConn;
use crate::error::AppResult;
use chrono::NaiveDateTime;
use diesel::prelude::*;

/// Why a session ended (stored in `sessions.end_reason`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EndReason {
    /// The person signed out (logout).
    SignedOut,
    /// A refresh token was used again after the grace window: probably stolen.
    TokenReused,
    /// The person changed their own password (their other sessions end).
    PasswordChanged,
    /// An admin set a new password.
    PasswordReset,
    /// An admin deactivated the account.
    Deactivated,
}

impl EndReason {
    pub const ALL: [EndReason; 5] = [
        EndReason::SignedOut,
        EndReason::TokenReused,
        EndReason::PasswordChanged,
        EndReason::PasswordReset,
        EndReason::Deactivated,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            EndReason::SignedOut => "signed_out",
            EndReason::TokenReused => "token_reused",
            EndReason::PasswordChanged => "password_changed",
            EndReason::PasswordReset => "password_reset",
            EndReason::Deactivated => "deactivated",
        }
    }

    pub fn parse(s: &str) -> Option<EndReason> {
        EndReason::ALL.into_iter().find(|r| r.as_str() == s)
    }

    /// In words, for a 401's detail and a websocket's close reason.
    pub fn describe(self) -> &'static str {
        match self {
            EndReason::SignedOut => "this session was signed out; sign in again",
            EndReason::TokenReused => {
                "this session was ended because a used refresh token was presented again; sign in again"
            }
            EndReason::PasswordChanged => {
                "this session was ended because the password was changed; sign in again"
            }
            EndReason::PasswordReset => {
                "this session was ended because an admin set a new password; sign in again"
            }
            EndReason::Deactivated => "this account was deactivated",
        }
    }
}

/// Whether a session still lets its tokens in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SessionState {
    Live,
    Ended(Option<EndReason>),
    /// No such session of this person.
    Unknown,
}

/// Open a session for a successful sign-in; returns its id.
pub fn start(conn: &mut DbConn, staff_id: &str, now: NaiveDateTime) -> AppResult<String> {
    let id = uuid::Uuid::new_v4().to_string();
    diesel::insert_into(sessions::table)
        .values((
            sessions::id.eq(&id),
            sessions::staff_id.eq(staff_id),
            sessions::created_at.eq(now),
        ))
        .execute(conn)?;
    Ok(id)
}

/// The state of `staff_id`'s session `id`.
pub fn state(conn: &mut DbConn, id: &str, staff_id: &str) -> AppResult<SessionState> {
    let row: Option<(Option<NaiveDateTime>, Option<String>)> = sessions::table
        .filter(sessions::id.eq(id))
        .filter(sessions::staff_id.eq(staff_id))
        .select((sessions::ended_at, sessions::end_reason))
        .first(conn)
        .optional()?;
    Ok(match row {
        None => SessionState::Unknown,
        Some((None, _)) => SessionState::Live,
        Some((Some(_), reason)) => {
            SessionState::Ended(reason.as_deref().and_then(EndReason::parse))
        }
    })
}

/// End one session (if it is still live) and revoke its refresh tokens.
pub fn end(conn: &mut DbConn, id: &str, reason: EndReason, now: NaiveDateTime) -> AppResult<()> {
    let staff_id: Option<String> = sessions::table
        .filter(sessions::id.eq(id))
        .select(sessions::staff_id)
        .first(conn)
        .optional()?;
    diesel::update(
        sessions::table
            .filter(sessions::id.eq(id))
            .filter(sessions::ended_at.is_null()),
    )
    .set((
        sessions::ended_at.eq(now),
        sessions::end_reason.eq(reason.as_str()),
    ))
    .execute(conn)?;
    diesel::update(
        rt::table
            .filter(rt::family_id.eq(id))
            .filter(rt::revoked_at.is_null()),
    )
    .set(rt::revoked_at.eq(now))
    .execute(conn)?;
    if let Some(s) = staff_id {
        revocations::record(&s);
    }
    Ok(())
}

/// End every live session of `staff_id` but `except` (the caller's own, when a person
/// changes their own password), revoking their refresh tokens; the person's open websockets
/// are told to check again. Returns how many sessions ended.
pub fn end_all(
    conn: &mut DbConn,
    staff_id: &str,
    except: Option<&str>,
    reason: EndReason,
    now: NaiveDateTime,
) -> AppResult<usize> {
    let keep = except.unwrap_or("");
    let ended = diesel::update(
        sessions::table
            .filter(sessions::staff_id.eq(staff_id))
            .filter(sessions::ended_at.is_null())
            .filter(sessions::id.ne(keep)),
    )
    .set((
        sessions::ended_at.eq(now),
        sessions::end_reason.eq(reason.as_str()),
    ))
    .execute(conn)?;
    // Every refresh token of the person, including those of families older than sessions.
    diesel::update(
        rt::table
            .filter(rt::staff_id.eq(staff_id))
            .filter(rt::revoked_at.is_null())
            .filter(rt::family_id.ne(keep)),
    )
    .set(rt::revoked_at.eq(now))
    .execute(conn)?;
    revocations::record(staff_id);
    Ok(ended)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reasons_round_trip() {
        for r in EndReason::ALL {
            assert_eq!(EndReason::parse(r.as_str()), Some(r));
            assert!(!r.describe().is_empty());
        }
        assert_eq!(EndReason::parse("nope"), None);
    }
}
