//! Who may read a team's board, log and live stream, and with what privacy; checked when a
//! live connection authenticates and again periodically while it stays open.

use crate::auth::extractor::principal_from_token;
use crate::auth::jwt::JwtKeys;
use crate::auth::sessions::{self, SessionState};
use crate::auth::{team_access, Principal};
use crate::db::schema::{display_tokens, staff};
use crate::db::{self, DbConn, Pool};
use crate::domain::team::Privacy;
use crate::error::{AppError, AppResult};
use diesel::prelude::*;

/// Which team a principal may read, and with what privacy.
pub fn reader_access(
    conn: &mut DbConn,
    principal: &Principal,
    team_id: &str,
    wanted: Option<Privacy>,
) -> AppResult<Privacy> {
    match principal {
        Principal::Staff(user) => {
            team_access(conn, user, team_id)?;
            Ok(wanted.unwrap_or(Privacy::Names))
        }
        Principal::Display(d) if d.team_id == team_id => Ok(d.privacy),
        Principal::Display(_) => Err(AppError::not_found("team")),
    }
}

/// A live connection's reader: who, the privacy it reads with, its name for presence, and
/// when its access token expires (display tokens do not).
pub struct Reader {
    pub principal: Principal,
    pub privacy: Privacy,
    pub who: String,
    pub expires_at: Option<i64>,
}

/// Authenticate a live connection's token for reading `team_id`.
pub async fn authenticate(
    pool: &Pool,
    jwt: JwtKeys,
    team_id: String,
    token: String,
) -> AppResult<Reader> {
    db::run(pool, move |conn| {
        let principal = principal_from_token(conn, &jwt, &token)?;
        let privacy = reader_access(conn, &principal, &team_id, None)?;
        let (who, expires_at) = match &principal {
            Principal::Staff(u) => (
                u.display_name.clone(),
                jwt.verify(&token).ok().map(|c| c.exp),
            ),
            Principal::Display(d) => {
                let label: String = display_tokens::table
                    .filter(display_tokens::id.eq(&d.token_id))
                    .select(display_tokens::label)
                    .first(conn)?;
                (format!("Display: {label}"), None)
            }
        };
        Ok(Reader {
            principal,
            privacy,
            who,
            expires_at,
        })
    })
    .await
}

/// Access still valid? (membership, active account and live session, display token not
/// revoked)
pub async fn recheck(pool: &Pool, team_id: &str, principal: &Principal) -> AppResult<()> {
    let principal = principal.clone();
    let team = team_id.to_string();
    db::run(pool, move |conn| {
        let fresh = match &principal {
            Principal::Staff(u) => {
                let active: Option<bool> = staff::table
                    .filter(staff::id.eq(&u.id))
                    .select(staff::active)
                    .first(conn)
                    .optional()?;
                if active != Some(true) {
                    // 4003, not 4001: a fresh token cannot help a deactivated account.
                    return Err(AppError::Forbidden("account no longer active".into()));
                }
                // Signed out, or ended by a password change: 4001, signing in again helps.
                match sessions::state(conn, &u.session_id, &u.id)? {
                    SessionState::Live => {}
                    SessionState::Ended(Some(reason)) => {
                        return Err(AppError::Unauthenticated(reason.describe().into()))
                    }
                    _ => {
                        return Err(AppError::Unauthenticated(
                            "this session has ended; sign in again".into(),
                        ))
                    }
                }
                principal.clone()
            }
            Principal::Display(d) => {
                let revoked: Option<Option<chrono::NaiveDateTime>> = display_tokens::table
                    .filter(display_tokens::id.eq(&d.token_id))
                    .select(display_tokens::revoked_at)
                    .first(conn)
                    .optional()?;
                if !matches!(revoked, Some(None)) {
                    return Err(AppError::Forbidden("display token revoked".into()));
                }
                principal.clone()
            }
        };
        reader_access(conn, &fresh, &team, None).map(|_| ())
    })
    .await
}
