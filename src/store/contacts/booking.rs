//! No double booking (`domain::booking`) against the team's stored visits: the conflicts of
//! one contact being written, for each of its staff, and of visits moving to one person.
//! Called under the team's write lock, so two writers never both see a free slot.

use super::Content;
use crate::db::models::ContactRow;
use crate::db::schema::{contact_staff, contacts};
use crate::db::DbConn;
use crate::domain::booking::{overlap, Booking};
use crate::domain::time::{parse_day, parse_hhmm};
use crate::error::{AppError, AppResult};
use diesel::prelude::*;
use serde::Serialize;
use std::collections::{BTreeMap, HashSet};
use utoipa::ToSchema;

/// A visit already booked that a write would overlap (in 409 `double_booked`).
#[derive(Serialize, ToSchema, Clone, Debug, PartialEq)]
pub struct Conflict {
    /// The visit already booked.
    #[schema(format = Uuid)]
    pub contact_id: String,
    /// Whose time both visits take.
    #[schema(format = Uuid)]
    pub staff_id: String,
    /// Team-local day, YYYY-MM-DD.
    pub day: String,
    /// Team-local HH:MM.
    pub start: String,
    pub end: String,
    /// The visit being written or moved that overlaps it.
    #[schema(format = Uuid)]
    pub conflicts_with: String,
}

fn booking(
    id: &str,
    day: &str,
    start: Option<&str>,
    end: Option<&str>,
    status: &str,
) -> Option<Booking> {
    Some(Booking {
        contact_id: id.to_string(),
        day: parse_day(day).ok()?,
        start: start.map(parse_hhmm).transpose().ok()?,
        end: end.map(parse_hhmm).transpose().ok()?,
        status: status.to_string(),
    })
}

fn of_row(r: &ContactRow) -> Option<Booking> {
    booking(
        &r.id,
        &r.day,
        r.start_time.as_deref(),
        r.end_time.as_deref(),
        &r.status,
    )
}

/// The team's timed planned or completed visits on `day` naming any of `staff`, each with
/// which of `staff` it names.
fn booked(
    conn: &mut DbConn,
    team_id: &str,
    day: &str,
    staff: &[String],
) -> AppResult<Vec<(ContactRow, Vec<String>)>> {
    let rows: Vec<ContactRow> = contacts::table
        .filter(contacts::team_id.eq(team_id))
        .filter(contacts::day.eq(day))
        .filter(contacts::status.eq_any(["planned", "completed"]))
        .filter(contacts::start_time.is_not_null())
        .filter(contacts::end_time.is_not_null())
        .filter(
            contacts::id.eq_any(
                contact_staff::table
                    .filter(contact_staff::team_id.eq(team_id))
                    .filter(contact_staff::staff_id.eq_any(staff))
                    .select(contact_staff::contact_id),
            ),
        )
        .select(ContactRow::as_select())
        .order((contacts::start_time.asc(), contacts::id.asc()))
        .load(conn)?;
    let ids: Vec<String> = rows.iter().map(|r| r.id.clone()).collect();
    let mut names = super::staff_of(conn, &ids)?;
    Ok(rows
        .into_iter()
        .map(|r| {
            let who = names
                .remove(&r.id)
                .unwrap_or_default()
                .into_iter()
                .filter(|s| staff.contains(s))
                .collect();
            (r, who)
        })
        .collect())
}

fn conflict(other: &ContactRow, staff_id: &str, with: &str) -> Conflict {
    Conflict {
        contact_id: other.id.clone(),
        staff_id: staff_id.to_string(),
        day: other.day.clone(),
        start: other.start_time.clone().unwrap_or_default(),
        end: other.end_time.clone().unwrap_or_default(),
        conflicts_with: with.to_string(),
    }
}

/// 409 `double_booked` with `conflicts`.
pub fn double_booked(conflicts: Vec<Conflict>) -> AppError {
    let first = &conflicts[0];
    let detail = format!(
        "{} overlap(s) with visits already booked for the same person (the first: {} {}–{}); \
         choose another time or person, or send allow_overlap: true to book it anyway",
        conflicts.len(),
        first.day,
        first.start,
        first.end
    );
    let mut extra = serde_json::Map::new();
    extra.insert(
        "conflicts".into(),
        serde_json::to_value(&conflicts).unwrap_or_default(),
    );
    AppError::Conflict {
        code: "double_booked",
        detail,
        extra,
    }
}

/// Refuse a contact `id` with content `c` that overlaps another visit of any of its staff.
pub fn check_contact(conn: &mut DbConn, team_id: &str, id: &str, c: &Content) -> AppResult<()> {
    let found = conflicts_of(conn, team_id, id, c)?;
    if found.is_empty() {
        Ok(())
    } else {
        Err(double_booked(found))
    }
}

/// The stored visits a contact `id` with content `c` would overlap, for each of its staff.
pub fn conflicts_of(
    conn: &mut DbConn,
    team_id: &str,
    id: &str,
    c: &Content,
) -> AppResult<Vec<Conflict>> {
    let Some(candidate) = booking(id, &c.day, c.start.as_deref(), c.end.as_deref(), &c.status)
    else {
        return Ok(vec![]);
    };
    if candidate.window().is_none() {
        return Ok(vec![]);
    }
    let mut found = vec![];
    for (other, who) in booked(conn, team_id, &c.day, &c.staff_ids)? {
        if of_row(&other).is_some_and(|o| overlap(&candidate, &o)) {
            found.extend(who.iter().map(|s| conflict(&other, s, id)));
        }
    }
    Ok(found)
}

/// Refuse moving `moving` (planned visits) to `to` when any would overlap a visit `to`
/// already has, or another of the moved ones (each pair reported once).
pub fn check_moves(
    conn: &mut DbConn,
    team_id: &str,
    to: &str,
    moving: &[ContactRow],
) -> AppResult<()> {
    let mut by_day: BTreeMap<&str, Vec<&ContactRow>> = BTreeMap::new();
    for m in moving {
        by_day.entry(m.day.as_str()).or_default().push(m);
    }
    let moving_ids: HashSet<&str> = moving.iter().map(|m| m.id.as_str()).collect();
    let who = [to.to_string()];
    let mut found = vec![];
    for (day, moved) in by_day {
        let kept: Vec<ContactRow> = booked(conn, team_id, day, &who)?
            .into_iter()
            .map(|(r, _)| r)
            .filter(|r| !moving_ids.contains(r.id.as_str()))
            .collect();
        for (i, m) in moved.iter().enumerate() {
            let Some(mb) = of_row(m) else { continue };
            for k in &kept {
                if of_row(k).is_some_and(|kb| overlap(&mb, &kb)) {
                    found.push(conflict(k, to, &m.id));
                }
            }
            for other in &moved[i + 1..] {
                if of_row(other).is_some_and(|ob| overlap(&mb, &ob)) {
                    found.push(conflict(other, to, &m.id));
                }
            }
        }
    }
    if found.is_empty() {
        Ok(())
    } else {
        Err(double_booked(found))
    }
}
