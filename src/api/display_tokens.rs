//! Display tokens: a wall screen's read-only key to one team's board and live stream.

use crate::api::json::Json;
use crate::api::Problem;
use crate::auth::{team_access, tokens, AuthUser};
use crate::db::schema::display_tokens as d;
use crate::db::{self, events};
use crate::domain::roles::Role;
use crate::domain::team::Privacy;
use crate::error::{AppError, AppResult};
use crate::state::AppState;
use actix_web::{delete, get, post, web, HttpResponse};
use chrono::{DateTime, NaiveDateTime, Utc};
use diesel::prelude::*;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewDisplayToken {
    /// Where the screen is, e.g. "Team room".
    #[schema(min_length = 1, max_length = 100, pattern = r"\S")]
    pub label: String,
    /// `initials` (no client names, notes or handoff text) or `names`; default: the team's setting.
    pub privacy: Option<Privacy>,
}

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
    pub created_at: DateTime<Utc>,
    pub revoked_at: Option<DateTime<Utc>>,
}

#[derive(Serialize, ToSchema)]
pub struct DisplayMe {
    #[schema(format = Uuid)]
    pub team_id: String,
    pub team_name: String,
    pub label: String,
    pub privacy: String,
}

/// Which team a display token shows (the wall screen calls this first).
#[utoipa::path(tag = "board", responses(
    (status = 200, body = DisplayMe),
    (status = 401, body = Problem, content_type = "application/problem+json"),
    (status = 403, description = "not a display token", body = Problem, content_type = "application/problem+json"),
))]
#[get("/display/me")]
pub async fn me(st: web::Data<AppState>, principal: crate::auth::Principal) -> AppResult<HttpResponse> {
    let crate::auth::Principal::Display(d) = principal else {
        return Err(AppError::Forbidden("this is for display tokens; staff use /api/me".into()));
    };
    let out = db::run(&st.pool, move |conn| {
        let team = crate::api::teams::load_team(conn, &d.team_id)?;
        let label: String = d::table.filter(d::id.eq(&d.token_id)).select(d::label).first(conn)?;
        Ok(DisplayMe { team_id: team.id, team_name: team.name, label, privacy: d.privacy.as_str().into() })
    })
    .await?;
    Ok(HttpResponse::Ok().json(out))
}

/// Create a display token (leads and admins).
#[utoipa::path(tag = "board", params(("team_id" = Uuid, Path)), request_body = NewDisplayToken, responses(
    (status = 201, body = DisplayTokenCreated),
    (status = 403, body = Problem, content_type = "application/problem+json"),
    (status = 422, body = Problem, content_type = "application/problem+json"),
))]
#[post("/teams/{team_id}/display-tokens")]
pub async fn create(
    st: web::Data<AppState>,
    user: AuthUser,
    path: web::Path<Uuid>,
    body: Json<NewDisplayToken>,
) -> AppResult<HttpResponse> {
    let team_id = path.into_inner().to_string();
    let label = crate::domain::text::required("label", &body.0.label, 100)
        .map_err(|e| AppError::from_fields(vec![e]))?;
    let wanted = body.0.privacy;
    let out = db::tx(&st.pool, move |conn| {
        team_access(conn, &user, &team_id)?.require(Role::Lead)?;
        let team = crate::api::teams::load_team(conn, &team_id)?;
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
    .await?;
    Ok(HttpResponse::Created().json(out))
}

/// The team's display tokens (without the secrets), for leads and admins.
#[utoipa::path(tag = "board", params(("team_id" = Uuid, Path)), responses(
    (status = 200, body = Vec<DisplayTokenOut>),
    (status = 403, body = Problem, content_type = "application/problem+json"),
))]
#[get("/teams/{team_id}/display-tokens")]
pub async fn list(
    st: web::Data<AppState>,
    user: AuthUser,
    path: web::Path<Uuid>,
) -> AppResult<HttpResponse> {
    let team_id = path.into_inner().to_string();
    let rows: Vec<(String, String, String, NaiveDateTime, Option<NaiveDateTime>)> =
        db::run(&st.pool, move |conn| {
            team_access(conn, &user, &team_id)?.require(Role::Lead)?;
            Ok(d::table
                .filter(d::team_id.eq(&team_id))
                .select((d::id, d::label, d::privacy, d::created_at, d::revoked_at))
                .order(d::created_at.desc())
                .load(conn)?)
        })
        .await?;
    Ok(HttpResponse::Ok().json(
        rows.into_iter()
            .map(|(id, label, privacy, c, r)| DisplayTokenOut {
                id,
                label,
                privacy,
                created_at: c.and_utc(),
                revoked_at: r.map(|t| t.and_utc()),
            })
            .collect::<Vec<_>>(),
    ))
}

/// Revoke a display token: the screen loses access at its next request.
#[utoipa::path(tag = "board", params(("team_id" = Uuid, Path), ("token_id" = Uuid, Path)), responses(
    (status = 204, description = "Revoked"),
    (status = 403, body = Problem, content_type = "application/problem+json"),
    (status = 404, body = Problem, content_type = "application/problem+json"),
))]
#[delete("/teams/{team_id}/display-tokens/{token_id}")]
pub async fn revoke(
    st: web::Data<AppState>,
    user: AuthUser,
    path: web::Path<(Uuid, Uuid)>,
) -> AppResult<HttpResponse> {
    let (team_id, token_id) = path.into_inner();
    let (team_id, token_id) = (team_id.to_string(), token_id.to_string());
    db::tx(&st.pool, move |conn| {
        crate::auth::write_access(conn, &user, &team_id, Role::Lead)?;
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
        events::append(conn, &team_id, "display_token.revoked", &serde_json::json!({"id": token_id}), Some(&user.id))?;
        Ok(())
    })
    .await?;
    Ok(HttpResponse::NoContent().finish())
}
