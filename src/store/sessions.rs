//! Sign-in (counted before the password is checked), refresh-token rotation with a grace
//! window and reuse detection, sign-out. A session (`auth::sessions`) is one sign-in: its
//! refresh tokens are one family, its access tokens carry its id.

use crate::auth::jwt::JwtKeys;
use crate::auth::sessions::{self, EndReason, SessionState};
use crate::auth::{password, throttle, tokens};
use crate::db::models::{RefreshTokenRow, StaffRow};
use crate::db::schema::{refresh_tokens as rt, staff};
use crate::db::{self, DbConn, Pool};
use crate::domain::audit::Action;
use crate::error::{AppError, AppResult};
use crate::store::audit;
use crate::store::passwords::Attempt;
use crate::store::staff::UserOut;
use chrono::{NaiveDateTime, TimeDelta};
use diesel::prelude::*;
use serde::Serialize;
use std::time::Duration;
use utoipa::ToSchema;

/// How long a refresh token lives without being used (it rotates on every use).
pub const REFRESH_TTL_DAYS: i64 = 7;

#[derive(Serialize, ToSchema)]
pub struct TokenResponse {
    pub access_token: String,
    /// Always "Bearer".
    pub token_type: &'static str,
    /// Seconds until the access token expires.
    pub expires_in: i64,
    pub refresh_token: String,
    pub user: UserOut,
}

fn new_refresh_token(
    conn: &mut DbConn,
    staff_id: &str,
    family: &str,
    now: NaiveDateTime,
) -> AppResult<String> {
    let token = tokens::generate(tokens::REFRESH_PREFIX);
    diesel::insert_into(rt::table)
        .values((
            rt::id.eq(uuid::Uuid::new_v4().to_string()),
            rt::staff_id.eq(staff_id),
            rt::family_id.eq(family),
            rt::token_hash.eq(tokens::digest(&token)),
            rt::created_at.eq(now),
            rt::expires_at.eq(now + TimeDelta::days(REFRESH_TTL_DAYS)),
        ))
        .execute(conn)?;
    Ok(token)
}

fn respond(
    jwt: &JwtKeys,
    user: &StaffRow,
    session_id: &str,
    refresh_token: String,
) -> AppResult<TokenResponse> {
    let (access_token, claims) = jwt
        .issue(&user.id, session_id, chrono::Utc::now().timestamp())
        .map_err(AppError::internal)?;
    Ok(TokenResponse {
        access_token,
        token_type: "Bearer",
        expires_in: claims.exp - claims.iat,
        refresh_token,
        user: UserOut {
            id: user.id.clone(),
            username: user.username.clone(),
            display_name: user.display_name.clone(),
            is_admin: user.is_admin,
            must_change_password: user.must_change_password,
        },
    })
}

/// Sign in. Wrong password and unknown user get the same 401. The attempt is counted as a
/// failure before the password is checked (`throttle::admit`, one transaction): past the
/// limit for this username and address the answer is 429 without a check; a username
/// attacked from many addresses is slowed down, not locked. Argon2 runs on the blocking
/// pool, holding no connection.
pub async fn login(
    pool: &Pool,
    jwt: JwtKeys,
    attempt: Attempt,
    username: String,
    password: String,
) -> AppResult<TokenResponse> {
    let username = username.trim().to_lowercase();
    let address = attempt.address;
    let (uname, addr) = (username.clone(), address.clone());
    let admitted = db::tx(pool, move |conn| {
        let admitted = throttle::admit(conn, &uname, &addr, attempt.address_limit, db::now())?;
        let user: Option<StaffRow> = staff::table
            .filter(staff::username.eq(&uname))
            .filter(staff::active.eq(true))
            .select(StaffRow::as_select())
            .first(conn)
            .optional()?;
        Ok((admitted, user))
    })
    .await;
    let (admitted, user) = match admitted {
        Ok(v) => v,
        Err(e) => {
            if matches!(e, AppError::RateLimited { .. }) {
                audit_failure(pool, &username, "throttled").await?;
            }
            return Err(e);
        }
    };
    if !admitted.delay.is_zero() {
        tokio::time::sleep(admitted.delay).await;
    }
    let user = db::blocking(move || {
        Ok(match user {
            Some(u) if password::verify(&u.password_hash, &password) => Some(u),
            Some(_) => None,
            None => {
                password::verify_dummy(&password);
                None
            }
        })
    })
    .await?;
    let Some(user) = user else {
        tracing::info!(address = %address, "failed login");
        audit_failure(pool, &username, "wrong password or unknown user").await?;
        return Err(AppError::InvalidCredentials);
    };
    db::tx(pool, move |conn| {
        let now = db::now();
        throttle::succeeded(conn, &username, &address)?;
        audit::record(
            conn,
            Some(&user.id),
            Action::SignIn,
            None,
            None,
            &user.username,
        )?;
        let session = sessions::start(conn, &user.id, now)?;
        let token = new_refresh_token(conn, &user.id, &session, now)?;
        respond(&jwt, &user, &session, token)
    })
    .await
}

