//! Passwords: changing one's own (`POST /api/me/password`), the rule for an admin's reset,
//! and ending a person's sessions when an admin resets their password or deactivates them.

use crate::auth::sessions::{self, EndReason, SessionState};
use crate::auth::{password, throttle, AuthUser};
use crate::db::schema::staff;
use crate::db::{self, DbConn, Pool};
use crate::error::{AppError, AppResult};
use diesel::prelude::*;

/// An admin set a new password or deactivated the account (`store::staff::update`, in its
/// transaction): every session of the person ends, with its tokens and open websockets.
pub fn end_sessions_for(conn: &mut DbConn, staff_id: &str, deactivated: bool) -> AppResult<()> {
    let reason = if deactivated {
        EndReason::Deactivated
    } else {
        EndReason::PasswordReset
    };
    sessions::end_all(conn, staff_id, None, reason, db::now())?;
    Ok(())
}

/// The new-password rule applied to `staff_id`'s account (an admin's reset): `Ok(Err(why))`
/// when the rule refuses it; 404 when there is no such account.
pub async fn check_reset(
    pool: &Pool,
    staff_id: String,
    new_password: String,
) -> AppResult<Result<(), String>> {
    db::run(pool, move |conn| {
        let username: String = staff::table
            .filter(staff::id.eq(&staff_id))
            .select(staff::username)
            .first(conn)
            .optional()?
            .ok_or_else(|| AppError::not_found("staff member"))?;
        Ok(password::check_new(&new_password, &username))
    })
    .await
}

/// Where a request comes from and how many failures an address may have (the throttle's
/// inputs, from the configuration and the connection).
pub struct Attempt {
    pub address: String,
    pub address_limit: i64,
}

/// Change one's own password. The new one must pass the rule (422 on `new`, nothing counted);
/// the current one is checked like a sign-in: counted before the check (429 past the limit),
/// a wrong one is a 422 on `current`. On success every OTHER session of the person ends (the
/// calling one stays signed in) and their other websockets close.
pub async fn change_own(
    pool: &Pool,
    user: AuthUser,
    attempt: Attempt,
    current: String,
    new: String,
) -> AppResult<()> {
    password::check_new(&new, &user.username).map_err(|m| AppError::validation("new", m))?;
    let (username, address) = (user.username.clone(), attempt.address);
    let (uname, addr, uid) = (username.clone(), address.clone(), user.id.clone());
    let (admitted, stored) = db::tx(pool, move |conn| {
        let admitted = throttle::admit(conn, &uname, &addr, attempt.address_limit, db::now())?;
        let stored: Option<String> = staff::table
            .filter(staff::id.eq(&uid))
            .filter(staff::active.eq(true))
            .select(staff::password_hash)
            .first(conn)
            .optional()?;
        Ok((admitted, stored))
    })
    .await?;
    let stored = stored
        .ok_or_else(|| AppError::Unauthenticated("this account is no longer active".into()))?;
    if !admitted.delay.is_zero() {
        tokio::time::sleep(admitted.delay).await;
    }
    // Both argon2 runs on the blocking pool, holding no connection.
    let new_hash = db::blocking(move || {
        if !password::verify(&stored, &current) {
            return Ok(None);
        }
        password::hash(&new).map(Some).map_err(AppError::internal)
    })
    .await?;
    let Some(new_hash) = new_hash else {
        tracing::info!(address = %address, "failed password change");
        return Err(AppError::validation(
            "current",
            "is not your current password",
        ));
    };
    db::tx(pool, move |conn| {
        let now = db::now();
        throttle::succeeded(conn, &username, &address)?;
        if sessions::state(conn, &user.session_id, &user.id)? != SessionState::Live {
            return Err(AppError::Unauthenticated(
                "this session has ended; sign in again".into(),
            ));
        }
        let changed = diesel::update(
            staff::table
                .filter(staff::id.eq(&user.id))
                .filter(staff::active.eq(true)),
        )
        .set((
            staff::password_hash.eq(new_hash),
            staff::must_change_password.eq(false),
        ))
        .execute(conn)?;
        if changed == 0 {
            return Err(AppError::Unauthenticated(
                "this account is no longer active".into(),
            ));
        }
        sessions::end_all(
            conn,
            &user.id,
            Some(&user.session_id),
            EndReason::PasswordChanged,
            now,
        )?;
        Ok(())
    })
    .await
}
