//! Clients: admission, records, lifecycle, ICM case managers (within the cap) and transfer
//! between teams.

use crate::api::json::Json;
use crate::api::page;
use crate::api::Problem;
use crate::auth::AuthUser;
use crate::domain::client::{DischargeInput, DischargeReason, RiskTier, Status, DETAIL_LIMITS};
use crate::domain::FieldError;
use crate::domain::{flag, text, time};
use crate::error::{AppError, AppResult};
use crate::state::AppState;
use crate::store::clients::{
    self, ClientChanges, ClientOut, DetailChanges, Extras, ReferralIn, Values,
};
use actix_web::{get, patch, post, put, web, HttpRequest, HttpResponse};
use serde::Deserialize;
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;

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
    /// On-call details (see `ClientDetails`); blank is absent.
    #[schema(max_length = 40)]
    pub phone: Option<String>,
    #[schema(max_length = 300)]
    pub address: Option<String>,
    #[schema(max_length = 4000)]
    pub crisis_plan: Option<String>,
    #[schema(max_length = 300)]
    pub emergency_contact: Option<String>,
    /// Where the referral came from, when and why (only with status `referred` or
    /// `screening`; `source` required).
    pub referral: Option<ReferralBody>,
    /// Team-local day an existing client first became active, YYYY-MM-DD, not in the future
    /// (only when created `active` or `transitioning`; default today).
    #[schema(format = Date)]
    pub enrolled_on: Option<String>,
}

/// A referral as the team received it.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ReferralBody {
    /// Who referred: a ward, a GP, a court, the person themselves (1–200 characters).
    #[schema(min_length = 1, max_length = 200, pattern = r"\S")]
    pub source: String,
    /// Team-local day the referral arrived, YYYY-MM-DD (default today; not in the future).
    #[schema(format = Date)]
    pub received_on: Option<String>,
    #[schema(max_length = 2000)]
    pub reason: Option<String>,
}

/// A checked referral body.
fn check_referral(b: ReferralBody, errors: &mut Vec<FieldError>) -> ReferralIn {
    let source = text::required("referral.source", &b.source, 200).unwrap_or_else(|e| {
        errors.push(e);
        String::new()
    });
    let received_on = b.received_on.as_deref().and_then(|d| {
        time::parse_day(d)
            .map_err(|m| errors.push(FieldError::new("referral.received_on", m)))
            .ok()
    });
    let reason = check_optional("referral.reason", b.reason, 2000, errors);
    ReferralIn {
        source,
        received_on,
        reason,
    }
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
    /// Not accepted (422): the tier follows the client's latest assessment
    /// (`POST …/clients/{client_id}/assessments`).
    pub risk_tier: Option<RiskTier>,
    /// Leads only; `null` removes the case manager (not allowed for an active ICM client).
    #[serde(default, deserialize_with = "crate::api::json::present")]
    #[schema(value_type = Option<String>, format = Uuid)]
    pub case_manager_id: Option<Option<Uuid>>,
    /// Required with `status: "discharged"` (leads only); may correct the reason of a client
    /// already discharged.
    pub discharge_reason: Option<DischargeReason>,
    /// Team-local day the discharge took effect, YYYY-MM-DD (default: today; not in the
    /// future). Only with a discharged client.
    #[schema(format = Date)]
    pub discharged_on: Option<String>,
    /// Resolve the client's open crisis flags with this outcome in the same transaction as the
    /// discharge (without it, a client with open flags is refused with 409 `open_flags`).
    pub resolve_open_flags: Option<ResolveOpenFlags>,
    /// On-call details (members may change them); `null` or blank clears one.
    #[serde(default, deserialize_with = "crate::api::json::present")]
    #[schema(value_type = Option<String>, max_length = 40)]
    pub phone: Option<Option<String>>,
    #[serde(default, deserialize_with = "crate::api::json::present")]
    #[schema(value_type = Option<String>, max_length = 300)]
    pub address: Option<Option<String>>,
    #[serde(default, deserialize_with = "crate::api::json::present")]
    #[schema(value_type = Option<String>, max_length = 4000)]
    pub crisis_plan: Option<Option<String>>,
    #[serde(default, deserialize_with = "crate::api::json::present")]
    #[schema(value_type = Option<String>, max_length = 300)]
    pub emergency_contact: Option<Option<String>>,
    /// Correct the referral (leads; only while referred or in screening): the whole
    /// referral, as on creation.
    pub referral: Option<ReferralBody>,
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ResolveOpenFlags {
    #[schema(min_length = 1, max_length = 1000, pattern = r"\S")]
    pub outcome: String,
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
    /// Rows per page: at most 1000 (default 500). When there are more, the answer has a
    /// `Link: <…>; rel="next"` header.
    #[param(minimum = 1, maximum = 1000)]
    pub limit: Option<i64>,
    /// Where the page starts: the opaque value from the previous page's `Link` header.
    pub cursor: Option<String>,
}

/// The on-call details of a body, checked (`None`: not given, so unchanged).
fn check_details(
    given: [Option<Option<String>>; 4],
    errors: &mut Vec<FieldError>,
) -> DetailChanges {
    let mut it = given
        .into_iter()
        .zip(DETAIL_LIMITS)
        .map(|(v, (field, max))| v.map(|v| check_optional(field, v, max, errors)));
    DetailChanges {
        phone: it.next().flatten(),
        address: it.next().flatten(),
        crisis_plan: it.next().flatten(),
        emergency_contact: it.next().flatten(),
    }
}

fn check_name(field: &str, v: &str, errors: &mut Vec<FieldError>) -> String {
    text::required(field, v, 100).unwrap_or_else(|e| {
        errors.push(e);
        v.trim().to_string()
    })
}

fn check_optional(
    field: &str,
    v: Option<String>,
    max: usize,
    errors: &mut Vec<FieldError>,
) -> Option<String> {
    text::optional(field, v.as_deref(), max).unwrap_or_else(|e| {
        errors.push(e);
        None
    })
}

/// Admit or refer a client (leads and admins). In an ICM team an active client needs a
/// case manager with room under the cap.
#[utoipa::path(tag = "clients", params(("team_id" = Uuid, Path)), request_body = NewClient, responses(
    (status = 201, body = ClientOut),
    (status = 403, body = Problem, content_type = "application/problem+json"),
    (status = 409, description = "caseload_full (with cap and current) or conflict", body = Problem, content_type = "application/problem+json"),
))]
#[post("/teams/{team_id}/clients")]
pub async fn create_client(
    st: web::Data<AppState>,
    user: AuthUser,
    path: web::Path<Uuid>,
    body: Json<NewClient>,
) -> AppResult<HttpResponse> {
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
    let details = check_details(
        [b.phone, b.address, b.crisis_plan, b.emergency_contact].map(|v| v.map(Some)),
        &mut errors,
    );
    let referral = b.referral.map(|r| check_referral(r, &mut errors));
    let enrolled_on = b.enrolled_on.as_deref().and_then(|d| {
        time::parse_day(d)
            .map_err(|m| errors.push(FieldError::new("enrolled_on", m)))
            .ok()
    });
    if !errors.is_empty() {
        return Err(AppError::from_fields(errors));
    }
    let extras = Extras {
        referral,
        enrolled_on,
    };
    let out = clients::create(
        &st.pool,
        user,
        path.into_inner().to_string(),
        v,
        details,
        extras,
    )
    .await?;
    Ok(HttpResponse::Created().json(out))
}

