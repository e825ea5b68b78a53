//! Contacts (visits): created with a client-chosen UUID (a retried request never logs
//! twice), changed with a version, listed by day, client or staff, and one person's planned
//! visits of a day moved to another in one transaction.

use crate::api::json::Json;
use crate::api::Problem;
use crate::auth::{team_access, AuthUser};
use crate::db::models::{ContactRow, TeamRow};
use crate::db::schema::{contact_staff, contacts};
use crate::db::{self, events, DbConn};
use crate::domain::contact::{self as rules, ContactStatus, Kind, Place};
use crate::domain::roles::Role;
use crate::domain::time;
use crate::error::{AppError, AppResult, FieldError};
use crate::state::AppState;
use actix_web::{get, patch, post, put, web, HttpResponse};
use chrono::{DateTime, Utc};
use diesel::prelude::*;
use serde::{Deserialize, Serialize};
use std::collections::HashMap;
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;

#[derive(Serialize, ToSchema, Clone, Debug, PartialEq)]
pub struct ContactOut {
    #[schema(format = Uuid)]
    pub id: String,
    #[schema(format = Uuid)]
    pub team_id: String,
    #[schema(format = Uuid)]
    pub client_id: String,
    pub staff_ids: Vec<String>,
    /// Team-local day, YYYY-MM-DD.
    pub day: String,
    /// Team-local HH:MM.
    pub start: Option<String>,
    pub end: Option<String>,
    /// The UTC instant of the start (noon when no time was given).
    pub occurred_at: DateTime<Utc>,
    pub kind: String,
    pub place: String,
    pub activity: String,
    pub status: String,
    pub minutes: Option<i32>,
    pub note: Option<String>,
    pub version: i32,
    #[schema(format = Uuid)]
    pub created_by: String,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

pub fn out(c: &ContactRow, staff_ids: Vec<String>) -> ContactOut {
    ContactOut {
        id: c.id.clone(),
        team_id: c.team_id.clone(),
        client_id: c.client_id.clone(),
        staff_ids,
        day: c.day.clone(),
        start: c.start_time.clone(),
        end: c.end_time.clone(),
        occurred_at: c.occurred_at.and_utc(),
        kind: c.kind.clone(),
        place: c.place.clone(),
        activity: c.activity.clone(),
        status: c.status.clone(),
        minutes: c.minutes,
        note: c.note.clone(),
        version: c.version,
        created_by: c.created_by.clone(),
        created_at: c.created_at.and_utc(),
        updated_at: c.updated_at.and_utc(),
    }
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ContactIn {
    pub client_id: Uuid,
    #[schema(value_type = Vec<Uuid>, min_items = 1, max_items = 6)]
    pub staff_ids: Vec<String>,
    /// Team-local day, YYYY-MM-DD.
    #[schema(pattern = r"^\d{4}-\d{2}-\d{2}$", format = Date)]
    pub day: String,
    /// Team-local HH:MM.
    #[schema(pattern = r"^([01]\d|2[0-3]):[0-5]\d$")]
    pub start: Option<String>,
    #[schema(pattern = r"^([01]\d|2[0-3]):[0-5]\d$")]
    pub end: Option<String>,
    pub kind: Kind,
    pub place: Place,
    /// What the visit was for, e.g. "medication delivery", "housing", "check-in".
    #[schema(min_length = 1, max_length = 80, pattern = r"\S")]
    pub activity: String,
    pub status: ContactStatus,
    /// 0–1440.
    #[schema(minimum = 0, maximum = 1440)]
    pub minutes: Option<i32>,
    /// Short note (up to 2000 characters).
    #[schema(max_length = 2000)]
    pub note: Option<String>,
}

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
    /// At most 1000 (default 500).
    #[param(minimum = 1, maximum = 1000)]
    pub limit: Option<i64>,
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Reassign {
    #[schema(pattern = r"^\d{4}-\d{2}-\d{2}$", format = Date)]
    pub day: String,
    pub from_staff_id: Uuid,
    pub to_staff_id: Uuid,
}

#[derive(Serialize, ToSchema)]
pub struct Reassigned {
    pub moved: usize,
    pub contacts: Vec<ContactOut>,
}

/// The checked content of a contact (what an idempotent retry must repeat exactly).
#[derive(Debug, Clone, PartialEq)]
struct Content {
    client_id: String,
    staff_ids: Vec<String>,
    day: String,
    start: Option<String>,
    end: Option<String>,
    kind: String,
    place: String,
    activity: String,
    status: String,
    minutes: Option<i32>,
    note: Option<String>,
}

impl Content {
    fn of(c: &ContactOut) -> Content {
        Content {
            client_id: c.client_id.clone(),
            staff_ids: c.staff_ids.clone(),
            day: c.day.clone(),
            start: c.start.clone(),
            end: c.end.clone(),
            kind: c.kind.clone(),
            place: c.place.clone(),
            activity: c.activity.clone(),
            status: c.status.clone(),
            minutes: c.minutes,
            note: c.note.clone(),
        }
    }

    fn check(&self) -> AppResult<()> {
        let mut errors = vec![];
        rules::check_when(
            &self.day,
            self.start.as_deref(),
            self.end.as_deref(),
            self.minutes,
            &mut errors,
        );
        if !errors.is_empty() {
            return Err(AppError::from_fields(errors));
        }
        Ok(())
    }
}

/// Staff ids of each contact, in one query.
pub fn staff_of(conn: &mut DbConn, ids: &[String]) -> AppResult<HashMap<String, Vec<String>>> {
    let mut map: HashMap<String, Vec<String>> = HashMap::new();
    for chunk in ids.chunks(500) {
        let rows: Vec<(String, String)> = contact_staff::table
            .filter(contact_staff::contact_id.eq_any(chunk))
            .select((contact_staff::contact_id, contact_staff::staff_id))
            .order((contact_staff::contact_id, contact_staff::staff_id))
            .load(conn)?;
        for (c, s) in rows {
            map.entry(c).or_default().push(s);
        }
    }
    Ok(map)
}

pub fn with_staff(conn: &mut DbConn, rows: &[ContactRow]) -> AppResult<Vec<ContactOut>> {
    let ids: Vec<String> = rows.iter().map(|r| r.id.clone()).collect();
    let mut staff = staff_of(conn, &ids)?;
    Ok(rows
        .iter()
        .map(|r| out(r, staff.remove(&r.id).unwrap_or_default()))
        .collect())
}

fn load(conn: &mut DbConn, id: &str) -> AppResult<Option<ContactOut>> {
    let row: Option<ContactRow> = contacts::table
        .filter(contacts::id.eq(id))
        .select(ContactRow::as_select())
        .first(conn)
        .optional()?;
    Ok(match row {
        Some(r) => with_staff(conn, std::slice::from_ref(&r))?.pop(),
        None => None,
    })
}

/// Every named staff member must be on the team as a member or lead.
fn check_staff(conn: &mut DbConn, team_id: &str, ids: &[String]) -> AppResult<()> {
    let ok = crate::api::members::working_ids(conn, team_id, ids)?;
    let missing: Vec<&String> = ids.iter().filter(|i| !ok.contains(*i)).collect();
    if missing.is_empty() {
        Ok(())
    } else {
        Err(AppError::validation(
            "staff_ids",
            format!(
                "not working members of this team: {}",
                missing
                    .iter()
                    .map(|s| s.as_str())
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
        ))
    }
}


fn write_staff(
    conn: &mut DbConn,
    team_id: &str,
    contact_id: &str,
    staff_ids: &[String],
) -> AppResult<()> {
    diesel::delete(contact_staff::table.filter(contact_staff::contact_id.eq(contact_id)))
        .execute(conn)?;
    for s in staff_ids {
        diesel::insert_into(contact_staff::table)
            .values((
                contact_staff::contact_id.eq(contact_id),
                contact_staff::staff_id.eq(s),
                contact_staff::team_id.eq(team_id),
            ))
            .execute(conn)?;
    }
    Ok(())
}

fn occurred_at(team: &TeamRow, c: &Content) -> AppResult<chrono::NaiveDateTime> {
    let tz: chrono_tz::Tz = team
        .timezone
        .parse()
        .map_err(|_| AppError::internal("stored timezone invalid"))?;
    let day = time::parse_day(&c.day).map_err(|m| AppError::validation("day", m))?;
    rules::check_not_future(&c.status, day, time::today(tz, Utc::now()))
        .map_err(|e| AppError::from_fields(vec![e]))?;
    let start = c
        .start
        .as_deref()
        .map(time::parse_hhmm)
        .transpose()
        .map_err(|m| AppError::validation("start", m))?;
    Ok(time::contact_instant(tz, day, start).naive_utc())
}

/// Insert a new contact (after `write_access`) and append its event.
pub fn insert(
    conn: &mut DbConn,
    team: &TeamRow,
    id: &str,
    c: &ContactIn,
    actor: &str,
) -> AppResult<ContactOut> {
    let content = validate_in(c)?;
    insert_content(conn, team, id, content, actor)
}

fn insert_content(
    conn: &mut DbConn,
    team: &TeamRow,
    id: &str,
    c: Content,
    actor: &str,
) -> AppResult<ContactOut> {
    crate::api::clients::check_client(conn, &team.id, &c.client_id)?;
    check_staff(conn, &team.id, &c.staff_ids)?;
    let now = db::now();
    diesel::insert_into(contacts::table)
        .values((
            contacts::id.eq(id),
            contacts::team_id.eq(&team.id),
            contacts::client_id.eq(&c.client_id),
            contacts::day.eq(&c.day),
            contacts::start_time.eq(&c.start),
            contacts::end_time.eq(&c.end),
            contacts::occurred_at.eq(occurred_at(team, &c)?),
            contacts::kind.eq(&c.kind),
            contacts::place.eq(&c.place),
            contacts::activity.eq(&c.activity),
            contacts::status.eq(&c.status),
            contacts::minutes.eq(c.minutes),
            contacts::note.eq(&c.note),
            contacts::version.eq(1),
            contacts::created_by.eq(actor),
            contacts::created_at.eq(now),
            contacts::updated_at.eq(now),
        ))
        .execute(conn)?;
    write_staff(conn, &team.id, id, &c.staff_ids)?;
    let saved = load(conn, id)?.ok_or_else(|| AppError::internal("contact vanished"))?;
    events::append(conn, &team.id, "contact.created", &saved, Some(actor))?;
    Ok(saved)
}

fn validate_in(c: &ContactIn) -> AppResult<Content> {
    let mut errors: Vec<FieldError> = vec![];
    let staff_ids = rules::check_staff_ids(&c.staff_ids, &mut errors);
    rules::check_when(
        &c.day,
        c.start.as_deref(),
        c.end.as_deref(),
        c.minutes,
        &mut errors,
    );
    let activity = rules::check_activity(&c.activity, &mut errors);
    let note = rules::check_note(c.note.as_deref(), &mut errors);
    if !errors.is_empty() {
        return Err(AppError::from_fields(errors));
    }
    Ok(Content {
        client_id: c.client_id.to_string(),
        staff_ids,
        day: c.day.clone(),
        start: c.start.clone(),
        end: c.end.clone(),
        kind: c.kind.as_str().into(),
        place: c.place.as_str().into(),
        activity,
        status: c.status.as_str().into(),
        minutes: c.minutes,
        note,
    })
}

enum Put {
    Created(ContactOut),
    Same(ContactOut),
}

/// Record a contact under an id the caller chose. 201 the first time; 200 with the stored
/// contact on an identical retry; 409 `conflict` if the id is taken by different content.
#[utoipa::path(tag = "contacts", params(("team_id" = Uuid, Path), ("contact_id" = Uuid, Path)), request_body = ContactIn, responses(
    (status = 201, body = ContactOut),
    (status = 200, description = "An identical retry: the stored contact", body = ContactOut),
    (status = 403, body = Problem, content_type = "application/problem+json"),
    (status = 409, description = "the id names a different contact", body = Problem, content_type = "application/problem+json"),
    (status = 422, body = Problem, content_type = "application/problem+json"),
))]
#[put("/teams/{team_id}/contacts/{contact_id}")]
pub async fn put_contact(
    st: web::Data<AppState>,
    user: AuthUser,
    path: web::Path<(Uuid, Uuid)>,
    body: Json<ContactIn>,
) -> AppResult<HttpResponse> {
    let (team_id, contact_id) = path.into_inner();
    let (team_id, contact_id) = (team_id.to_string(), contact_id.to_string());
    let content = validate_in(&body.0)?;
    let result = db::tx(&st.pool, move |conn| {
        let team = crate::auth::write_access(conn, &user, &team_id, Role::Member)?;
        if let Some(existing) = load(conn, &contact_id)? {
            if existing.team_id == team_id && Content::of(&existing) == content {
                return Ok(Put::Same(existing));
            }
            let mut extra = serde_json::Map::new();
            if existing.team_id == team_id {
                extra.insert("current".into(), serde_json::to_value(&existing).unwrap_or_default());
            }
            return Err(AppError::Conflict {
                code: "conflict",
                detail: "this contact id is already used for a different contact; use PATCH to change it, or a new id".into(),
                extra,
            });
        }
        insert_content(conn, &team, &contact_id, content, &user.id).map(Put::Created)
    })
    .await?;
    Ok(match result {
        Put::Created(c) => HttpResponse::Created().json(c),
        Put::Same(c) => HttpResponse::Ok().json(c),
    })
}

