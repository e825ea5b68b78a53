//! Teams: created by admins, read by members, settings changed by leads.

use crate::api::json::Json;
use crate::api::Problem;
use crate::auth::AuthUser;
use crate::domain::care::screening::Diagnosis;
use crate::domain::team::{self as rules, Mode, Privacy};
use crate::domain::FieldError;
use crate::error::{AppError, AppResult};
use crate::state::AppState;
use crate::store::teams::{self, TeamChanges, TeamOut};
use actix_web::{get, patch, post, web, HttpResponse};
use serde::Deserialize;
use utoipa::ToSchema;
use uuid::Uuid;

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewTeam {
    #[schema(min_length = 1, max_length = 100, pattern = r"\S")]
    pub name: String,
    pub mode: Mode,
    /// IANA time zone name, e.g. America/New_York.
    pub timezone: String,
    /// ICM only: 1–15, default 15.
    #[schema(minimum = 1, maximum = 15)]
    pub caseload_cap: Option<i32>,
    pub privacy: Option<Privacy>,
    /// Minutes an emergency flag may go unanswered before it escalates (1–240, default 10).
    #[schema(minimum = 1, maximum = 240)]
    pub escalate_after_minutes: Option<i32>,
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct TeamPatch {
    /// The version you read; a stale one is refused with 409 `version_conflict`.
    #[schema(minimum = 1)]
    pub version: i32,
    #[schema(min_length = 1, max_length = 100, pattern = r"\S")]
    pub name: Option<String>,
    pub timezone: Option<String>,
    #[schema(minimum = 1, maximum = 15)]
    pub caseload_cap: Option<i32>,
    pub privacy: Option<Privacy>,
    /// Switching to ICM is refused while anyone carries more than the cap or an active
    /// client has no case manager.
    pub mode: Option<Mode>,
    /// Minutes an emergency flag may go unanswered before it escalates to the on-call person
    /// and the leads (1–240).
    #[schema(minimum = 1, maximum = 240)]
    pub escalate_after_minutes: Option<i32>,
    /// Narrow the diagnoses that qualify at screening (a non-empty subset of the contract's
    /// default: schizophrenia_spectrum, bipolar, major_depression_psychotic, other_psychotic,
    /// personality); `null` restores the default.
    #[serde(default, deserialize_with = "crate::api::json::present")]
    #[schema(value_type = Option<Vec<Diagnosis>>)]
    pub qualifying_diagnoses: Option<Option<Vec<Diagnosis>>>,
}

/// Create a team (admins only).
#[utoipa::path(tag = "teams", request_body = NewTeam, responses(
    (status = 201, body = TeamOut),
    (status = 403, body = Problem, content_type = "application/problem+json"),
))]
#[post("/teams")]
pub async fn create_team(
    st: web::Data<AppState>,
    user: AuthUser,
    body: Json<NewTeam>,
) -> AppResult<HttpResponse> {
    // Before the field checks: a non-admin learns nothing about valid input.
    user.require_admin(teams::CREATE)?;
    let b = body.0;
    let mut errors = vec![];
    let name = rules::check_name(&b.name).map_err(|e| errors.push(e)).ok();
    let tz = rules::check_timezone(&b.timezone)
        .map_err(|e| errors.push(e))
        .ok();
    let cap = rules::check_cap(b.caseload_cap.unwrap_or(rules::MAX_CASELOAD_CAP))
        .map_err(|e| errors.push(e))
        .ok();
    let escalate = rules::check_escalate_after(
        b.escalate_after_minutes
            .unwrap_or(rules::DEFAULT_ESCALATE_AFTER),
    )
    .map_err(|e| errors.push(e))
    .ok();
    let (Some(name), Some(timezone), Some(caseload_cap), Some(escalate_after_minutes)) =
        (name, tz, cap, escalate)
    else {
        return Err(AppError::from_fields(errors));
    };
    let t = teams::NewTeam {
        name,
        mode: b.mode,
        timezone,
        caseload_cap,
        privacy: b.privacy.unwrap_or(Privacy::Names),
        escalate_after_minutes,
    };
    Ok(HttpResponse::Created().json(teams::create(&st.pool, user, t).await?))
}

