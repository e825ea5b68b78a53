//! Clients: admission, records, lifecycle, ICM case managers (within the cap) and transfer
//! between teams. Every write goes through `save`, the one path that applies the caseload
//! rule.

use crate::api::json::Json;
use crate::api::Problem;
use crate::auth::{team_access, AuthUser};
use crate::db::models::{ClientRow, TeamRow};
use crate::db::schema::{access_log, clients};
use crate::db::{self, caseload, events, DbConn};
use crate::domain::client::{self as rules, RiskTier, Status};
use crate::domain::roles::Role;
use crate::domain::text;
use crate::error::{AppError, AppResult, FieldError};
use crate::state::AppState;
use actix_web::{get, patch, post, put, web, HttpResponse};
use chrono::{DateTime, Utc};
use diesel::prelude::*;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;

#[derive(Serialize, ToSchema, Clone, Debug)]
pub struct ClientOut {
    #[schema(format = Uuid)]
    pub id: String,
    #[schema(format = Uuid)]
    pub team_id: String,
    pub given_name: String,
    pub family_name: String,
    pub preferred_name: Option<String>,
    pub initials: String,
    pub external_id: Option<String>,
    pub status: String,
    pub risk_tier: String,
    /// ICM: the case manager (required while active or transitioning). ACT: primary contact.
    #[schema(format = Uuid)]
    pub case_manager_id: Option<String>,
    pub version: i32,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

impl From<&ClientRow> for ClientOut {
    fn from(c: &ClientRow) -> Self {
        ClientOut {
            id: c.id.clone(),
            team_id: c.team_id.clone(),
            given_name: c.given_name.clone(),
            family_name: c.family_name.clone(),
            preferred_name: c.preferred_name.clone(),
            initials: c.initials.clone(),
            external_id: c.external_id.clone(),
            status: c.status.clone(),
            risk_tier: c.risk_tier.clone(),
            case_manager_id: c.case_manager_id.clone(),
            version: c.version,
            created_at: c.created_at.and_utc(),
            updated_at: c.updated_at.and_utc(),
        }
    }
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewClient {
    #[schema(min_length = 1, max_length = 100, pattern = r"\S")]
    pub given_name: String,
    #[schema(min_length = 1, max_length = 100, pattern = r"\S")]
    pub family_name: String,
    #[schema(max_length = 100)]
    pub preferred_name: Option<String>,
    #[schema(max_length = 64)]
    pub external_id: Option<String>,
    /// referred (default), screening or active (admission).
    pub status: Option<Status>,
    /// Default: medium.
    pub risk_tier: Option<RiskTier>,
    pub case_manager_id: Option<Uuid>,
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ClientPatch {
    #[schema(minimum = 1)]
    pub version: i32,
    #[schema(min_length = 1, max_length = 100, pattern = r"\S")]
    pub given_name: Option<String>,
    #[schema(min_length = 1, max_length = 100, pattern = r"\S")]
    pub family_name: Option<String>,
    #[serde(default, deserialize_with = "crate::api::json::present")]
    #[schema(value_type = Option<String>, max_length = 100)]
    pub preferred_name: Option<Option<String>>,
    #[serde(default, deserialize_with = "crate::api::json::present")]
    #[schema(value_type = Option<String>, max_length = 64)]
    pub external_id: Option<Option<String>>,
    /// Leads only.
    pub status: Option<Status>,
    pub risk_tier: Option<RiskTier>,
    /// Leads only; `null` removes the case manager (not allowed for an active ICM client).
    #[serde(default, deserialize_with = "crate::api::json::present")]
    #[schema(value_type = Option<String>, format = Uuid)]
    pub case_manager_id: Option<Option<Uuid>>,
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CaseManager {
    pub staff_id: Uuid,
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Transfer {
    pub to_team_id: Uuid,
    /// Required when the receiving team is ICM and the client is active or transitioning.
    pub case_manager_id: Option<Uuid>,
}

#[derive(Deserialize, IntoParams)]
pub struct ClientQuery {
    /// Only clients in this status.
    pub status: Option<Status>,
}

/// The values a client will have after a write.
#[derive(Debug, Clone)]
pub struct Values {
    pub given_name: String,
    pub family_name: String,
    pub preferred_name: Option<String>,
    pub external_id: Option<String>,
    pub status: Status,
    pub risk_tier: String,
    pub case_manager_id: Option<String>,
}

fn check_name(field: &str, v: &str, errors: &mut Vec<FieldError>) -> String {
    text::required(field, v, 100).unwrap_or_else(|e| {
        errors.push(e);
        v.trim().to_string()
    })
}

fn check_optional(field: &str, v: Option<String>, max: usize, errors: &mut Vec<FieldError>) -> Option<String> {
    text::optional(field, v.as_deref(), max).unwrap_or_else(|e| {
        errors.push(e);
        None
    })
}

pub fn load_client(conn: &mut DbConn, team_id: &str, client_id: &str) -> AppResult<ClientRow> {
    clients::table
        .filter(clients::team_id.eq(team_id))
        .filter(clients::id.eq(client_id))
        .select(ClientRow::as_select())
        .first(conn)
        .optional()?
        .ok_or_else(|| AppError::not_found("client"))
}

/// A `client_id` named in a request body: a client of this team, else a 422 on that field
/// (a 404 would read as "the path is gone"). A database failure stays what it is.
pub fn check_client(conn: &mut DbConn, team_id: &str, client_id: &str) -> AppResult<()> {
    match load_client(conn, team_id, client_id) {
        Ok(_) => Ok(()),
        Err(AppError::NotFound(_)) => Err(AppError::validation("client_id", "is not a client of this team")),
        Err(e) => Err(e),
    }
}

/// Which of `ids` are clients of `team_id`: one query for a check over many ids.
pub fn ids_on_team(conn: &mut DbConn, team_id: &str, ids: &[String]) -> AppResult<std::collections::HashSet<String>> {
    Ok(clients::table
        .filter(clients::team_id.eq(team_id))
        .filter(clients::id.eq_any(ids))
        .select(clients::id)
        .load::<String>(conn)?
        .into_iter()
        .collect())
}

/// The staff member must be on the team as a member or lead to carry clients.
fn check_case_manager(conn: &mut DbConn, team_id: &str, staff_id: &str) -> AppResult<()> {
    match crate::api::members::current_role(conn, team_id, staff_id)? {
        Some(r) if r.works() => Ok(()),
        Some(_) => Err(AppError::validation(
            "case_manager_id",
            "a viewer cannot carry clients",
        )),
        None => Err(AppError::validation(
            "case_manager_id",
            "is not a member of this team",
        )),
    }
}

/// The one write path for clients (after `write_access`): lifecycle, case manager, caseload
/// cap, row, event.
pub fn save(
    conn: &mut DbConn,
    team: &TeamRow,
    id: &str,
    before: Option<&ClientRow>,
    v: Values,
    actor: &str,
) -> AppResult<ClientRow> {
    match before.and_then(|b| Status::parse(&b.status)) {
        Some(from) if !rules::can_move(from, v.status) => {
            return Err(AppError::Unprocessable {
                code: "invalid_transition",
                detail: rules::move_error(from, v.status),
            })
        }
        None if !v.status.is_initial() => {
            return Err(AppError::validation(
                "status",
                "a new client starts as referred, screening or active",
            ))
        }
        _ => {}
    }
    if let Some(cm) = &v.case_manager_id {
        if before.and_then(|b| b.case_manager_id.as_ref()) != Some(cm) {
            check_case_manager(conn, &team.id, cm)?;
        }
    }
    if team.mode == "icm" && v.status.holds_slot() && v.case_manager_id.is_none() {
        return Err(AppError::validation(
            "case_manager_id",
            "an active or transitioning client of an ICM team needs a case manager",
        ));
    }
    if let Some(ext) = &v.external_id {
        let clash: i64 = clients::table
            .filter(clients::team_id.eq(&team.id))
            .filter(clients::external_id.eq(ext))
            .filter(clients::id.ne(id))
            .count()
            .get_result(conn)?;
        if clash > 0 {
            return Err(AppError::conflict(format!(
                "another client of this team has the external id '{ext}'"
            )));
        }
    }
    let held = before
        .and_then(|b| rules::slot_holder(Status::parse(&b.status)?, b.case_manager_id.as_deref()));
    let will_hold = rules::slot_holder(v.status, v.case_manager_id.as_deref());
    let (release, take) = rules::slot_change(held, will_hold);
    caseload::apply(conn, team, release, take)?;

    let now = db::now();
    let initials = rules::initials(&v.given_name, &v.family_name);
    match before {
        None => {
            diesel::insert_into(clients::table)
                .values((
                    clients::id.eq(id),
                    clients::team_id.eq(&team.id),
                    clients::given_name.eq(&v.given_name),
                    clients::family_name.eq(&v.family_name),
                    clients::preferred_name.eq(&v.preferred_name),
                    clients::initials.eq(&initials),
                    clients::external_id.eq(&v.external_id),
                    clients::status.eq(v.status.as_str()),
                    clients::risk_tier.eq(&v.risk_tier),
                    clients::case_manager_id.eq(&v.case_manager_id),
                    clients::version.eq(1),
                    clients::created_at.eq(now),
                    clients::updated_at.eq(now),
                ))
                .execute(conn)?;
        }
        Some(b) => {
            diesel::update(
                clients::table
                    .filter(clients::id.eq(id))
                    .filter(clients::version.eq(b.version)),
            )
            .set((
                clients::given_name.eq(&v.given_name),
                clients::family_name.eq(&v.family_name),
                clients::preferred_name.eq(&v.preferred_name),
                clients::initials.eq(&initials),
                clients::external_id.eq(&v.external_id),
                clients::status.eq(v.status.as_str()),
                clients::risk_tier.eq(&v.risk_tier),
                clients::case_manager_id.eq(&v.case_manager_id),
                clients::version.eq(b.version + 1),
                clients::updated_at.eq(now),
            ))
            .execute(conn)?;
        }
    }
    let row = load_client(conn, &team.id, id)?;
    let kind = if before.is_none() {
        "client.created"
    } else {
        "client.updated"
    };
    events::append(conn, &team.id, kind, &ClientOut::from(&row), Some(actor))?;
    Ok(row)
}

fn values_of(c: &ClientRow) -> AppResult<Values> {
    Ok(Values {
        given_name: c.given_name.clone(),
        family_name: c.family_name.clone(),
        preferred_name: c.preferred_name.clone(),
        external_id: c.external_id.clone(),
        status: Status::parse(&c.status).ok_or_else(|| AppError::internal("bad stored status"))?,
        risk_tier: c.risk_tier.clone(),
        case_manager_id: c.case_manager_id.clone(),
    })
}

fn conflict(current: &ClientRow) -> AppError {
    AppError::VersionConflict {
        current: serde_json::to_value(ClientOut::from(current)).unwrap_or_default(),
    }
}

/// Admit or refer a client (leads and admins). In an ICM team an active client needs a
/// case manager with room under the cap.
#[utoipa::path(tag = "clients", params(("team_id" = Uuid, Path)), request_body = NewClient, responses(
    (status = 201, body = ClientOut),
    (status = 403, body = Problem, content_type = "application/problem+json"),
    (status = 409, description = "caseload_full (with cap and current) or conflict", body = Problem, content_type = "application/problem+json"),
    (status = 422, body = Problem, content_type = "application/problem+json"),
))]
#[post("/teams/{team_id}/clients")]
pub async fn create_client(
    st: web::Data<AppState>,
    user: AuthUser,
    path: web::Path<Uuid>,
    body: Json<NewClient>,
) -> AppResult<HttpResponse> {
    let team_id = path.into_inner().to_string();
    let b = body.0;
    let mut errors = vec![];
    let v = Values {
        given_name: check_name("given_name", &b.given_name, &mut errors),
        family_name: check_name("family_name", &b.family_name, &mut errors),
        preferred_name: check_optional("preferred_name", b.preferred_name, 100, &mut errors),
        external_id: check_optional("external_id", b.external_id, 64, &mut errors),
        status: b.status.unwrap_or(Status::Referred),
        risk_tier: b.risk_tier.unwrap_or(RiskTier::Medium).as_str().to_string(),
        case_manager_id: b.case_manager_id.map(|u| u.to_string()),
    };
    if !errors.is_empty() {
        return Err(AppError::from_fields(errors));
    }
    let row = db::tx(&st.pool, move |conn| {
        let team = crate::auth::write_access(conn, &user, &team_id, Role::Lead)?;
        save(conn, &team, &Uuid::new_v4().to_string(), None, v, &user.id)
    })
    .await?;
    Ok(HttpResponse::Created().json(ClientOut::from(&row)))
}

/// The team's clients, by family name.
#[utoipa::path(tag = "clients", params(("team_id" = Uuid, Path), ClientQuery), responses(
    (status = 200, body = Vec<ClientOut>),
    (status = 404, body = Problem, content_type = "application/problem+json"),
))]
#[get("/teams/{team_id}/clients")]
pub async fn list_clients(
    st: web::Data<AppState>,
    user: AuthUser,
    path: web::Path<Uuid>,
    q: web::Query<ClientQuery>,
) -> AppResult<HttpResponse> {
    let team_id = path.into_inner().to_string();
    let status = q.into_inner().status;
    let rows: Vec<ClientRow> = db::run(&st.pool, move |conn| {
        team_access(conn, &user, &team_id)?;
        let mut q = clients::table
            .filter(clients::team_id.eq(&team_id))
            .select(ClientRow::as_select())
            .into_boxed();
        if let Some(s) = status {
            q = q.filter(clients::status.eq(s.as_str()));
        }
        Ok(
            q.order((clients::family_name.asc(), clients::given_name.asc()))
                .load(conn)?,
        )
    })
    .await?;
    Ok(HttpResponse::Ok().json(rows.iter().map(ClientOut::from).collect::<Vec<_>>()))
}

