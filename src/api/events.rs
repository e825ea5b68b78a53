//! The team's event log, read from a sequence number on (the live stream's resume path, and
//! the audit trail of changes).

use crate::api::board::reader_access;
use crate::api::Problem;
use crate::auth::Principal;
use crate::db::models::EventRow;
use crate::db::schema::events as e;
use crate::db::{self, DbConn};
use crate::domain::privacy::redact_event;
use crate::domain::team::Privacy;
use crate::error::{AppError, AppResult};
use crate::state::AppState;
use actix_web::{get, web, HttpResponse};
use chrono::{DateTime, Utc};
use diesel::prelude::*;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;

pub const MAX_LIMIT: i64 = 1000;

#[derive(Serialize, ToSchema, Clone, Debug)]
pub struct EventOut {
    pub seq: i64,
    pub kind: String,
    /// What a board needs to update itself (the changed record).
    #[schema(value_type = Object)]
    pub data: serde_json::Value,
    pub actor: Option<String>,
    pub at: DateTime<Utc>,
}

#[derive(Serialize, ToSchema)]
pub struct EventPage {
    pub events: Vec<EventOut>,
    /// The team's latest seq when read: more remain when the last event's seq is below it.
    pub last_seq: i64,
}

#[derive(Deserialize, IntoParams)]
pub struct EventQuery {
    /// Return events with seq greater than this (default 0).
    #[param(minimum = 0)]
    pub since: Option<i64>,
    /// At most 1000 (default 1000).
    pub limit: Option<i64>,
}

pub fn to_out(r: EventRow, privacy: Privacy) -> EventOut {
    let mut data: serde_json::Value =
        serde_json::from_str(&r.payload).unwrap_or(serde_json::Value::Null);
    if privacy == Privacy::Initials {
        redact_event(&r.kind, &mut data);
    }
    EventOut {
        seq: r.seq,
        kind: r.kind,
        data,
        actor: r.actor,
        at: r.at.and_utc(),
    }
}

/// Events of a team after `since`, in seq order.
pub fn after(conn: &mut DbConn, team_id: &str, since: i64, limit: i64) -> AppResult<Vec<EventRow>> {
    Ok(e::table
        .filter(e::team_id.eq(team_id))
        .filter(e::seq.gt(since))
        .order(e::seq.asc())
        .limit(limit)
        .select(EventRow::as_select())
        .load(conn)?)
}

/// The team's events after `since`, oldest first.
#[utoipa::path(tag = "board", params(("team_id" = Uuid, Path), EventQuery), responses(
    (status = 200, body = EventPage),
    (status = 404, body = Problem, content_type = "application/problem+json"),
    (status = 422, body = Problem, content_type = "application/problem+json"),
))]
#[get("/teams/{team_id}/events")]
pub async fn list(
    st: web::Data<AppState>,
    principal: Principal,
    path: web::Path<Uuid>,
    q: web::Query<EventQuery>,
) -> AppResult<HttpResponse> {
    let team_id = path.into_inner().to_string();
    let since = q.since.unwrap_or(0);
    let limit = q.limit.unwrap_or(MAX_LIMIT);
    if since < 0 {
        return Err(AppError::validation("since", "must be 0 or more"));
    }
    if !(1..=MAX_LIMIT).contains(&limit) {
        return Err(AppError::validation(
            "limit",
            format!("must be between 1 and {MAX_LIMIT}"),
        ));
    }
    let page = db::run(&st.pool, move |conn| {
        let privacy = reader_access(conn, &principal, &team_id, None)?;
        db::read_tx(conn, |conn| {
            let last_seq = crate::api::teams::load_team(conn, &team_id)?.last_seq;
            let events = after(conn, &team_id, since, limit)?
                .into_iter()
                .map(|r| to_out(r, privacy))
                .collect();
            Ok(EventPage { events, last_seq })
        })
    })
    .await?;
    Ok(HttpResponse::Ok().json(page))
}
