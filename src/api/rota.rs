//! The on-call rota: the team's repeating week, applying it, and the coverage of the coming
//! days.

use crate::api::json::Json;
use crate::api::Problem;
use crate::auth::AuthUser;
use crate::domain::rota::{check_slots, SlotInput};
use crate::domain::time;
use crate::error::{AppError, AppResult};
use crate::state::AppState;
use crate::store::rota::{self, ApplyOut, CoverageOut, PatternOut};
use actix_web::{get, post, put, web, HttpResponse};
use serde::Deserialize;
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SlotIn {
    /// ISO weekday: 1 Monday … 7 Sunday.
    #[schema(minimum = 1, maximum = 7)]
    pub weekday: i64,
    /// Team-local HH:MM.
    #[schema(pattern = r"^([01]\d|2[0-3]):[0-5]\d$")]
    pub start: String,
    /// Team-local HH:MM; at or before `start` the slot runs past midnight (equal: 24 hours).
    #[schema(pattern = r"^([01]\d|2[0-3]):[0-5]\d$")]
    pub end: String,
    pub staff_id: Uuid,
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PatternIn {
    /// The version read (0 before any pattern); a different stored version is a 409.
    /// Omitted: replace whatever is stored.
    pub version: Option<i32>,
    #[schema(max_items = 200)]
    pub slots: Vec<SlotIn>,
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ApplyIn {
    /// First team-local day, YYYY-MM-DD.
    #[schema(pattern = r"^\d{4}-\d{2}-\d{2}$", format = Date)]
    pub from: String,
    /// How many weeks from `from` (1–8).
    #[schema(minimum = 1, maximum = 8)]
    pub weeks: i64,
}

#[derive(Deserialize, IntoParams)]
pub struct CoverageQuery {
    /// First team-local day YYYY-MM-DD (default: today).
    #[param(pattern = r"^\d{4}-\d{2}-\d{2}$", format = Date)]
    pub from: Option<String>,
    /// Last team-local day YYYY-MM-DD, inclusive (default: `from` + 14 days; at most 31 days
    /// from `from`, counting both).
    #[param(pattern = r"^\d{4}-\d{2}-\d{2}$", format = Date)]
    pub to: Option<String>,
}

/// The team's repeating on-call week (version 0 and no slots before one was stored).
#[utoipa::path(tag = "on-call", params(("team_id" = Uuid, Path)), responses(
    (status = 200, body = PatternOut),
))]
#[get("/teams/{team_id}/oncall/pattern")]
pub async fn get_oncall_pattern(
    st: web::Data<AppState>,
    user: AuthUser,
    path: web::Path<Uuid>,
) -> AppResult<HttpResponse> {
    let out = rota::get_pattern(&st.pool, user, path.into_inner().to_string()).await?;
    Ok(HttpResponse::Ok().json(out))
}

/// Replace the team's repeating on-call week (leads and admins). Slots may not overlap one
/// another (also across midnight and from Sunday into Monday); every slot's person must work
/// on the team.
#[utoipa::path(tag = "on-call", params(("team_id" = Uuid, Path)), request_body = PatternIn, responses(
    (status = 200, body = PatternOut),
    (status = 403, body = Problem, content_type = "application/problem+json"),
    (status = 409, description = "`version` is not the stored one (`version_conflict`, the current pattern in `current`)", body = Problem, content_type = "application/problem+json"),
    (status = 422, description = "a bad slot (`slots[i].weekday|start|end`), overlapping slots (`slots[i].start`), or a person not working on the team (`slots[i].staff_id`)", body = Problem, content_type = "application/problem+json"),
))]
#[put("/teams/{team_id}/oncall/pattern")]
pub async fn put_oncall_pattern(
    st: web::Data<AppState>,
    user: AuthUser,
    path: web::Path<Uuid>,
    body: Json<PatternIn>,
) -> AppResult<HttpResponse> {
    let b = body.0;
    let ids: Vec<String> = b.slots.iter().map(|s| s.staff_id.to_string()).collect();
    let input: Vec<SlotInput<'_>> = b
        .slots
        .iter()
        .zip(&ids)
        .map(|(s, id)| SlotInput {
            weekday: s.weekday,
            start: &s.start,
            end: &s.end,
            staff_id: id,
        })
        .collect();
    let slots = check_slots(&input).map_err(AppError::from_fields)?;
    let out = rota::put_pattern(
        &st.pool,
        user,
        path.into_inner().to_string(),
        b.version,
        slots,
    )
    .await?;
    Ok(HttpResponse::Ok().json(out))
}

/// Turn the repeating week into shifts for 1–8 weeks from a team-local day (leads and
/// admins), in one transaction. A slot occurrence that would overlap a shift already there is
/// skipped (hand-made exceptions stay; applying twice creates nothing new).
#[utoipa::path(tag = "on-call", params(("team_id" = Uuid, Path)), request_body = ApplyIn, responses(
    (status = 200, body = ApplyOut),
    (status = 403, body = Problem, content_type = "application/problem+json"),
    (status = 422, description = "a bad `from` or `weeks`", body = Problem, content_type = "application/problem+json"),
))]
#[post("/teams/{team_id}/oncall/pattern/apply")]
pub async fn apply_oncall_pattern(
    st: web::Data<AppState>,
    user: AuthUser,
    path: web::Path<Uuid>,
    body: Json<ApplyIn>,
) -> AppResult<HttpResponse> {
    let b = body.0;
    let from = time::parse_day(&b.from).map_err(|m| AppError::validation("from", m))?;
    if !(1..=8).contains(&b.weeks) {
        return Err(AppError::validation("weeks", "must be 1 to 8"));
    }
    let out = rota::apply(
        &st.pool,
        user,
        path.into_inner().to_string(),
        from,
        b.weeks as u32,
    )
    .await?;
    Ok(HttpResponse::Ok().json(out))
}

/// Who is on call over a range of team-local days and where nobody is (default: today and
/// the next 14 days; at most 31 days).
#[utoipa::path(tag = "on-call", params(("team_id" = Uuid, Path), CoverageQuery), responses(
    (status = 200, body = CoverageOut),
    (status = 422, description = "a bad day, `to` before `from`, or more than 31 days (`validation_failed`)", body = Problem, content_type = "application/problem+json"),
))]
#[get("/teams/{team_id}/oncall/coverage")]
pub async fn oncall_coverage(
    st: web::Data<AppState>,
    user: AuthUser,
    path: web::Path<Uuid>,
    q: web::Query<CoverageQuery>,
) -> AppResult<HttpResponse> {
    let q = q.into_inner();
    let day = |v: Option<String>, field: &str| {
        v.as_deref()
            .map(time::parse_day)
            .transpose()
            .map_err(|m| AppError::validation(field, m))
    };
    let from = day(q.from, "from")?;
    let to = day(q.to, "to")?;
    let out = rota::coverage(&st.pool, user, path.into_inner().to_string(), from, to).await?;
    Ok(HttpResponse::Ok().json(out))
}