/// The team's clients, by family name, given name and id, in pages (`limit`, `cursor`; the
/// next page's URL is in the `Link` header).
#[utoipa::path(tag = "clients", params(("team_id" = Uuid, Path), ClientQuery), responses(
    (status = 200, body = Vec<ClientOut>, headers(("Link" = String, description = "RFC 8288 link to the next page, `<…?…&cursor=…>; rel=\"next\"` (relative; follow it as it is); absent on the last page"))),
    (status = 422, description = "A query parameter breaks a rule (`validation_failed`)", body = Problem, content_type = "application/problem+json"),
))]
#[get("/teams/{team_id}/clients")]
pub async fn list_clients(
    req: HttpRequest,
    st: web::Data<AppState>,
    user: AuthUser,
    path: web::Path<Uuid>,
    q: web::Query<ClientQuery>,
) -> AppResult<HttpResponse> {
    let q = q.into_inner();
    let page = page::request(q.limit, q.cursor.as_deref(), 500, clients::LIST, 3)?;
    let out = clients::list(
        &st.pool,
        user,
        path.into_inner().to_string(),
        q.status,
        page,
    )
    .await?;
    Ok(page::respond(&req, out))
}

/// One client's record. Every read is written to the audit trail (who, which client, when).
#[utoipa::path(tag = "clients", params(("team_id" = Uuid, Path), ("client_id" = Uuid, Path)), responses((status = 200, body = ClientOut)))]
#[get("/teams/{team_id}/clients/{client_id}")]
pub async fn get_client(
    st: web::Data<AppState>,
    user: AuthUser,
    path: web::Path<(Uuid, Uuid)>,
) -> AppResult<HttpResponse> {
    let (team_id, client_id) = path.into_inner();
    let out = clients::get(&st.pool, user, team_id.to_string(), client_id.to_string()).await?;
    Ok(HttpResponse::Ok().json(out))
}

