//! Handoffs after I-PASS: per client illness severity, summary, actions and contingency;
//! only the receiver acknowledges, with a synthesis. Overdue 15 minutes after the shift starts.

use crate::auth::{team_access, write_access, AuthUser};
use crate::db::models::{HandoffItemRow, HandoffRow};
use crate::db::schema::{handoff_items as hi, handoffs as h, oncall_shifts};
use crate::db::{self, DbConn, Pool};
use crate::domain::flag::check_text;
use crate::domain::handoff::{due_at, is_overdue, IllnessSeverity};
use crate::domain::roles::Role;
use crate::domain::FieldError;
use crate::error::{AppError, AppResult};
use crate::store::events::{append, Event};
use crate::store::{clients, members};
use chrono::{NaiveDateTime, TimeDelta};
use diesel::prelude::*;
use serde::Deserialize;
use std::collections::HashMap;
use utoipa::ToSchema;
use uuid::Uuid;

pub use crate::store::records::handoff::{HandoffItem, HandoffItemOut, HandoffOut};

pub const MAX_ITEMS: usize = 200;
pub const MAX_ACTIONS: usize = 20;

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewHandoff {
    pub to_staff_id: Uuid,
    pub shift_id: Option<Uuid>,
    #[schema(min_items = 1, max_items = 200)]
    pub items: Vec<HandoffItem>,
}

fn to_out(r: &HandoffRow, items: Vec<HandoffItem>, now: NaiveDateTime) -> HandoffOut {
    HandoffOut {
        id: r.id.clone(),
        from_staff_id: r.from_staff_id.clone(),
        to_staff_id: r.to_staff_id.clone(),
        shift_id: r.shift_id.clone(),
        created_at: r.created_at.into(),
        due_at: r.due_at.into(),
        acknowledged_at: r.acknowledged_at.map(Into::into),
        synthesis: r.synthesis.clone(),
        overdue: is_overdue(r.due_at, r.acknowledged_at.is_some(), now),
        items,
    }
}

/// Handoffs with their items, in two queries; `overdue` as of `now` (the board's own clock).
pub fn with_items(
    conn: &mut DbConn,
    rows: Vec<HandoffRow>,
    now: NaiveDateTime,
) -> AppResult<Vec<HandoffOut>> {
    let ids: Vec<String> = rows.iter().map(|r| r.id.clone()).collect();
    let items: Vec<HandoffItemRow> = hi::table
        .filter(hi::handoff_id.eq_any(&ids))
        .select(HandoffItemRow::as_select())
        .order((hi::handoff_id, hi::position))
        .load(conn)?;
    let mut by: HashMap<String, Vec<HandoffItem>> = HashMap::new();
    for i in items {
        by.entry(i.handoff_id.clone())
            .or_default()
            .push(HandoffItem {
                client_id: i.client_id,
                severity: match i.severity.as_str() {
                    "unstable" => IllnessSeverity::Unstable,
                    "watcher" => IllnessSeverity::Watcher,
                    _ => IllnessSeverity::Stable,
                },
                summary: i.summary,
                actions: serde_json::from_str(&i.actions).unwrap_or_default(),
                contingency: i.contingency,
            });
    }
    Ok(rows
        .iter()
        .map(|r| to_out(r, by.remove(&r.id).unwrap_or_default(), now))
        .collect())
}

/// Handoffs a board shows: every unacknowledged one, and those acknowledged in the last day.
pub fn for_board(
    conn: &mut DbConn,
    team_id: &str,
    now: NaiveDateTime,
) -> AppResult<Vec<HandoffOut>> {
    let rows: Vec<HandoffRow> = h::table
        .filter(h::team_id.eq(team_id))
        .filter(
            h::acknowledged_at
                .is_null()
                .or(h::acknowledged_at.gt(now - TimeDelta::hours(24))),
        )
        .select(HandoffRow::as_select())
        .order(h::created_at.desc())
        .limit(50)
        .load(conn)?;
    with_items(conn, rows, now)
}

fn load(conn: &mut DbConn, team_id: &str, id: &str) -> AppResult<HandoffOut> {
    let row: HandoffRow = h::table
        .filter(h::team_id.eq(team_id))
        .filter(h::id.eq(id))
        .select(HandoffRow::as_select())
        .first(conn)
        .optional()?
        .ok_or_else(|| AppError::not_found("handoff"))?;
    with_items(conn, vec![row], db::now())?
        .pop()
        .ok_or_else(|| AppError::internal("handoff vanished"))
}

fn check_items(items: &[HandoffItem]) -> AppResult<()> {
    let mut errors = vec![];
    if items.is_empty() || items.len() > MAX_ITEMS {
        errors.push(FieldError::new(
            "items",
            format!("hand off 1 to {MAX_ITEMS} clients"),
        ));
    }
    for (i, it) in items.iter().enumerate() {
        if Uuid::parse_str(&it.client_id).is_err() {
            errors.push(FieldError::new(
                format!("items[{i}].client_id"),
                "must be a client id (UUID)",
            ));
        }
        if let Err(e) = check_text(&format!("items[{i}].summary"), &it.summary) {
            errors.push(e);
        }
        if it.actions.len() > MAX_ACTIONS
            || it
                .actions
                .iter()
                .any(|a| a.trim().is_empty() || a.chars().count() > 300)
        {
            errors.push(FieldError::new(
                format!("items[{i}].actions"),
                format!("up to {MAX_ACTIONS} actions of 1 to 300 characters"),
            ));
        }
        if let Err(e) = crate::domain::text::optional(
            &format!("items[{i}].contingency"),
            Some(&it.contingency),
            1000,
        ) {
            errors.push(e);
        }
    }
    if errors.is_empty() {
        Ok(())
    } else {
        Err(AppError::from_fields(errors))
    }
}

