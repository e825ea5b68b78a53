//! Episodes, outcomes before and after enrolment, and DACTS fidelity (issue 15).

use crate::api::json::Json;
use crate::api::Problem;
use crate::auth::AuthUser;
use crate::domain::episode::{EpisodeKind, MAX_NOTE};
use crate::domain::{text, time, FieldError};
use crate::error::{AppError, AppResult};
use crate::state::AppState;
use crate::store::episodes::{self, EpisodeChange, EpisodeIn, EpisodeOut};
use crate::store::fidelity::{self, FidelityOut, FidelityRatingOut, RatingIn, MAX_MONTHS};
use crate::store::outcomes::{self, ClientOutcomes, TeamOutcomes};
use actix_web::http::header;
use actix_web::{get, patch, post, put, web, HttpResponse};
use serde::Deserialize;
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct EpisodeBody {
    /// Chosen by the client (a retried request returns the same episode); default a new id.
    pub id: Option<Uuid>,
    pub kind: EpisodeKind,
    /// First day, YYYY-MM-DD (team-local; not in the future).
    #[schema(pattern = r"^\d{4}-\d{2}-\d{2}$", format = Date)]
    pub start: String,
    /// Last day, inclusive (not before `start`, not in the future); absent while it lasts.
    /// An emergency visit without an end is one day.
    #[schema(pattern = r"^\d{4}-\d{2}-\d{2}$", format = Date)]
    pub end: Option<String>,
    /// The team arranged or took part in it (default false).
    #[serde(default)]
    pub team_involved: bool,
    #[serde(default)]
    #[schema(max_length = 1000)]
    pub note: Option<String>,
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct EpisodePatch {
    /// The version last read (optional: a stale one is 409 `version_conflict`).
    #[schema(minimum = 1)]
    pub version: Option<i32>,
    /// The last day, YYYY-MM-DD (null reopens the episode).
    #[serde(default, deserialize_with = "crate::api::json::present")]
    #[schema(value_type = Option<String>, pattern = r"^\d{4}-\d{2}-\d{2}$", format = Date)]
    pub end: Option<Option<String>>,
    pub team_involved: Option<bool>,
    #[schema(max_length = 1000)]
    pub note: Option<String>,
}

fn note(n: Option<&str>) -> Result<String, FieldError> {
    Ok(text::optional("note", n, MAX_NOTE)?.unwrap_or_default())
}

/// Record an episode of a client (members): an admission, an emergency visit, a crisis bed,
/// a jail or homeless period.
#[utoipa::path(tag = "outcomes", params(("team_id" = Uuid, Path), ("client_id" = Uuid, Path)), request_body = EpisodeBody, responses(
    (status = 201, body = EpisodeOut),
    (status = 403, body = Problem, content_type = "application/problem+json"),
    (status = 409, description = "`overlapping_episode`: the client has an admission, crisis bed or jail stay overlapping this one (`episode_id` names it)", body = Problem, content_type = "application/problem+json"),
    (status = 422, description = "`validation_failed`: a day in the future, an end before the start, a long note", body = Problem, content_type = "application/problem+json"),
))]
#[post("/teams/{team_id}/clients/{client_id}/episodes")]
pub async fn create_episode(
    st: web::Data<AppState>,
    user: AuthUser,
    path: web::Path<(Uuid, Uuid)>,
    body: Json<EpisodeBody>,
) -> AppResult<HttpResponse> {
    let (team_id, client_id) = path.into_inner();
    let b = body.0;
    let mut errors = vec![];
    let start = time::parse_day(&b.start)
        .map_err(|m| errors.push(FieldError::new("start", m)))
        .ok();
    let end = match b.end.as_deref().map(time::parse_day) {
        Some(Ok(d)) => Some(d),
        Some(Err(m)) => {
            errors.push(FieldError::new("end", m));
            None
        }
        None => None,
    };
    let note = note(b.note.as_deref())
        .map_err(|e| errors.push(e))
        .unwrap_or_default();
    let Some(start) = start.filter(|_| errors.is_empty()) else {
        return Err(AppError::from_fields(errors));
    };
    let end = match (b.kind, end) {
        (EpisodeKind::EdVisit, None) => Some(start),
        (_, e) => e,
    };
    let out = episodes::create(
        &st.pool,
        user,
        team_id.to_string(),
        client_id.to_string(),
        EpisodeIn {
            id: b.id.map(|u| u.to_string()),
            kind: b.kind,
            start,
            end,
            team_involved: b.team_involved,
            note,
        },
    )
    .await?;
    Ok(HttpResponse::Created().json(out))
}

