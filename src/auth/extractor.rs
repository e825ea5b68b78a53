//! Request extractors: `AuthUser` (a signed-in staff member, checked against the database on
//! every request) and `Principal` (a staff member or a display token, for board reads).

use crate::auth::jwt::JwtKeys;
use crate::auth::sessions::{self, SessionState};
use crate::db::schema::{display_tokens, sessions as sess, staff};
use crate::db::{self, DbConn};
use crate::domain::team::Privacy;
use crate::error::{AppError, AppResult};
use crate::state::AppState;
use actix_web::{dev::Payload, http::header, web, FromRequest, HttpRequest};
use diesel::prelude::*;
use futures_util::future::LocalBoxFuture;

#[derive(Debug, Clone)]
pub struct AuthUser {
    pub id: String,
    pub username: String,
    pub display_name: String,
    pub is_admin: bool,
    /// The session (sign-in) the access token belongs to (`auth::sessions`).
    pub session_id: String,
    /// An administrator set the password: until the person chooses their own, this
    /// extractor refuses them (403 `password_change_required`); only `PendingUser` lets
    /// them in (`GET /api/me`, `POST /api/me/password`).
    pub must_change_password: bool,
}

/// A signed-in staff member who may still have to change the password an administrator set
/// (`AuthUser` refuses them): the extractor of the few routes they may call before that.
#[derive(Debug, Clone)]
pub struct PendingUser(pub AuthUser);

impl AuthUser {
    /// 403 unless an admin: `what` completes "only an admin may …".
    pub fn require_admin(&self, what: &str) -> AppResult<()> {
        if self.is_admin {
            Ok(())
        } else {
            Err(AppError::Forbidden(format!("only an admin may {what}")))
        }
    }
}

#[derive(Debug, Clone)]
pub struct DisplayPrincipal {
    pub token_id: String,
    pub team_id: String,
    pub privacy: Privacy,
}

#[derive(Debug, Clone)]
pub enum Principal {
    Staff(AuthUser),
    Display(DisplayPrincipal),
}

pub fn bearer(req: &HttpRequest) -> AppResult<String> {
    let value = req.headers().get(header::AUTHORIZATION).ok_or_else(|| {
        AppError::Unauthenticated("sign in first: no bearer token was sent".into())
    })?;
    let value = value
        .to_str()
        .map_err(|_| AppError::Unauthenticated("the Authorization header is unreadable".into()))?;
    match value.split_once(' ') {
        Some((scheme, token))
            if scheme.eq_ignore_ascii_case("bearer") && !token.trim().is_empty() =>
        {
            Ok(token.trim().to_string())
        }
        _ => Err(AppError::Unauthenticated(
            "the Authorization header must be 'Bearer <token>'".into(),
        )),
    }
}

fn state(req: &HttpRequest) -> AppResult<web::Data<AppState>> {
    req.app_data::<web::Data<AppState>>()
        .cloned()
        .ok_or_else(|| AppError::internal("application state missing"))
}

/// Check an access token and load its staff member: the account must still be active and
/// the token's session not ended (signed out, password changed, deactivated, …), so an
/// ended session's access tokens stop working at their next request. A person who must
/// first change the password an administrator set is refused (403
/// `password_change_required`).
pub fn user_from_token(conn: &mut DbConn, jwt: &JwtKeys, token: &str) -> AppResult<AuthUser> {
    let user = user_from_token_pending(conn, jwt, token)?;
    if user.must_change_password {
        return Err(AppError::PasswordChangeRequired);
    }
    Ok(user)
}

/// `user_from_token`, letting in a person who must still change their password.
pub fn user_from_token_pending(
    conn: &mut DbConn,
    jwt: &JwtKeys,
    token: &str,
) -> AppResult<AuthUser> {
    let claims = jwt.verify(token).map_err(AppError::Unauthenticated)?;
    let Some(session_id) = claims.sid else {
        return Err(AppError::Unauthenticated(
            "this token belongs to no session; sign in again".into(),
        ));
    };
    let row: Option<(String, String, String, bool, bool)> = staff::table
        .inner_join(sess::table)
        .filter(staff::id.eq(&claims.sub))
        .filter(staff::active.eq(true))
        .filter(sess::id.eq(&session_id))
        .filter(sess::ended_at.is_null())
        .select((
            staff::id,
            staff::username,
            staff::display_name,
            staff::is_admin,
            staff::must_change_password,
        ))
        .first(conn)
        .optional()?;
    let Some((id, username, display_name, is_admin, must_change_password)) = row else {
        return Err(refusal(conn, &claims.sub, &session_id)?);
    };
    Ok(AuthUser {
        id,
        username,
        display_name,
        is_admin,
        session_id,
        must_change_password,
    })
}

