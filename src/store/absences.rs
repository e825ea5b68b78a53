//! Absences: "X is out from … to …, Y covers". Leads (and admins) record and cancel them,
//! because recording one moves the person's planned visits in the range to `covered_by`
//! (the lead's job of reassigning visits); everyone on the team reads them, and the board's
//! staff rows show who is out on the board's day.
//!
//! Recording: the person and the cover must work on the team; a person's absences do not
//! overlap (409 `conflict` naming them in `overlaps`: cancel or shorten one first); the moves
//! follow the double-booking rule (409 `double_booked`, nothing written, unless
//! `allow_overlap`). Cancelling does not move any visit back: after the moves the visits are
//! the cover's, and may have been changed since.

use crate::auth::{team_access, write_access, AuthUser};
use crate::db::models::AbsenceRow;
use crate::db::schema::absences as a;
use crate::db::{self, DbConn, Pool};
use crate::domain::absence::overlaps;
use crate::domain::roles::Role;
use crate::domain::time;
use crate::domain::FieldError;
use crate::error::{AppError, AppResult};
use crate::store::contacts::move_planned;
use crate::store::events::{append, Event};
use crate::store::members;
use crate::store::oncall::tz_of;
use crate::store::teams::load_team;
use chrono::{NaiveDate, Utc};
use diesel::prelude::*;
use std::collections::HashMap;
use uuid::Uuid;

pub use crate::store::records::absence::{AbsenceCreated, AbsenceDeleted, AbsenceOut, AbsentToday};

pub const MAX_LIST: i64 = 500;

/// A checked absence to record (days already checked by `domain::absence::check_range`).
pub struct NewAbsence {
    pub staff_id: String,
    pub from: NaiveDate,
    pub to: NaiveDate,
    pub covered_by: Option<String>,
    pub reason: Option<String>,
    pub allow_overlap: bool,
}

fn day(d: NaiveDate) -> String {
    d.format("%Y-%m-%d").to_string()
}

fn load(conn: &mut DbConn, team_id: &str, id: &str) -> AppResult<AbsenceRow> {
    a::table
        .filter(a::team_id.eq(team_id))
        .filter(a::id.eq(id))
        .select(AbsenceRow::as_select())
        .first(conn)
        .optional()?
        .ok_or_else(|| AppError::not_found("absence"))
}

/// The team's absences sharing a day with `from..=to` (`to` open-ended when `None`), by
/// first day, then person.
fn between(
    conn: &mut DbConn,
    team_id: &str,
    from: &str,
    to: Option<&str>,
    staff_id: Option<&str>,
) -> AppResult<Vec<AbsenceRow>> {
    let mut q = a::table
        .filter(a::team_id.eq(team_id))
        .filter(a::to_day.ge(from.to_string()))
        .select(AbsenceRow::as_select())
        .into_boxed();
    if let Some(z) = to {
        q = q.filter(a::from_day.le(z.to_string()));
    }
    if let Some(s) = staff_id {
        q = q.filter(a::staff_id.eq(s.to_string()));
    }
    Ok(q.order((a::from_day.asc(), a::staff_id.asc(), a::id.asc()))
        .limit(MAX_LIST)
        .load(conn)?)
}

/// Who is out on `day`, by staff id (for the board).
pub fn absent_on(
    conn: &mut DbConn,
    team_id: &str,
    day_s: &str,
) -> AppResult<HashMap<String, AbsentToday>> {
    let rows = between(conn, team_id, day_s, Some(day_s), None)?;
    let mut out = HashMap::new();
    for r in rows {
        out.entry(r.staff_id.clone()).or_insert(AbsentToday {
            absence_id: r.id,
            from: r.from_day,
            until: r.to_day,
            covered_by: r.covered_by,
        });
    }
    Ok(out)
}

