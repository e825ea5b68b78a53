//! Referral and screening: a lead screens a referred client against the three SMI tests and
//! the high-need indicators, then accepts or declines; the team's referrals and intake rate.

use crate::api::json::Json;
use crate::api::Problem;
use crate::auth::AuthUser;
use crate::domain::care::intake::{Intake, DEFAULT_MONTHS, MAX_MONTHS};
use crate::domain::care::screening::{Decision, Diagnosis, Impairment, ScreeningAnswers};
use crate::domain::{text, FieldError};
use crate::error::{AppError, AppResult};
use crate::state::AppState;
use crate::store::screenings::{self, DecisionIn, DecisionOut, ReferralOut, ScreeningOut};
use actix_web::{get, post, put, web, HttpResponse};
use serde::Deserialize;
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;

const MAX_REASON: usize = 1000;

/// The screener's answers (API.md, "The care cycle").
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ScreeningBody {
    pub diagnosis: Diagnosis,
    /// Years since the illness began (0–100).
    #[schema(minimum = 0, maximum = 100)]
    pub illness_years: i64,
    /// Life areas with impairment (a repeat counts once).
    #[serde(default)]
    pub impairments: Vec<Impairment>,
    #[schema(minimum = 0, maximum = 365)]
    pub psychiatric_admissions_12m: i64,
    /// Days in hospital over the last 24 months (0–731).
    #[schema(minimum = 0, maximum = 731)]
    pub hospital_days_24m: i64,
    #[schema(minimum = 0, maximum = 365)]
    pub ed_visits_12m: i64,
    pub homeless: bool,
    pub justice_involved: bool,
    pub co_occurring_sud: bool,
    pub not_engaging_office: bool,
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct DecisionBody {
    pub decision: Decision,
    /// Required when the decision goes against the recommendation (up to 1000 characters).
    #[schema(max_length = 1000)]
    pub reason: Option<String>,
    /// The case manager of an accepted client (required on an ICM team; the cap applies).
    pub case_manager_id: Option<Uuid>,
}

#[derive(Deserialize, IntoParams)]
pub struct IntakeQuery {
    /// Months to show, ending with this one (1–24, default 12).
    #[param(minimum = 1, maximum = 24)]
    pub months: Option<i64>,
}

fn count(field: &str, v: i64, max: i64, errors: &mut Vec<FieldError>) -> u32 {
    if (0..=max).contains(&v) {
        v as u32
    } else {
        errors.push(FieldError::new(
            field,
            format!("must be a whole number from 0 to {max}"),
        ));
        0
    }
}

/// Screen a referred client (leads). The client moves from `referred` to `screening`
/// (`client.updated`) and the screening is recorded (`screening.recorded`); screening again
/// keeps the earlier ones. `smi` needs all three tests; `high_need` any indicator; the
/// recommendation is the team's mode (`act`/`icm`) for SMI and high need, `standard` for SMI
/// alone, else `refer_elsewhere`, each reason in words.
#[utoipa::path(tag = "care", params(("team_id" = Uuid, Path), ("client_id" = Uuid, Path)), request_body = ScreeningBody, responses(
    (status = 200, body = ScreeningOut),
    (status = 403, description = "Not a lead", body = Problem, content_type = "application/problem+json"),
    (status = 409, description = "`conflict`: the client is not referred or in screening", body = Problem, content_type = "application/problem+json"),
    (status = 422, description = "`validation_failed`: an unknown diagnosis or impairment, a number out of range", body = Problem, content_type = "application/problem+json"),
))]
#[put("/teams/{team_id}/clients/{client_id}/screening")]
pub async fn put_screening(
    st: web::Data<AppState>,
    user: AuthUser,
    path: web::Path<(Uuid, Uuid)>,
    body: Json<ScreeningBody>,
) -> AppResult<HttpResponse> {
    let (team_id, client_id) = path.into_inner();
    let b = body.0;
    let mut errors = vec![];
    let mut impairments = b.impairments;
    impairments.dedup();
    let mut seen = vec![];
    impairments.retain(|i| {
        if seen.contains(i) {
            false
        } else {
            seen.push(*i);
            true
        }
    });
    let answers = ScreeningAnswers {
        diagnosis: b.diagnosis,
        illness_years: count("illness_years", b.illness_years, 100, &mut errors),
        impairments,
        psychiatric_admissions_12m: count(
            "psychiatric_admissions_12m",
            b.psychiatric_admissions_12m,
            365,
            &mut errors,
        ),
        hospital_days_24m: count("hospital_days_24m", b.hospital_days_24m, 731, &mut errors),
        ed_visits_12m: count("ed_visits_12m", b.ed_visits_12m, 365, &mut errors),
        homeless: b.homeless,
        justice_involved: b.justice_involved,
        co_occurring_sud: b.co_occurring_sud,
        not_engaging_office: b.not_engaging_office,
    };
    if !errors.is_empty() {
        return Err(AppError::from_fields(errors));
    }
    let out = screenings::record(
        &st.pool,
        user,
        team_id.to_string(),
        client_id.to_string(),
        answers,
    )
    .await?;
    Ok(HttpResponse::Ok().json(out))
}