/// Change a client's record with the version last read. Members may change names and risk
/// tier; status (lifecycle, discharge) and case manager are for leads. A discharge needs
/// `discharge_reason`; a client with open crisis flags is refused (409 `open_flags`, listing
/// them in `flags`) unless `resolve_open_flags` resolves them in the same transaction.
#[utoipa::path(tag = "clients", params(("team_id" = Uuid, Path), ("client_id" = Uuid, Path)), request_body = ClientPatch, responses(
    (status = 200, body = ClientOut),
    (status = 403, body = Problem, content_type = "application/problem+json"),
    (status = 409, description = "version_conflict (with `current`), caseload_full, conflict, open_flags (with `flags`: the open flag ids)", body = Problem, content_type = "application/problem+json"),
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
    let p = body.0;
    let mut errors = vec![];
    let given_name = p
        .given_name
        .as_deref()
        .map(|g| check_name("given_name", g, &mut errors));
    let family_name = p
        .family_name
        .as_deref()
        .map(|f| check_name("family_name", f, &mut errors));
    let preferred_name = p
        .preferred_name
        .map(|v| check_optional("preferred_name", v, 100, &mut errors));
    let external_id = p
        .external_id
        .map(|v| check_optional("external_id", v, 64, &mut errors));
    let discharged_on = p.discharged_on.as_deref().and_then(|d| {
        time::parse_day(d)
            .map_err(|m| errors.push(FieldError::new("discharged_on", m)))
            .ok()
    });
    let details = check_details(
        [p.phone, p.address, p.crisis_plan, p.emergency_contact],
        &mut errors,
    );
    if p.risk_tier.is_some() {
        errors.push(FieldError::new(
            "risk_tier",
            "follows the client's latest assessment: record an assessment instead",
        ));
    }
    let referral = p.referral.map(|r| check_referral(r, &mut errors));
    let resolve_open_flags = p.resolve_open_flags.as_ref().and_then(|r| {
        flag::check_text("resolve_open_flags.outcome", &r.outcome)
            .map_err(|e| errors.push(e))
            .ok()
    });
    if !errors.is_empty() {
        return Err(AppError::from_fields(errors));
    }
    let changes = ClientChanges {
        version: p.version,
        given_name,
        family_name,
        preferred_name,
        external_id,
        status: p.status,
        case_manager_id: p.case_manager_id.map(|cm| cm.map(|u| u.to_string())),
        discharge: DischargeInput {
            reason: p.discharge_reason,
            on: discharged_on,
            resolve_flags: p.resolve_open_flags.is_some(),
        },
        resolve_open_flags,
        details,
        referral,
    };
    let out = clients::update(
        &st.pool,
        user,
        team_id.to_string(),
        client_id.to_string(),
        changes,
    )
    .await?;
    Ok(HttpResponse::Ok().json(out))
}

/// Assign a case manager (leads and admins). In an ICM team a case manager at the cap is
/// refused with 409 `caseload_full`, with `cap` and `current`.
#[utoipa::path(tag = "clients", params(("team_id" = Uuid, Path), ("client_id" = Uuid, Path)), request_body = CaseManager, responses(
    (status = 200, body = ClientOut),
    (status = 403, body = Problem, content_type = "application/problem+json"),
    (status = 409, description = "caseload_full", body = Problem, content_type = "application/problem+json"),
))]
#[put("/teams/{team_id}/clients/{client_id}/case-manager")]
pub async fn put_case_manager(
    st: web::Data<AppState>,
    user: AuthUser,
    path: web::Path<(Uuid, Uuid)>,
    body: Json<CaseManager>,
) -> AppResult<HttpResponse> {
    let (team_id, client_id) = path.into_inner();
    let staff_id = body.0.staff_id.to_string();
    let out = clients::set_case_manager(
        &st.pool,
        user,
        team_id.to_string(),
        client_id.to_string(),
        staff_id,
    )
    .await?;
    Ok(HttpResponse::Ok().json(out))
}

/// Move a client to another team (lead or admin of both). The receiving team's caseload cap
/// applies. The client's open flags move to the receiving team's board; contacts and resolved
/// flags stay with the team that recorded them, and the receiving team reads them at
/// `GET …/clients/{client_id}/history`.
#[utoipa::path(tag = "clients", params(("team_id" = Uuid, Path), ("client_id" = Uuid, Path)), request_body = Transfer, responses(
    (status = 200, body = ClientOut),
    (status = 403, body = Problem, content_type = "application/problem+json"),
    (status = 409, description = "caseload_full", body = Problem, content_type = "application/problem+json"),
))]
#[post("/teams/{team_id}/clients/{client_id}/transfer")]
pub async fn transfer_client(
    st: web::Data<AppState>,
    user: AuthUser,
    path: web::Path<(Uuid, Uuid)>,
    body: Json<Transfer>,
) -> AppResult<HttpResponse> {
    let (team_id, client_id) = path.into_inner();
    let to = body.0.to_team_id.to_string();
    let cm = body.0.case_manager_id.map(|u| u.to_string());
    let out = clients::transfer(
        &st.pool,
        user,
        team_id.to_string(),
        client_id.to_string(),
        to,
        cm,
    )
    .await?;
    Ok(HttpResponse::Ok().json(out))
}
