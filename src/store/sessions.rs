//! Sessions: sign-in (throttled), refresh-token rotation with reuse detection, sign-out.

use crate::auth::jwt::JwtKeys;
use crate::auth::{password, throttle, tokens};
use crate::db::models::{RefreshTokenRow, StaffRow};
use crate::db::schema::{refresh_tokens as rt, staff};
use crate::db::{self, DbConn, Pool};
use crate::error::{AppError, AppResult};
use crate::store::staff::UserOut;
use chrono::{NaiveDateTime, TimeDelta};
use diesel::prelude::*;
use serde::Serialize;
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

fn respond(jwt: &JwtKeys, user: &StaffRow, refresh_token: String) -> AppResult<TokenResponse> {
    let (access_token, claims) = jwt
        .issue(&user.id, chrono::Utc::now().timestamp())
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
        },
    })
}

/// Sign in. Wrong password and unknown user get the same 401; too many failures for one
/// username or one address answer 429 until the window passes.
pub async fn login(
    pool: &Pool,
    jwt: JwtKeys,
    failures_per_address: i64,
    username: String,
    password: String,
    address: String,
) -> AppResult<TokenResponse> {
    let username = username.trim().to_lowercase();
    db::run(pool, move |conn| {
        let now = db::now();
        throttle::check(conn, &username, &address, failures_per_address, now)?;
        let user: Option<StaffRow> = staff::table
            .filter(staff::username.eq(&username))
            .filter(staff::active.eq(true))
            .select(StaffRow::as_select())
            .first(conn)
            .optional()?;
        let ok = match &user {
            Some(u) => password::verify(&u.password_hash, &password),
            None => {
                password::verify_dummy(&password);
                false
            }
        };
        let user = match (ok, user) {
            (true, Some(u)) => u,
            _ => {
                throttle::record_failure(conn, &username, &address, now)?;
                tracing::info!(address = %address, "failed login");
                return Err(AppError::InvalidCredentials);
            }
        };
        let token = conn.transaction(|conn| {
            throttle::clear_user(conn, &username)?;
            new_refresh_token(conn, &user.id, &uuid::Uuid::new_v4().to_string(), now)
        })?;
        respond(&jwt, &user, token)
    })
    .await
}

enum Refreshed {
    Ok(Box<TokenResponse>),
    Refused(&'static str),
}

/// Exchange a refresh token for a new pair. The old refresh token stops working; presenting
/// a used one again revokes its whole family (it was probably stolen).
pub async fn refresh(pool: &Pool, jwt: JwtKeys, refresh_token: String) -> AppResult<TokenResponse> {
    let hash = tokens::digest(refresh_token.trim());
    let out = db::tx(pool, move |conn| {
        let now = db::now();
        let row: Option<RefreshTokenRow> = rt::table
            .filter(rt::token_hash.eq(&hash))
            .select(RefreshTokenRow::as_select())
            .first(conn)
            .optional()?;
        let Some(row) = row else {
            return Ok(Refreshed::Refused("this refresh token is not valid"));
        };
        if row.revoked_at.is_some() {
            revoke_family(conn, &row.family_id, now)?;
            return Ok(Refreshed::Refused(
                "this refresh token was already used; sign in again",
            ));
        }
        if row.expires_at <= now {
            return Ok(Refreshed::Refused(
                "this refresh token has expired; sign in again",
            ));
        }
        // Conditional: of two concurrent refreshes with one token, exactly one wins.
        let won = diesel::update(
            rt::table
                .filter(rt::id.eq(&row.id))
                .filter(rt::revoked_at.is_null()),
        )
        .set(rt::revoked_at.eq(now))
        .execute(conn)?;
        if won == 0 {
            return Ok(Refreshed::Refused(
                "this refresh token was already used; sign in again",
            ));
        }
        let user: Option<StaffRow> = staff::table
            .filter(staff::id.eq(&row.staff_id))
            .filter(staff::active.eq(true))
            .select(StaffRow::as_select())
            .first(conn)
            .optional()?;
        let Some(user) = user else {
            return Ok(Refreshed::Refused("this account is no longer active"));
        };
        let token = new_refresh_token(conn, &user.id, &row.family_id, now)?;
        Ok(Refreshed::Ok(Box::new(respond(&jwt, &user, token)?)))
    })
    .await?;
    match out {
        Refreshed::Ok(t) => Ok(*t),
        Refreshed::Refused(why) => Err(AppError::Unauthenticated(why.into())),
    }
}

fn revoke_family(conn: &mut DbConn, family: &str, now: NaiveDateTime) -> AppResult<()> {
    diesel::update(
        rt::table
            .filter(rt::family_id.eq(family))
            .filter(rt::revoked_at.is_null()),
    )
    .set(rt::revoked_at.eq(now))
    .execute(conn)?;
    Ok(())
}

/// End the session of this refresh token (and every token rotated from it).
pub async fn logout(pool: &Pool, refresh_token: String) -> AppResult<()> {
    let hash = tokens::digest(refresh_token.trim());
    db::tx(pool, move |conn| {
        let family: Option<String> = rt::table
            .filter(rt::token_hash.eq(&hash))
            .select(rt::family_id)
            .first(conn)
            .optional()?;
        if let Some(f) = family {
            revoke_family(conn, &f, db::now())?;
        }
        Ok(())
    })
    .await
}