/// End an episode, or correct its end, note or involvement (members).
#[utoipa::path(tag = "outcomes", params(("team_id" = Uuid, Path), ("client_id" = Uuid, Path), ("episode_id" = Uuid, Path)), request_body = EpisodePatch, responses(
    (status = 200, body = EpisodeOut),
    (status = 403, body = Problem, content_type = "application/problem+json"),
    (status = 409, description = "`version_conflict`, or `overlapping_episode` (reopening or moving the end over another stay)", body = Problem, content_type = "application/problem+json"),
    (status = 422, description = "`validation_failed`: an end before the start or in the future", body = Problem, content_type = "application/problem+json"),
))]
#[patch("/teams/{team_id}/clients/{client_id}/episodes/{episode_id}")]
pub async fn patch_episode(
    st: web::Data<AppState>,
    user: AuthUser,
    path: web::Path<(Uuid, Uuid, Uuid)>,
    body: Json<EpisodePatch>,
) -> AppResult<HttpResponse> {
    let (team_id, client_id, episode_id) = path.into_inner();
    let b = body.0;
    let mut errors = vec![];
    let end = match b.end {
        Some(Some(s)) => time::parse_day(&s)
            .map(|d| Some(Some(d)))
            .map_err(|m| errors.push(FieldError::new("end", m)))
            .unwrap_or(None),
        Some(None) => Some(None),
        None => None,
    };
    let note = b.note.as_deref().map(|n| {
        note(Some(n))
            .map_err(|e| errors.push(e))
            .unwrap_or_default()
    });
    if !errors.is_empty() {
        return Err(AppError::from_fields(errors));
    }
    let out = episodes::update(
        &st.pool,
        user,
        team_id.to_string(),
        client_id.to_string(),
        episode_id.to_string(),
        EpisodeChange {
            version: b.version,
            end,
            team_involved: b.team_involved,
            note,
        },
    )
    .await?;
    Ok(HttpResponse::Ok().json(out))
}

/// A client's episodes, latest first (readers of the team; the read is audited).
#[utoipa::path(tag = "outcomes", params(("team_id" = Uuid, Path), ("client_id" = Uuid, Path)), responses(
    (status = 200, body = Vec<EpisodeOut>),
))]
#[get("/teams/{team_id}/clients/{client_id}/episodes")]
pub async fn list_episodes(
    st: web::Data<AppState>,
    user: AuthUser,
    path: web::Path<(Uuid, Uuid)>,
) -> AppResult<HttpResponse> {
    let (team_id, client_id) = path.into_inner();
    let out = episodes::list(&st.pool, user, team_id.to_string(), client_id.to_string()).await?;
    Ok(HttpResponse::Ok().json(out))
}

/// A client's outcomes: hospital days, admissions, emergency visits, jail and homeless days in
/// the 12 and 24 months before and after enrolment (readers of the team; audited).
#[utoipa::path(tag = "outcomes", params(("team_id" = Uuid, Path), ("client_id" = Uuid, Path)), responses(
    (status = 200, body = ClientOutcomes),
))]
#[get("/teams/{team_id}/clients/{client_id}/outcomes")]
pub async fn client_outcomes(
    st: web::Data<AppState>,
    user: AuthUser,
    path: web::Path<(Uuid, Uuid)>,
) -> AppResult<HttpResponse> {
    let (team_id, client_id) = path.into_inner();
    let out = outcomes::client(&st.pool, user, team_id.to_string(), client_id.to_string()).await?;
    Ok(HttpResponse::Ok().json(out))
}