/// One client's record. Every read is written to the access log (who, which client, when).
#[utoipa::path(tag = "clients", params(("team_id" = Uuid, Path), ("client_id" = Uuid, Path)), responses(
    (status = 200, body = ClientOut),
    (status = 404, body = Problem, content_type = "application/problem+json"),
))]
#[get("/teams/{team_id}/clients/{client_id}")]
pub async fn get_client(
    st: web::Data<AppState>,
    user: AuthUser,
    path: web::Path<(Uuid, Uuid)>,
) -> AppResult<HttpResponse> {
    let (team_id, client_id) = path.into_inner();
    let (team_id, client_id) = (team_id.to_string(), client_id.to_string());
    let row = db::tx(&st.pool, move |conn| {
        team_access(conn, &user, &team_id)?;
        let row = load_client(conn, &team_id, &client_id)?;
        diesel::insert_into(access_log::table)
            .values((
                access_log::id.eq(Uuid::new_v4().to_string()),
                access_log::staff_id.eq(&user.id),
                access_log::team_id.eq(&team_id),
                access_log::client_id.eq(&client_id),
                access_log::action.eq("client.read"),
                access_log::at.eq(db::now()),
            ))
            .execute(conn)?;
        Ok(row)
    })
    .await?;
    Ok(HttpResponse::Ok().json(ClientOut::from(&row)))
}