/// The client's latest screening, or `null` when the client was never screened (any member
/// of the team; the read is audited).
#[utoipa::path(tag = "care", params(("team_id" = Uuid, Path), ("client_id" = Uuid, Path)), responses(
    (status = 200, body = Option<ScreeningOut>),
))]
#[get("/teams/{team_id}/clients/{client_id}/screening")]
pub async fn get_screening(
    st: web::Data<AppState>,
    user: AuthUser,
    path: web::Path<(Uuid, Uuid)>,
) -> AppResult<HttpResponse> {
    let (team_id, client_id) = path.into_inner();
    let out =
        screenings::latest(&st.pool, user, team_id.to_string(), client_id.to_string()).await?;
    Ok(HttpResponse::Ok().json(out))
}

/// Decide on the latest screening (leads): `accept` makes the client `active` (an ICM team
/// needs `case_manager_id`, and the cap applies: 409 `caseload_full`), `decline` makes them
/// `declined`. Deciding against the recommendation needs a `reason`.
#[utoipa::path(tag = "care", params(("team_id" = Uuid, Path), ("client_id" = Uuid, Path)), request_body = DecisionBody, responses(
    (status = 200, body = DecisionOut),
    (status = 403, description = "Not a lead", body = Problem, content_type = "application/problem+json"),
    (status = 409, description = "`not_screened` (no screening yet), `conflict` (already decided), `caseload_full`", body = Problem, content_type = "application/problem+json"),
    (status = 422, description = "`validation_failed`: no `reason` against the recommendation, no or a wrong `case_manager_id` on an ICM team", body = Problem, content_type = "application/problem+json"),
))]
#[post("/teams/{team_id}/clients/{client_id}/screening/decision")]
pub async fn decide_screening(
    st: web::Data<AppState>,
    user: AuthUser,
    path: web::Path<(Uuid, Uuid)>,
    body: Json<DecisionBody>,
) -> AppResult<HttpResponse> {
    let (team_id, client_id) = path.into_inner();
    let b = body.0;
    let reason = text::optional("reason", b.reason.as_deref(), MAX_REASON)
        .map_err(|e| AppError::from_fields(vec![e]))?;
    let d = DecisionIn {
        decision: b.decision,
        reason,
        case_manager_id: b.case_manager_id.map(|u| u.to_string()),
    };
    let out = screenings::decide(
        &st.pool,
        user,
        team_id.to_string(),
        client_id.to_string(),
        d,
    )
    .await?;
    Ok(HttpResponse::Ok().json(out))
}

/// The clients waiting in `referred` or `screening`, with how long they have waited and
/// their latest screening: high need first, by hospital days a month, then the longest
/// waiting (any member of the team).
#[utoipa::path(tag = "care", params(("team_id" = Uuid, Path)), responses(
    (status = 200, body = Vec<ReferralOut>),
))]
#[get("/teams/{team_id}/referrals")]
pub async fn list_referrals(
    st: web::Data<AppState>,
    user: AuthUser,
    path: web::Path<Uuid>,
) -> AppResult<HttpResponse> {
    let out = screenings::referrals(&st.pool, user, path.into_inner().to_string()).await?;
    Ok(HttpResponse::Ok().json(out))
}

/// The intake rate per team-local month: referred (by the referral's day), accepted (by
/// `enrolled_on`) and declined (by the decision's day), and the most accepted in one month
/// over the last six with its DACTS O2 score (any member of the team).
#[utoipa::path(tag = "care", params(("team_id" = Uuid, Path), IntakeQuery), responses(
    (status = 200, body = Intake),
    (status = 422, description = "`months` outside 1–24", body = Problem, content_type = "application/problem+json"),
))]
#[get("/teams/{team_id}/intake")]
pub async fn get_intake(
    st: web::Data<AppState>,
    user: AuthUser,
    path: web::Path<Uuid>,
    q: web::Query<IntakeQuery>,
) -> AppResult<HttpResponse> {
    let months = q.months.unwrap_or(i64::from(DEFAULT_MONTHS));
    if !(1..=i64::from(MAX_MONTHS)).contains(&months) {
        return Err(AppError::validation(
            "months",
            format!("must be from 1 to {MAX_MONTHS}"),
        ));
    }
    let out = screenings::intake_rate(&st.pool, user, path.into_inner().to_string(), months as u32)
        .await?;
    Ok(HttpResponse::Ok().json(out))
}
