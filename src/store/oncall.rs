//! On-call shifts, entered in team-local wall-clock time and stored in UTC.

use crate::auth::{team_access, write_access, AuthUser};
use crate::db::models::{ShiftRow, TeamRow};
use crate::db::schema::{handoffs, oncall_shifts as s, staff};
use crate::db::{self, DbConn, Pool};
use crate::domain::board_rules::{next_on_call, on_call_now};
use crate::domain::page::{self, Page, PageReq};
use crate::domain::roles::Role;
use crate::domain::time::{self, LocalToUtc};
use crate::domain::FieldError;
use crate::error::{AppError, AppResult};
use crate::store::events::{append, Event};
use crate::store::members;
use crate::store::teams::load_team;
use chrono::{NaiveDate, NaiveDateTime, TimeDelta, Utc};
use diesel::prelude::*;
use serde::Deserialize;
use serde_json::json;
use utoipa::ToSchema;
use uuid::Uuid;

pub use crate::store::records::shift::{ShiftDeleted, ShiftOut};

pub const MAX_SHIFT_HOURS: i64 = 7 * 24;

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewShift {
    pub staff_id: Uuid,
    /// Team-local wall-clock time YYYY-MM-DDTHH:MM. A time skipped by a spring-forward change
    /// is refused (422); in the repeated hour of a fall-back night the EARLIER instant is taken.
    #[schema(pattern = r"^\d{4}-\d{2}-\d{2}T([01]\d|2[0-3]):[0-5]\d$")]
    pub starts_local: String,
    #[schema(pattern = r"^\d{4}-\d{2}-\d{2}T([01]\d|2[0-3]):[0-5]\d$")]
    pub ends_local: String,
    /// Leads may let this shift overlap another (e.g. a second person on call).
    #[serde(default)]
    pub allow_overlap: bool,
}

pub fn to_out(r: &ShiftRow, name: String) -> ShiftOut {
    ShiftOut {
        id: r.id.clone(),
        staff_id: r.staff_id.clone(),
        staff_name: name,
        starts_at: r.starts_at.into(),
        ends_at: r.ends_at.into(),
        starts_local: r.starts_local.clone(),
        ends_local: r.ends_local.clone(),
        notes: vec![],
    }
}

pub fn tz_of(team: &TeamRow) -> AppResult<chrono_tz::Tz> {
    team.timezone
        .parse()
        .map_err(|_| AppError::internal("stored timezone invalid"))
}

fn convert(
    tz: chrono_tz::Tz,
    field: &str,
    v: &str,
    notes: &mut Vec<String>,
    errors: &mut Vec<FieldError>,
) -> Option<NaiveDateTime> {
    let local = time::parse_local(v)
        .map_err(|m| errors.push(FieldError::new(field, m)))
        .ok()?;
    match time::local_to_utc(tz, local) {
        Ok(LocalToUtc::Exact(t)) => Some(t.naive_utc()),
        Ok(LocalToUtc::Ambiguous { earlier, .. }) => {
            notes.push(format!(
                "{field}: {v} occurs twice in {} (clocks go back); the first occurrence was taken",
                tz.name()
            ));
            Some(earlier.naive_utc())
        }
        Err(m) => {
            errors.push(FieldError::new(field, m));
            None
        }
    }
}

/// Shifts of the team overlapping [from, to), with the staff names, by start.
pub fn shifts_between(
    conn: &mut DbConn,
    team_id: &str,
    from: NaiveDateTime,
    to: NaiveDateTime,
) -> AppResult<Vec<ShiftOut>> {
    let rows: Vec<(ShiftRow, String)> = s::table
        .inner_join(staff::table)
        .filter(s::team_id.eq(team_id))
        .filter(s::starts_at.lt(to))
        .filter(s::ends_at.gt(from))
        .select((ShiftRow::as_select(), staff::display_name))
        .order(s::starts_at.asc())
        .load(conn)?;
    Ok(rows.into_iter().map(|(r, n)| to_out(&r, n)).collect())
}

/// Who is on call at `now` (`board_rules::on_call_now`: the latest-starting covering shift).
pub fn current(
    conn: &mut DbConn,
    team_id: &str,
    now: NaiveDateTime,
) -> AppResult<Option<ShiftOut>> {
    let covering = shifts_between(conn, team_id, now, now + TimeDelta::microseconds(1))?;
    Ok(on_call_now(&covering, now.and_utc()).cloned())
}