/// Change a client's record with the version last read. Members may change names and risk
/// tier; status (lifecycle) and case manager are for leads.
#[utoipa::path(tag = "clients", params(("team_id" = Uuid, Path), ("client_id" = Uuid, Path)), request_body = ClientPatch, responses(
    (status = 200, body = ClientOut),
    (status = 403, body = Problem, content_type = "application/problem+json"),
    (status = 404, body = Problem, content_type = "application/problem+json"),
    (status = 409, description = "version_conflict (with `current`), caseload_full, conflict", body = Problem, content_type = "application/problem+json"),
    (status = 422, description = "validation_failed or invalid_transition", body = Problem, content_type = "application/problem+json"),
))]
#[patch("/teams/{team_id}/clients/{client_id}")]
pub async fn patch_client(
    st: web::Data<AppState>,
    user: AuthUser,
    path: web::Path<(Uuid, Uuid)>,
    body: Json<ClientPatch>,
) -> AppResult<HttpResponse> {
    let (team_id, client_id) = path.into_inner();
    let (team_id, client_id) = (team_id.to_string(), client_id.to_string());
    let p = body.0;
    let mut errors = vec![];
    let given = p
        .given_name
        .as_deref()
        .map(|g| check_name("given_name", g, &mut errors));
    let family = p
        .family_name
        .as_deref()
        .map(|f| check_name("family_name", f, &mut errors));
    let preferred = p
        .preferred_name
        .map(|v| check_optional("preferred_name", v, 100, &mut errors));
    let external = p
        .external_id
        .map(|v| check_optional("external_id", v, 64, &mut errors));
    if !errors.is_empty() {
        return Err(AppError::from_fields(errors));
    }
    let needs_lead = p.status.is_some() || p.case_manager_id.is_some();
    let row = db::tx(&st.pool, move |conn| {
        let role = if needs_lead { Role::Lead } else { Role::Member };
        let team = crate::auth::write_access(conn, &user, &team_id, role)?;
        let before = load_client(conn, &team_id, &client_id)?;
        if before.version != p.version {
            return Err(conflict(&before));
        }
        let mut v = values_of(&before)?;
        if let Some(g) = given {
            v.given_name = g;
        }
        if let Some(f) = family {
            v.family_name = f;
        }
        if let Some(x) = preferred {
            v.preferred_name = x;
        }
        if let Some(x) = external {
            v.external_id = x;
        }
        if let Some(s) = p.status {
            v.status = s;
        }
        if let Some(r) = p.risk_tier {
            v.risk_tier = r.as_str().to_string();
        }
        if let Some(cm) = p.case_manager_id {
            v.case_manager_id = cm.map(|u| u.to_string());
        }
        save(conn, &team, &client_id, Some(&before), v, &user.id)
    })
    .await?;
    Ok(HttpResponse::Ok().json(ClientOut::from(&row)))
}

