//! Crisis flags: raised by any member, acknowledged by whoever responds, resolved with an
//! outcome. Open flags stand first on every board, emergency first.

use crate::api::json::Json;
use crate::api::Problem;
use crate::auth::{team_access, AuthUser};
use crate::db::models::FlagRow;
use crate::db::schema::crisis_flags as f;
use crate::db::{self, events, DbConn};
use crate::domain::flag::{check_text, Severity};
use crate::domain::roles::Role;
use crate::error::{AppError, AppResult};
use crate::state::AppState;
use actix_web::{get, post, web, HttpResponse};
use chrono::{DateTime, Utc};
use diesel::prelude::*;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;

#[derive(Serialize, ToSchema, Clone, Debug)]
pub struct FlagOut {
    #[schema(format = Uuid)]
    pub id: String,
    #[schema(format = Uuid)]
    pub client_id: String,
    /// watch, urgent or emergency.
    pub severity: String,
    pub reason: String,
    #[schema(format = Uuid)]
    pub raised_by: String,
    pub raised_at: DateTime<Utc>,
    /// Who is responding.
    pub acknowledged_by: Option<String>,
    pub acknowledged_at: Option<DateTime<Utc>>,
    pub resolved_by: Option<String>,
    pub resolved_at: Option<DateTime<Utc>>,
    pub outcome: Option<String>,
    pub version: i32,
}

impl From<&FlagRow> for FlagOut {
    fn from(r: &FlagRow) -> Self {
        FlagOut {
            id: r.id.clone(),
            client_id: r.client_id.clone(),
            severity: r.severity.clone(),
            reason: r.reason.clone(),
            raised_by: r.raised_by.clone(),
            raised_at: r.raised_at.and_utc(),
            acknowledged_by: r.acknowledged_by.clone(),
            acknowledged_at: r.acknowledged_at.map(|t| t.and_utc()),
            resolved_by: r.resolved_by.clone(),
            resolved_at: r.resolved_at.map(|t| t.and_utc()),
            outcome: r.outcome.clone(),
            version: r.version,
        }
    }
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewFlag {
    pub severity: Severity,
    #[schema(min_length = 1, max_length = 1000, pattern = r"\S")]
    pub reason: String,
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Resolve {
    #[schema(min_length = 1, max_length = 1000, pattern = r"\S")]
    pub outcome: String,
}

#[derive(Deserialize, IntoParams)]
pub struct FlagQuery {
    /// true: only open (unresolved) flags; false: only resolved ones.
    pub open: Option<bool>,
    pub client_id: Option<Uuid>,
}

fn load(conn: &mut DbConn, team_id: &str, id: &str) -> AppResult<FlagRow> {
    f::table
        .filter(f::team_id.eq(team_id))
        .filter(f::id.eq(id))
        .select(FlagRow::as_select())
        .first(conn)
        .optional()?
        .ok_or_else(|| AppError::not_found("flag"))
}

/// Open flags first (emergency, urgent, watch; newest first within a severity), then resolved.
pub fn sort(rows: &mut [FlagRow]) {
    rows.sort_by(|a, b| {
        (
            a.resolved_at.is_some(),
            Severity::rank(&a.severity),
            std::cmp::Reverse(a.raised_at),
        )
            .cmp(&(
                b.resolved_at.is_some(),
                Severity::rank(&b.severity),
                std::cmp::Reverse(b.raised_at),
            ))
    });
}

/// Store a new flag and its event (after `write_access`).
pub fn insert(
    conn: &mut DbConn,
    team_id: &str,
    client_id: &str,
    severity: Severity,
    reason: &str,
    actor: &str,
) -> AppResult<FlagRow> {
    crate::api::clients::load_client(conn, team_id, client_id)?;
    let id = Uuid::new_v4().to_string();
    diesel::insert_into(f::table)
        .values((
            f::id.eq(&id),
            f::team_id.eq(team_id),
            f::client_id.eq(client_id),
            f::severity.eq(severity.as_str()),
            f::reason.eq(reason),
            f::raised_by.eq(actor),
            f::raised_at.eq(db::now()),
            f::version.eq(1),
        ))
        .execute(conn)?;
    let row = load(conn, team_id, &id)?;
    events::append(
        conn,
        team_id,
        "flag.raised",
        &FlagOut::from(&row),
        Some(actor),
    )?;
    Ok(row)
}

/// Raise a crisis flag on a client (any member).
#[utoipa::path(tag = "flags", params(("team_id" = Uuid, Path), ("client_id" = Uuid, Path)), request_body = NewFlag, responses(
    (status = 201, body = FlagOut),
    (status = 403, body = Problem, content_type = "application/problem+json"),
    (status = 404, body = Problem, content_type = "application/problem+json"),
    (status = 422, body = Problem, content_type = "application/problem+json"),
))]
#[post("/teams/{team_id}/clients/{client_id}/flags")]
pub async fn raise(
    st: web::Data<AppState>,
    user: AuthUser,
    path: web::Path<(Uuid, Uuid)>,
    body: Json<NewFlag>,
) -> AppResult<HttpResponse> {
    let (team_id, client_id) = path.into_inner();
    let (team_id, client_id) = (team_id.to_string(), client_id.to_string());
    let reason =
        check_text("reason", &body.0.reason).map_err(|e| AppError::from_fields(vec![e]))?;
    let severity = body.0.severity;
    let row = db::tx(&st.pool, move |conn| {
        crate::auth::write_access(conn, &user, &team_id, Role::Member)?;
        insert(conn, &team_id, &client_id, severity, &reason, &user.id)
    })
    .await?;
    Ok(HttpResponse::Created().json(FlagOut::from(&row)))
}

