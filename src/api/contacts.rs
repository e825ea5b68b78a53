//! Contacts (visits): created with a client-chosen UUID (a retried request never logs
//! twice), changed with a version, listed by day, client or staff, and one person's planned
//! visits of a day moved to another in one transaction.

use crate::api::json::Json;
use crate::api::page;
use crate::api::Problem;
use crate::auth::AuthUser;
use crate::domain::contact::{self as rules, ContactStatus, Kind, Place};
use crate::domain::page as domain_page;
use crate::domain::time;
use crate::domain::FieldError;
use crate::error::{AppError, AppResult};
use crate::state::AppState;
use crate::store::contacts::{
    self, validate_in, ContactChanges, ContactFilter, ContactIn, ContactOut, Put, Reassigned,
};
use actix_web::{get, patch, post, put, web, HttpRequest, HttpResponse};
use serde::Deserialize;
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ContactPatch {
    #[schema(minimum = 1)]
    pub version: i32,
    #[schema(value_type = Option<Vec<Uuid>>, min_items = 1, max_items = 6)]
    pub staff_ids: Option<Vec<String>>,
    #[schema(pattern = r"^\d{4}-\d{2}-\d{2}$", format = Date)]
    pub day: Option<String>,
    #[serde(default, deserialize_with = "crate::api::json::present")]
    #[schema(value_type = Option<String>, pattern = r"^([01]\d|2[0-3]):[0-5]\d$")]
    pub start: Option<Option<String>>,
    #[serde(default, deserialize_with = "crate::api::json::present")]
    #[schema(value_type = Option<String>, pattern = r"^([01]\d|2[0-3]):[0-5]\d$")]
    pub end: Option<Option<String>>,
    pub kind: Option<Kind>,
    pub place: Option<Place>,
    #[schema(min_length = 1, max_length = 80, pattern = r"\S")]
    pub activity: Option<String>,
    pub status: Option<ContactStatus>,
    #[serde(default, deserialize_with = "crate::api::json::present")]
    #[schema(value_type = Option<i32>, minimum = 0, maximum = 1440)]
    pub minutes: Option<Option<i32>>,
    #[serde(default, deserialize_with = "crate::api::json::present")]
    #[schema(value_type = Option<String>, max_length = 2000)]
    pub note: Option<Option<String>>,
    /// Keep the change even when it makes the visit overlap another planned or completed
    /// visit of one of its staff (otherwise 409 `double_booked`).
    #[serde(default)]
    pub allow_overlap: bool,
}

#[derive(Deserialize, IntoParams)]
pub struct ContactQuery {
    /// Team-local day YYYY-MM-DD.
    #[param(pattern = r"^\d{4}-\d{2}-\d{2}$", format = Date)]
    pub day: Option<String>,
    /// From this day (inclusive).
    #[param(pattern = r"^\d{4}-\d{2}-\d{2}$", format = Date)]
    pub from: Option<String>,
    /// To this day (inclusive).
    #[param(pattern = r"^\d{4}-\d{2}-\d{2}$", format = Date)]
    pub to: Option<String>,
    pub client_id: Option<Uuid>,
    pub staff_id: Option<Uuid>,
    pub status: Option<ContactStatus>,
    /// Rows per page: at most 1000 (default 500). When there are more, the answer has a
    /// `Link: <…>; rel="next"` header.
    #[param(minimum = 1, maximum = 1000)]
    pub limit: Option<i64>,
    /// Where the page starts: the opaque value from the previous page's `Link` header.
    pub cursor: Option<String>,
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Reassign {
    #[schema(pattern = r"^\d{4}-\d{2}-\d{2}$", format = Date)]
    pub day: String,
    pub from_staff_id: Uuid,
    pub to_staff_id: Uuid,
    /// Move the visits even when they overlap visits `to_staff_id` already has (otherwise
    /// 409 `double_booked` and nothing moves).
    #[serde(default)]
    pub allow_overlap: bool,
}

/// Record a contact under an id the caller chose. 201 the first time; 200 with the stored
/// contact on an identical retry; 409 `conflict` if the id is taken by different content;
/// 409 `double_booked` (with `conflicts`) if it would give one of its staff two overlapping
/// planned or completed visits, unless `allow_overlap` is set.
#[utoipa::path(tag = "contacts", params(("team_id" = Uuid, Path), ("contact_id" = Uuid, Path)), request_body = ContactIn, responses(
    (status = 201, body = ContactOut),
    (status = 200, description = "An identical retry: the stored contact", body = ContactOut),
    (status = 403, body = Problem, content_type = "application/problem+json"),
    (status = 409, description = "`conflict`: the id names a different contact; `double_booked`: overlaps another visit of the same person (`conflicts: [{contact_id, staff_id, day, start, end, conflicts_with}]`)", body = Problem, content_type = "application/problem+json"),
))]
#[put("/teams/{team_id}/contacts/{contact_id}")]
pub async fn put_contact(
    st: web::Data<AppState>,
    user: AuthUser,
    path: web::Path<(Uuid, Uuid)>,
    body: Json<ContactIn>,
) -> AppResult<HttpResponse> {
    let (team_id, contact_id) = path.into_inner();
    let content = validate_in(&body.0)?;
    let put = contacts::put(
        &st.pool,
        user,
        team_id.to_string(),
        contact_id.to_string(),
        content,
        body.0.allow_overlap,
    )
    .await?;
    Ok(match put {
        Put::Created(c) => HttpResponse::Created().json(c),
        Put::Same(c) => HttpResponse::Ok().json(c),
    })
}

