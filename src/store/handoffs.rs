//! Handoffs after I-PASS: per client illness severity, summary, actions and contingency;
//! only the receiver acknowledges, with a synthesis. Overdue 15 minutes after the shift starts.

use crate::auth::{team_access, write_access, AuthUser};
use crate::db::models::{HandoffItemRow, HandoffRow};
use crate::db::schema::{handoff_items as hi, handoffs as h, oncall_shifts};
use crate::db::{self, DbConn, Pool};
use crate::domain::flag::check_text;
use crate::domain::handoff::{
    check_contingency, due_at, is_overdue, IllnessSeverity, MAX_ACTIONS, MAX_ACTION_TEXT,
};
use crate::domain::page::{self, Page, PageReq};
use crate::domain::roles::Role;
use crate::domain::time::parse_instant;
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

pub use crate::store::records::handoff::{
    ActionIn, ActionItemIn, ActionOut, HandoffItem, HandoffItemOut, HandoffOut,
};

pub const MAX_ITEMS: usize = 200;

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewHandoff {
    pub to_staff_id: Uuid,
    pub shift_id: Option<Uuid>,
    #[schema(min_items = 1, max_items = 200)]
    pub items: Vec<HandoffItem>,
}

fn to_out(r: &HandoffRow, items: Vec<HandoffItemOut>, now: NaiveDateTime) -> HandoffOut {
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
    let mut by: HashMap<String, Vec<HandoffItemOut>> = HashMap::new();
    for i in items {
        by.entry(i.handoff_id.clone())
            .or_default()
            .push(HandoffItemOut {
                client_id: i.client_id,
                severity: match i.severity.as_str() {
                    "unstable" => IllnessSeverity::Unstable,
                    "watcher" => IllnessSeverity::Watcher,
                    _ => IllnessSeverity::Stable,
                },
                summary: i.summary,
                actions: stored_actions(&i.actions),
                contingency: i.contingency,
            });
    }
    Ok(rows
        .iter()
        .map(|r| to_out(r, by.remove(&r.id).unwrap_or_default(), now))
        .collect())
}

/// The stored action list (JSON): objects `{text, owner_id, due_at}`, or bare strings as
/// handoffs written before actions had owners stored them.
fn stored_actions(json: &str) -> Vec<ActionOut> {
    let list: Vec<serde_json::Value> = serde_json::from_str(json).unwrap_or_default();
    list.into_iter()
        .filter_map(|v| match v {
            serde_json::Value::String(text) => Some(ActionOut {
                text,
                owner_id: None,
                due_at: None,
            }),
            serde_json::Value::Object(o) => Some(ActionOut {
                text: o.get("text")?.as_str()?.to_string(),
                owner_id: o.get("owner_id").and_then(|x| x.as_str()).map(String::from),
                due_at: o
                    .get("due_at")
                    .and_then(|x| x.as_str())
                    .and_then(|x| chrono::DateTime::parse_from_rfc3339(x).ok())
                    .map(|t| t.with_timezone(&chrono::Utc).into()),
            }),
            _ => None,
        })
        .collect()
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

/// The field checks of every item (no database); the actions come back in the stored shape,
/// their owners still to be checked against the team.
fn check_items(items: &[HandoffItem]) -> AppResult<Vec<Vec<ActionOut>>> {
    let mut errors = vec![];
    if items.is_empty() || items.len() > MAX_ITEMS {
        errors.push(FieldError::new(
            "items",
            format!("hand off 1 to {MAX_ITEMS} clients"),
        ));
    }
    let mut all = Vec::with_capacity(items.len());
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
        if it.actions.len() > MAX_ACTIONS {
            errors.push(FieldError::new(
                format!("items[{i}].actions"),
                format!("up to {MAX_ACTIONS} actions"),
            ));
        }
        let mut actions = vec![];
        for (j, a) in it.actions.iter().enumerate() {
            let field = format!("items[{i}].actions[{j}]");
            let (text, owner, due) = match a {
                ActionIn::Text(t) => (t, None, None),
                ActionIn::Item(x) => (&x.text, x.owner_id.as_deref(), x.due_at.as_deref()),
            };
            let field_text = match a {
                ActionIn::Text(_) => field.clone(),
                ActionIn::Item(_) => format!("{field}.text"),
            };
            let text = crate::domain::text::required(&field_text, text, MAX_ACTION_TEXT)
                .map_err(|e| errors.push(e))
                .ok();
            let owner_id = owner.and_then(|o| match Uuid::parse_str(o) {
                Ok(u) => Some(u.to_string()),
                Err(_) => {
                    errors.push(FieldError::new(
                        format!("{field}.owner_id"),
                        "must be a staff id (UUID)",
                    ));
                    None
                }
            });
            let due_at = due.and_then(|d| {
                parse_instant(d)
                    .map_err(|m| errors.push(FieldError::new(format!("{field}.due_at"), m)))
                    .ok()
            });
            if let Some(text) = text {
                actions.push(ActionOut {
                    text,
                    owner_id,
                    due_at: due_at.map(|t| {
                        chrono::DurationRound::duration_trunc(t, TimeDelta::microseconds(1))
                            .unwrap_or(t)
                            .into()
                    }),
                });
            }
        }
        all.push(actions);
        if let Err(e) = crate::domain::text::optional(
            &format!("items[{i}].contingency"),
            Some(&it.contingency),
            1000,
        ) {
            errors.push(e);
        }
        if let Err(m) = check_contingency(it.severity, &it.contingency) {
            errors.push(FieldError::new(format!("items[{i}].contingency"), m));
        }
    }
    if errors.is_empty() {
        Ok(all)
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
    let actions = check_items(&b.items)?;
    let to = b.to_staff_id.to_string();
    if to == from {
        return Err(AppError::validation(
            "to_staff_id",
            "a handoff goes to someone else, not to the person handing off",
        ));
    }
    if !members::is_working(conn, team_id, &to)? {
        return Err(AppError::validation(
            "to_staff_id",
            "is not a working member of this team",
        ));
    }
    let owners: Vec<String> = actions
        .iter()
        .flatten()
        .filter_map(|a| a.owner_id.clone())
        .collect();
    let working = members::working_ids(conn, team_id, &owners)?;
    for (i, list) in actions.iter().enumerate() {
        for (j, a) in list.iter().enumerate() {
            if a.owner_id.as_ref().is_some_and(|o| !working.contains(o)) {
                return Err(AppError::validation(
                    &format!("items[{i}].actions[{j}].owner_id"),
                    "is not a working member of this team",
                ));
            }
        }
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
                hi::actions.eq(serde_json::to_string(&actions[i]).unwrap_or_default()),
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
    page: PageReq,
) -> AppResult<Page<HandoffOut>> {
    let after = match page.after.as_deref() {
        Some([at, id]) => Some((page::instant(at).map_err(AppError::from_field)?, id.clone())),
        _ => None,
    };
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
        if let Some((at, id)) = after {
            query = query.filter(
                h::created_at
                    .lt(at)
                    .or(h::created_at.eq(at).and(h::id.gt(id))),
            );
        }
        let rows: Vec<HandoffRow> = query
            .order((h::created_at.desc(), h::id.asc()))
            .limit(page.limit + 1)
            .load(conn)?;
        let (rows, next) = page::split(rows, page.limit, LIST, |r| {
            vec![page::instant_key(r.created_at), r.id.clone()]
        });
        Ok(Page {
            items: with_items(conn, rows, db::now())?,
            next,
        })
    })
    .await
}

/// The name of the handoffs list in its cursors (created at, id).
pub const LIST: &str = "handoffs";