/// The team's outcomes: each window summed over the enrolled clients, per client-month and
/// per client, with the number of clients behind each figure (readers of the team).
#[utoipa::path(tag = "outcomes", params(("team_id" = Uuid, Path)), responses(
    (status = 200, body = TeamOutcomes),
))]
#[get("/teams/{team_id}/outcomes")]
pub async fn team_outcomes(
    st: web::Data<AppState>,
    user: AuthUser,
    path: web::Path<Uuid>,
) -> AppResult<HttpResponse> {
    let out = outcomes::team(&st.pool, user, path.into_inner().to_string(), false).await?;
    Ok(HttpResponse::Ok().json(out))
}

fn csv_response(body: Vec<u8>, name: &str) -> HttpResponse {
    HttpResponse::Ok()
        .content_type("text/csv; charset=utf-8")
        .insert_header((
            header::CONTENT_DISPOSITION,
            format!("attachment; filename=\"{name}\""),
        ))
        .body(body)
}

/// The team's outcomes as CSV (one row per window and side); an `export` in the audit trail.
#[utoipa::path(tag = "outcomes", params(("team_id" = Uuid, Path)), responses(
    (status = 200, description = "CSV with a header row: months, side, clients, clients_complete, client_months, hospital_days, hospital_days_per_month, hospital_days_mean, admissions, psychiatric_admissions, ed_visits, jail_days, homeless_days, crisis_bed_days", content_type = "text/csv", body = String),
))]
#[get("/teams/{team_id}/outcomes.csv")]
pub async fn team_outcomes_csv(
    st: web::Data<AppState>,
    user: AuthUser,
    path: web::Path<Uuid>,
) -> AppResult<HttpResponse> {
    let out = outcomes::team(&st.pool, user, path.into_inner().to_string(), true).await?;
    Ok(csv_response(
        outcomes::team_csv(&out)?,
        &format!("outcomes-{}.csv", out.today),
    ))
}

#[derive(Deserialize, IntoParams)]
pub struct FidelityQuery {
    /// The last day of the 4-week period, YYYY-MM-DD (default today; not after today).
    #[param(pattern = r"^\d{4}-\d{2}-\d{2}$", format = Date)]
    pub to: Option<String>,
    /// Months of trend (1–13, default 2): the reports ending `to`, a month before, …
    #[param(minimum = 1, maximum = 13)]
    pub months: Option<u32>,
}

impl FidelityQuery {
    fn checked(&self) -> AppResult<(Option<chrono::NaiveDate>, u32)> {
        let to = match self.to.as_deref() {
            Some(s) => Some(time::parse_day(s).map_err(|m| AppError::validation("to", m))?),
            None => None,
        };
        let months = self.months.unwrap_or(2);
        if !(1..=MAX_MONTHS).contains(&months) {
            return Err(AppError::validation("months", "must be from 1 to 13"));
        }
        Ok((to, months))
    }
}

/// DACTS fidelity over the 4 weeks ending `to`: the 28 items, nine computed from the team's
/// contacts, huddle reviews and enrolments (value, unit, score, bands, evidence), the rest
/// with `needs_rating` and the reviewer's rating in force; a monthly trend and the items
/// slipping (readers of the team; audited).
#[utoipa::path(tag = "outcomes", params(("team_id" = Uuid, Path), FidelityQuery), responses(
    (status = 200, body = FidelityOut),
    (status = 422, description = "`to` after today or not a day, `months` outside 1–13 (`validation_failed`)", body = Problem, content_type = "application/problem+json"),
))]
#[get("/teams/{team_id}/fidelity")]
pub async fn get_fidelity(
    st: web::Data<AppState>,
    user: AuthUser,
    path: web::Path<Uuid>,
    q: web::Query<FidelityQuery>,
) -> AppResult<HttpResponse> {
    let (to, months) = q.checked()?;
    let out = fidelity::get(
        &st.pool,
        user,
        path.into_inner().to_string(),
        to,
        months,
        false,
    )
    .await?;
    Ok(HttpResponse::Ok().json(out))
}