/// Why a signed token is not let in (only asked after the one query above found nothing).
fn refusal(conn: &mut DbConn, staff_id: &str, session_id: &str) -> AppResult<AppError> {
    let active: Option<bool> = staff::table
        .filter(staff::id.eq(staff_id))
        .select(staff::active)
        .first(conn)
        .optional()?;
    if active != Some(true) {
        return Ok(AppError::Unauthenticated(
            "this account is no longer active".into(),
        ));
    }
    Ok(AppError::Unauthenticated(
        match sessions::state(conn, session_id, staff_id)? {
            SessionState::Ended(Some(reason)) => reason.describe(),
            _ => "this session has ended; sign in again",
        }
        .into(),
    ))
}

/// Check a display token: it must exist and not be revoked.
pub fn display_from_token(conn: &mut DbConn, token: &str) -> AppResult<DisplayPrincipal> {
    let row: Option<(String, String, String)> = display_tokens::table
        .filter(display_tokens::token_hash.eq(crate::auth::tokens::digest(token)))
        .filter(display_tokens::revoked_at.is_null())
        .select((
            display_tokens::id,
            display_tokens::team_id,
            display_tokens::privacy,
        ))
        .first(conn)
        .optional()?;
    let (token_id, team_id, privacy) =
        row.ok_or_else(|| AppError::Unauthenticated("this display token is not valid".into()))?;
    Ok(DisplayPrincipal {
        token_id,
        team_id,
        privacy: Privacy::parse(&privacy).unwrap_or(Privacy::Initials),
    })
}

/// Resolve any token (access or display) to a principal.
pub fn principal_from_token(conn: &mut DbConn, jwt: &JwtKeys, token: &str) -> AppResult<Principal> {
    if token.starts_with(crate::auth::tokens::DISPLAY_PREFIX) {
        display_from_token(conn, token).map(Principal::Display)
    } else {
        user_from_token(conn, jwt, token).map(Principal::Staff)
    }
}

/// A staff member's access token from the request (not a display token), checked.
fn staff_from_request(
    req: &HttpRequest,
    pending_ok: bool,
) -> LocalBoxFuture<'static, AppResult<AuthUser>> {
    let token = bearer(req);
    let st = state(req);
    Box::pin(async move {
        let token = token?;
        if token.starts_with(crate::auth::tokens::DISPLAY_PREFIX) {
            return Err(AppError::Forbidden(
                "a display token may only read its team's board".into(),
            ));
        }
        let st = st?;
        let jwt = st.jwt.clone();
        db::run(&st.pool, move |conn| {
            if pending_ok {
                user_from_token_pending(conn, &jwt, &token)
            } else {
                user_from_token(conn, &jwt, &token)
            }
        })
        .await
    })
}

impl FromRequest for AuthUser {
    type Error = AppError;
    type Future = LocalBoxFuture<'static, Result<Self, Self::Error>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        staff_from_request(req, false)
    }
}

impl FromRequest for PendingUser {
    type Error = AppError;
    type Future = LocalBoxFuture<'static, Result<Self, Self::Error>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        let fut = staff_from_request(req, true);
        Box::pin(async move { fut.await.map(PendingUser) })
    }
}

impl FromRequest for Principal {
    type Error = AppError;
    type Future = LocalBoxFuture<'static, Result<Self, Self::Error>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        let token = bearer(req);
        let st = state(req);
        Box::pin(async move {
            let token = token?;
            let st = st?;
            let jwt = st.jwt.clone();
            db::run(&st.pool, move |conn| {
                principal_from_token(conn, &jwt, &token)
            })
            .await
        })
    }
}
