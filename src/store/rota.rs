//! The on-call rota: the team's repeating week (stored whole, versioned), applying it as
//! ordinary shifts, and the coverage of the coming days (shifts and gaps).

use crate::auth::{team_access, write_access, AuthUser};
use crate::db::models::PatternRow;
use crate::db::schema::{oncall_patterns as p, staff};
use crate::db::{self, DbConn, Pool};
use crate::domain::roles::Role;
use crate::domain::rota::{self, Slot};
use crate::domain::time;
use crate::domain::FieldError;
use crate::error::{AppError, AppResult};
use crate::store::events::{append, Event};
use crate::store::members;
use crate::store::oncall::{insert_checked, shifts_between, tz_of, ShiftTimesIn};
use crate::store::teams::load_team;
use chrono::{Days, NaiveDate, Utc};
use diesel::prelude::*;
use serde::{Deserialize, Serialize};
use std::collections::HashMap;

pub use crate::store::records::rota::{
    ApplyOut, CoverageOut, GapOut, PatternOut, SkippedSlot, SlotOut,
};

/// The most days one coverage read spans.
pub const MAX_COVERAGE_DAYS: u64 = 31;
/// The default coverage: today and the next 14 days.
pub const DEFAULT_COVERAGE_DAYS: u64 = 14;

/// A slot as stored in `oncall_patterns.slots` (names are read fresh).
#[derive(Serialize, Deserialize)]
struct StoredSlot {
    weekday: u32,
    start: String,
    end: String,
    staff_id: String,
}

fn hhmm(t: chrono::NaiveTime) -> String {
    t.format("%H:%M").to_string()
}

fn load_row(conn: &mut DbConn, team_id: &str) -> AppResult<Option<PatternRow>> {
    Ok(p::table
        .filter(p::team_id.eq(team_id))
        .select(PatternRow::as_select())
        .first(conn)
        .optional()?)
}

fn stored_slots(row: &PatternRow) -> AppResult<Vec<Slot>> {
    let stored: Vec<StoredSlot> = serde_json::from_str(&row.slots)
        .map_err(|e| AppError::internal(format!("stored rota unreadable: {e}")))?;
    stored
        .into_iter()
        .map(|s| {
            Ok(Slot {
                weekday: s.weekday,
                start: time::parse_hhmm(&s.start).map_err(AppError::internal)?,
                end: time::parse_hhmm(&s.end).map_err(AppError::internal)?,
                staff_id: s.staff_id,
            })
        })
        .collect()
}

fn pattern_out(conn: &mut DbConn, row: Option<&PatternRow>) -> AppResult<PatternOut> {
    let Some(row) = row else {
        return Ok(PatternOut {
            version: 0,
            slots: vec![],
            updated_by: None,
            updated_at: None,
        });
    };
    let slots = stored_slots(row)?;
    let ids: Vec<&str> = slots.iter().map(|s| s.staff_id.as_str()).collect();
    let names: HashMap<String, String> = staff::table
        .filter(staff::id.eq_any(&ids))
        .select((staff::id, staff::display_name))
        .load::<(String, String)>(conn)?
        .into_iter()
        .collect();
    Ok(PatternOut {
        version: row.version,
        slots: slots
            .into_iter()
            .map(|s| SlotOut {
                weekday: s.weekday as u8,
                start: hhmm(s.start),
                end: hhmm(s.end),
                staff_name: names.get(&s.staff_id).cloned().unwrap_or_default(),
                staff_id: s.staff_id,
            })
            .collect(),
        updated_by: Some(row.updated_by.clone()),
        updated_at: Some(row.updated_at.into()),
    })
}

/// The team's repeating week (version 0 and no slots before one was stored).
pub async fn get_pattern(pool: &Pool, user: AuthUser, team_id: String) -> AppResult<PatternOut> {
    db::run(pool, move |conn| {
        team_access(conn, &user, &team_id)?;
        let row = load_row(conn, &team_id)?;
        pattern_out(conn, row.as_ref())
    })
    .await
}

/// Store the team's repeating week (leads). `version`, when given, must be the stored one
/// (409 `version_conflict` with the current pattern otherwise); every slot's person must work
/// on the team (422 on `slots[i].staff_id`). Slots were checked by `domain::rota::check_slots`.
pub async fn put_pattern(
    pool: &Pool,
    user: AuthUser,
    team_id: String,
    version: Option<i32>,
    // In the request's order (field names are `slots[i]`).
    mut slots: Vec<Slot>,
) -> AppResult<PatternOut> {
    db::tx(pool, move |conn| {
        write_access(conn, &user, &team_id, Role::Lead)?;
        let row = load_row(conn, &team_id)?;
        let current = row.as_ref().map_or(0, |r| r.version);
        if version.is_some_and(|v| v != current) {
            let cur = pattern_out(conn, row.as_ref())?;
            return Err(AppError::VersionConflict {
                current: serde_json::to_value(cur).map_err(AppError::internal)?,
            });
        }
        let ids: Vec<String> = slots.iter().map(|s| s.staff_id.clone()).collect();
        let working = members::working_ids(conn, &team_id, &ids)?;
        let errors: Vec<FieldError> = slots
            .iter()
            .enumerate()
            .filter(|(_, s)| !working.contains(&s.staff_id))
            .map(|(i, _)| {
                FieldError::new(
                    format!("slots[{i}].staff_id"),
                    "is not a working member of this team",
                )
            })
            .collect();
        if !errors.is_empty() {
            return Err(AppError::from_fields(errors));
        }
        slots.sort_by_key(|s| (s.weekday, s.start));
        let stored: Vec<StoredSlot> = slots
            .iter()
            .map(|s| StoredSlot {
                weekday: s.weekday,
                start: hhmm(s.start),
                end: hhmm(s.end),
                staff_id: s.staff_id.clone(),
            })
            .collect();
        let json = serde_json::to_string(&stored).map_err(AppError::internal)?;
        let now = db::now();
        if row.is_some() {
            diesel::update(p::table.filter(p::team_id.eq(&team_id)))
                .set((
                    p::slots.eq(&json),
                    p::version.eq(current + 1),
                    p::updated_by.eq(&user.id),
                    p::updated_at.eq(now),
                ))
                .execute(conn)?;
        } else {
            diesel::insert_into(p::table)
                .values((
                    p::team_id.eq(&team_id),
                    p::slots.eq(&json),
                    p::version.eq(1),
                    p::updated_by.eq(&user.id),
                    p::updated_at.eq(now),
                ))
                .execute(conn)?;
        }
        let row = load_row(conn, &team_id)?;
        let out = pattern_out(conn, row.as_ref())?;
        append(
            conn,
            &team_id,
            Event::OncallPatternUpdated(out.clone()),
            Some(&user.id),
        )?;
        Ok(out)
    })
    .await
}

