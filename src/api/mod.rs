//! The HTTP API: one route table (below), one file per resource.

pub mod auth;
pub mod board;
pub mod clients;
pub mod contacts;
pub mod display_tokens;
pub mod dto;
pub mod events;
pub mod flags;
pub mod frontend;
pub mod handoffs;
pub mod health;
pub mod huddle;
pub mod json;
pub mod me;
pub mod openapi_doc;
pub mod members;
pub mod oncall;
pub mod request_id;
pub mod staff;
pub mod teams;

use crate::error::{AppError, FieldError};
use actix_web::web;
use serde::Serialize;
use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::{Modify, OpenApi, ToSchema};
use utoipa_actix_web::service_config::ServiceConfig;

/// The route table: every endpoint of the server, at a glance.
pub fn routes(cfg: &mut ServiceConfig) {
    cfg.service(health::healthz)
        .service(health::readyz)
        .service(
            utoipa_actix_web::scope("/api")
                .service(auth::login)
                .service(auth::refresh)
                .service(auth::logout)
                .service(me::me)
                .service(teams::create_team)
                .service(teams::list_teams)
                .service(teams::get_team)
                .service(teams::patch_team)
                .service(members::list_members)
                .service(members::put_member)
                .service(members::delete_member)
                .service(staff::create_staff)
                .service(staff::list_staff)
                .service(staff::patch_staff)
                .service(clients::create_client)
                .service(clients::list_clients)
                .service(clients::get_client)
                .service(clients::patch_client)
                .service(clients::put_case_manager)
                .service(clients::transfer_client)
                // before put_contact: "reassign" is not a contact id
                .service(contacts::reassign)
                .service(contacts::put_contact)
                .service(contacts::patch_contact)
                .service(contacts::list_contacts)
                .service(flags::raise)
                .service(flags::acknowledge)
                .service(flags::resolve)
                .service(flags::list)
                .service(oncall::create_shift)
                .service(oncall::delete_shift)
                .service(oncall::list_shifts)
                .service(oncall::on_call_now)
                .service(handoffs::create)
                .service(handoffs::acknowledge)
                .service(handoffs::list)
                .service(huddle::mark)
                .service(huddle::unmark)
                .service(huddle::focus)
                .service(board::get_board)
                .service(events::list)
                .service(display_tokens::create)
                .service(display_tokens::list)
                .service(display_tokens::revoke)
            .service(display_tokens::me)
                .service(crate::live::socket::live),
        );
}

/// An error response (RFC 9457 problem details).
#[derive(Serialize, ToSchema)]
pub struct Problem {
    #[serde(rename = "type")]
    pub type_: String,
    pub title: String,
    pub status: u16,
    pub detail: String,
    /// Stable machine code: unauthenticated, invalid_credentials, forbidden, not_found,
    /// validation_failed, version_conflict, caseload_full, conflict, rate_limited, …
    pub code: String,
    /// Per-field messages for validation_failed.
    pub errors: Option<Vec<FieldError>>,
}

#[derive(OpenApi)]
#[openapi(
    info(title = "actboard", description = "Live coordination board for community mental-health teams (ACT and ICM)."),
    modifiers(&BearerAuth),
    components(schemas(Problem)),
    security(("bearer" = [])),
)]
pub struct ApiDoc;

struct BearerAuth;

impl Modify for BearerAuth {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "bearer",
            SecurityScheme::Http(
                HttpBuilder::new()
                    .scheme(HttpAuthScheme::Bearer)
                    .bearer_format("JWT")
                    .build(),
            ),
        );
    }
}

/// actix's own extractor failures (path, query) in the same problem+json shape.
pub fn path_config() -> web::PathConfig {
    web::PathConfig::default().error_handler(|err, req| {
        // PUT …/contacts/reassign is not a contact id: the path exists, the method does not.
        openapi_doc::method_not_allowed(req)
            .unwrap_or_else(|| AppError::BadRequest(format!("a value in the path is not valid: {err}")))
            .into()
    })
}

pub fn query_config() -> web::QueryConfig {
    web::QueryConfig::default().error_handler(|err, _| {
        AppError::BadRequest(format!("a query parameter is not valid: {err}")).into()
    })
}

pub fn payload_config() -> web::PayloadConfig {
    web::PayloadConfig::new(json::MAX_BODY)
}
