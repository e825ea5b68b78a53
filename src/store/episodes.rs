//! Episodes (issue 15): admissions, emergency visits, crisis beds, jail and homeless periods of
//! a client. Two stays (admissions, crisis bed, jail) never overlap; an open stay shows the
//! client as away on the board, the huddle and the wall.

use crate::auth::{team_access, write_access, AuthUser};
use crate::db::models::EpisodeRow;
use crate::db::schema::{clients, episodes as ep};
use crate::db::{self, DbConn, Pool};
use crate::domain::episode::{check_days, first_overlap, EpisodeKind, Span};
use crate::domain::roles::Role;
use crate::domain::time;
use crate::error::{AppError, AppResult};
use crate::store::audit;
use crate::store::clients::load_client;
use crate::store::events::{append, Event};
use crate::store::oncall::tz_of;
use chrono::NaiveDate;
use diesel::prelude::*;
use serde::Serialize;
use std::collections::HashMap;
use utoipa::ToSchema;
use uuid::Uuid;

pub use crate::store::records::episode::EpisodeOut;

/// A checked new episode.
pub struct EpisodeIn {
    pub id: Option<String>,
    pub kind: EpisodeKind,
    pub start: NaiveDate,
    pub end: Option<NaiveDate>,
    pub team_involved: bool,
    pub note: String,
}

/// A checked change: the end (`Some(None)` reopens it), and optionally the rest.
pub struct EpisodeChange {
    pub version: Option<i32>,
    pub end: Option<Option<NaiveDate>>,
    pub team_involved: Option<bool>,
    pub note: Option<String>,
}

/// Where an away client is, on the board (the kind and since when; both null on a privacy
/// display, which shows only "away").
#[derive(Serialize, ToSchema, Clone, Debug, PartialEq)]
pub struct Away {
    #[schema(format = Uuid)]
    pub episode_id: String,
    pub kind: Option<EpisodeKind>,
    pub since: Option<String>,
}

fn day(d: NaiveDate) -> String {
    d.format("%Y-%m-%d").to_string()
}

pub fn span(r: &EpisodeRow) -> Option<Span> {
    Some(Span {
        kind: EpisodeKind::parse(&r.kind)?,
        start: time::parse_day(&r.start_on).ok()?,
        end: match &r.end_on {
            Some(e) => Some(time::parse_day(e).ok()?),
            None => None,
        },
    })
}

/// A client's episodes, latest first (every team's: a transferred client's history with it).
pub fn of_client(conn: &mut DbConn, client_id: &str) -> AppResult<Vec<EpisodeRow>> {
    Ok(ep::table
        .filter(ep::client_id.eq(client_id))
        .order((ep::start_on.desc(), ep::recorded_at.desc()))
        .select(EpisodeRow::as_select())
        .load(conn)?)
}

/// Spans of the episodes of `client_ids`, by client.
pub fn spans_of_clients(conn: &mut DbConn, team_id: &str) -> AppResult<HashMap<String, Vec<Span>>> {
    let rows: Vec<EpisodeRow> = ep::table
        .filter(
            ep::client_id.eq_any(
                clients::table
                    .filter(clients::team_id.eq(team_id))
                    .select(clients::id),
            ),
        )
        .select(EpisodeRow::as_select())
        .load(conn)?;
    let mut out: HashMap<String, Vec<Span>> = HashMap::new();
    for r in &rows {
        if let Some(s) = span(r) {
            out.entry(r.client_id.clone()).or_default().push(s);
        }
    }
    Ok(out)
}

/// The open stays of the team's clients: who is away, since when (the board).
pub fn away_on_team(conn: &mut DbConn, team_id: &str) -> AppResult<HashMap<String, Away>> {
    let kinds: Vec<&str> = EpisodeKind::ALL
        .iter()
        .filter(|k| k.takes_away())
        .map(|k| k.as_str())
        .collect();
    let rows: Vec<(String, String, String, String)> = ep::table
        .filter(ep::end_on.is_null())
        .filter(ep::kind.eq_any(kinds))
        .filter(
            ep::client_id.eq_any(
                clients::table
                    .filter(clients::team_id.eq(team_id))
                    .select(clients::id),
            ),
        )
        .order(ep::start_on.asc())
        .select((ep::client_id, ep::id, ep::kind, ep::start_on))
        .load(conn)?;
    Ok(rows
        .into_iter()
        .map(|(client_id, id, kind, start)| {
            (
                client_id,
                Away {
                    episode_id: id,
                    kind: EpisodeKind::parse(&kind),
                    since: Some(start),
                },
            )
        })
        .collect())
}

/// Refuse a stay overlapping another of the client's (409 `conflict`, in words).
fn refuse_overlap(conn: &mut DbConn, client_id: &str, id: &str, new: &Span) -> AppResult<()> {
    let others: Vec<(String, Span)> = of_client(conn, client_id)?
        .iter()
        .filter(|r| r.id != id)
        .filter_map(|r| Some((r.id.clone(), span(r)?)))
        .collect();
    if let Some((other_id, o)) = first_overlap(new, &others) {
        let until = match o.end {
            Some(e) => format!("to {e}"),
            None => "still open: record its end first".into(),
        };
        let mut extra = serde_json::Map::new();
        extra.insert("episode_id".into(), other_id.clone().into());
        return Err(AppError::Conflict {
            code: "overlapping_episode",
            detail: format!(
                "the client has a {} from {} {until}; a person is in one place at a time",
                o.kind.as_str().replace('_', " "),
                o.start
            ),
            extra,
        });
    }
    Ok(())
}

