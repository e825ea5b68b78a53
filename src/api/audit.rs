//! The audit trail (admins only): the report with filters and pages, its CSV export (itself
//! audited), and the chain's verification.

use crate::api::Problem;
use crate::auth::AuthUser;
use crate::domain::audit::Action;
use crate::error::{AppError, AppResult};
use crate::state::AppState;
use crate::store::audit::{self, AuditEntryOut, AuditFilter, AuditPage, Verification};
use actix_web::http::header;
use actix_web::{get, web, HttpRequest, HttpResponse};
use serde::Deserialize;
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;

#[derive(Deserialize, ToSchema, Clone, Copy)]
#[serde(rename_all = "snake_case")]
pub enum AuditAction {
    View,
    Change,
    Export,
    SignIn,
    SignInFailed,
}

impl From<AuditAction> for Action {
    fn from(a: AuditAction) -> Action {
        match a {
            AuditAction::View => Action::View,
            AuditAction::Change => Action::Change,
            AuditAction::Export => Action::Export,
            AuditAction::SignIn => Action::SignIn,
            AuditAction::SignInFailed => Action::SignInFailed,
        }
    }
}

#[derive(Deserialize, ToSchema, Clone, Copy, PartialEq, Eq)]
#[serde(rename_all = "lowercase")]
pub enum SortOrder {
    Asc,
    Desc,
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct AuditQuery {
    /// Entries about this client.
    pub client_id: Option<Uuid>,
    /// Entries by this staff member.
    pub staff_id: Option<Uuid>,
    #[param(inline)]
    pub action: Option<AuditAction>,
    /// From (inclusive): an RFC 3339 time, or a day YYYY-MM-DD (UTC, from its start).
    pub from: Option<String>,
    /// To (inclusive): an RFC 3339 time, or a day YYYY-MM-DD (UTC, to its end).
    pub to: Option<String>,
    /// By time: newest first (`desc`, the default) or oldest first (`asc`).
    #[param(inline)]
    pub order: Option<SortOrder>,
    /// Entries per page, 1 to 1000 (default 100).
    #[param(minimum = 1, maximum = 1000)]
    pub limit: Option<i64>,
    /// The `next_cursor` of the previous page.
    pub cursor: Option<String>,
}

impl AuditQuery {
    fn filter(&self) -> AppResult<AuditFilter> {
        AuditFilter::parse(
            self.client_id.map(|u| u.to_string()),
            self.staff_id.map(|u| u.to_string()),
            self.action.map(Action::from),
            self.from.as_deref(),
            self.to.as_deref(),
            self.order == Some(SortOrder::Asc),
            self.limit,
            self.cursor.as_deref(),
        )
    }
}

/// The same request with `cursor` replaced: the next page's address.
fn next_link(req: &HttpRequest, cursor: &str) -> String {
    let mut query: Vec<&str> = req
        .query_string()
        .split('&')
        .filter(|p| !p.is_empty() && !p.starts_with("cursor="))
        .collect();
    let c = format!("cursor={cursor}");
    query.push(&c);
    format!("<{}?{}>; rel=\"next\"", req.path(), query.join("&"))
}

/// The audit trail, newest first (or `order=asc`), filtered by client, staff, action and
/// time, one page at a time: `next_cursor` (and a `Link: <…>; rel="next"` header) while more
/// remain. Every view of client data, every change (each event of the team log), every
/// export and every sign-in, success or failure. Admins only.
#[utoipa::path(tag = "audit", params(AuditQuery), responses(
    (status = 200, body = AuditPage, headers(("Link" = String, description = "`<…>; rel=\"next\"` while more entries remain"))),
    (status = 403, description = "not an admin", body = Problem, content_type = "application/problem+json"),
))]
#[get("/audit")]
pub async fn list_audit(
    st: web::Data<AppState>,
    user: AuthUser,
    req: HttpRequest,
    q: web::Query<AuditQuery>,
) -> AppResult<HttpResponse> {
    user.require_admin("read the audit trail")?;
    let out = audit::list(&st.pool, user, q.filter()?).await?;
    let mut res = HttpResponse::Ok();
    if let Some(c) = &out.next_cursor {
        res.insert_header((header::LINK, next_link(&req, c)));
    }
    Ok(res.json(out))
}

const CSV_HEADER: [&str; 11] = [
    "at",
    "action",
    "staff_id",
    "staff_name",
    "team_id",
    "client_id",
    "client_name",
    "detail",
    "id",
    "seq",
    "hash",
];

fn to_csv(entries: &[AuditEntryOut]) -> AppResult<Vec<u8>> {
    let mut w = csv::Writer::from_writer(Vec::new());
    w.write_record(CSV_HEADER).map_err(AppError::internal)?;
    for e in entries {
        let seq = e.seq.map(|s| s.to_string()).unwrap_or_default();
        w.write_record([
            e.at.to_string().as_str(),
            &e.action,
            e.staff_id.as_deref().unwrap_or(""),
            e.staff_name.as_deref().unwrap_or(""),
            e.team_id.as_deref().unwrap_or(""),
            e.client_id.as_deref().unwrap_or(""),
            e.client_name.as_deref().unwrap_or(""),
            &e.detail,
            &e.id,
            &seq,
            e.hash.as_deref().unwrap_or(""),
        ])
        .map_err(AppError::internal)?;
    }
    w.into_inner().map_err(AppError::internal)
}

/// The audit trail as CSV (same filters and order as the report, every matching entry, at
/// most 100,000). The export is itself an `export` entry. Admins only.
#[utoipa::path(tag = "audit", params(AuditQuery), responses(
    (status = 200, description = "CSV with a header row: at, action, staff_id, staff_name, team_id, client_id, client_name, detail, id, seq, hash", content_type = "text/csv", body = String),
    (status = 403, description = "not an admin", body = Problem, content_type = "application/problem+json"),
))]
#[get("/audit/export.csv")]
pub async fn export_audit_csv(
    st: web::Data<AppState>,
    user: AuthUser,
    req: HttpRequest,
    q: web::Query<AuditQuery>,
) -> AppResult<HttpResponse> {
    user.require_admin("export the audit trail")?;
    let filter = q.filter()?;
    let mut described = String::from("audit.csv");
    if !req.query_string().is_empty() {
        described.push('?');
        described.extend(req.query_string().chars().take(400));
    }
    let entries = audit::export(&st.pool, user, filter, described).await?;
    let body = to_csv(&entries)?;
    let name = format!("audit-{}.csv", chrono::Utc::now().format("%Y%m%dT%H%M%SZ"));
    Ok(HttpResponse::Ok()
        .content_type("text/csv; charset=utf-8")
        .insert_header((
            header::CONTENT_DISPOSITION,
            format!("attachment; filename=\"{name}\""),
        ))
        .body(body))
}

/// Recompute the hash chain from its start: `ok`, how many entries, and the first entry that
/// does not match (`first_bad`: an entry changed, or the one after a deleted one). Admins
/// only.
#[utoipa::path(tag = "audit", responses(
    (status = 200, body = Verification),
    (status = 403, description = "not an admin", body = Problem, content_type = "application/problem+json"),
))]
#[get("/audit/verify")]
pub async fn verify_audit(st: web::Data<AppState>, user: AuthUser) -> AppResult<HttpResponse> {
    let out = audit::verify(&st.pool, user).await?;
    Ok(HttpResponse::Ok().json(out))
}