/// Assign a case manager (leads and admins). In an ICM team a case manager at the cap is
/// refused with 409 `caseload_full`, with `cap` and `current`.
#[utoipa::path(tag = "clients", params(("team_id" = Uuid, Path), ("client_id" = Uuid, Path)), request_body = CaseManager, responses(
    (status = 200, body = ClientOut),
    (status = 403, body = Problem, content_type = "application/problem+json"),
    (status = 404, body = Problem, content_type = "application/problem+json"),
    (status = 409, description = "caseload_full", body = Problem, content_type = "application/problem+json"),
    (status = 422, body = Problem, content_type = "application/problem+json"),
))]
#[put("/teams/{team_id}/clients/{client_id}/case-manager")]
pub async fn put_case_manager(
    st: web::Data<AppState>,
    user: AuthUser,
    path: web::Path<(Uuid, Uuid)>,
    body: Json<CaseManager>,
) -> AppResult<HttpResponse> {
    let (team_id, client_id) = path.into_inner();
    let (team_id, client_id) = (team_id.to_string(), client_id.to_string());
    let staff_id = body.0.staff_id.to_string();
    let row = db::tx(&st.pool, move |conn| {
        let team = crate::auth::write_access(conn, &user, &team_id, Role::Lead)?;
        let before = load_client(conn, &team_id, &client_id)?;
        if before.case_manager_id.as_deref() == Some(staff_id.as_str()) {
            return Ok(before);
        }
        let mut v = values_of(&before)?;
        v.case_manager_id = Some(staff_id);
        save(conn, &team, &client_id, Some(&before), v, &user.id)
    })
    .await?;
    Ok(HttpResponse::Ok().json(ClientOut::from(&row)))
}

