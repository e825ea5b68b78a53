//! Absences: "X is out from … to …, Y covers" (leads record and cancel; the team reads).

use crate::api::json::Json;
use crate::api::Problem;
use crate::auth::AuthUser;
use crate::domain::absence::{self as rules, MAX_REASON};
use crate::domain::{text, time, FieldError};
use crate::error::{AppError, AppResult};
use crate::state::AppState;
use crate::store::absences::{self, AbsenceCreated, AbsenceOut, NewAbsence};
use actix_web::{delete, get, post, web, HttpResponse};
use serde::Deserialize;
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewAbsenceBody {
    /// Who is out: a working member (member or lead) of the team.
    pub staff_id: Uuid,
    /// First day out, team-local YYYY-MM-DD (2000–2099).
    #[schema(pattern = r"^\d{4}-\d{2}-\d{2}$", format = Date)]
    pub from: String,
    /// Last day out (included), not before `from`; at most 92 days in all.
    #[schema(pattern = r"^\d{4}-\d{2}-\d{2}$", format = Date)]
    pub to: String,
    /// Who takes over: every planned visit of `staff_id` in the range moves to this working
    /// member. Without it nothing moves.
    pub covered_by: Option<Uuid>,
    /// Free text (up to 500 characters); never shown on a privacy display.
    #[schema(max_length = 500)]
    pub reason: Option<String>,
    /// Move the visits even when they overlap visits `covered_by` already has (otherwise
    /// 409 `double_booked` and nothing is written).
    #[serde(default)]
    pub allow_overlap: bool,
}

#[derive(Deserialize, IntoParams)]
pub struct AbsenceQuery {
    /// Absences that include a day from this one on (default: today, team-local).
    #[param(pattern = r"^\d{4}-\d{2}-\d{2}$", format = Date)]
    pub from: Option<String>,
    /// … up to this day, included (default: no end).
    #[param(pattern = r"^\d{4}-\d{2}-\d{2}$", format = Date)]
    pub to: Option<String>,
}

/// Record an absence (leads and admins). Every planned visit of the person in the range moves
/// to `covered_by` in the same transaction (`contacts.reassigned` per day, then
/// `absence.created`).
#[utoipa::path(tag = "contacts", params(("team_id" = Uuid, Path)), request_body = NewAbsenceBody, responses(
    (status = 201, body = AbsenceCreated),
    (status = 403, body = Problem, content_type = "application/problem+json"),
    (status = 409, description = "`double_booked` (moving the visits would overlap visits `covered_by` already has; `conflicts`; nothing written) or `conflict` (the person is already out on one of these days; `overlaps`)", body = Problem, content_type = "application/problem+json"),
    (status = 422, description = "`from`/`to` not real days in 2000–2099, `to` before `from` or more than 92 days after it, `staff_id`/`covered_by` not working members", body = Problem, content_type = "application/problem+json"),
))]
#[post("/teams/{team_id}/absences")]
pub async fn create_absence(
    st: web::Data<AppState>,
    user: AuthUser,
    path: web::Path<Uuid>,
    body: Json<NewAbsenceBody>,
) -> AppResult<HttpResponse> {
    let b = body.0;
    let mut errors = vec![];
    let range = rules::check_range(&b.from, &b.to, &mut errors);
    let reason = text::optional("reason", b.reason.as_deref(), MAX_REASON)
        .map_err(|e| errors.push(e))
        .ok()
        .flatten();
    let Some((from, to)) = range.filter(|_| errors.is_empty()) else {
        return Err(AppError::from_fields(errors));
    };
    let n = NewAbsence {
        staff_id: b.staff_id.to_string(),
        from,
        to,
        covered_by: b.covered_by.map(|u| u.to_string()),
        reason,
        allow_overlap: b.allow_overlap,
    };
    let out = absences::create(&st.pool, user, path.into_inner().to_string(), n).await?;
    Ok(HttpResponse::Created().json(out))
}

/// The team's absences that include a day of `from..=to` (any member of the team).
#[utoipa::path(tag = "contacts", params(("team_id" = Uuid, Path), AbsenceQuery), responses(
    (status = 200, body = Vec<AbsenceOut>),
    (status = 422, description = "A query parameter breaks a rule (`validation_failed`)", body = Problem, content_type = "application/problem+json"),
))]
#[get("/teams/{team_id}/absences")]
pub async fn list_absences(
    st: web::Data<AppState>,
    user: AuthUser,
    path: web::Path<Uuid>,
    q: web::Query<AbsenceQuery>,
) -> AppResult<HttpResponse> {
    let q = q.into_inner();
    let mut errors = vec![];
    let mut parse = |field: &str, v: Option<&str>| {
        v.map(time::parse_day)
            .transpose()
            .map_err(|m| errors.push(FieldError::new(field, m)))
            .ok()
            .flatten()
    };
    let from = parse("from", q.from.as_deref());
    let to = parse("to", q.to.as_deref());
    if let (Some(f), Some(t)) = (from, to) {
        if t < f {
            errors.push(FieldError::new("to", "must be on or after from"));
        }
    }
    if !errors.is_empty() {
        return Err(AppError::from_fields(errors));
    }
    let out = absences::list(&st.pool, user, path.into_inner().to_string(), from, to).await?;
    Ok(HttpResponse::Ok().json(out))
}

/// Cancel an absence (leads and admins). The visits it moved are not moved back.
#[utoipa::path(tag = "contacts", params(("team_id" = Uuid, Path), ("absence_id" = Uuid, Path)), responses(
    (status = 204, description = "Cancelled"),
    (status = 403, body = Problem, content_type = "application/problem+json"),
))]
#[delete("/teams/{team_id}/absences/{absence_id}")]
pub async fn delete_absence(
    st: web::Data<AppState>,
    user: AuthUser,
    path: web::Path<(Uuid, Uuid)>,
) -> AppResult<HttpResponse> {
    let (team_id, id) = path.into_inner();
    absences::delete(&st.pool, user, team_id.to_string(), id.to_string()).await?;
    Ok(HttpResponse::NoContent().finish())
}