/// The start of acknowledge and resolve: a member's write access, then the flag, which must
/// still be open.
fn open_flag(conn: &mut DbConn, user: &AuthUser, team_id: &str, flag_id: &str) -> AppResult<FlagRow> {
    crate::auth::write_access(conn, user, team_id, Role::Member)?;
    let cur = load(conn, team_id, flag_id)?;
    if cur.resolved_at.is_some() {
        return Err(AppError::conflict("this flag is already resolved"));
    }
    Ok(cur)
}

/// The end of every flag change: the stored row, appended as `kind` for every screen.
fn announce(conn: &mut DbConn, team_id: &str, flag_id: &str, kind: &str, actor: &str) -> AppResult<FlagRow> {
    let row = load(conn, team_id, flag_id)?;
    events::append(conn, team_id, kind, &FlagOut::from(&row), Some(actor))?;
    Ok(row)
}

/// Say "I am responding" (any member). A second responder takes the flag over; a resolved
/// flag cannot be acknowledged.
#[utoipa::path(tag = "flags", params(("team_id" = Uuid, Path), ("flag_id" = Uuid, Path)), responses(
    (status = 200, body = FlagOut),
    (status = 403, body = Problem, content_type = "application/problem+json"),
    (status = 404, body = Problem, content_type = "application/problem+json"),
    (status = 409, description = "already resolved", body = Problem, content_type = "application/problem+json"),
))]
#[post("/teams/{team_id}/flags/{flag_id}/acknowledge")]
pub async fn acknowledge(
    st: web::Data<AppState>,
    user: AuthUser,
    path: web::Path<(Uuid, Uuid)>,
) -> AppResult<HttpResponse> {
    let (team_id, flag_id) = path.into_inner();
    let (team_id, flag_id) = (team_id.to_string(), flag_id.to_string());
    let row = db::tx(&st.pool, move |conn| {
        let cur = open_flag(conn, &user, &team_id, &flag_id)?;
        if cur.acknowledged_by.as_deref() == Some(user.id.as_str()) {
            return Ok(cur);
        }
        diesel::update(f::table.filter(f::id.eq(&flag_id)))
            .set((
                f::acknowledged_by.eq(&user.id),
                f::acknowledged_at.eq(db::now()),
                f::version.eq(cur.version + 1),
            ))
            .execute(conn)?;
        announce(conn, &team_id, &flag_id, "flag.acknowledged", &user.id)
    })
    .await?;
    Ok(HttpResponse::Ok().json(FlagOut::from(&row)))
}

/// Close a flag with its outcome (any member).
#[utoipa::path(tag = "flags", params(("team_id" = Uuid, Path), ("flag_id" = Uuid, Path)), request_body = Resolve, responses(
    (status = 200, body = FlagOut),
    (status = 403, body = Problem, content_type = "application/problem+json"),
    (status = 404, body = Problem, content_type = "application/problem+json"),
    (status = 409, description = "already resolved", body = Problem, content_type = "application/problem+json"),
    (status = 422, body = Problem, content_type = "application/problem+json"),
))]
#[post("/teams/{team_id}/flags/{flag_id}/resolve")]
pub async fn resolve(
    st: web::Data<AppState>,
    user: AuthUser,
    path: web::Path<(Uuid, Uuid)>,
    body: Json<Resolve>,
) -> AppResult<HttpResponse> {
    let (team_id, flag_id) = path.into_inner();
    let (team_id, flag_id) = (team_id.to_string(), flag_id.to_string());
    let outcome =
        check_text("outcome", &body.0.outcome).map_err(|e| AppError::from_fields(vec![e]))?;
    let row = db::tx(&st.pool, move |conn| {
        let cur = open_flag(conn, &user, &team_id, &flag_id)?;
        let now = db::now();
        diesel::update(f::table.filter(f::id.eq(&flag_id)))
            .set((
                f::resolved_by.eq(&user.id),
                f::resolved_at.eq(now),
                f::outcome.eq(&outcome),
                f::acknowledged_by.eq(cur.acknowledged_by.clone().unwrap_or(user.id.clone())),
                f::acknowledged_at.eq(cur.acknowledged_at.unwrap_or(now)),
                f::version.eq(cur.version + 1),
            ))
            .execute(conn)?;
        announce(conn, &team_id, &flag_id, "flag.resolved", &user.id)
    })
    .await?;
    Ok(HttpResponse::Ok().json(FlagOut::from(&row)))
}

/// The team's flags: open first, emergency first.
#[utoipa::path(tag = "flags", params(("team_id" = Uuid, Path), FlagQuery), responses(
    (status = 200, body = Vec<FlagOut>),
    (status = 404, body = Problem, content_type = "application/problem+json"),
))]
#[get("/teams/{team_id}/flags")]
pub async fn list(
    st: web::Data<AppState>,
    user: AuthUser,
    path: web::Path<Uuid>,
    q: web::Query<FlagQuery>,
) -> AppResult<HttpResponse> {
    let team_id = path.into_inner().to_string();
    let q = q.into_inner();
    let mut rows = db::run(&st.pool, move |conn| {
        team_access(conn, &user, &team_id)?;
        let mut query = f::table
            .filter(f::team_id.eq(&team_id))
            .select(FlagRow::as_select())
            .into_boxed();
        match q.open {
            Some(true) => query = query.filter(f::resolved_at.is_null()),
            Some(false) => query = query.filter(f::resolved_at.is_not_null()),
            None => {}
        }
        if let Some(c) = q.client_id {
            query = query.filter(f::client_id.eq(c.to_string()));
        }
        Ok(query
            .order(f::raised_at.desc())
            .limit(1000)
            .load::<FlagRow>(conn)?)
    })
    .await?;
    sort(&mut rows);
    Ok(HttpResponse::Ok().json(rows.iter().map(FlagOut::from).collect::<Vec<_>>()))
}