/// Change a contact with the version last read (members). Closing out a planned visit is a
/// PATCH of the same record: `status` (completed, attempted, missed, cancelled), the actual
/// `start`/`end` or `minutes`, `kind`, `place` and `note` in one request; completed,
/// attempted and missed are refused (422 on `status`) on a day that has not come yet. A
/// change of day, times, staff or status that gives one of its staff two overlapping planned
/// or completed visits is 409 `double_booked`, unless `allow_overlap` is set.
#[utoipa::path(tag = "contacts", params(("team_id" = Uuid, Path), ("contact_id" = Uuid, Path)), request_body = ContactPatch, responses(
    (status = 200, body = ContactOut),
    (status = 403, body = Problem, content_type = "application/problem+json"),
    (status = 409, description = "`version_conflict` with `current`; `double_booked` with `conflicts`", body = Problem, content_type = "application/problem+json"),
))]
#[patch("/teams/{team_id}/contacts/{contact_id}")]
pub async fn patch_contact(
    st: web::Data<AppState>,
    user: AuthUser,
    path: web::Path<(Uuid, Uuid)>,
    body: Json<ContactPatch>,
) -> AppResult<HttpResponse> {
    let (team_id, contact_id) = path.into_inner();
    let p = body.0;
    let mut errors = vec![];
    let staff_ids = p
        .staff_ids
        .as_ref()
        .map(|s| rules::check_staff_ids(s, &mut errors));
    let activity = p
        .activity
        .as_deref()
        .map(|a| rules::check_activity(a, &mut errors));
    let note = p
        .note
        .as_ref()
        .map(|n| rules::check_note(n.as_deref(), &mut errors));
    if !errors.is_empty() {
        return Err(AppError::from_fields(errors));
    }
    let changes = ContactChanges {
        version: p.version,
        staff_ids,
        day: p.day,
        start: p.start,
        end: p.end,
        kind: p.kind,
        place: p.place,
        activity,
        status: p.status,
        minutes: p.minutes,
        note,
        allow_overlap: p.allow_overlap,
    };
    let saved = contacts::update(
        &st.pool,
        user,
        team_id.to_string(),
        contact_id.to_string(),
        changes,
    )
    .await?;
    Ok(HttpResponse::Ok().json(saved))
}

/// Contacts of the team, filtered by day (or from/to), client, staff member and status;
/// ordered by day, start time (untimed first) and id, in pages (`limit`, `cursor`; the next
/// page's URL is in the `Link` header).
#[utoipa::path(tag = "contacts", params(("team_id" = Uuid, Path), ContactQuery), responses(
    (status = 200, body = Vec<ContactOut>, headers(("Link" = String, description = "RFC 8288 link to the next page, `<…?…&cursor=…>; rel=\"next\"` (relative; follow it as it is); absent on the last page"))),
    (status = 422, description = "A query parameter breaks a rule (`validation_failed`)", body = Problem, content_type = "application/problem+json"),
))]
#[get("/teams/{team_id}/contacts")]
pub async fn list_contacts(
    req: HttpRequest,
    st: web::Data<AppState>,
    user: AuthUser,
    path: web::Path<Uuid>,
    q: web::Query<ContactQuery>,
) -> AppResult<HttpResponse> {
    let q = q.into_inner();
    let mut errors = vec![];
    for (field, v) in [("day", &q.day), ("from", &q.from), ("to", &q.to)] {
        if let Some(Err(m)) = v.as_deref().map(time::parse_day) {
            errors.push(FieldError::new(field, m));
        }
    }
    let limit = domain_page::limit(q.limit, 500).unwrap_or_else(|e| {
        errors.push(e);
        1
    });
    let after = match q.cursor.as_deref() {
        Some(c) => domain_page::decode(contacts::LIST, c, 3)
            .map(Some)
            .unwrap_or_else(|e| {
                errors.push(e);
                None
            }),
        None => None,
    };
    if !errors.is_empty() {
        return Err(AppError::from_fields(errors));
    }
    let filter = ContactFilter {
        day: q.day,
        from: q.from,
        to: q.to,
        client_id: q.client_id.map(|u| u.to_string()),
        staff_id: q.staff_id.map(|u| u.to_string()),
        status: q.status,
        limit,
        after,
    };
    let list = contacts::list(&st.pool, user, path.into_inner().to_string(), filter).await?;
    Ok(page::respond(&req, list))
}

/// "X is out today": every planned visit of `from_staff_id` on `day` moves to
/// `to_staff_id`, in one transaction (leads and admins). When that would give
/// `to_staff_id` overlapping visits: 409 `double_booked` with `conflicts` and nothing
/// moves, unless `allow_overlap` is set.
#[utoipa::path(tag = "contacts", params(("team_id" = Uuid, Path)), request_body = Reassign, responses(
    (status = 200, body = Reassigned),
    (status = 403, body = Problem, content_type = "application/problem+json"),
    (status = 409, description = "`double_booked`: moving would overlap visits the receiver already has (`conflicts`); nothing moved", body = Problem, content_type = "application/problem+json"),
))]
#[post("/teams/{team_id}/contacts/reassign")]
pub async fn reassign_contacts(
    st: web::Data<AppState>,
    user: AuthUser,
    path: web::Path<Uuid>,
    body: Json<Reassign>,
) -> AppResult<HttpResponse> {
    let r = body.0;
    time::parse_day(&r.day).map_err(|m| AppError::validation("day", m))?;
    let (from, to) = (r.from_staff_id.to_string(), r.to_staff_id.to_string());
    let out = contacts::reassign(
        &st.pool,
        user,
        path.into_inner().to_string(),
        r.day,
        from,
        to,
        r.allow_overlap,
    )
    .await?;
    Ok(HttpResponse::Ok().json(out))
}