/// Change a contact with the version last read (members).
#[utoipa::path(tag = "contacts", params(("team_id" = Uuid, Path), ("contact_id" = Uuid, Path)), request_body = ContactPatch, responses(
    (status = 200, body = ContactOut),
    (status = 403, body = Problem, content_type = "application/problem+json"),
    (status = 404, body = Problem, content_type = "application/problem+json"),
    (status = 409, description = "version_conflict with `current`", body = Problem, content_type = "application/problem+json"),
    (status = 422, body = Problem, content_type = "application/problem+json"),
))]
#[patch("/teams/{team_id}/contacts/{contact_id}")]
pub async fn patch_contact(
    st: web::Data<AppState>,
    user: AuthUser,
    path: web::Path<(Uuid, Uuid)>,
    body: Json<ContactPatch>,
) -> AppResult<HttpResponse> {
    let (team_id, contact_id) = path.into_inner();
    let (team_id, contact_id) = (team_id.to_string(), contact_id.to_string());
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
    let saved = db::tx(&st.pool, move |conn| {
        let team = crate::auth::write_access(conn, &user, &team_id, Role::Member)?;
        let cur = load(conn, &contact_id)?
            .filter(|c| c.team_id == team_id)
            .ok_or_else(|| AppError::not_found("contact"))?;
        if cur.version != p.version {
            return Err(AppError::VersionConflict {
                current: serde_json::to_value(&cur).unwrap_or_default(),
            });
        }
        let mut c = Content::of(&cur);
        if let Some(s) = staff_ids {
            c.staff_ids = s;
        }
        if let Some(d) = p.day {
            c.day = d;
        }
        if let Some(s) = p.start {
            c.start = s;
        }
        if let Some(e) = p.end {
            c.end = e;
        }
        if let Some(k) = p.kind {
            c.kind = k.as_str().into();
        }
        if let Some(pl) = p.place {
            c.place = pl.as_str().into();
        }
        if let Some(a) = activity {
            c.activity = a;
        }
        if let Some(s) = p.status {
            c.status = s.as_str().into();
        }
        if let Some(m) = p.minutes {
            c.minutes = m;
        }
        if let Some(n) = note {
            c.note = n;
        }
        c.check()?;
        if c.staff_ids != cur.staff_ids {
            check_staff(conn, &team_id, &c.staff_ids)?;
            write_staff(conn, &team_id, &contact_id, &c.staff_ids)?;
        }
        diesel::update(
            contacts::table
                .filter(contacts::id.eq(&contact_id))
                .filter(contacts::version.eq(cur.version)),
        )
        .set((
            contacts::day.eq(&c.day),
            contacts::start_time.eq(&c.start),
            contacts::end_time.eq(&c.end),
            contacts::occurred_at.eq(occurred_at(&team, &c)?),
            contacts::kind.eq(&c.kind),
            contacts::place.eq(&c.place),
            contacts::activity.eq(&c.activity),
            contacts::status.eq(&c.status),
            contacts::minutes.eq(c.minutes),
            contacts::note.eq(&c.note),
            contacts::version.eq(cur.version + 1),
            contacts::updated_at.eq(db::now()),
        ))
        .execute(conn)?;
        let saved =
            load(conn, &contact_id)?.ok_or_else(|| AppError::internal("contact vanished"))?;
        events::append(conn, &team_id, "contact.updated", &saved, Some(&user.id))?;
        Ok(saved)
    })
    .await?;
    Ok(HttpResponse::Ok().json(saved))
}