/// Who is on call next after `now` (`board_rules::next_on_call`: the soonest-starting shift
/// after it).
pub fn next(conn: &mut DbConn, team_id: &str, now: NaiveDateTime) -> AppResult<Option<ShiftOut>> {
    let first: Option<NaiveDateTime> = s::table
        .filter(s::team_id.eq(team_id))
        .filter(s::starts_at.gt(now))
        .select(diesel::dsl::min(s::starts_at))
        .first(conn)?;
    let Some(first) = first else { return Ok(None) };
    // Every shift starting then: the rule, not a collation, breaks the tie.
    let rows: Vec<(ShiftRow, String)> = s::table
        .inner_join(staff::table)
        .filter(s::team_id.eq(team_id))
        .filter(s::starts_at.eq(first))
        .select((ShiftRow::as_select(), staff::display_name))
        .load(conn)?;
    let upcoming: Vec<ShiftOut> = rows.into_iter().map(|(r, n)| to_out(&r, n)).collect();
    Ok(next_on_call(&upcoming, now.and_utc()).cloned())
}

/// Store a shift (after `write_access`): convert, check, refuse overlaps unless allowed (and
/// always one overlapping a shift of the same person).
pub fn insert(conn: &mut DbConn, team_id: &str, b: &NewShift, actor: &str) -> AppResult<ShiftOut> {
    let team = load_team(conn, team_id)?;
    let tz = tz_of(&team)?;
    let (mut notes, mut errors) = (vec![], vec![]);
    let start = convert(tz, "starts_local", &b.starts_local, &mut notes, &mut errors);
    let end = convert(tz, "ends_local", &b.ends_local, &mut notes, &mut errors);
    if let (Some(a), Some(z)) = (start, end) {
        if z <= a {
            errors.push(FieldError::new("ends_local", "must be after starts_local"));
        } else if z - a > TimeDelta::hours(MAX_SHIFT_HOURS) {
            errors.push(FieldError::new(
                "ends_local",
                "a shift may last at most 7 days",
            ));
        }
    }
    let staff_id = b.staff_id.to_string();
    if !members::is_working(conn, team_id, &staff_id)? {
        errors.push(FieldError::new(
            "staff_id",
            "is not a working member of this team",
        ));
    }
    if !errors.is_empty() {
        return Err(AppError::from_fields(errors));
    }
    let (start, end) = (start.unwrap_or_default(), end.unwrap_or_default());
    let overlaps = shifts_between(conn, team_id, start, end)?;
    // One person cannot be on call twice at once, whoever allows it.
    let own: Vec<&ShiftOut> = overlaps.iter().filter(|o| o.staff_id == staff_id).collect();
    if let Some(first) = own.first() {
        let mut extra = serde_json::Map::new();
        extra.insert("overlaps".into(), json!(own));
        return Err(AppError::Conflict {
            code: "conflict",
            detail: format!(
                "{} is already on call from {} to {}; one person cannot hold two overlapping shifts",
                first.staff_name, first.starts_local, first.ends_local
            ),
            extra,
        });
    }
    if !overlaps.is_empty() && !b.allow_overlap {
        let mut extra = serde_json::Map::new();
        extra.insert("overlaps".into(), json!(overlaps));
        return Err(AppError::Conflict {
            code: "conflict",
            detail: format!(
                "this shift overlaps {} other shift(s), starting with {}'s; a lead can allow it with allow_overlap",
                overlaps.len(),
                overlaps[0].staff_name
            ),
            extra,
        });
    }
    let times = ShiftTimesIn {
        start,
        end,
        starts_local: &b.starts_local,
        ends_local: &b.ends_local,
    };
    let mut out = insert_checked(conn, team_id, &staff_id, &times, actor)?;
    out.notes = notes;
    Ok(out)
}

/// A shift's instants and the wall-clock text they came from.
pub struct ShiftTimesIn<'a> {
    pub start: NaiveDateTime,
    pub end: NaiveDateTime,
    pub starts_local: &'a str,
    pub ends_local: &'a str,
}

/// Write a shift already checked (times, membership, overlaps) and announce it
/// (`shift.created`), in the caller's transaction.
pub fn insert_checked(
    conn: &mut DbConn,
    team_id: &str,
    staff_id: &str,
    t: &ShiftTimesIn<'_>,
    actor: &str,
) -> AppResult<ShiftOut> {
    let id = Uuid::new_v4().to_string();
    diesel::insert_into(s::table)
        .values((
            s::id.eq(&id),
            s::team_id.eq(team_id),
            s::staff_id.eq(staff_id),
            s::starts_at.eq(t.start),
            s::ends_at.eq(t.end),
            s::starts_local.eq(t.starts_local),
            s::ends_local.eq(t.ends_local),
            s::created_by.eq(actor),
            s::created_at.eq(db::now()),
        ))
        .execute(conn)?;
    let out = shifts_between(conn, team_id, t.start, t.end)?
        .into_iter()
        .find(|x| x.id == id)
        .ok_or_else(|| AppError::internal("shift vanished"))?;
    append(conn, team_id, Event::ShiftCreated(out.clone()), Some(actor))?;
    Ok(out)
}

