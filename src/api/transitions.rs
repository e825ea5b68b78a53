//! Transition (step-down, transfer, discharge) with its readiness review and warm hand-off,
//! the check-ins after it, and a return within a year without new screening.

use crate::api::clients::ResolveOpenFlags;
use crate::api::json::Json;
use crate::api::Problem;
use crate::auth::AuthUser;
use crate::domain::care::transition::{CheckinOutcome, ReadinessAreas, TransitionPlan};
use crate::domain::client::DischargeReason;
use crate::domain::{flag, text, FieldError};
use crate::error::{AppError, AppResult};
use crate::state::AppState;
use crate::store::clients::ClientOut;
use crate::store::transitions::{
    self, check_handoff, CheckinOut, CompleteIn, StartIn, TransitionOut, WarmHandoff,
};
use actix_web::{get, post, web, HttpResponse};
use serde::Deserialize;
use utoipa::ToSchema;
use uuid::Uuid;

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct TransitionBody {
    /// Each area `ready`, `unclear` or `not_ready`.
    pub readiness: ReadinessAreas,
    pub plan: TransitionPlan,
    /// The receiving team (step_down: an ICM team; transfer: any other team); the caller must
    /// lead it too. Not with `discharge`.
    pub to_team_id: Option<Uuid>,
    /// A case manager on the receiving team (an ICM team needs one by completion).
    pub to_case_manager_id: Option<Uuid>,
    /// Why, in words.
    #[serde(default)]
    #[schema(max_length = 1000)]
    pub note: String,
    /// The warm hand-off's I-PASS fields (may also be given when completing).
    pub handoff: Option<WarmHandoff>,
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CompleteBody {
    /// Required for a discharge plan.
    pub discharge_reason: Option<DischargeReason>,
    /// A discharge plan: resolve the client's open flags with this outcome.
    pub resolve_open_flags: Option<ResolveOpenFlags>,
    /// Replaces the planned receiving case manager.
    pub to_case_manager_id: Option<Uuid>,
    /// Replaces the hand-off fields given when starting.
    pub handoff: Option<WarmHandoff>,
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CheckinBody {
    pub outcome: CheckinOutcome,
    #[serde(default)]
    #[schema(max_length = 1000)]
    pub note: Option<String>,
}

#[derive(Deserialize, ToSchema, Default)]
#[serde(deny_unknown_fields)]
pub struct ReturnBody {
    /// The case manager (an ICM team needs one; the cap applies).
    pub case_manager_id: Option<Uuid>,
}

fn fields(errors: Vec<FieldError>) -> AppResult<()> {
    if errors.is_empty() {
        Ok(())
    } else {
        Err(AppError::from_fields(errors))
    }
}

/// Start a client's transition (leads): the readiness review over six areas, its summary
/// (`consider` when none is not ready and at least 5 are ready; `not_ready` at 2 or more not
/// ready; else `unclear`), the plan and its target. The client becomes `transitioning`.
#[utoipa::path(tag = "care", params(("team_id" = Uuid, Path), ("client_id" = Uuid, Path)), request_body = TransitionBody, responses(
    (status = 200, body = TransitionOut),
    (status = 403, body = Problem, content_type = "application/problem+json"),
    (status = 409, description = "`conflict`: an open transition already", body = Problem, content_type = "application/problem+json"),
    (status = 422, description = "`validation_failed` naming the field (a move without its team, a discharge with one, a step-down to a non-ICM team, a team the caller does not lead, a case manager who cannot carry there, hand-off fields) or `invalid_transition` (the client is not active)", body = Problem, content_type = "application/problem+json"),
))]
#[post("/teams/{team_id}/clients/{client_id}/transition")]
pub async fn start_transition(
    st: web::Data<AppState>,
    user: AuthUser,
    path: web::Path<(Uuid, Uuid)>,
    body: Json<TransitionBody>,
) -> AppResult<HttpResponse> {
    let (team_id, client_id) = path.into_inner();
    let b = body.0;
    let mut errors = vec![];
    let note = text::optional("note", Some(&b.note), 1000)
        .map_err(|e| errors.push(e))
        .ok()
        .flatten()
        .unwrap_or_default();
    if let Some(h) = &b.handoff {
        errors.extend(check_handoff(h));
    }
    fields(errors)?;
    let out = transitions::start(
        &st.pool,
        user,
        team_id.to_string(),
        client_id.to_string(),
        StartIn {
            readiness: b.readiness,
            plan: b.plan,
            to_team_id: b.to_team_id.map(|x| x.to_string()),
            to_case_manager_id: b.to_case_manager_id.map(|x| x.to_string()),
            note,
            handoff: b.handoff.map(normalized),
        },
    )
    .await?;
    Ok(HttpResponse::Ok().json(out))
}

