//! Crisis flags: raised by any member with a category, answered by everyone who responds,
//! resolved with an outcome. Open flags stand first on every board, emergency first.

use crate::api::json::Json;
use crate::api::page;
use crate::api::Problem;
use crate::auth::AuthUser;
use crate::domain::flag::{check_text, Category, Severity};
use crate::error::{AppError, AppResult};
use crate::state::AppState;
use crate::store::flags::{self, FlagOut};
use actix_web::{get, post, web, HttpRequest, HttpResponse};
use serde::Deserialize;
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewFlag {
    pub severity: Severity,
    /// What the flag is about (required; privacy displays show it instead of the reason).
    pub category: Category,
    /// Free text for staff only: privacy displays never receive it.
    #[schema(min_length = 1, max_length = 1000, pattern = r"\S")]
    pub reason: String,
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Resolve {
    #[schema(min_length = 1, max_length = 1000, pattern = r"\S")]
    pub outcome: String,
}

#[derive(Deserialize, IntoParams)]
pub struct FlagQuery {
    /// true: only open (unresolved) flags; false: only resolved ones.
    pub open: Option<bool>,
    pub client_id: Option<Uuid>,
    /// Rows per page: at most 1000 (default 500). When there are more, the answer has a
    /// `Link: <…>; rel="next"` header.
    #[param(minimum = 1, maximum = 1000)]
    pub limit: Option<i64>,
    /// Where the page starts: the opaque value from the previous page's `Link` header.
    pub cursor: Option<String>,
}

/// Raise a crisis flag on a client (any member); not on a discharged client.
#[utoipa::path(tag = "flags", params(("team_id" = Uuid, Path), ("client_id" = Uuid, Path)), request_body = NewFlag, responses(
    (status = 201, body = FlagOut),
    (status = 403, body = Problem, content_type = "application/problem+json"),
    (status = 409, description = "conflict: the client is discharged", body = Problem, content_type = "application/problem+json"),
))]
#[post("/teams/{team_id}/clients/{client_id}/flags")]
pub async fn raise_flag(
    st: web::Data<AppState>,
    user: AuthUser,
    path: web::Path<(Uuid, Uuid)>,
    body: Json<NewFlag>,
) -> AppResult<HttpResponse> {
    let (team_id, client_id) = path.into_inner();
    let reason =
        check_text("reason", &body.0.reason).map_err(|e| AppError::from_fields(vec![e]))?;
    let new = flags::NewFlag {
        severity: body.0.severity,
        category: body.0.category,
        reason,
    };
    let out = flags::raise(
        &st.pool,
        user,
        team_id.to_string(),
        client_id.to_string(),
        new,
    )
    .await?;
    Ok(HttpResponse::Created().json(out))
}

/// Say "I am responding" (any member): the caller joins the flag's responders (nobody is
/// removed; the first stays `acknowledged_by`). Saying it again answers the unchanged flag;
/// a resolved flag cannot be acknowledged.
#[utoipa::path(tag = "flags", params(("team_id" = Uuid, Path), ("flag_id" = Uuid, Path)), responses(
    (status = 200, body = FlagOut),
    (status = 403, body = Problem, content_type = "application/problem+json"),
    (status = 409, description = "already resolved", body = Problem, content_type = "application/problem+json"),
))]
#[post("/teams/{team_id}/flags/{flag_id}/acknowledge")]
pub async fn acknowledge_flag(
    st: web::Data<AppState>,
    user: AuthUser,
    path: web::Path<(Uuid, Uuid)>,
) -> AppResult<HttpResponse> {
    let (team_id, flag_id) = path.into_inner();
    let out = flags::acknowledge(&st.pool, user, team_id.to_string(), flag_id.to_string()).await?;
    Ok(HttpResponse::Ok().json(out))
}

/// Close a flag with its outcome (any member).
#[utoipa::path(tag = "flags", params(("team_id" = Uuid, Path), ("flag_id" = Uuid, Path)), request_body = Resolve, responses(
    (status = 200, body = FlagOut),
    (status = 403, body = Problem, content_type = "application/problem+json"),
    (status = 409, description = "already resolved", body = Problem, content_type = "application/problem+json"),
))]
#[post("/teams/{team_id}/flags/{flag_id}/resolve")]
pub async fn resolve_flag(
    st: web::Data<AppState>,
    user: AuthUser,
    path: web::Path<(Uuid, Uuid)>,
    body: Json<Resolve>,
) -> AppResult<HttpResponse> {
    let (team_id, flag_id) = path.into_inner();
    let outcome =
        check_text("outcome", &body.0.outcome).map_err(|e| AppError::from_fields(vec![e]))?;
    let out = flags::resolve(
        &st.pool,
        user,
        team_id.to_string(),
        flag_id.to_string(),
        outcome,
    )
    .await?;
    Ok(HttpResponse::Ok().json(out))
}

/// The team's flags: open first, emergency first, newest first, in pages (`limit`,
/// `cursor`; the next page's URL is in the `Link` header).
#[utoipa::path(tag = "flags", params(("team_id" = Uuid, Path), FlagQuery), responses(
    (status = 200, body = Vec<FlagOut>, headers(("Link" = String, description = "RFC 8288 link to the next page, `<…?…&cursor=…>; rel=\"next\"` (relative; follow it as it is); absent on the last page"))),
    (status = 422, description = "A query parameter breaks a rule (`validation_failed`)", body = Problem, content_type = "application/problem+json"),
))]
#[get("/teams/{team_id}/flags")]
pub async fn list_flags(
    req: HttpRequest,
    st: web::Data<AppState>,
    user: AuthUser,
    path: web::Path<Uuid>,
    q: web::Query<FlagQuery>,
) -> AppResult<HttpResponse> {
    let q = q.into_inner();
    let page = page::request(q.limit, q.cursor.as_deref(), 500, flags::LIST, 4)?;
    let client_id = q.client_id.map(|u| u.to_string());
    let out = flags::list(
        &st.pool,
        user,
        path.into_inner().to_string(),
        q.open,
        client_id,
        page,
    )
    .await?;
    Ok(page::respond(&req, out))
}