/// The fidelity report as CSV, one row per item and the mean; an `export` in the audit trail.
#[utoipa::path(tag = "outcomes", params(("team_id" = Uuid, Path), FidelityQuery), responses(
    (status = 200, description = "CSV with a header row: period_from, period_to, id, name, value, unit, score, needs_rating, bands, evidence, median", content_type = "text/csv", body = String),
    (status = 422, description = "`to` after today or not a day (`validation_failed`)", body = Problem, content_type = "application/problem+json"),
))]
#[get("/teams/{team_id}/fidelity.csv")]
pub async fn get_fidelity_csv(
    st: web::Data<AppState>,
    user: AuthUser,
    path: web::Path<Uuid>,
    q: web::Query<FidelityQuery>,
) -> AppResult<HttpResponse> {
    let (to, _) = q.checked()?;
    let out = fidelity::get(&st.pool, user, path.into_inner().to_string(), to, 1, true).await?;
    let name = format!("fidelity-{}.csv", out.report.period.to);
    Ok(csv_response(fidelity::csv(&out)?, &name))
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RatingBody {
    /// A DACTS item the data cannot compute (H4–H11, O1, O3–O7, S3, S7–S10).
    pub item: String,
    /// The last day of the review period rated, YYYY-MM-DD (not after today); a rating
    /// stands for that period and the months after it (until a newer one, at most a year).
    #[schema(pattern = r"^\d{4}-\d{2}-\d{2}$", format = Date)]
    pub period_to: String,
    #[schema(minimum = 1, maximum = 5)]
    pub score: i32,
    #[serde(default)]
    #[schema(max_length = 2000)]
    pub note: Option<String>,
}

/// Record a reviewer's rating (1–5) of a DACTS item for a period; again for the same item and
/// period replaces it (leads).
#[utoipa::path(tag = "outcomes", params(("team_id" = Uuid, Path)), request_body = RatingBody, responses(
    (status = 200, body = FidelityRatingOut),
    (status = 403, body = Problem, content_type = "application/problem+json"),
    (status = 422, description = "`validation_failed`: an unknown or computed item, a score outside 1–5, a period after today", body = Problem, content_type = "application/problem+json"),
))]
#[put("/teams/{team_id}/fidelity/ratings")]
pub async fn put_fidelity_rating(
    st: web::Data<AppState>,
    user: AuthUser,
    path: web::Path<Uuid>,
    body: Json<RatingBody>,
) -> AppResult<HttpResponse> {
    let b = body.0;
    let mut errors = vec![];
    if !(1..=5).contains(&b.score) {
        errors.push(FieldError::new("score", "must be from 1 to 5"));
    }
    let period_to = time::parse_day(&b.period_to)
        .map_err(|m| errors.push(FieldError::new("period_to", m)))
        .ok();
    let note = text::optional("note", b.note.as_deref(), 2000)
        .map_err(|e| errors.push(e))
        .ok()
        .flatten()
        .unwrap_or_default();
    let Some(period_to) = period_to.filter(|_| errors.is_empty()) else {
        return Err(AppError::from_fields(errors));
    };
    let out = fidelity::rate(
        &st.pool,
        user,
        path.into_inner().to_string(),
        RatingIn {
            item: b.item.trim().to_uppercase(),
            period_to,
            score: b.score,
            note,
        },
    )
    .await?;
    Ok(HttpResponse::Ok().json(out))
}
