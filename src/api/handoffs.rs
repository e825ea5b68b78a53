//! Handoffs after I-PASS: per client illness severity, summary, actions and contingency;
//! only the receiver acknowledges, with a synthesis. Overdue 15 minutes after the shift starts.

use crate::api::json::Json;
use crate::api::Problem;
use crate::auth::{team_access, AuthUser};
use crate::db::models::{HandoffItemRow, HandoffRow};
use crate::db::schema::{handoff_items as hi, handoffs as h, oncall_shifts};
use crate::db::{self, events, DbConn};
use crate::domain::flag::check_text;
use crate::domain::handoff::{due_at, is_overdue, IllnessSeverity};
use crate::domain::roles::Role;
use crate::error::{AppError, AppResult, FieldError};
use crate::state::AppState;
use actix_web::{get, post, web, HttpResponse};
use chrono::{DateTime, NaiveDateTime, TimeDelta, Utc};
use diesel::prelude::*;
use serde::{Deserialize, Serialize};
use std::collections::HashMap;
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;

pub const MAX_ITEMS: usize = 200;
pub const MAX_ACTIONS: usize = 20;

#[derive(Serialize, Deserialize, ToSchema, Clone, Debug)]
pub struct HandoffItem {
    #[schema(format = Uuid)]
    pub client_id: String,
    /// Illness severity: stable, watcher or unstable.
    pub severity: IllnessSeverity,
    /// Patient summary.
    #[schema(min_length = 1, max_length = 1000, pattern = r"\S")]
    pub summary: String,
    /// Action list (to-dos for the receiver).
    #[serde(default)]
    #[schema(max_items = 20)]
    pub actions: Vec<String>,
    /// Situation awareness and contingency plans ("if … then …").
    #[serde(default)]
    #[schema(max_length = 1000)]
    pub contingency: String,
}

/// A handoff item as read back (the input's limits do not apply): on a privacy display its
/// text fields are empty.
#[derive(ToSchema)]
#[allow(dead_code)] // documents the output shape; the value is a `HandoffItem`
pub struct HandoffItemOut {
    #[schema(format = Uuid)]
    client_id: String,
    severity: IllnessSeverity,
    summary: String,
    actions: Vec<String>,
    contingency: String,
}