/// The caller's teams (every team for an admin).
#[utoipa::path(tag = "teams", responses((status = 200, body = Vec<TeamOut>)))]
#[get("/teams")]
pub async fn list_teams(st: web::Data<AppState>, user: AuthUser) -> AppResult<HttpResponse> {
    Ok(HttpResponse::Ok().json(teams::list(&st.pool, user).await?))
}

/// One team (members and admins; others get 404).
#[utoipa::path(tag = "teams", params(("team_id" = Uuid, Path)), responses((status = 200, body = TeamOut)))]
#[get("/teams/{team_id}")]
pub async fn get_team(
    st: web::Data<AppState>,
    user: AuthUser,
    path: web::Path<Uuid>,
) -> AppResult<HttpResponse> {
    let team = teams::get(&st.pool, user, path.into_inner().to_string()).await?;
    Ok(HttpResponse::Ok().json(team))
}

/// Change a team's settings (leads and admins), with the version last read.
#[utoipa::path(tag = "teams", params(("team_id" = Uuid, Path)), request_body = TeamPatch, responses(
    (status = 200, body = TeamOut),
    (status = 403, body = Problem, content_type = "application/problem+json"),
    (status = 409, description = "version_conflict (with `current`); caseload_full when the cap would be below someone's caseload (names them in `over`)", body = Problem, content_type = "application/problem+json"),
))]
#[patch("/teams/{team_id}")]
pub async fn patch_team(
    st: web::Data<AppState>,
    user: AuthUser,
    path: web::Path<Uuid>,
    body: Json<TeamPatch>,
) -> AppResult<HttpResponse> {
    let p = body.0;
    let mut errors = vec![];
    let name = keep(p.name.as_deref().map(rules::check_name), &mut errors);
    let timezone = keep(
        p.timezone.as_deref().map(rules::check_timezone),
        &mut errors,
    );
    let caseload_cap = keep(p.caseload_cap.map(rules::check_cap), &mut errors);
    let escalate_after_minutes = keep(
        p.escalate_after_minutes.map(rules::check_escalate_after),
        &mut errors,
    );
    if let Some(Some(list)) = &p.qualifying_diagnoses {
        if list.is_empty() {
            errors.push(FieldError::new(
                "qualifying_diagnoses",
                "name at least one diagnosis, or null for the default",
            ));
        } else if let Some(d) = list
            .iter()
            .find(|d| !Diagnosis::DEFAULT_QUALIFYING.contains(d))
        {
            errors.push(FieldError::new(
                "qualifying_diagnoses",
                format!(
                    "{} is not among the default qualifying diagnoses; a team may only narrow them",
                    d.words()
                ),
            ));
        }
    }
    if !errors.is_empty() {
        return Err(AppError::from_fields(errors));
    }
    let changes = TeamChanges {
        version: p.version,
        name,
        timezone,
        caseload_cap,
        privacy: p.privacy,
        mode: p.mode,
        escalate_after_minutes,
        qualifying_diagnoses: p.qualifying_diagnoses.map(|o| {
            o.map(|mut l| {
                l.sort_by_key(|d| Diagnosis::ALL.iter().position(|x| x == d));
                l.dedup();
                l
            })
        }),
    };
    let team = teams::update(&st.pool, user, path.into_inner().to_string(), changes).await?;
    Ok(HttpResponse::Ok().json(team))
}

/// A checked optional field: its value, or its error added to `errors`.
fn keep<T>(r: Option<Result<T, FieldError>>, errors: &mut Vec<FieldError>) -> Option<T> {
    match r? {
        Ok(v) => Some(v),
        Err(e) => {
            errors.push(e);
            None
        }
    }
}
