//! Display tokens: a wall screen's read-only key to one team's board and live stream.

use crate::auth::{team_access, tokens, write_access, AuthUser, DisplayPrincipal};
use crate::db::schema::display_tokens as d;
use crate::db::{self, Pool};
use crate::domain::roles::Role;
use crate::domain::team::Privacy;
use crate::error::{AppError, AppResult};
use crate::store::events::{append, Event};
use crate::store::teams::load_team;
use crate::store::Timestamp;
use chrono::NaiveDateTime;
use diesel::prelude::*;
use serde::Serialize;
use utoipa::ToSchema;
use uuid::Uuid;

pub use crate::store::records::display::DisplayTokenRevoked;

#[derive(Serialize, ToSchema)]
pub struct DisplayTokenCreated {
    #[schema(format = Uuid)]
    pub id: String,
    /// Shown once: open `/display?token=…` on the screen.
    pub token: String,
    pub label: String,
    pub privacy: String,
}

#[derive(Serialize, ToSchema)]
pub struct DisplayTokenOut {
    #[schema(format = Uuid)]
    pub id: String,
    pub label: String,
    pub privacy: String,
    pub created_at: Timestamp,
    pub revoked_at: Option<Timestamp>,
}

#[derive(Serialize, ToSchema)]
pub struct DisplayMe {
    #[schema(format = Uuid)]
    pub team_id: String,
    pub team_name: String,
    pub label: String,
    pub privacy: String,
}

/// Which team a display token shows (the wall screen asks this first).
pub async fn me(pool: &Pool, d: DisplayPrincipal) -> AppResult<DisplayMe> {
    db::run(pool, move |conn| {
        let team = load_team(conn, &d.team_id)?;
        let label: String = d::table
            .filter(d::id.eq(&d.token_id))
            .select(d::label)
            .first(conn)?;
        Ok(DisplayMe {
            team_id: team.id,
            team_name: team.name,
            label,
            privacy: d.privacy.as_str().into(),
        })
    })
    .await
}

/// Create a display token (leads and admins); `privacy` defaults to the team's setting.
pub async fn create(
    pool: &Pool,
    user: AuthUser,
    team_id: String,
    label: String,
    wanted: Option<Privacy>,
) -> AppResult<DisplayTokenCreated> {
    db::tx(pool, move |conn| {
        team_access(conn, &user, &team_id)?.require(Role::Lead)?;
        let team = load_team(conn, &team_id)?;
        let privacy = wanted.unwrap_or(Privacy::parse(&team.privacy).unwrap_or(Privacy::Initials));
        let token = tokens::generate(tokens::DISPLAY_PREFIX);
        let id = Uuid::new_v4().to_string();
        diesel::insert_into(d::table)
            .values((
                d::id.eq(&id),
                d::team_id.eq(&team_id),
                d::label.eq(&label),
                d::privacy.eq(privacy.as_str()),
                d::token_hash.eq(tokens::digest(&token)),
                d::created_by.eq(&user.id),
                d::created_at.eq(db::now()),
            ))
            .execute(conn)?;
        Ok(DisplayTokenCreated {
            id,
            token,
            label,
            privacy: privacy.as_str().into(),
        })
    })
    .await
}

/// The team's display tokens (without the secrets), for leads and admins.
pub async fn list(pool: &Pool, user: AuthUser, team_id: String) -> AppResult<Vec<DisplayTokenOut>> {
    let rows: Vec<(String, String, String, NaiveDateTime, Option<NaiveDateTime>)> =
        db::run(pool, move |conn| {
            team_access(conn, &user, &team_id)?.require(Role::Lead)?;
            Ok(d::table
                .filter(d::team_id.eq(&team_id))
                .select((d::id, d::label, d::privacy, d::created_at, d::revoked_at))
                .order(d::created_at.desc())
                .load(conn)?)
        })
        .await?;
    Ok(rows
        .into_iter()
        .map(|(id, label, privacy, c, r)| DisplayTokenOut {
            id,
            label,
            privacy,
            created_at: c.into(),
            revoked_at: r.map(Into::into),
        })
        .collect())
}

/// Revoke a display token: the screen loses access at once.
pub async fn revoke(
    pool: &Pool,
    user: AuthUser,
    team_id: String,
    token_id: String,
) -> AppResult<()> {
    db::tx(pool, move |conn| {
        write_access(conn, &user, &team_id, Role::Lead)?;
        let n = diesel::update(
            d::table
                .filter(d::team_id.eq(&team_id))
                .filter(d::id.eq(&token_id))
                .filter(d::revoked_at.is_null()),
        )
        .set(d::revoked_at.eq(db::now()))
        .execute(conn)?;
        if n == 0 {
            return Err(AppError::not_found("display token"));
        }
        // Screens using it are closed at once (each connection rechecks on this event).
        append(
            conn,
            &team_id,
            Event::DisplayTokenRevoked(DisplayTokenRevoked { id: token_id }),
            Some(&user.id),
        )?;
        Ok(())
    })
    .await
}
