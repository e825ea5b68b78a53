//! Contacts (visits): created with a client-chosen UUID (a retried request never logs
//! twice), changed with a version, listed by day, client or staff, and one person's planned
//! visits of a day moved to another in one transaction.

mod booking;
mod content;

pub use booking::{conflicts_of, double_booked, Conflict};
pub use content::{validate_in, ContactIn, Content};

use crate::auth::{team_access, write_access, AuthUser};
use crate::db::models::{ContactRow, TeamRow};
use crate::db::schema::{contact_staff, contacts};
use crate::db::{self, DbConn, Pool};
use crate::domain::contact::{self as rules, ContactStatus, Kind, Place};
use crate::domain::page::{self, Page};
use crate::domain::roles::Role;
use crate::domain::time;
use crate::error::{AppError, AppResult};
use crate::store::events::{append, Event};
use crate::store::{audit, clients, members};
use chrono::Utc;
use diesel::prelude::*;
use serde::Serialize;
use std::collections::HashMap;
use utoipa::ToSchema;

pub use crate::store::records::contact::{out, ContactOut, ContactsReassigned};

#[derive(Serialize, ToSchema)]
pub struct Reassigned {
    pub moved: usize,
    pub contacts: Vec<ContactOut>,
}

/// Checked changes to a contact (absent: unchanged; `Some(None)` clears).
pub struct ContactChanges {
    pub version: i32,
    pub staff_ids: Option<Vec<String>>,
    pub day: Option<String>,
    pub start: Option<Option<String>>,
    pub end: Option<Option<String>>,
    pub kind: Option<Kind>,
    pub place: Option<Place>,
    pub activity: Option<String>,
    pub status: Option<ContactStatus>,
    pub minutes: Option<Option<i32>>,
    pub note: Option<Option<String>>,
    /// Book it even when it overlaps another visit of the same person.
    pub allow_overlap: bool,
}

/// Which contacts to list (days are checked `YYYY-MM-DD`).
pub struct ContactFilter {
    pub day: Option<String>,
    pub from: Option<String>,
    pub to: Option<String>,
    pub client_id: Option<String>,
    pub staff_id: Option<String>,
    pub status: Option<ContactStatus>,
    pub limit: i64,
    /// After this (day, start or "", id): the key of `cursor` (`domain::page`).
    pub after: Option<Vec<String>>,
}

diesel::define_sql_function! {
    /// COALESCE for a nullable text column: the same order for untimed visits on both
    /// engines (first), where NULLs would sort first on SQLite and last on PostgreSQL.
    fn coalesce(x: diesel::sql_types::Nullable<diesel::sql_types::Text>, y: diesel::sql_types::Text) -> diesel::sql_types::Text;
}

/// The name of the contacts list in its cursors.
pub const LIST: &str = "contacts";