fn normalized(mut h: WarmHandoff) -> WarmHandoff {
    h.summary = h.summary.trim().to_string();
    h.contingency = h.contingency.trim().to_string();
    h.actions = h.actions.iter().map(|a| a.trim().to_string()).collect();
    h.to_staff_id = h.to_staff_id.map(|s| s.to_lowercase());
    h
}

/// The client's current transition: the open one, else the latest (readers of the team, also
/// after the client left it; the read is audited).
#[utoipa::path(tag = "care", params(("team_id" = Uuid, Path), ("client_id" = Uuid, Path)), responses(
    (status = 200, body = TransitionOut),
    (status = 404, description = "No such client of this team, or no transition (`not_found`)", body = Problem, content_type = "application/problem+json"),
))]
#[get("/teams/{team_id}/clients/{client_id}/transition")]
pub async fn get_transition(
    st: web::Data<AppState>,
    user: AuthUser,
    path: web::Path<(Uuid, Uuid)>,
) -> AppResult<HttpResponse> {
    let (team_id, client_id) = path.into_inner();
    let out = transitions::get(&st.pool, user, team_id.to_string(), client_id.to_string()).await?;
    Ok(HttpResponse::Ok().json(out))
}

/// Carry out the open transition (leads): a step-down or transfer moves the client to the
/// receiving team (its cap applies; the client is active there) and writes the warm hand-off
/// there as an I-PASS handoff; a discharge needs its reason (open flags: 409 `open_flags`
/// unless `resolve_open_flags`). Either way check-ins are scheduled at 30, 60 and 90 days.
#[utoipa::path(tag = "care", params(("team_id" = Uuid, Path), ("client_id" = Uuid, Path)), request_body = CompleteBody, responses(
    (status = 200, body = TransitionOut),
    (status = 403, body = Problem, content_type = "application/problem+json"),
    (status = 409, description = "`conflict` (no open transition), `caseload_full` (the receiving case manager), `open_flags`", body = Problem, content_type = "application/problem+json"),
    (status = 422, description = "`validation_failed`: `discharge_reason`, `handoff`, `handoff.to_staff_id`, `case_manager_id` (an ICM team needs one)", body = Problem, content_type = "application/problem+json"),
))]
#[post("/teams/{team_id}/clients/{client_id}/transition/complete")]
pub async fn complete_transition(
    st: web::Data<AppState>,
    user: AuthUser,
    path: web::Path<(Uuid, Uuid)>,
    body: Json<CompleteBody>,
) -> AppResult<HttpResponse> {
    let (team_id, client_id) = path.into_inner();
    let b = body.0;
    let mut errors = vec![];
    if let Some(h) = &b.handoff {
        errors.extend(check_handoff(h));
    }
    let resolve = b.resolve_open_flags.as_ref().and_then(|r| {
        flag::check_text("resolve_open_flags.outcome", &r.outcome)
            .map_err(|e| errors.push(e))
            .ok()
    });
    fields(errors)?;
    let out = transitions::complete(
        &st.pool,
        user,
        team_id.to_string(),
        client_id.to_string(),
        CompleteIn {
            discharge_reason: b.discharge_reason,
            resolve_open_flags: resolve,
            to_case_manager_id: b.to_case_manager_id.map(|x| x.to_string()),
            handoff: b.handoff.map(normalized),
        },
    )
    .await?;
    Ok(HttpResponse::Ok().json(out))
}

