//! Recurring visits (`visit-series`): set up (all planned visits booked at once), listed,
//! ended (the visits still ahead cancelled).

use crate::api::json::Json;
use crate::api::Problem;
use crate::auth::AuthUser;
use crate::domain::contact::{self as rules, Kind, Place};
use crate::domain::{series, time, FieldError};
use crate::error::{AppError, AppResult};
use crate::state::AppState;
use crate::store::visit_series::{self, NewSeries, SeriesContacts, SeriesOut};
use actix_web::{delete, get, post, web, HttpResponse};
use serde::Deserialize;
use utoipa::ToSchema;
use uuid::Uuid;

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewSeriesBody {
    pub client_id: Uuid,
    #[schema(value_type = Vec<Uuid>, min_items = 1, max_items = 6)]
    pub staff_ids: Vec<String>,
    /// Team-local day of the first visit, YYYY-MM-DD (not before today).
    #[schema(pattern = r"^\d{4}-\d{2}-\d{2}$", format = Date)]
    pub first_day: String,
    /// Days between visits, 1–90 (e.g. 14 for a fortnightly depot injection).
    #[schema(minimum = 1, maximum = 90)]
    pub every_days: i32,
    /// Last day a visit may fall on (inclusive); default `first_day` + 12 weeks, at most
    /// 365 days after `first_day`.
    #[schema(pattern = r"^\d{4}-\d{2}-\d{2}$", format = Date)]
    pub until: Option<String>,
    /// Team-local HH:MM.
    #[schema(pattern = r"^([01]\d|2[0-3]):[0-5]\d$")]
    pub start: String,
    /// Team-local HH:MM, after `start`.
    #[schema(pattern = r"^([01]\d|2[0-3]):[0-5]\d$")]
    pub end: String,
    pub kind: Kind,
    pub place: Place,
    #[schema(min_length = 1, max_length = 80, pattern = r"\S")]
    pub activity: String,
    /// Book the visits even when some overlap other planned or completed visits of their
    /// staff (otherwise 409 `double_booked` with every conflict, and nothing is written).
    #[serde(default)]
    pub allow_overlap: bool,
}

/// Set up a recurring visit (members and leads): every planned visit from `first_day`, every
/// `every_days` days up to `until`, is created at once as a contact carrying `series_id`
/// (one `contacts.series_created` event). All or none.
#[utoipa::path(tag = "contacts", params(("team_id" = Uuid, Path)), request_body = NewSeriesBody, responses(
    (status = 201, body = SeriesContacts),
    (status = 403, body = Problem, content_type = "application/problem+json"),
    (status = 409, description = "`double_booked`: some visits would overlap visits already booked for their staff (`conflicts`, each naming the new visit in `conflicts_with`); nothing written", body = Problem, content_type = "application/problem+json"),
    (status = 422, description = "`validation_failed`: days not real (2000–2099), `first_day` before today, `every_days` outside 1–90, `until` before `first_day` or more than 365 days after it, `end` not after `start`, `client_id`/`staff_ids` not of this team", body = Problem, content_type = "application/problem+json"),
))]
#[post("/teams/{team_id}/visit-series")]
pub async fn create_visit_series(
    st: web::Data<AppState>,
    user: AuthUser,
    path: web::Path<Uuid>,
    body: Json<NewSeriesBody>,
) -> AppResult<HttpResponse> {
    let b = body.0;
    let mut errors = vec![];
    let staff_ids = rules::check_staff_ids(&b.staff_ids, &mut errors);
    let activity = rules::check_activity(&b.activity, &mut errors);
    let mut day = |field: &str, v: &str| {
        time::parse_day(v)
            .map_err(|m| errors.push(FieldError::new(field, m)))
            .ok()
    };
    let first = day("first_day", &b.first_day);
    let until = b.until.as_deref().map(|u| day("until", u));
    let mut hhmm = |field: &str, v: &str| {
        time::parse_hhmm(v)
            .map_err(|m| errors.push(FieldError::new(field, m)))
            .ok()
    };
    if let (Some(s), Some(e)) = (hhmm("start", &b.start), hhmm("end", &b.end)) {
        if e <= s {
            errors.push(FieldError::new("end", "must be after start"));
        }
    }
    let every = series::check_every(b.every_days)
        .map_err(|e| errors.push(e))
        .ok();
    let last = match (first, until) {
        (Some(f), None) => series::last_day(f, None).map_err(|e| errors.push(e)).ok(),
        (Some(f), Some(Some(u))) => series::last_day(f, Some(u))
            .map_err(|e| errors.push(e))
            .ok(),
        _ => None,
    };
    let (Some(first), Some(every), Some(last)) = (first, every, last) else {
        return Err(AppError::from_fields(errors));
    };
    if !errors.is_empty() {
        return Err(AppError::from_fields(errors));
    }
    let n = NewSeries {
        client_id: b.client_id.to_string(),
        staff_ids,
        first_day: first,
        every_days: every,
        until: last,
        start: b.start,
        end: b.end,
        kind: b.kind,
        place: b.place,
        activity,
        allow_overlap: b.allow_overlap,
    };
    let out = visit_series::create(&st.pool, user, path.into_inner().to_string(), n).await?;
    Ok(HttpResponse::Created().json(out))
}

/// The team's recurring visits, newest first (ended ones too, with `ended_at`).
#[utoipa::path(tag = "contacts", params(("team_id" = Uuid, Path)), responses(
    (status = 200, body = Vec<SeriesOut>),
    (status = 403, description = "a display token (staff only)", body = Problem, content_type = "application/problem+json"),
))]
#[get("/teams/{team_id}/visit-series")]
pub async fn list_visit_series(
    st: web::Data<AppState>,
    user: AuthUser,
    path: web::Path<Uuid>,
) -> AppResult<HttpResponse> {
    let out = visit_series::list(&st.pool, user, path.into_inner().to_string()).await?;
    Ok(HttpResponse::Ok().json(out))
}

/// End a recurring visit (members and leads): its planned visits that have not started yet
/// are cancelled (`contacts.series_ended`); past and closed-out visits stay. Ending an ended
/// series answers it again with no contacts and changes nothing.
#[utoipa::path(tag = "contacts", params(("team_id" = Uuid, Path), ("series_id" = Uuid, Path)), responses(
    (status = 200, description = "The ended series and the visits cancelled now", body = SeriesContacts),
    (status = 403, body = Problem, content_type = "application/problem+json"),
))]
#[delete("/teams/{team_id}/visit-series/{series_id}")]
pub async fn end_visit_series(
    st: web::Data<AppState>,
    user: AuthUser,
    path: web::Path<(Uuid, Uuid)>,
) -> AppResult<HttpResponse> {
    let (team_id, id) = path.into_inner();
    let out = visit_series::end(&st.pool, user, team_id.to_string(), id.to_string()).await?;
    Ok(HttpResponse::Ok().json(out))
}