/// Contacts of the team, filtered by day (or from/to), client, staff member and status;
/// ordered by day and start time.
#[utoipa::path(tag = "contacts", params(("team_id" = Uuid, Path), ContactQuery), responses(
    (status = 200, body = Vec<ContactOut>),
    (status = 404, body = Problem, content_type = "application/problem+json"),
    (status = 422, body = Problem, content_type = "application/problem+json"),
))]
#[get("/teams/{team_id}/contacts")]
pub async fn list_contacts(
    st: web::Data<AppState>,
    user: AuthUser,
    path: web::Path<Uuid>,
    q: web::Query<ContactQuery>,
) -> AppResult<HttpResponse> {
    let team_id = path.into_inner().to_string();
    let q = q.into_inner();
    let mut errors = vec![];
    for (field, v) in [("day", &q.day), ("from", &q.from), ("to", &q.to)] {
        if let Some(Err(m)) = v.as_deref().map(time::parse_day) {
            errors.push(FieldError::new(field, m));
        }
    }
    let limit = q.limit.unwrap_or(500);
    if !(1..=1000).contains(&limit) {
        errors.push(FieldError::new("limit", "must be between 1 and 1000"));
    }
    if !errors.is_empty() {
        return Err(AppError::from_fields(errors));
    }
    let list = db::run(&st.pool, move |conn| {
        team_access(conn, &user, &team_id)?;
        let mut query = contacts::table
            .filter(contacts::team_id.eq(&team_id))
            .select(ContactRow::as_select())
            .into_boxed();
        if let Some(d) = &q.day {
            query = query.filter(contacts::day.eq(d.clone()));
        }
        if let Some(d) = &q.from {
            query = query.filter(contacts::day.ge(d.clone()));
        }
        if let Some(d) = &q.to {
            query = query.filter(contacts::day.le(d.clone()));
        }
        if let Some(c) = q.client_id {
            query = query.filter(contacts::client_id.eq(c.to_string()));
        }
        if let Some(s) = q.status {
            query = query.filter(contacts::status.eq(s.as_str()));
        }
        if let Some(s) = q.staff_id {
            query = query.filter(
                contacts::id.eq_any(
                    contact_staff::table
                        .filter(contact_staff::team_id.eq(team_id.clone()))
                        .filter(contact_staff::staff_id.eq(s.to_string()))
                        .select(contact_staff::contact_id),
                ),
            );
        }
        let rows: Vec<ContactRow> = query
            .order((
                contacts::day.asc(),
                contacts::start_time.asc(),
                contacts::id.asc(),
            ))
            .limit(limit)
            .load(conn)?;
        with_staff(conn, &rows)
    })
    .await?;
    Ok(HttpResponse::Ok().json(list))
}