/// Store a handoff from `from` with its items and event (after `write_access`).
pub fn insert(
    conn: &mut DbConn,
    team_id: &str,
    from: &str,
    b: &NewHandoff,
) -> AppResult<HandoffOut> {
    check_items(&b.items)?;
    let to = b.to_staff_id.to_string();
    if !members::is_working(conn, team_id, &to)? {
        return Err(AppError::validation(
            "to_staff_id",
            "is not a working member of this team",
        ));
    }
    let shift_start: Option<NaiveDateTime> = match b.shift_id {
        Some(sid) => Some(
            oncall_shifts::table
                .filter(oncall_shifts::team_id.eq(team_id))
                .filter(oncall_shifts::id.eq(sid.to_string()))
                .select(oncall_shifts::starts_at)
                .first(conn)
                .optional()?
                .ok_or_else(|| AppError::validation("shift_id", "is not a shift of this team"))?,
        ),
        None => None,
    };
    let wanted: Vec<String> = b
        .items
        .iter()
        .map(|it| it.client_id.to_lowercase())
        .collect();
    let on_team = clients::ids_on_team(conn, team_id, &wanted)?;
    let mut seen = std::collections::HashSet::new();
    for (i, id) in wanted.iter().enumerate() {
        if !on_team.contains(id) {
            return Err(AppError::validation(
                &format!("items[{i}].client_id"),
                "is not a client of this team",
            ));
        }
        if !seen.insert(id) {
            return Err(AppError::validation(
                &format!("items[{i}].client_id"),
                "appears twice in this handoff",
            ));
        }
    }
    let now = db::now();
    let id = Uuid::new_v4().to_string();
    diesel::insert_into(h::table)
        .values((
            h::id.eq(&id),
            h::team_id.eq(team_id),
            h::from_staff_id.eq(from),
            h::to_staff_id.eq(&to),
            h::shift_id.eq(b.shift_id.map(|s| s.to_string())),
            h::due_at.eq(due_at(now, shift_start)),
            h::created_at.eq(now),
        ))
        .execute(conn)?;
    for (i, it) in b.items.iter().enumerate() {
        diesel::insert_into(hi::table)
            .values((
                hi::handoff_id.eq(&id),
                hi::position.eq(i as i32),
                hi::team_id.eq(team_id),
                hi::client_id.eq(it.client_id.to_lowercase()),
                hi::severity.eq(it.severity.as_str()),
                hi::summary.eq(it.summary.trim()),
                hi::actions.eq(serde_json::to_string(
                    &it.actions.iter().map(|a| a.trim()).collect::<Vec<_>>(),
                )
                .unwrap_or_default()),
                hi::contingency.eq(it.contingency.trim()),
            ))
            .execute(conn)?;
    }
    let out = load(conn, team_id, &id)?;
    append(
        conn,
        team_id,
        Event::HandoffCreated(out.clone()),
        Some(from),
    )?;
    Ok(out)
}

/// Hand off to the next person on call (any member); `from` is the caller.
pub async fn create(
    pool: &Pool,
    user: AuthUser,
    team_id: String,
    b: NewHandoff,
) -> AppResult<HandoffOut> {
    db::tx(pool, move |conn| {
        write_access(conn, &user, &team_id, Role::Member)?;
        insert(conn, &team_id, &user.id, &b)
    })
    .await
}

/// The receiver (only) acknowledges, reading back a synthesis.
pub async fn acknowledge(
    pool: &Pool,
    user: AuthUser,
    team_id: String,
    id: String,
    synthesis: String,
) -> AppResult<HandoffOut> {
    db::tx(pool, move |conn| {
        write_access(conn, &user, &team_id, Role::Viewer)?;
        let cur = load(conn, &team_id, &id)?;
        if cur.to_staff_id != user.id {
            return Err(AppError::Forbidden(
                "only the person receiving this handoff can acknowledge it".into(),
            ));
        }
        if cur.acknowledged_at.is_some() {
            return Err(AppError::conflict("this handoff is already acknowledged"));
        }
        diesel::update(h::table.filter(h::id.eq(&id)))
            .set((
                h::acknowledged_at.eq(db::now()),
                h::synthesis.eq(&synthesis),
            ))
            .execute(conn)?;
        let out = load(conn, &team_id, &id)?;
        append(
            conn,
            &team_id,
            Event::HandoffAcknowledged(out.clone()),
            Some(&user.id),
        )?;
        Ok(out)
    })
    .await
}

/// The team's handoffs (`pending`: only unacknowledged; optionally those naming one client),
/// newest first (up to 200).
pub async fn list(
    pool: &Pool,
    user: AuthUser,
    team_id: String,
    pending: bool,
    client_id: Option<String>,
) -> AppResult<Vec<HandoffOut>> {
    db::run(pool, move |conn| {
        team_access(conn, &user, &team_id)?;
        let mut query = h::table
            .filter(h::team_id.eq(&team_id))
            .select(HandoffRow::as_select())
            .into_boxed();
        if pending {
            query = query.filter(h::acknowledged_at.is_null());
        }
        if let Some(c) = client_id {
            query = query.filter(
                h::id.eq_any(
                    hi::table
                        .filter(hi::team_id.eq(team_id.clone()))
                        .filter(hi::client_id.eq(c))
                        .select(hi::handoff_id),
                ),
            );
        }
        let rows = query.order(h::created_at.desc()).limit(200).load(conn)?;
        with_items(conn, rows, db::now())
    })
    .await
}