/// Move a client to another team (lead or admin of both). The receiving team's caseload cap
/// applies; the history (contacts, flags) stays with the team that recorded it.
#[utoipa::path(tag = "clients", params(("team_id" = Uuid, Path), ("client_id" = Uuid, Path)), request_body = Transfer, responses(
    (status = 200, body = ClientOut),
    (status = 403, body = Problem, content_type = "application/problem+json"),
    (status = 404, body = Problem, content_type = "application/problem+json"),
    (status = 409, description = "caseload_full", body = Problem, content_type = "application/problem+json"),
    (status = 422, body = Problem, content_type = "application/problem+json"),
))]
#[post("/teams/{team_id}/clients/{client_id}/transfer")]
pub async fn transfer_client(
    st: web::Data<AppState>,
    user: AuthUser,
    path: web::Path<(Uuid, Uuid)>,
    body: Json<Transfer>,
) -> AppResult<HttpResponse> {
    let (team_id, client_id) = path.into_inner();
    let (from_id, client_id) = (team_id.to_string(), client_id.to_string());
    let to_id = body.0.to_team_id.to_string();
    let cm = body.0.case_manager_id.map(|u| u.to_string());
    if to_id == from_id {
        return Err(AppError::validation(
            "to_team_id",
            "the client is already on this team",
        ));
    }
    let row = db::tx(&st.pool, move |conn| {
        team_access(conn, &user, &from_id)?.require(Role::Lead)?;
        // The receiving team is named in the body, so an unknown one (or one the caller is not
        // on, which looks the same) is bad input, not a missing path resource.
        team_access(conn, &user, &to_id)
            .map_err(|e| match e {
                AppError::NotFound(_) => {
                    AppError::validation("to_team_id", "no team of yours has this id")
                }
                e => e,
            })?
            .require(Role::Lead)?;
        // Lock both teams in a fixed order so two opposite transfers cannot deadlock.
        let (first, second) = if from_id < to_id {
            (&from_id, &to_id)
        } else {
            (&to_id, &from_id)
        };
        events::lock_team(conn, first)?;
        events::lock_team(conn, second)?;
        let from = crate::api::teams::load_team(conn, &from_id)?;
        let to = crate::api::teams::load_team(conn, &to_id)?;
        let before = load_client(conn, &from_id, &client_id)?;
        let status =
            Status::parse(&before.status).ok_or_else(|| AppError::internal("bad stored status"))?;
        // Release the slot on the old team and move the row over without a case manager;
        // then the one write path assigns the new one (and takes a slot there).
        caseload::apply(
            conn,
            &from,
            rules::slot_holder(status, before.case_manager_id.as_deref()),
            None,
        )?;
        diesel::update(clients::table.filter(clients::id.eq(&client_id)))
            .set((
                clients::team_id.eq(&to_id),
                clients::case_manager_id.eq(None::<String>),
            ))
            .execute(conn)?;
        events::append(
            conn,
            &from_id,
            "client.transferred_out",
            &serde_json::json!({"id": client_id, "to_team_id": to_id}),
            Some(&user.id),
        )?;
        let parked = load_client(conn, &to_id, &client_id)?;
        let mut v = values_of(&before)?;
        v.case_manager_id = cm;
        save(conn, &to, &client_id, Some(&parked), v, &user.id)
    })
    .await?;
    Ok(HttpResponse::Ok().json(ClientOut::from(&row)))
}