/// Record an absence (leads and admins); the person's planned visits in the range move to
/// `covered_by` in the same transaction.
pub async fn create(
    pool: &Pool,
    user: AuthUser,
    team_id: String,
    n: NewAbsence,
) -> AppResult<AbsenceCreated> {
    db::tx(pool, move |conn| {
        write_access(conn, &user, &team_id, Role::Lead)?;
        let mut errors = vec![];
        if !members::is_working(conn, &team_id, &n.staff_id)? {
            errors.push(FieldError::new(
                "staff_id",
                "is not a working member of this team",
            ));
        }
        if let Some(c) = &n.covered_by {
            if *c == n.staff_id {
                errors.push(FieldError::new(
                    "covered_by",
                    "must be someone other than the person who is out",
                ));
            } else if !members::is_working(conn, &team_id, c)? {
                errors.push(FieldError::new(
                    "covered_by",
                    "is not a working member of this team",
                ));
            }
        }
        if !errors.is_empty() {
            return Err(AppError::from_fields(errors));
        }
        let (from, to) = (day(n.from), day(n.to));
        let clash: Vec<AbsenceOut> = between(conn, &team_id, &from, Some(&to), Some(&n.staff_id))?
            .iter()
            .filter(|r| {
                let range = |x: &str| time::parse_day(x).ok();
                match (range(&r.from_day), range(&r.to_day)) {
                    (Some(f), Some(t)) => overlaps((f, t), (n.from, n.to)),
                    _ => true,
                }
            })
            .map(AbsenceOut::from)
            .collect();
        if !clash.is_empty() {
            let mut extra = serde_json::Map::new();
            extra.insert(
                "overlaps".into(),
                serde_json::to_value(&clash).unwrap_or_default(),
            );
            return Err(AppError::Conflict {
                code: "conflict",
                detail: format!(
                    "this person is already recorded out from {} to {}; cancel or change that absence first",
                    clash[0].from, clash[0].to
                ),
                extra,
            });
        }
        let moved = match &n.covered_by {
            Some(c) => move_planned(
                conn,
                &team_id,
                &n.staff_id,
                c,
                &from,
                &to,
                n.allow_overlap,
                &user.id,
            )?,
            None => vec![],
        };
        let id = Uuid::new_v4().to_string();
        diesel::insert_into(a::table)
            .values((
                a::id.eq(&id),
                a::team_id.eq(&team_id),
                a::staff_id.eq(&n.staff_id),
                a::from_day.eq(&from),
                a::to_day.eq(&to),
                a::covered_by.eq(&n.covered_by),
                a::reason.eq(&n.reason),
                a::created_by.eq(&user.id),
                a::created_at.eq(db::now()),
            ))
            .execute(conn)?;
        let absence = AbsenceOut::from(&load(conn, &team_id, &id)?);
        append(
            conn,
            &team_id,
            Event::AbsenceCreated(absence.clone()),
            Some(&user.id),
        )?;
        Ok(AbsenceCreated {
            absence,
            moved: moved.len(),
            contacts: moved,
        })
    })
    .await
}

/// The team's absences sharing a day with `from..=to` (default: from today in the team's
/// time zone, open-ended), up to 500.
pub async fn list(
    pool: &Pool,
    user: AuthUser,
    team_id: String,
    from: Option<NaiveDate>,
    to: Option<NaiveDate>,
) -> AppResult<Vec<AbsenceOut>> {
    db::run(pool, move |conn| {
        team_access(conn, &user, &team_id)?;
        let from = match from {
            Some(f) => f,
            None => time::today(tz_of(&load_team(conn, &team_id)?)?, Utc::now()),
        };
        let rows = between(conn, &team_id, &day(from), to.map(day).as_deref(), None)?;
        Ok(rows.iter().map(AbsenceOut::from).collect())
    })
    .await
}

/// Cancel an absence (leads and admins). The visits it moved stay with the cover.
pub async fn delete(pool: &Pool, user: AuthUser, team_id: String, id: String) -> AppResult<()> {
    db::tx(pool, move |conn| {
        write_access(conn, &user, &team_id, Role::Lead)?;
        let row = load(conn, &team_id, &id)?;
        diesel::delete(a::table.filter(a::id.eq(&row.id))).execute(conn)?;
        append(
            conn,
            &team_id,
            Event::AbsenceDeleted(AbsenceDeleted {
                id: row.id,
                staff_id: row.staff_id,
            }),
            Some(&user.id),
        )?;
        Ok(())
    })
    .await
}