/// What a PUT did: stored a new contact, or found the identical one (a retry).
pub enum Put {
    Created(ContactOut),
    Same(ContactOut),
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
pub fn check_staff(conn: &mut DbConn, team_id: &str, ids: &[String]) -> AppResult<()> {
    let ok = members::working_ids(conn, team_id, ids)?;
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

pub fn insert_content(
    conn: &mut DbConn,
    team: &TeamRow,
    id: &str,
    c: Content,
    actor: &str,
) -> AppResult<ContactOut> {
    clients::check_client(conn, &team.id, &c.client_id)?;
    check_staff(conn, &team.id, &c.staff_ids)?;
    insert_checked(conn, team, id, c, actor)
}

/// `insert_content` once its client and staff are checked.
fn insert_checked(
    conn: &mut DbConn,
    team: &TeamRow,
    id: &str,
    c: Content,
    actor: &str,
) -> AppResult<ContactOut> {
    let saved = insert_row(conn, team, id, &c, None, actor)?;
    append(
        conn,
        &team.id,
        Event::ContactCreated(saved.clone()),
        Some(actor),
    )?;
    Ok(saved)
}

/// Write a checked contact (its client and staff already checked) without an event: the
/// caller appends one (`contact.created`, or one event for a whole series).
pub fn insert_row(
    conn: &mut DbConn,
    team: &TeamRow,
    id: &str,
    c: &Content,
    series_id: Option<&str>,
    actor: &str,
) -> AppResult<ContactOut> {
    let now = db::now();
    let occurred_at = occurred_at(team, c)?;
    let row: ContactRow = crate::on_engine!(conn, |conn| diesel::insert_into(contacts::table)
        .values((
            contacts::id.eq(id),
            contacts::team_id.eq(&team.id),
            contacts::client_id.eq(&c.client_id),
            contacts::day.eq(&c.day),
            contacts::start_time.eq(&c.start),
            contacts::end_time.eq(&c.end),
            contacts::occurred_at.eq(occurred_at),
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
            contacts::series_id.eq(series_id),
        ))
        .returning(ContactRow::as_returning())
        .get_result(conn)?);
    // A new contact has no staff rows yet: one insert for all of them, no delete, and the
    // answer built from what was written (fewer round trips on the hot write path).
    let mut staff = c.staff_ids.clone();
    staff.sort();
    let rows: Vec<_> = staff
        .iter()
        .map(|s| {
            (
                contact_staff::contact_id.eq(id),
                contact_staff::staff_id.eq(s),
                contact_staff::team_id.eq(&team.id),
            )
        })
        .collect();
    crate::on_engine!(conn, |conn| diesel::insert_into(contact_staff::table)
        .values(&rows)
        .execute(conn)?);
    Ok(out(&row, staff))
}

/// Record a contact under an id the caller chose: `Created` the first time, `Same` on an
/// identical retry, 409 `conflict` if the id is taken by different content, 409
/// `double_booked` if it overlaps another visit of one of its staff (unless `allow_overlap`).
pub async fn put(
    pool: &Pool,
    user: AuthUser,
    team_id: String,
    contact_id: String,
    content: Content,
    allow_overlap: bool,
) -> AppResult<Put> {
    db::tx(pool, move |conn| {
        let team = write_access(conn, &user, &team_id, Role::Member)?;
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
        clients::check_client(conn, &team.id, &content.client_id)?;
        check_staff(conn, &team.id, &content.staff_ids)?;
        if !allow_overlap {
            booking::check_contact(conn, &team_id, &contact_id, &content)?;
        }
        insert_checked(conn, &team, &contact_id, content, &user.id).map(Put::Created)
    })
    .await
}

/// Change a contact with the version last read (members).
pub async fn update(
    pool: &Pool,
    user: AuthUser,
    team_id: String,
    contact_id: String,
    p: ContactChanges,
) -> AppResult<ContactOut> {
    db::tx(pool, move |conn| {
        let team = write_access(conn, &user, &team_id, Role::Member)?;
        let cur = load(conn, &contact_id)?
            .filter(|c| c.team_id == team_id)
            .ok_or_else(|| AppError::not_found("contact"))?;
        if cur.version != p.version {
            return Err(AppError::VersionConflict {
                current: serde_json::to_value(&cur).unwrap_or_default(),
            });
        }
        let mut c = Content::of(&cur);
        if let Some(s) = p.staff_ids {
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
        if let Some(a) = p.activity {
            c.activity = a;
        }
        if let Some(s) = p.status {
            c.status = s.as_str().into();
        }
        if let Some(m) = p.minutes {
            c.minutes = m;
        }
        if let Some(n) = p.note {
            c.note = n;
        }
        c.check()?;
        let was = Content::of(&cur);
        if c.staff_ids != cur.staff_ids {
            check_staff(conn, &team_id, &c.staff_ids)?;
        }
        // Only a change of when, who or status can create an overlap.
        let rescheduled = (&c.day, &c.start, &c.end, &c.staff_ids, &c.status)
            != (&was.day, &was.start, &was.end, &was.staff_ids, &was.status);
        if rescheduled && !p.allow_overlap {
            booking::check_contact(conn, &team_id, &contact_id, &c)?;
        }
        if c.staff_ids != cur.staff_ids {
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
        append(
            conn,
            &team_id,
            Event::ContactUpdated(saved.clone()),
            Some(&user.id),
        )?;
        Ok(saved)
    })
    .await
}

/// Contacts of the team, filtered; ordered by day and start time. The read is audited.
pub async fn list(
    pool: &Pool,
    user: AuthUser,
    team_id: String,
    q: ContactFilter,
) -> AppResult<Page<ContactOut>> {
    db::tx(pool, move |conn| {
        team_access(conn, &user, &team_id)?;
        // The read is audited in its transaction: one client's contacts, or the team's list.
        let client = q.client_id.clone();
        let detail = if client.is_some() {
            "contacts"
        } else {
            "contacts.list"
        };
        audit::view(conn, Some(&user.id), &team_id, client.as_deref(), detail)?;
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
            query = query.filter(contacts::client_id.eq(c));
        }
        if let Some(s) = q.status {
            query = query.filter(contacts::status.eq(s.as_str()));
        }
        if let Some(s) = q.staff_id {
            query = query.filter(
                contacts::id.eq_any(
                    contact_staff::table
                        .filter(contact_staff::team_id.eq(team_id.clone()))
                        .filter(contact_staff::staff_id.eq(s))
                        .select(contact_staff::contact_id),
                ),
            );
        }
        let start = || coalesce(contacts::start_time, "");
        if let Some(k) = q.after.as_deref() {
            let [day, st, id] = k else {
                return Err(AppError::validation(
                    "cursor",
                    "is not a cursor of this list",
                ));
            };
            query = query.filter(
                contacts::day
                    .gt(day.clone())
                    .or(contacts::day.eq(day.clone()).and(start().gt(st.clone())))
                    .or(contacts::day
                        .eq(day.clone())
                        .and(start().eq(st.clone()))
                        .and(contacts::id.gt(id.clone()))),
            );
        }
        let rows: Vec<ContactRow> = query
            .order((contacts::day.asc(), start().asc(), contacts::id.asc()))
            .limit(q.limit + 1)
            .load(conn)?;
        let (rows, next) = page::split(rows, q.limit, LIST, |r| {
            vec![
                r.day.clone(),
                r.start_time.clone().unwrap_or_default(),
                r.id.clone(),
            ]
        });
        Ok(Page {
            items: with_staff(conn, &rows)?,
            next,
        })
    })
    .await
}

/// Move every planned visit of `from` on the days `first..=last` to `to` (after the team's
/// write lock; `to` checked to work on the team): refused with 409 `double_booked` and
/// nothing moved when a moved visit would overlap one of `to`'s (unless `allow_overlap`).
/// One `contacts.reassigned` per day with moved visits. Returns the moved visits.
#[allow(clippy::too_many_arguments)]
pub fn move_planned(
    conn: &mut DbConn,
    team_id: &str,
    from: &str,
    to: &str,
    first: &str,
    last: &str,
    allow_overlap: bool,
    actor: &str,
) -> AppResult<Vec<ContactOut>> {
    let rows: Vec<ContactRow> = contacts::table
        .filter(contacts::team_id.eq(team_id))
        .filter(contacts::day.ge(first))
        .filter(contacts::day.le(last))
        .filter(contacts::status.eq("planned"))
        .filter(
            contacts::id.eq_any(
                contact_staff::table
                    .filter(contact_staff::team_id.eq(team_id))
                    .filter(contact_staff::staff_id.eq(from))
                    .select(contact_staff::contact_id),
            ),
        )
        .select(ContactRow::as_select())
        .load(conn)?;
    if !allow_overlap {
        booking::check_moves(conn, team_id, to, &rows)?;
    }
    let now = db::now();
    for c in &rows {
        diesel::delete(
            contact_staff::table
                .filter(contact_staff::contact_id.eq(&c.id))
                .filter(contact_staff::staff_id.eq(from)),
        )
        .execute(conn)?;
        let already: i64 = contact_staff::table
            .filter(contact_staff::contact_id.eq(&c.id))
            .filter(contact_staff::staff_id.eq(to))
            .count()
            .get_result(conn)?;
        if already == 0 {
            diesel::insert_into(contact_staff::table)
                .values((
                    contact_staff::contact_id.eq(&c.id),
                    contact_staff::staff_id.eq(to),
                    contact_staff::team_id.eq(team_id),
                ))
                .execute(conn)?;
        }
        diesel::update(contacts::table.filter(contacts::id.eq(&c.id)))
            .set((
                contacts::version.eq(c.version + 1),
                contacts::updated_at.eq(now),
            ))
            .execute(conn)?;
    }
    let ids: Vec<String> = rows.iter().map(|c| c.id.clone()).collect();
    let fresh: Vec<ContactRow> = contacts::table
        .filter(contacts::id.eq_any(&ids))
        .select(ContactRow::as_select())
        .order((
            contacts::day.asc(),
            contacts::start_time.asc(),
            contacts::id.asc(),
        ))
        .load(conn)?;
    let moved = with_staff(conn, &fresh)?;
    let mut by_day: Vec<(String, Vec<ContactOut>)> = vec![];
    for c in &moved {
        match by_day.last_mut() {
            Some((d, list)) if *d == c.day => list.push(c.clone()),
            _ => by_day.push((c.day.clone(), vec![c.clone()])),
        }
    }
    for (day, contacts) in by_day {
        let payload = ContactsReassigned {
            day,
            from_staff_id: from.to_string(),
            to_staff_id: to.to_string(),
            contacts,
        };
        append(
            conn,
            team_id,
            Event::ContactsReassigned(payload),
            Some(actor),
        )?;
    }
    Ok(moved)
}

/// "X is out today": every planned visit of `from` on `day` moves to `to`, in one
/// transaction (leads and admins); 409 `double_booked` and nothing moved when that would
/// give `to` overlapping visits, unless `allow_overlap`.
pub async fn reassign(
    pool: &Pool,
    user: AuthUser,
    team_id: String,
    day: String,
    from: String,
    to: String,
    allow_overlap: bool,
) -> AppResult<Reassigned> {
    if from == to {
        return Err(AppError::validation(
            "to_staff_id",
            "must differ from from_staff_id",
        ));
    }
    db::tx(pool, move |conn| {
        write_access(conn, &user, &team_id, Role::Lead)?;
        if !members::is_working(conn, &team_id, &to)? {
            return Err(AppError::validation(
                "to_staff_id",
                "is not a working member of this team",
            ));
        }
        let moved = move_planned(
            conn,
            &team_id,
            &from,
            &to,
            &day,
            &day,
            allow_overlap,
            &user.id,
        )?;
        Ok(Reassigned {
            moved: moved.len(),
            contacts: moved,
        })
    })
    .await
}
