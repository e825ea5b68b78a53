//! CSV import: a team's clients (leads and admins) and staff accounts with their memberships
//! (admins). The body is the file itself (`text/csv`, UTF-8, up to 20 MB).

use crate::api::Problem;
use crate::auth::AuthUser;
use crate::error::{AppError, AppResult};
use crate::state::AppState;
use crate::store::import::{self, ImportFailedProblem, ImportReport, MAX_FILE};
use actix_web::http::header;
use actix_web::{post, web, HttpRequest, HttpResponse};
use futures_util::StreamExt;
use serde::Deserialize;
use utoipa::IntoParams;
use uuid::Uuid;

/// A CSV file (its bytes, UTF-8).
#[derive(utoipa::ToSchema)]
#[schema(value_type = String, format = Binary)]
pub struct CsvFile(pub Vec<u8>);

#[derive(Deserialize, IntoParams)]
pub struct ImportQuery {
    /// `true`: check every row and answer the report; nothing is stored. Default `false`:
    /// store every row, or none when a row fails (422 with the report).
    #[serde(default)]
    pub dry_run: bool,
}

/// The body, sent as `text/csv`, up to `MAX_FILE` bytes (413 above it, before reading the
/// rest).
async fn read_file(req: &HttpRequest, mut payload: web::Payload) -> AppResult<Vec<u8>> {
    let is_csv = req
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.trim().to_ascii_lowercase().starts_with("text/csv"));
    if !is_csv {
        return Err(AppError::BadRequest(
            "send the CSV file as the body with Content-Type: text/csv".into(),
        ));
    }
    let mut body = Vec::new();
    while let Some(chunk) = payload.next().await {
        let chunk =
            chunk.map_err(|e| AppError::BadRequest(format!("the file could not be read: {e}")))?;
        if body.len() + chunk.len() > MAX_FILE {
            return Err(AppError::PayloadTooLarge(format!(
                "the file is larger than {} MB; split it into smaller files",
                MAX_FILE / (1024 * 1024)
            )));
        }
        body.extend_from_slice(&chunk);
    }
    Ok(body)
}

/// Import a team's clients from CSV (leads and admins). Header:
/// `external_id,given_name,family_name,preferred_name,status,case_manager_username,risk_tier`
/// (any order). Rows match the team's clients by `external_id`: new ones are created,
/// changed ones updated, the rest unchanged, so importing a file twice changes nothing.
/// `status` is referred, screening or active (blank: referred, or unchanged); `risk_tier`
/// low, medium or high (blank: medium, or unchanged). An ICM team's caseload cap applies.
#[utoipa::path(tag = "import", params(("team_id" = Uuid, Path), ImportQuery),
    request_body(content = CsvFile, content_type = "text/csv", description = "The CSV file, UTF-8 (a byte-order mark is accepted)"),
    responses(
        (status = 200, description = "The report: each row's action and errors (a dry run answers 200 with failed rows too)", body = ImportReport),
        (status = 403, body = Problem, content_type = "application/problem+json"),
        (status = 413, description = "The file is larger than 20 MB (`payload_too_large`)", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "`import_failed`: some rows have errors and nothing was stored; the report's fields are in the problem", body = ImportFailedProblem, content_type = "application/problem+json"),
    ))]
#[post("/teams/{team_id}/import/clients")]
pub async fn import_clients(
    st: web::Data<AppState>,
    user: AuthUser,
    path: web::Path<Uuid>,
    query: web::Query<ImportQuery>,
    req: HttpRequest,
    payload: web::Payload,
) -> AppResult<HttpResponse> {
    let bytes = read_file(&req, payload).await?;
    let report = import::clients(
        &st.pool,
        user,
        path.into_inner().to_string(),
        bytes,
        query.dry_run,
    )
    .await?;
    Ok(HttpResponse::Ok().json(report))
}

/// Import staff accounts and team memberships from CSV (admins). Header:
/// `username,display_name,discipline,team,role` (any order; `team` by name, `role` lead,
/// member or viewer; both blank: the account only). Accounts match by username. New
/// accounts have no password: they cannot sign in until an administrator sets one.
#[utoipa::path(tag = "import", params(ImportQuery),
    request_body(content = CsvFile, content_type = "text/csv", description = "The CSV file, UTF-8 (a byte-order mark is accepted)"),
    responses(
        (status = 200, description = "The report: each row's action and errors (a dry run answers 200 with failed rows too)", body = ImportReport),
        (status = 403, body = Problem, content_type = "application/problem+json"),
        (status = 413, description = "The file is larger than 20 MB (`payload_too_large`)", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "`import_failed`: some rows have errors and nothing was stored; the report's fields are in the problem", body = ImportFailedProblem, content_type = "application/problem+json"),
    ))]
#[post("/import/staff")]
pub async fn import_staff(
    st: web::Data<AppState>,
    user: AuthUser,
    query: web::Query<ImportQuery>,
    req: HttpRequest,
    payload: web::Payload,
) -> AppResult<HttpResponse> {
    let bytes = read_file(&req, payload).await?;
    let report = import::staff(&st.pool, user, bytes, query.dry_run).await?;
    Ok(HttpResponse::Ok().json(report))
}
