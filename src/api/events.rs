//! The team's event log, read from a sequence number on (the live stream's resume path, and
//! the audit trail of changes).

use crate::api::Problem;
use crate::auth::Principal;
use crate::error::{AppError, AppResult};
use crate::state::AppState;
use crate::store::events::{self, EventPage, MAX_LIMIT};
use actix_web::{get, web, HttpRequest, HttpResponse};
use serde::Deserialize;
use utoipa::IntoParams;
use uuid::Uuid;

#[derive(Deserialize, IntoParams)]
pub struct EventQuery {
    /// Return events with seq greater than this (default 0).
    #[param(minimum = 0)]
    pub since: Option<i64>,
    /// At most 1000 (default 1000).
    pub limit: Option<i64>,
}

/// The team's events after `since`, oldest first. When more remain, the `Link` header holds
/// the next page's URL (the same query with `since` at the last event returned).
#[utoipa::path(tag = "board", params(("team_id" = Uuid, Path), EventQuery), responses(
    (status = 200, body = EventPage, headers(("Link" = String, description = "RFC 8288 link to the next page, `<…?since=N…>; rel=\"next\"` (relative); absent when `events` reaches `last_seq`"))),
    (status = 422, description = "A query parameter breaks a rule (`validation_failed`)", body = Problem, content_type = "application/problem+json"),
))]
#[get("/teams/{team_id}/events")]
pub async fn list_events(
    req: HttpRequest,
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
    let page = events::page(&st.pool, principal, team_id, since, limit).await?;
    let mut res = HttpResponse::Ok();
    if let Some(last) = page.events.last().filter(|e| e.seq < page.last_seq) {
        let link = crate::api::page::link_with(
            req.path(),
            req.query_string(),
            "since",
            &last.seq.to_string(),
        );
        res.insert_header(("Link", link));
    }
    Ok(res.json(page))
}
