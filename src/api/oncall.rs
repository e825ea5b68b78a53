//! On-call shifts, entered in team-local wall-clock time and stored in UTC.

use crate::api::json::Json;
use crate::api::page;
use crate::api::Problem;
use crate::auth::AuthUser;
use crate::domain::time;
use crate::error::{AppError, AppResult};
use crate::state::AppState;
use crate::store::oncall::{self, NewShift, ShiftOut};
use actix_web::{delete, get, post, web, HttpRequest, HttpResponse};
use serde::Deserialize;
use utoipa::IntoParams;
use uuid::Uuid;

#[derive(Deserialize, IntoParams)]
pub struct ShiftQuery {
    /// Team-local day YYYY-MM-DD (default: yesterday).
    #[param(pattern = r"^\d{4}-\d{2}-\d{2}$", format = Date)]
    pub from: Option<String>,
    /// Team-local day YYYY-MM-DD, inclusive (default: a week from today).
    #[param(pattern = r"^\d{4}-\d{2}-\d{2}$", format = Date)]
    pub to: Option<String>,
    /// Rows per page: at most 1000 (default 500). When there are more, the answer has a
    /// `Link: <…>; rel="next"` header.
    #[param(minimum = 1, maximum = 1000)]
    pub limit: Option<i64>,
    /// Where the page starts: the opaque value from the previous page's `Link` header.
    pub cursor: Option<String>,
}

/// Put someone on call (leads and admins). Overlapping another shift is refused with 409
/// unless `allow_overlap` is set.
#[utoipa::path(tag = "on-call", params(("team_id" = Uuid, Path)), request_body = NewShift, responses(
    (status = 201, body = ShiftOut),
    (status = 403, body = Problem, content_type = "application/problem+json"),
    (status = 409, description = "overlaps another shift (listed in `overlaps`)", body = Problem, content_type = "application/problem+json"),
    (status = 422, description = "bad time, or a time that does not exist on a DST day", body = Problem, content_type = "application/problem+json"),
))]
#[post("/teams/{team_id}/oncall/shifts")]
pub async fn create_shift(
    st: web::Data<AppState>,
    user: AuthUser,
    path: web::Path<Uuid>,
    body: Json<NewShift>,
) -> AppResult<HttpResponse> {
    let out = oncall::create(&st.pool, user, path.into_inner().to_string(), body.0).await?;
    Ok(HttpResponse::Created().json(out))
}

/// Remove a shift (leads and admins).
#[utoipa::path(tag = "on-call", params(("team_id" = Uuid, Path), ("shift_id" = Uuid, Path)), responses(
    (status = 204, description = "Removed"),
    (status = 403, body = Problem, content_type = "application/problem+json"),
    (status = 409, description = "A handoff names this shift: it stays on record (`conflict`)", body = Problem, content_type = "application/problem+json"),
))]
#[delete("/teams/{team_id}/oncall/shifts/{shift_id}")]
pub async fn delete_shift(
    st: web::Data<AppState>,
    user: AuthUser,
    path: web::Path<(Uuid, Uuid)>,
) -> AppResult<HttpResponse> {
    let (team_id, shift_id) = path.into_inner();
    oncall::delete(&st.pool, user, team_id.to_string(), shift_id.to_string()).await?;
    Ok(HttpResponse::NoContent().finish())
}

/// Shifts between two team-local days (default: yesterday to a week ahead), by start, in
/// pages (`limit`, `cursor`; the next page's URL is in the `Link` header).
#[utoipa::path(tag = "on-call", params(("team_id" = Uuid, Path), ShiftQuery), responses(
    (status = 200, body = Vec<ShiftOut>, headers(("Link" = String, description = "RFC 8288 link to the next page, `<…?…&cursor=…>; rel=\"next\"` (relative; follow it as it is); absent on the last page"))),
    (status = 422, description = "A query parameter breaks a rule (`validation_failed`)", body = Problem, content_type = "application/problem+json"),
))]
#[get("/teams/{team_id}/oncall/shifts")]
pub async fn list_shifts(
    req: HttpRequest,
    st: web::Data<AppState>,
    user: AuthUser,
    path: web::Path<Uuid>,
    q: web::Query<ShiftQuery>,
) -> AppResult<HttpResponse> {
    let q = q.into_inner();
    let from = q
        .from
        .as_deref()
        .map(time::parse_day)
        .transpose()
        .map_err(|m| AppError::validation("from", m))?;
    let to =
        q.to.as_deref()
            .map(time::parse_day)
            .transpose()
            .map_err(|m| AppError::validation("to", m))?;
    let page = page::request(q.limit, q.cursor.as_deref(), 500, oncall::LIST, 2)?;
    let out = oncall::list(
        &st.pool,
        user,
        path.into_inner().to_string(),
        from,
        to,
        page,
    )
    .await?;
    Ok(page::respond(&req, out))
}

/// Who is on call right now, and until when; 404 when nobody is.
#[utoipa::path(tag = "on-call", params(("team_id" = Uuid, Path)), responses(
    (status = 200, body = ShiftOut),
    (status = 404, description = "nobody is on call now (or no such team)", body = Problem, content_type = "application/problem+json"),
))]
#[get("/teams/{team_id}/oncall/now")]
pub async fn on_call_now(
    st: web::Data<AppState>,
    user: AuthUser,
    path: web::Path<Uuid>,
) -> AppResult<HttpResponse> {
    let shift = oncall::now(&st.pool, user, path.into_inner().to_string()).await?;
    Ok(HttpResponse::Ok().json(shift))
}