/// A refused sign-in in the audit trail: the attempted username (never the password) and
/// why, with the staff id when the username is someone's.
async fn audit_failure(pool: &Pool, username: &str, why: &'static str) -> AppResult<()> {
    let username = username.to_string();
    db::tx(pool, move |conn| {
        let staff_id: Option<String> = staff::table
            .filter(staff::username.eq(&username))
            .select(staff::id)
            .first(conn)
            .optional()?;
        let shown: String = username.chars().take(100).collect();
        let detail = format!("{shown}: {why}");
        audit::record(
            conn,
            staff_id.as_deref(),
            Action::SignInFailed,
            None,
            None,
            &detail,
        )
    })
    .await
}

enum Refreshed {
    Ok(Box<TokenResponse>),
    Refused(String),
}

/// Exchange a refresh token for a new pair. The old refresh token stops working, except
/// within `grace` of its rotation: two refreshes racing with one token (two tabs, a phone
/// retrying) both get a working pair of the same session. Presenting a used one later
/// ends the whole session (the token was probably stolen).
pub async fn refresh(
    pool: &Pool,
    jwt: JwtKeys,
    grace: Duration,
    refresh_token: String,
) -> AppResult<TokenResponse> {
    let hash = tokens::digest(refresh_token.trim());
    let grace = TimeDelta::from_std(grace).unwrap_or(TimeDelta::zero());
    let out = db::tx(pool, move |conn| {
        let now = db::now();
        let row: Option<RefreshTokenRow> = rt::table
            .filter(rt::token_hash.eq(&hash))
            .select(RefreshTokenRow::as_select())
            .first(conn)
            .optional()?;
        let Some(row) = row else {
            return Ok(Refreshed::Refused("this refresh token is not valid".into()));
        };
        match sessions::state(conn, &row.family_id, &row.staff_id)? {
            SessionState::Live => {}
            SessionState::Ended(Some(reason)) => {
                return Ok(Refreshed::Refused(reason.describe().into()))
            }
            _ => {
                return Ok(Refreshed::Refused(
                    "this session has ended; sign in again".into(),
                ))
            }
        }
        if row.expires_at <= now {
            return Ok(Refreshed::Refused(
                "this refresh token has expired; sign in again".into(),
            ));
        }
        let rotated_at = match row.revoked_at {
            Some(at) => Some(at),
            // Conditional: of two concurrent refreshes with one token, one rotates it; the
            // other finds it rotated just now (on PostgreSQL after waiting for the row).
            None => {
                let won = diesel::update(
                    rt::table
                        .filter(rt::id.eq(&row.id))
                        .filter(rt::revoked_at.is_null()),
                )
                .set(rt::revoked_at.eq(now))
                .execute(conn)?;
                (won == 0).then_some(now)
            }
        };
        if let Some(at) = rotated_at {
            if now - at > grace {
                sessions::end(conn, &row.family_id, EndReason::TokenReused, now)?;
                return Ok(Refreshed::Refused(
                    "this refresh token was already used; sign in again".into(),
                ));
            }
            // Within the grace window: a second token of the same session.
        }
        let user: Option<StaffRow> = staff::table
            .filter(staff::id.eq(&row.staff_id))
            .filter(staff::active.eq(true))
            .select(StaffRow::as_select())
            .first(conn)
            .optional()?;
        let Some(user) = user else {
            return Ok(Refreshed::Refused(
                "this account is no longer active".into(),
            ));
        };
        let token = new_refresh_token(conn, &user.id, &row.family_id, now)?;
        Ok(Refreshed::Ok(Box::new(respond(
            &jwt,
            &user,
            &row.family_id,
            token,
        )?)))
    })
    .await?;
    match out {
        Refreshed::Ok(t) => Ok(*t),
        Refreshed::Refused(why) => Err(AppError::Unauthenticated(why)),
    }
}

/// End the session of this refresh token: its refresh tokens and its access tokens.
pub async fn logout(pool: &Pool, refresh_token: String) -> AppResult<()> {
    let hash = tokens::digest(refresh_token.trim());
    db::tx(pool, move |conn| {
        let family: Option<String> = rt::table
            .filter(rt::token_hash.eq(&hash))
            .select(rt::family_id)
            .first(conn)
            .optional()?;
        if let Some(f) = family {
            sessions::end(conn, &f, EndReason::SignedOut, db::now())?;
        }
        Ok(())
    })
    .await
}
