//! The HTTP API: one route table (below), one file per resource.

pub mod absences;
pub mod admin;
pub mod assessments;
pub mod audit;
pub mod auth;
pub mod board;
pub mod client_card;
pub mod clients;
pub mod contacts;
pub mod display_tokens;
pub mod due;
pub mod events;
pub mod flags;
pub mod frontend;
pub mod handoffs;
pub mod health;
pub mod history;
pub mod huddle;
pub mod import;
pub mod json;
pub mod live;
pub mod members;
pub mod metrics;
pub mod oncall;
pub mod openapi_doc;
pub mod outcomes;
pub mod page;
pub mod plans;
pub mod rota;
pub mod screening;
pub mod staff;
pub mod teams;
pub mod transitions;
pub mod visit_series;

use crate::error::{AppError, FieldError};
use actix_web::http::header::CACHE_CONTROL;
use actix_web::middleware::DefaultHeaders;
use actix_web::web;
use serde::Serialize;
use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::{Modify, OpenApi, ToSchema};
use utoipa_actix_web::service_config::ServiceConfig;

/// The route table: every endpoint of the server, with its method and path (a unit test
/// checks these comments against the OpenAPI document).
#[rustfmt::skip]
pub fn routes(cfg: &mut ServiceConfig) {
    cfg.service(health::healthz);                      // GET    /healthz
    cfg.service(health::readyz);                       // GET    /readyz
    cfg.service(metrics::get_metrics);                 // GET    /metrics
    let api = utoipa_actix_web::scope("/api")
        .service(auth::login)                          // POST   /api/auth/login
        .service(auth::refresh)                        // POST   /api/auth/refresh
        .service(auth::logout)                         // POST   /api/auth/logout
        .service(staff::me)                            // GET    /api/me
        .service(auth::change_my_password)             // POST   /api/me/password
        .service(teams::create_team)                   // POST   /api/teams
        .service(teams::list_teams)                    // GET    /api/teams
        .service(teams::get_team)                      // GET    /api/teams/{team_id}
        .service(teams::patch_team)                    // PATCH  /api/teams/{team_id}
        .service(members::list_members)                // GET    /api/teams/{team_id}/members
        .service(members::put_member)                  // PUT    /api/teams/{team_id}/members/{staff_id}
        .service(members::delete_member)               // DELETE /api/teams/{team_id}/members/{staff_id}
        .service(members::remove_member_with_plan)     // POST   /api/teams/{team_id}/members/{staff_id}/remove
        .service(staff::create_staff)                  // POST   /api/staff
        .service(staff::list_staff)                    // GET    /api/staff
        .service(staff::patch_staff)                   // PATCH  /api/staff/{staff_id}
        .service(staff::get_handover)                  // GET    /api/staff/{staff_id}/handover
        .service(staff::deactivate_staff)              // POST   /api/staff/{staff_id}/deactivate
        .service(admin::admin_setup)                   // GET    /api/admin/setup
        .service(import::import_staff)                 // POST   /api/import/staff
        .service(clients::create_client)               // POST   /api/teams/{team_id}/clients
        .service(clients::list_clients)                // GET    /api/teams/{team_id}/clients
        .service(clients::get_client)                  // GET    /api/teams/{team_id}/clients/{client_id}
        .service(clients::patch_client)                // PATCH  /api/teams/{team_id}/clients/{client_id}
        .service(clients::put_case_manager)            // PUT    /api/teams/{team_id}/clients/{client_id}/case-manager
        .service(clients::transfer_client)             // POST   /api/teams/{team_id}/clients/{client_id}/transfer
        .service(import::import_clients)               // POST   /api/teams/{team_id}/import/clients
        .service(history::client_history)              // GET    /api/teams/{team_id}/clients/{client_id}/history
        .service(client_card::get_client_card)         // GET    /api/teams/{team_id}/clients/{client_id}/card
        .service(assessments::create_assessment)       // POST   /api/teams/{team_id}/clients/{client_id}/assessments
        .service(assessments::list_assessments)        // GET    /api/teams/{team_id}/clients/{client_id}/assessments
        .service(plans::get_plan)                      // GET    /api/teams/{team_id}/clients/{client_id}/plan
        .service(plans::put_plan)                      // PUT    /api/teams/{team_id}/clients/{client_id}/plan
        .service(plans::add_goal_progress)             // POST   /api/teams/{team_id}/clients/{client_id}/plan/goals/{goal_id}/progress
        .service(due::list_due)                        // GET    /api/teams/{team_id}/due
        .service(screening::put_screening)             // PUT    /api/teams/{team_id}/clients/{client_id}/screening
        .service(screening::get_screening)             // GET    /api/teams/{team_id}/clients/{client_id}/screening
        .service(screening::decide_screening)          // POST   /api/teams/{team_id}/clients/{client_id}/screening/decision
        .service(screening::list_referrals)            // GET    /api/teams/{team_id}/referrals
        .service(screening::get_intake)                // GET    /api/teams/{team_id}/intake
        .service(transitions::start_transition)        // POST   /api/teams/{team_id}/clients/{client_id}/transition
        .service(transitions::get_transition)          // GET    /api/teams/{team_id}/clients/{client_id}/transition
        .service(transitions::complete_transition)     // POST   /api/teams/{team_id}/clients/{client_id}/transition/complete
        .service(transitions::cancel_transition)       // POST   /api/teams/{team_id}/clients/{client_id}/transition/cancel
        .service(transitions::list_checkins)           // GET    /api/teams/{team_id}/clients/{client_id}/checkins
        .service(transitions::record_checkin)          // POST   /api/teams/{team_id}/clients/{client_id}/checkins/{checkin_id}
        .service(transitions::return_client)           // POST   /api/teams/{team_id}/clients/{client_id}/return
        .service(outcomes::create_episode)             // POST   /api/teams/{team_id}/clients/{client_id}/episodes
        .service(outcomes::list_episodes)              // GET    /api/teams/{team_id}/clients/{client_id}/episodes
        .service(outcomes::patch_episode)              // PATCH  /api/teams/{team_id}/clients/{client_id}/episodes/{episode_id}
        .service(outcomes::client_outcomes)            // GET    /api/teams/{team_id}/clients/{client_id}/outcomes
        .service(outcomes::team_outcomes)              // GET    /api/teams/{team_id}/outcomes
        .service(outcomes::team_outcomes_csv)          // GET    /api/teams/{team_id}/outcomes.csv
        .service(outcomes::get_fidelity)               // GET    /api/teams/{team_id}/fidelity
        .service(outcomes::get_fidelity_csv)           // GET    /api/teams/{team_id}/fidelity.csv
        .service(outcomes::put_fidelity_rating)        // PUT    /api/teams/{team_id}/fidelity/ratings
        // before put_contact: "reassign" is not a contact id
        .service(contacts::reassign_contacts)          // POST   /api/teams/{team_id}/contacts/reassign
        .service(contacts::put_contact)                // PUT    /api/teams/{team_id}/contacts/{contact_id}
        .service(contacts::patch_contact)              // PATCH  /api/teams/{team_id}/contacts/{contact_id}
        .service(contacts::list_contacts)              // GET    /api/teams/{team_id}/contacts
        .service(absences::create_absence)             // POST   /api/teams/{team_id}/absences
        .service(absences::list_absences)              // GET    /api/teams/{team_id}/absences
        .service(absences::delete_absence)             // DELETE /api/teams/{team_id}/absences/{absence_id}
        .service(visit_series::create_visit_series)    // POST   /api/teams/{team_id}/visit-series
        .service(visit_series::list_visit_series)      // GET    /api/teams/{team_id}/visit-series
        .service(visit_series::end_visit_series)       // DELETE /api/teams/{team_id}/visit-series/{series_id}
        .service(flags::raise_flag)                    // POST   /api/teams/{team_id}/clients/{client_id}/flags
        .service(flags::acknowledge_flag)              // POST   /api/teams/{team_id}/flags/{flag_id}/acknowledge
        .service(flags::resolve_flag)                  // POST   /api/teams/{team_id}/flags/{flag_id}/resolve
        .service(flags::list_flags)                    // GET    /api/teams/{team_id}/flags
        .service(oncall::create_shift)                 // POST   /api/teams/{team_id}/oncall/shifts
        .service(oncall::delete_shift)                 // DELETE /api/teams/{team_id}/oncall/shifts/{shift_id}
        .service(oncall::list_shifts)                  // GET    /api/teams/{team_id}/oncall/shifts
        .service(oncall::on_call_now)                  // GET    /api/teams/{team_id}/oncall/now
        .service(rota::get_oncall_pattern)             // GET    /api/teams/{team_id}/oncall/pattern
        .service(rota::put_oncall_pattern)             // PUT    /api/teams/{team_id}/oncall/pattern
        .service(rota::apply_oncall_pattern)           // POST   /api/teams/{team_id}/oncall/pattern/apply
        .service(rota::oncall_coverage)                // GET    /api/teams/{team_id}/oncall/coverage
        .service(handoffs::create_handoff)             // POST   /api/teams/{team_id}/handoffs
        .service(handoffs::acknowledge_handoff)        // POST   /api/teams/{team_id}/handoffs/{handoff_id}/acknowledge
        .service(handoffs::list_handoffs)              // GET    /api/teams/{team_id}/handoffs
        .service(huddle::mark_reviewed)                // PUT    /api/teams/{team_id}/huddle/{day}/reviews/{client_id}
        .service(huddle::unmark_reviewed)              // DELETE /api/teams/{team_id}/huddle/{day}/reviews/{client_id}
        .service(huddle::put_huddle_focus)             // PUT    /api/teams/{team_id}/huddle/{day}/focus
        .service(board::get_board)                     // GET    /api/teams/{team_id}/board
        .service(events::list_events)                  // GET    /api/teams/{team_id}/events
        .service(live::live_stream)                    // GET    /api/teams/{team_id}/live
        .service(display_tokens::create_display_token) // POST   /api/teams/{team_id}/display-tokens
        .service(display_tokens::list_display_tokens)  // GET    /api/teams/{team_id}/display-tokens
        .service(display_tokens::revoke_display_token) // DELETE /api/teams/{team_id}/display-tokens/{token_id}
        .service(display_tokens::display_me)           // GET    /api/display/me
        .service(audit::list_audit)                    // GET    /api/audit
        .service(audit::export_audit_csv)              // GET    /api/audit/export.csv
        .service(audit::verify_audit)                  // GET    /api/audit/verify
        // Answers carry clinical data (errors too): no browser or proxy may keep a copy.
        .wrap(DefaultHeaders::new().add((CACHE_CONTROL, "no-store")));
    cfg.service(api);
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
    components(schemas(
        Problem,
        crate::store::events::Event,
        crate::store::events::EventKind,
        crate::live::protocol::ServerFrame,
        crate::live::protocol::ClientFrame,
    )),
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

/// The OpenAPI document of every route (served at /api/openapi.json, printed by
/// `actboard openapi`), completed with the responses every operation shares.
pub fn openapi_document() -> utoipa::openapi::OpenApi {
    use utoipa_actix_web::AppExt;
    let (_, doc) = actix_web::App::new()
        .into_utoipa_app()
        .openapi(ApiDoc::openapi())
        .configure(routes)
        .split_for_parts();
    openapi_doc::complete(doc)
}

/// actix's own extractor failures (path, query) in the same problem+json shape.
pub fn path_config() -> web::PathConfig {
    web::PathConfig::default().error_handler(|err, req| {
        // PUT …/contacts/reassign is not a contact id: the path exists, the method does not.
        openapi_doc::method_not_allowed(req)
            .unwrap_or_else(|| {
                AppError::BadRequest(format!("a value in the path is not valid: {err}"))
            })
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

#[cfg(test)]
mod tests {
    use std::collections::BTreeSet;

    /// The method and path written beside each registration in `routes` are the routes the
    /// document describes: same set, no duplicates, and every operation id unique.
    #[test]
    fn route_table_comments_match_the_document() {
        let source = include_str!("mod.rs");
        let body = &source[source.find("pub fn routes(").unwrap()..];
        let body = &body[..body.find("\n}\n").unwrap()];
        let written: Vec<(String, String)> = body
            .lines()
            .filter(|l| l.contains(".service(") || l.contains("cfg.service(health"))
            .filter_map(|l| l.split_once("// "))
            .map(|(_, c)| {
                let mut parts = c.split_whitespace();
                (
                    parts.next().unwrap().to_string(),
                    parts.next().unwrap().to_string(),
                )
            })
            .collect();
        let doc = super::openapi_document();
        let mut documented = BTreeSet::new();
        let mut ids = BTreeSet::new();
        let json = serde_json::to_value(&doc).unwrap();
        for (path, item) in json["paths"].as_object().unwrap() {
            for (method, op) in item.as_object().unwrap() {
                documented.insert((method.to_uppercase(), path.clone()));
                let id = op["operationId"].as_str().unwrap().to_string();
                assert!(ids.insert(id.clone()), "operation id {id} is used twice");
            }
        }
        let written_set: BTreeSet<_> = written.iter().cloned().collect();
        assert_eq!(written.len(), written_set.len(), "a route is written twice");
        assert_eq!(written_set, documented);
    }
}