/// Materialize the pattern into shifts for `weeks` weeks from the team-local day `from`
/// (leads), in one transaction: each slot occurrence becomes an ordinary shift (team-local
/// wall clock; a start or end skipped by spring-forward moves to the first minute after, a
/// repeated fall-back time takes its first occurrence), unless it would overlap a shift
/// already there (skipped, so hand-made exceptions stay and applying twice creates nothing
/// new) or its person no longer works on the team. Each created shift is a `shift.created`.
pub async fn apply(
    pool: &Pool,
    user: AuthUser,
    team_id: String,
    from: NaiveDate,
    weeks: u32,
) -> AppResult<ApplyOut> {
    db::tx(pool, move |conn| {
        write_access(conn, &user, &team_id, Role::Lead)?;
        let team = load_team(conn, &team_id)?;
        let tz = tz_of(&team)?;
        time::check_sane(from + Days::new(u64::from(weeks) * 7))
            .map_err(|m| AppError::validation("weeks", m))?;
        let slots = match load_row(conn, &team_id)? {
            Some(row) => stored_slots(&row)?,
            None => vec![],
        };
        let ids: Vec<String> = slots.iter().map(|s| s.staff_id.clone()).collect();
        let working = members::working_ids(conn, &team_id, &ids)?;
        let mut out = ApplyOut {
            created: vec![],
            skipped: vec![],
        };
        for (i, day, a, z) in rota::occurrences(&slots, from, weeks) {
            let slot = &slots[i];
            let (start, end) = (
                time::first_instant_from(tz, a),
                time::first_instant_from(tz, z),
            );
            let (starts_local, ends_local) =
                (time::format_local(tz, start), time::format_local(tz, end));
            let skip = |reason: &str, overlaps: Vec<String>| SkippedSlot {
                day: day.to_string(),
                weekday: slot.weekday as u8,
                staff_id: slot.staff_id.clone(),
                starts_local: starts_local.clone(),
                ends_local: ends_local.clone(),
                reason: reason.into(),
                overlaps,
            };
            if !working.contains(&slot.staff_id) {
                out.skipped.push(skip("not_working", vec![]));
                continue;
            }
            if end <= start {
                continue; // Only a slot swallowed whole by a DST change; nothing to cover.
            }
            let (start, end) = (start.naive_utc(), end.naive_utc());
            let overlaps = shifts_between(conn, &team_id, start, end)?;
            if !overlaps.is_empty() {
                out.skipped.push(skip(
                    "overlaps",
                    overlaps.into_iter().map(|o| o.id).collect(),
                ));
                continue;
            }
            let times = ShiftTimesIn {
                start,
                end,
                starts_local: &starts_local,
                ends_local: &ends_local,
            };
            out.created.push(insert_checked(
                conn,
                &team_id,
                &slot.staff_id,
                &times,
                &user.id,
            )?);
        }
        Ok(out)
    })
    .await
}

/// The shifts and the uncovered intervals of the team-local days `from..=to` (default today
/// and the next 14 days; at most 31 days).
pub async fn coverage(
    pool: &Pool,
    user: AuthUser,
    team_id: String,
    from: Option<NaiveDate>,
    to: Option<NaiveDate>,
) -> AppResult<CoverageOut> {
    db::run(pool, move |conn| {
        team_access(conn, &user, &team_id)?;
        let team = load_team(conn, &team_id)?;
        let tz = tz_of(&team)?;
        let from = from.unwrap_or_else(|| time::today(tz, Utc::now()));
        let to = to.unwrap_or(from + Days::new(DEFAULT_COVERAGE_DAYS));
        if to < from {
            return Err(AppError::validation("to", "must not be before from"));
        }
        if (to - from).num_days() >= MAX_COVERAGE_DAYS as i64 {
            return Err(AppError::validation(
                "to",
                format!("a coverage read spans at most {MAX_COVERAGE_DAYS} days"),
            ));
        }
        let (a, _) = time::day_bounds(tz, from);
        let (_, z) = time::day_bounds(tz, to);
        let shifts = shifts_between(conn, &team_id, a.naive_utc(), z.naive_utc())?;
        let spans: Vec<_> = shifts
            .iter()
            .map(|s| (s.starts_at.0, s.ends_at.0))
            .collect();
        let gaps = rota::gaps(a, z, &spans)
            .into_iter()
            .map(|(s, e)| GapOut {
                starts_at: s.into(),
                ends_at: e.into(),
                starts_local: time::format_local(tz, s),
                ends_local: time::format_local(tz, e),
            })
            .collect();
        Ok(CoverageOut {
            from: from.to_string(),
            to: to.to_string(),
            shifts,
            gaps,
        })
    })
    .await
}