/// Put someone on call (leads and admins). Overlapping another shift is refused with 409
/// unless `allow_overlap` is set; overlapping the same person's shift always is.
pub async fn create(
    pool: &Pool,
    user: AuthUser,
    team_id: String,
    b: NewShift,
) -> AppResult<ShiftOut> {
    db::tx(pool, move |conn| {
        write_access(conn, &user, &team_id, Role::Lead)?;
        insert(conn, &team_id, &b, &user.id)
    })
    .await
}

/// Remove a shift (leads and admins); one a handoff names stays on record.
pub async fn delete(
    pool: &Pool,
    user: AuthUser,
    team_id: String,
    shift_id: String,
) -> AppResult<()> {
    db::tx(pool, move |conn| {
        write_access(conn, &user, &team_id, Role::Lead)?;
        let referenced: i64 = handoffs::table
            .filter(handoffs::shift_id.eq(&shift_id))
            .count()
            .get_result(conn)?;
        if referenced > 0 {
            return Err(AppError::conflict(
                "a handoff names this shift; it stays on record",
            ));
        }
        let n = diesel::delete(
            s::table
                .filter(s::team_id.eq(&team_id))
                .filter(s::id.eq(&shift_id)),
        )
        .execute(conn)?;
        if n == 0 {
            return Err(AppError::not_found("shift"));
        }
        append(
            conn,
            &team_id,
            Event::ShiftDeleted(ShiftDeleted { id: shift_id }),
            Some(&user.id),
        )?;
        Ok(())
    })
    .await
}

/// Shifts between two team-local days (default: yesterday to a week ahead).
pub async fn list(
    pool: &Pool,
    user: AuthUser,
    team_id: String,
    from: Option<NaiveDate>,
    to: Option<NaiveDate>,
    page: PageReq,
) -> AppResult<Page<ShiftOut>> {
    let after = match page.after.as_deref() {
        Some([at, id]) => Some((page::instant(at).map_err(AppError::from_field)?, id.clone())),
        _ => None,
    };
    db::run(pool, move |conn| {
        team_access(conn, &user, &team_id)?;
        let team = load_team(conn, &team_id)?;
        let tz = tz_of(&team)?;
        let today = time::today(tz, Utc::now());
        let from = from.unwrap_or(today - chrono::Days::new(1));
        let to = to.unwrap_or(today + chrono::Days::new(7));
        let (a, _) = time::day_bounds(tz, from);
        let (_, z) = time::day_bounds(tz, to);
        // shifts_between, in pages: by start, then id.
        let mut q = s::table
            .inner_join(staff::table)
            .filter(s::team_id.eq(&team_id))
            .filter(s::starts_at.lt(z.naive_utc()))
            .filter(s::ends_at.gt(a.naive_utc()))
            .select((ShiftRow::as_select(), staff::display_name))
            .into_boxed();
        if let Some((at, id)) = after {
            q = q.filter(
                s::starts_at
                    .gt(at)
                    .or(s::starts_at.eq(at).and(s::id.gt(id))),
            );
        }
        let rows: Vec<(ShiftRow, String)> = q
            .order((s::starts_at.asc(), s::id.asc()))
            .limit(page.limit + 1)
            .load(conn)?;
        let (rows, next) = page::split(rows, page.limit, LIST, |(r, _)| {
            vec![page::instant_key(r.starts_at), r.id.clone()]
        });
        Ok(Page {
            items: rows.into_iter().map(|(r, n)| to_out(&r, n)).collect(),
            next,
        })
    })
    .await
}

/// The name of the shifts list in its cursors (start, id).
pub const LIST: &str = "shifts";

/// Who is on call right now, and until when; 404 when nobody is.
pub async fn now(pool: &Pool, user: AuthUser, team_id: String) -> AppResult<ShiftOut> {
    let shift = db::run(pool, move |conn| {
        team_access(conn, &user, &team_id)?;
        current(conn, &team_id, db::now())
    })
    .await?;
    shift.ok_or_else(|| AppError::NotFound("nobody is on call right now".into()))
}