#[derive(Serialize, ToSchema, Clone, Debug)]
pub struct HandoffOut {
    #[schema(format = Uuid)]
    pub id: String,
    #[schema(format = Uuid)]
    pub from_staff_id: String,
    #[schema(format = Uuid)]
    pub to_staff_id: String,
    pub shift_id: Option<String>,
    pub created_at: DateTime<Utc>,
    /// Unacknowledged after this instant, the handoff is overdue.
    pub due_at: DateTime<Utc>,
    pub acknowledged_at: Option<DateTime<Utc>>,
    /// The receiver's read-back.
    pub synthesis: Option<String>,
    /// Computed when this document was produced.
    pub overdue: bool,
    #[schema(value_type = Vec<HandoffItemOut>)]
    pub items: Vec<HandoffItem>,
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewHandoff {
    pub to_staff_id: Uuid,
    pub shift_id: Option<Uuid>,
    #[schema(min_items = 1, max_items = 200)]
    pub items: Vec<HandoffItem>,
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Acknowledge {
    #[schema(min_length = 1, max_length = 1000, pattern = r"\S")]
    pub synthesis: String,
}

#[derive(Deserialize, IntoParams)]
pub struct HandoffQuery {
    /// true: only handoffs not yet acknowledged.
    pub pending: Option<bool>,
    /// Only handoffs that mention this client.
    pub client_id: Option<Uuid>,
}

fn to_out(r: &HandoffRow, items: Vec<HandoffItem>, now: NaiveDateTime) -> HandoffOut {
    HandoffOut {
        id: r.id.clone(),
        from_staff_id: r.from_staff_id.clone(),
        to_staff_id: r.to_staff_id.clone(),
        shift_id: r.shift_id.clone(),
        created_at: r.created_at.and_utc(),
        due_at: r.due_at.and_utc(),
        acknowledged_at: r.acknowledged_at.map(|t| t.and_utc()),
        synthesis: r.synthesis.clone(),
        overdue: is_overdue(r.due_at, r.acknowledged_at.is_some(), now),
        items,
    }
}

/// Handoffs with their items, in two queries; `overdue` as of `now` (the board's own clock).
pub fn with_items(conn: &mut DbConn, rows: Vec<HandoffRow>, now: NaiveDateTime) -> AppResult<Vec<HandoffOut>> {
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
        if let Err(e) = crate::domain::text::optional(&format!("items[{i}].contingency"), Some(&it.contingency), 1000) {
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
    if !crate::api::members::is_working(conn, team_id, &to)? {
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
    let wanted: Vec<String> = b.items.iter().map(|it| it.client_id.to_lowercase()).collect();
    let on_team = crate::api::clients::ids_on_team(conn, team_id, &wanted)?;
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
    events::append(conn, team_id, "handoff.created", &out, Some(from))?;
    Ok(out)
}

/// Hand off to the next person on call (any member); `from` is the caller.
#[utoipa::path(tag = "on-call", params(("team_id" = Uuid, Path)), request_body = NewHandoff, responses(
    (status = 201, body = HandoffOut),
    (status = 403, body = Problem, content_type = "application/problem+json"),
    (status = 422, body = Problem, content_type = "application/problem+json"),
))]
#[post("/teams/{team_id}/handoffs")]
pub async fn create(
    st: web::Data<AppState>,
    user: AuthUser,
    path: web::Path<Uuid>,
    body: Json<NewHandoff>,
) -> AppResult<HttpResponse> {
    let team_id = path.into_inner().to_string();
    let b = body.0;
    let out = db::tx(&st.pool, move |conn| {
        crate::auth::write_access(conn, &user, &team_id, Role::Member)?;
        insert(conn, &team_id, &user.id, &b)
    })
    .await?;
    Ok(HttpResponse::Created().json(out))
}

/// The receiver (only) acknowledges, reading back a synthesis.
#[utoipa::path(tag = "on-call", params(("team_id" = Uuid, Path), ("handoff_id" = Uuid, Path)), request_body = Acknowledge, responses(
    (status = 200, body = HandoffOut),
    (status = 403, description = "not the receiver", body = Problem, content_type = "application/problem+json"),
    (status = 404, body = Problem, content_type = "application/problem+json"),
    (status = 409, description = "already acknowledged", body = Problem, content_type = "application/problem+json"),
    (status = 422, body = Problem, content_type = "application/problem+json"),
))]
#[post("/teams/{team_id}/handoffs/{handoff_id}/acknowledge")]
pub async fn acknowledge(
    st: web::Data<AppState>,
    user: AuthUser,
    path: web::Path<(Uuid, Uuid)>,
    body: Json<Acknowledge>,
) -> AppResult<HttpResponse> {
    let (team_id, id) = path.into_inner();
    let (team_id, id) = (team_id.to_string(), id.to_string());
    let synthesis =
        check_text("synthesis", &body.0.synthesis).map_err(|e| AppError::from_fields(vec![e]))?;
    let out = db::tx(&st.pool, move |conn| {
        crate::auth::write_access(conn, &user, &team_id, Role::Viewer)?;
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
        events::append(conn, &team_id, "handoff.acknowledged", &out, Some(&user.id))?;
        Ok(out)
    })
    .await?;
    Ok(HttpResponse::Ok().json(out))
}

/// The team's handoffs, newest first (up to 200).
#[utoipa::path(tag = "on-call", params(("team_id" = Uuid, Path), HandoffQuery), responses(
    (status = 200, body = Vec<HandoffOut>),
    (status = 404, body = Problem, content_type = "application/problem+json"),
))]
#[get("/teams/{team_id}/handoffs")]
pub async fn list(
    st: web::Data<AppState>,
    user: AuthUser,
    path: web::Path<Uuid>,
    q: web::Query<HandoffQuery>,
) -> AppResult<HttpResponse> {
    let team_id = path.into_inner().to_string();
    let q = q.into_inner();
    let out = db::run(&st.pool, move |conn| {
        team_access(conn, &user, &team_id)?;
        let mut query = h::table
            .filter(h::team_id.eq(&team_id))
            .select(HandoffRow::as_select())
            .into_boxed();
        if q.pending == Some(true) {
            query = query.filter(h::acknowledged_at.is_null());
        }
        if let Some(c) = q.client_id {
            query = query.filter(
                h::id.eq_any(
                    hi::table
                        .filter(hi::team_id.eq(team_id.clone()))
                        .filter(hi::client_id.eq(c.to_string()))
                        .select(hi::handoff_id),
                ),
            );
        }
        let rows = query.order(h::created_at.desc()).limit(200).load(conn)?;
        with_items(conn, rows, db::now())
    })
    .await?;
    Ok(HttpResponse::Ok().json(out))
}