/// Call off the open transition (leads): the client is active again.
#[utoipa::path(tag = "care", params(("team_id" = Uuid, Path), ("client_id" = Uuid, Path)), responses(
    (status = 200, body = TransitionOut),
    (status = 403, body = Problem, content_type = "application/problem+json"),
    (status = 409, description = "`conflict`: no open transition", body = Problem, content_type = "application/problem+json"),
))]
#[post("/teams/{team_id}/clients/{client_id}/transition/cancel")]
pub async fn cancel_transition(
    st: web::Data<AppState>,
    user: AuthUser,
    path: web::Path<(Uuid, Uuid)>,
) -> AppResult<HttpResponse> {
    let (team_id, client_id) = path.into_inner();
    let out =
        transitions::cancel(&st.pool, user, team_id.to_string(), client_id.to_string()).await?;
    Ok(HttpResponse::Ok().json(out))
}

/// The check-ins this team owes the client after they left (oldest first; readers of the
/// team, also when the client is discharged or on another team; the read is audited).
#[utoipa::path(tag = "care", params(("team_id" = Uuid, Path), ("client_id" = Uuid, Path)), responses(
    (status = 200, body = Vec<CheckinOut>),
))]
#[get("/teams/{team_id}/clients/{client_id}/checkins")]
pub async fn list_checkins(
    st: web::Data<AppState>,
    user: AuthUser,
    path: web::Path<(Uuid, Uuid)>,
) -> AppResult<HttpResponse> {
    let (team_id, client_id) = path.into_inner();
    let out =
        transitions::list_checkins(&st.pool, user, team_id.to_string(), client_id.to_string())
            .await?;
    Ok(HttpResponse::Ok().json(out))
}

/// Record a check-in (members of the sending team): `reached`, `not_reached` or
/// `needs_support`, with a note. Once: a second record is 409.
#[utoipa::path(tag = "care", params(("team_id" = Uuid, Path), ("client_id" = Uuid, Path), ("checkin_id" = Uuid, Path)), request_body = CheckinBody, responses(
    (status = 200, body = CheckinOut),
    (status = 403, body = Problem, content_type = "application/problem+json"),
    (status = 409, description = "`conflict`: already recorded", body = Problem, content_type = "application/problem+json"),
))]
#[post("/teams/{team_id}/clients/{client_id}/checkins/{checkin_id}")]
pub async fn record_checkin(
    st: web::Data<AppState>,
    user: AuthUser,
    path: web::Path<(Uuid, Uuid, Uuid)>,
    body: Json<CheckinBody>,
) -> AppResult<HttpResponse> {
    let (team_id, client_id, checkin_id) = path.into_inner();
    let b = body.0;
    let note = text::optional("note", b.note.as_deref(), 1000).map_err(AppError::from_field)?;
    let out = transitions::record_checkin(
        &st.pool,
        user,
        team_id.to_string(),
        client_id.to_string(),
        checkin_id.to_string(),
        b.outcome,
        note,
    )
    .await?;
    Ok(HttpResponse::Ok().json(out))
}

/// A client discharged within the last year returns without new screening (leads): active
/// again, the caseload cap applies, an ICM team needs a case manager. Older than a year: 422
/// `return_too_late` (refer them again).
#[utoipa::path(tag = "care", params(("team_id" = Uuid, Path), ("client_id" = Uuid, Path)), request_body = ReturnBody, responses(
    (status = 200, body = ClientOut),
    (status = 403, body = Problem, content_type = "application/problem+json"),
    (status = 409, description = "`caseload_full`", body = Problem, content_type = "application/problem+json"),
    (status = 422, description = "`return_too_late` (discharged more than a year ago: refer again), `invalid_transition` (not discharged), `validation_failed` (`case_manager_id`)", body = Problem, content_type = "application/problem+json"),
))]
#[post("/teams/{team_id}/clients/{client_id}/return")]
pub async fn return_client(
    st: web::Data<AppState>,
    user: AuthUser,
    path: web::Path<(Uuid, Uuid)>,
    body: Json<ReturnBody>,
) -> AppResult<HttpResponse> {
    let (team_id, client_id) = path.into_inner();
    let out = transitions::return_client(
        &st.pool,
        user,
        team_id.to_string(),
        client_id.to_string(),
        body.0.case_manager_id.map(|x| x.to_string()),
    )
    .await?;
    Ok(HttpResponse::Ok().json(out))
}
