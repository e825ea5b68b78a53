//! Display tokens: a wall screen's read-only key to one team's board and live stream.

use crate::api::json::Json;
use crate::api::Problem;
use crate::auth::{AuthUser, Principal};
use crate::domain::team::Privacy;
use crate::error::{AppError, AppResult};
use crate::state::AppState;
use crate::store::display_tokens::{self, DisplayMe, DisplayTokenCreated, DisplayTokenOut};
use actix_web::{delete, get, post, web, HttpResponse};
use serde::Deserialize;
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

/// Which team a display token shows (the wall screen calls this first).
#[utoipa::path(tag = "board", responses(
    (status = 200, body = DisplayMe),
    (status = 403, description = "not a display token", body = Problem, content_type = "application/problem+json"),
))]
#[get("/display/me")]
pub async fn display_me(st: web::Data<AppState>, principal: Principal) -> AppResult<HttpResponse> {
    let Principal::Display(d) = principal else {
        return Err(AppError::Forbidden(
            "this is for display tokens; staff use /api/me".into(),
        ));
    };
    Ok(HttpResponse::Ok().json(display_tokens::me(&st.pool, d).await?))
}

/// Create a display token (leads and admins).
#[utoipa::path(tag = "board", params(("team_id" = Uuid, Path)), request_body = NewDisplayToken, responses(
    (status = 201, body = DisplayTokenCreated),
    (status = 403, body = Problem, content_type = "application/problem+json"),
))]
#[post("/teams/{team_id}/display-tokens")]
pub async fn create_display_token(
    st: web::Data<AppState>,
    user: AuthUser,
    path: web::Path<Uuid>,
    body: Json<NewDisplayToken>,
) -> AppResult<HttpResponse> {
    let label = crate::domain::text::required("label", &body.0.label, 100)
        .map_err(|e| AppError::from_fields(vec![e]))?;
    let out = display_tokens::create(
        &st.pool,
        user,
        path.into_inner().to_string(),
        label,
        body.0.privacy,
    )
    .await?;
    Ok(HttpResponse::Created().json(out))
}

/// The team's display tokens (without the secrets), for leads and admins.
#[utoipa::path(tag = "board", params(("team_id" = Uuid, Path)), responses(
    (status = 200, body = Vec<DisplayTokenOut>),
    (status = 403, body = Problem, content_type = "application/problem+json"),
))]
#[get("/teams/{team_id}/display-tokens")]
pub async fn list_display_tokens(
    st: web::Data<AppState>,
    user: AuthUser,
    path: web::Path<Uuid>,
) -> AppResult<HttpResponse> {
    let out = display_tokens::list(&st.pool, user, path.into_inner().to_string()).await?;
    Ok(HttpResponse::Ok().json(out))
}

/// Revoke a display token: the screen loses access at its next request.
#[utoipa::path(tag = "board", params(("team_id" = Uuid, Path), ("token_id" = Uuid, Path)), responses(
    (status = 204, description = "Revoked"),
    (status = 403, body = Problem, content_type = "application/problem+json"),
))]
#[delete("/teams/{team_id}/display-tokens/{token_id}")]
pub async fn revoke_display_token(
    st: web::Data<AppState>,
    user: AuthUser,
    path: web::Path<(Uuid, Uuid)>,
) -> AppResult<HttpResponse> {
    let (team_id, token_id) = path.into_inner();
    display_tokens::revoke(&st.pool, user, team_id.to_string(), token_id.to_string()).await?;
    Ok(HttpResponse::NoContent().finish())
}