fn load_episode(conn: &mut DbConn, client_id: &str, id: &str) -> AppResult<EpisodeRow> {
    ep::table
        .filter(ep::id.eq(id))
        .filter(ep::client_id.eq(client_id))
        .select(EpisodeRow::as_select())
        .first(conn)
        .optional()?
        .ok_or_else(|| AppError::not_found("episode"))
}

/// Record an episode (members).
pub async fn create(
    pool: &Pool,
    user: AuthUser,
    team_id: String,
    client_id: String,
    e: EpisodeIn,
) -> AppResult<EpisodeOut> {
    db::tx(pool, move |conn| {
        let team = write_access(conn, &user, &team_id, Role::Member)?;
        load_client(conn, &team_id, &client_id)?;
        let today = time::today(tz_of(&team)?, chrono::Utc::now());
        let errors = check_days(e.start, e.end, today);
        if !errors.is_empty() {
            return Err(AppError::from_fields(errors));
        }
        let id = e.id.unwrap_or_else(|| Uuid::new_v4().to_string());
        if let Some(existing) = ep::table
            .filter(ep::id.eq(&id))
            .select(EpisodeRow::as_select())
            .first(conn)
            .optional()?
        {
            // A retried request from a phone: the same episode, not a second one.
            if existing.client_id == client_id {
                return Ok(EpisodeOut::from(&existing));
            }
            return Err(AppError::validation("id", "is another episode's id"));
        }
        let span = Span {
            kind: e.kind,
            start: e.start,
            end: e.end,
        };
        refuse_overlap(conn, &client_id, &id, &span)?;
        let now = db::now();
        diesel::insert_into(ep::table)
            .values((
                ep::id.eq(&id),
                ep::team_id.eq(&team_id),
                ep::client_id.eq(&client_id),
                ep::kind.eq(e.kind.as_str()),
                ep::start_on.eq(day(e.start)),
                ep::end_on.eq(e.end.map(day)),
                ep::team_involved.eq(e.team_involved),
                ep::note.eq(&e.note),
                ep::version.eq(1),
                ep::recorded_by.eq(&user.id),
                ep::recorded_at.eq(now),
                ep::updated_at.eq(now),
            ))
            .execute(conn)?;
        let out = EpisodeOut::from(&load_episode(conn, &client_id, &id)?);
        append(
            conn,
            &team_id,
            Event::EpisodeRecorded(out.clone()),
            Some(&user.id),
        )?;
        Ok(out)
    })
    .await
}

/// End (or correct) an episode (members).
pub async fn update(
    pool: &Pool,
    user: AuthUser,
    team_id: String,
    client_id: String,
    episode_id: String,
    c: EpisodeChange,
) -> AppResult<EpisodeOut> {
    db::tx(pool, move |conn| {
        let team = write_access(conn, &user, &team_id, Role::Member)?;
        load_client(conn, &team_id, &client_id)?;
        let row = load_episode(conn, &client_id, &episode_id)?;
        if let Some(v) = c.version {
            if v != row.version {
                return Err(AppError::VersionConflict {
                    current: serde_json::to_value(EpisodeOut::from(&row)).unwrap_or_default(),
                });
            }
        }
        let today = time::today(tz_of(&team)?, chrono::Utc::now());
        let mut span = span(&row).ok_or_else(|| AppError::internal("a stored episode"))?;
        if let Some(end) = c.end {
            span.end = end;
        }
        let errors: Vec<_> = check_days(span.start, span.end, today)
            .into_iter()
            .filter(|f| f.field == "end")
            .collect();
        if !errors.is_empty() {
            return Err(AppError::from_fields(errors));
        }
        refuse_overlap(conn, &client_id, &episode_id, &span)?;
        diesel::update(ep::table.filter(ep::id.eq(&episode_id)))
            .set((
                ep::end_on.eq(span.end.map(day)),
                ep::team_involved.eq(c.team_involved.unwrap_or(row.team_involved)),
                ep::note.eq(c.note.as_deref().unwrap_or(&row.note)),
                ep::version.eq(row.version + 1),
                ep::updated_at.eq(db::now()),
            ))
            .execute(conn)?;
        let out = EpisodeOut::from(&load_episode(conn, &client_id, &episode_id)?);
        append(
            conn,
            &team_id,
            Event::EpisodeUpdated(out.clone()),
            Some(&user.id),
        )?;
        Ok(out)
    })
    .await
}

/// A client's episodes, latest first (readers of the team; an audited read).
pub async fn list(
    pool: &Pool,
    user: AuthUser,
    team_id: String,
    client_id: String,
) -> AppResult<Vec<EpisodeOut>> {
    db::tx(pool, move |conn| {
        team_access(conn, &user, &team_id)?;
        load_client(conn, &team_id, &client_id)?;
        audit::view(conn, Some(&user.id), &team_id, Some(&client_id), "episodes")?;
        Ok(of_client(conn, &client_id)?
            .iter()
            .map(EpisodeOut::from)
            .collect())
    })
    .await
}