/// "X is out today": every planned visit of `from_staff_id` on `day` moves to
/// `to_staff_id`, in one transaction (leads and admins).
#[utoipa::path(tag = "contacts", params(("team_id" = Uuid, Path)), request_body = Reassign, responses(
    (status = 200, body = Reassigned),
    (status = 403, body = Problem, content_type = "application/problem+json"),
    (status = 422, body = Problem, content_type = "application/problem+json"),
))]
#[post("/teams/{team_id}/contacts/reassign")]
pub async fn reassign(
    st: web::Data<AppState>,
    user: AuthUser,
    path: web::Path<Uuid>,
    body: Json<Reassign>,
) -> AppResult<HttpResponse> {
    let team_id = path.into_inner().to_string();
    let r = body.0;
    time::parse_day(&r.day).map_err(|m| AppError::validation("day", m))?;
    let (from, to) = (r.from_staff_id.to_string(), r.to_staff_id.to_string());
    if from == to {
        return Err(AppError::validation(
            "to_staff_id",
            "must differ from from_staff_id",
        ));
    }
    let out = db::tx(&st.pool, move |conn| {
        crate::auth::write_access(conn, &user, &team_id, Role::Lead)?;
        if !crate::api::members::is_working(conn, &team_id, &to)? {
            return Err(AppError::validation("to_staff_id", "is not a working member of this team"));
        }
        let rows: Vec<ContactRow> = contacts::table
            .filter(contacts::team_id.eq(&team_id))
            .filter(contacts::day.eq(&r.day))
            .filter(contacts::status.eq("planned"))
            .filter(contacts::id.eq_any(
                contact_staff::table.filter(contact_staff::team_id.eq(&team_id)).filter(contact_staff::staff_id.eq(&from)).select(contact_staff::contact_id),
            ))
            .select(ContactRow::as_select())
            .load(conn)?;
        let now = db::now();
        for c in &rows {
            diesel::delete(contact_staff::table.filter(contact_staff::contact_id.eq(&c.id)).filter(contact_staff::staff_id.eq(&from))).execute(conn)?;
            let already: i64 = contact_staff::table.filter(contact_staff::contact_id.eq(&c.id)).filter(contact_staff::staff_id.eq(&to)).count().get_result(conn)?;
            if already == 0 {
                diesel::insert_into(contact_staff::table)
                    .values((contact_staff::contact_id.eq(&c.id), contact_staff::staff_id.eq(&to), contact_staff::team_id.eq(&team_id)))
                    .execute(conn)?;
            }
            diesel::update(contacts::table.filter(contacts::id.eq(&c.id)))
                .set((contacts::version.eq(c.version + 1), contacts::updated_at.eq(now)))
                .execute(conn)?;
        }
        let ids: Vec<String> = rows.iter().map(|c| c.id.clone()).collect();
        let fresh: Vec<ContactRow> = contacts::table.filter(contacts::id.eq_any(&ids)).select(ContactRow::as_select()).order(contacts::start_time.asc()).load(conn)?;
        let moved = with_staff(conn, &fresh)?;
        if !moved.is_empty() {
            events::append(
                conn,
                &team_id,
                "contacts.reassigned",
                &serde_json::json!({"day": r.day, "from_staff_id": from, "to_staff_id": to, "contacts": moved}),
                Some(&user.id),
            )?;
        }
        Ok(Reassigned { moved: moved.len(), contacts: moved })
    })
    .await?;
    Ok(HttpResponse::Ok().json(out))
}
