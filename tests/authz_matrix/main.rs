//! The authorization matrix (issue 6): for every route of the server's OpenAPI document and
//! every kind of caller, the expected HTTP status is declared in ONE table, `MATRIX`, below.
//!
//! * A route in the OpenAPI document without a row fails the test: every new route must
//!   state its policy here.
//! * A row whose route is no longer in the document fails too (unless it is marked
//!   `undocumented`: served, but deliberately not described — then calling it still proves
//!   it exists).
//! * Every refusal (4xx) is a problem+json document with the code of its status
//!   (401 unauthenticated, 403 forbidden, 404 not_found, 422 validation_failed) and a detail.
//! * A refusal changes nothing: the database (`unchanged::fingerprint`) is the same after it.
//! * Another team's 404 is indistinguishable from a team that does not exist: the same
//!   request on a random team id gets the same status, code and detail.
//! * On any difference the whole matrix (route × caller → status) is printed, differing cells
//!   marked, with the problem detail the server gave, then every other problem found.
//!
//! Every request gets real ids and a VALID body, so the status reflects authorization and
//! not validation. Writes that consume something (acknowledging a flag, deleting a shift,
//! revoking a display token, transferring a client, …) get a fresh one per call, made by
//! the lead or the admin just before; so the cells do not depend on each other's order.
//!
//! Modules: `fixture` (the fixture and the concrete request of each cell), `render` (the
//! printed matrix), `unchanged` (what a refusal must leave as it was), and `other_teams`:
//! team A's own paths naming team B's records (a second table, `FOREIGN`).

#[macro_use]
#[path = "../common/mod.rs"]
mod common;

mod fixture;
mod other_teams;
mod render;
mod unchanged;

use common::fixtures::new_id;
use common::{Resp, TestApp};
use fixture::{build_fixture, request};
use render::{render, row_name, Outcome};
use reqwest::Method;
use serde_json::Value;
use std::collections::BTreeSet;

both_engines!(every_route_answers_every_caller_as_declared);

// ---------------------------------------------------------------------------------------
// The callers (the columns of the matrix, in this order)
// ---------------------------------------------------------------------------------------

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Caller {
    /// No Authorization header.
    NoToken,
    /// The admin's access token with one character of its signature changed.
    Tampered,
    /// A correctly signed access token for the admin whose `exp` has passed.
    Expired,
    /// Team A's display token (privacy: initials), made by its lead.
    Display,
    Viewer,
    Member,
    Lead,
    Admin,
    /// The lead of team B: a real, signed-in lead, but not on team A.
    OtherLead,
    /// Team B's display token (made by team B's lead): a real display, of another team.
    OtherDisplay,
}
use Caller::*;

pub const CALLERS: [Caller; 10] = [
    NoToken,
    Tampered,
    Expired,
    Display,
    Viewer,
    Member,
    Lead,
    Admin,
    OtherLead,
    OtherDisplay,
];

impl Caller {
    pub fn label(self) -> &'static str {
        match self {
            NoToken => "none",
            Tampered => "tamper",
            Expired => "expired",
            Display => "display",
            Viewer => "viewer",
            Member => "member",
            Lead => "lead",
            Admin => "admin",
            OtherLead => "oth.lead",
            OtherDisplay => "oth.disp",
        }
    }
}

// ---------------------------------------------------------------------------------------
// THE MATRIX
// ---------------------------------------------------------------------------------------

pub struct Row {
    pub method: &'static str,
    /// The path exactly as the OpenAPI document spells it.
    pub path: &'static str,
    /// Which request, when one route has several rows ("" for the only one).
    pub case: &'static str,
    pub expect: Expect,
}

pub enum Expect {
    /// One status per caller, in `CALLERS` order.
    Status([u16; 10]),
    /// In the document, but not a plain HTTP request; says where it is covered instead.
    Skipped(&'static str),
    /// Served but deliberately absent from the OpenAPI document (exempt from the coverage
    /// check; calling it proves it still exists).
    Undocumented([u16; 10]),
}

const fn row(method: &'static str, path: &'static str, s: [u16; 10]) -> Row {
    Row {
        method,
        path,
        case: "",
        expect: Expect::Status(s),
    }
}
const fn case(method: &'static str, path: &'static str, case: &'static str, s: [u16; 10]) -> Row {
    Row {
        method,
        path,
        case,
        expect: Expect::Status(s),
    }
}
const fn skip(method: &'static str, path: &'static str, why: &'static str) -> Row {
    Row {
        method,
        path,
        case: "",
        expect: Expect::Skipped(why),
    }
}
const fn undocumented(method: &'static str, path: &'static str, s: [u16; 10]) -> Row {
    Row {
        method,
        path,
        case: "",
        expect: Expect::Undocumented(s),
    }
}

/// Route × caller → expected status. Reading guide:
/// * 401: no token, a tampered one or an expired one, on every route that needs a token.
/// * Display tokens (`dt_…`) are accepted only by GET board, GET events and
///   GET /api/display/me; every other route that needs a token answers them 403.
/// * Another team's lead gets 404 on team A's resources (teams the caller is not on are
///   invisible, exactly like teams that do not exist) and normal answers on global routes.
///   Another team's display token gets 404 on team A's board and events, and what any display
///   token gets elsewhere.
/// * Viewers read (200) and get 403 on writes; members do the day-to-day work (contacts,
///   flags, handoffs, huddle, a client's names, assessments) and get 403 on what leads do
///   (membership, team settings, admission and lifecycle, case manager, transfer, reassign,
///   absences, shifts, display tokens); admin-only routes answer 403 to everybody else.
/// * Public routes ignore the Authorization header entirely (so even a tampered or a display
///   token gets the normal answer).
#[rustfmt::skip]
pub const MATRIX: &[Row] = &[
    //                                                                    none tamp  exp disp view memb lead admn  o.l  o.d   (o.l, o.d: oth.lead, oth.disp)
    // Operations and the API document: public.
    row("GET",    "/healthz",                                             [200, 200, 200, 200, 200, 200, 200, 200, 200, 200]),
    row("GET",    "/readyz",                                              [200, 200, 200, 200, 200, 200, 200, 200, 200, 200]),
    // Loopback (the tests' address) and ACTBOARD_METRICS_ALLOW only; no token needed or used.
    row("GET",    "/metrics",                                             [200, 200, 200, 200, 200, 200, 200, 200, 200, 200]),
    undocumented("GET", "/api/openapi.json",                              [200, 200, 200, 200, 200, 200, 200, 200, 200, 200]),
    undocumented("GET", "/api/docs",                                      [200, 200, 200, 200, 200, 200, 200, 200, 200, 200]),

    // Sign-in: public (the credential is in the body, never the header). Documented answers
    // for bad input: login 401 invalid_credentials (wrong password; not exercised here, as
    // failures are throttled per address), 422 for a body missing a field; refresh 401 for a
    // refresh token it does not know; logout 204 always.
    row("POST",   "/api/auth/login",                                      [200, 200, 200, 200, 200, 200, 200, 200, 200, 200]),
    case("POST",  "/api/auth/login", "body without password",             [422, 422, 422, 422, 422, 422, 422, 422, 422, 422]),
    row("POST",   "/api/auth/refresh",                                    [200, 200, 200, 200, 200, 200, 200, 200, 200, 200]),
    case("POST",  "/api/auth/refresh", "unknown refresh token",           [401, 401, 401, 401, 401, 401, 401, 401, 401, 401]),
    row("POST",   "/api/auth/logout",                                     [204, 204, 204, 204, 204, 204, 204, 204, 204, 204]),
    case("POST",  "/api/auth/logout", "unknown refresh token",            [204, 204, 204, 204, 204, 204, 204, 204, 204, 204]),

    // Global, any signed-in staff member.
    row("GET",    "/api/me",                                              [401, 401, 401, 403, 200, 200, 200, 200, 200, 403]),
    // One's own password (set to the same value here, so every caller stays as it was; the
    // calling session stays signed in, and each caller has only that one).
    row("POST",   "/api/me/password",                                     [401, 401, 401, 403, 204, 204, 204, 204, 204, 403]),
    row("GET",    "/api/teams",                                           [401, 401, 401, 403, 200, 200, 200, 200, 200, 403]),
    // Display tokens only.
    row("GET",    "/api/display/me",                                      [401, 401, 401, 200, 403, 403, 403, 403, 403, 200]),

    // Admin only.
    row("POST",   "/api/teams",                                           [401, 401, 401, 403, 403, 403, 403, 201, 403, 403]),
    row("POST",   "/api/staff",                                           [401, 401, 401, 403, 403, 403, 403, 201, 403, 403]),
    row("GET",    "/api/staff",                                           [401, 401, 401, 403, 403, 403, 403, 200, 403, 403]),
    row("GET",    "/api/audit",                                           [401, 401, 401, 403, 403, 403, 403, 200, 403, 403]),
    row("GET",    "/api/audit/export.csv",                                [401, 401, 401, 403, 403, 403, 403, 200, 403, 403]),
    row("GET",    "/api/audit/verify",                                    [401, 401, 401, 403, 403, 403, 403, 200, 403, 403]),
    row("PATCH",  "/api/staff/{staff_id}",                                [401, 401, 401, 403, 403, 403, 403, 200, 403, 403]),
    // Admin screens (issue 13): the set-up overview, a leaver's hand-over, deactivation with a plan.
    row("GET",    "/api/admin/setup",                                     [401, 401, 401, 403, 403, 403, 403, 200, 403, 403]),
    row("GET",    "/api/staff/{staff_id}/handover",                       [401, 401, 401, 403, 403, 403, 403, 200, 403, 403]),
    row("POST",   "/api/staff/{staff_id}/deactivate",                     [401, 401, 401, 403, 403, 403, 403, 200, 403, 403]),
    // CSV import of staff accounts and memberships (a new account per call).
    row("POST",   "/api/import/staff",                                    [401, 401, 401, 403, 403, 403, 403, 200, 403, 403]),

    // The team and its membership.
    row("GET",    "/api/teams/{team_id}",                                 [401, 401, 401, 403, 200, 200, 200, 200, 404, 403]),
    row("PATCH",  "/api/teams/{team_id}",                                 [401, 401, 401, 403, 403, 403, 200, 200, 404, 403]),
    row("GET",    "/api/teams/{team_id}/members",                         [401, 401, 401, 403, 200, 200, 200, 200, 404, 403]),
    row("PUT",    "/api/teams/{team_id}/members/{staff_id}",              [401, 401, 401, 403, 403, 403, 200, 200, 404, 403]),
    row("DELETE", "/api/teams/{team_id}/members/{staff_id}",              [401, 401, 401, 403, 403, 403, 204, 204, 404, 403]),
    row("POST",   "/api/teams/{team_id}/members/{staff_id}/remove",       [401, 401, 401, 403, 403, 403, 204, 204, 404, 403]),

    // Clients.
    row("GET",    "/api/teams/{team_id}/clients",                         [401, 401, 401, 403, 200, 200, 200, 200, 404, 403]),
    row("POST",   "/api/teams/{team_id}/clients",                         [401, 401, 401, 403, 403, 403, 201, 201, 404, 403]),
    row("GET",    "/api/teams/{team_id}/clients/{client_id}",             [401, 401, 401, 403, 200, 200, 200, 200, 404, 403]),
    case("PATCH", "/api/teams/{team_id}/clients/{client_id}", "names",
                                                                          [401, 401, 401, 403, 403, 200, 200, 200, 404, 403]),
    case("PATCH", "/api/teams/{team_id}/clients/{client_id}", "lifecycle (status)",
                                                                          [401, 401, 401, 403, 403, 403, 200, 200, 404, 403]),
    row("PUT",    "/api/teams/{team_id}/clients/{client_id}/case-manager",[401, 401, 401, 403, 403, 403, 200, 200, 404, 403]),
    // To team C, where team A's lead is lead too (a transfer needs lead on both teams).
    row("POST",   "/api/teams/{team_id}/clients/{client_id}/transfer",    [401, 401, 401, 403, 403, 403, 200, 200, 404, 403]),
    // CSV import of the team's clients (a new external id per call): leads and admins.
    row("POST",   "/api/teams/{team_id}/import/clients",                  [401, 401, 401, 403, 403, 403, 200, 200, 404, 403]),
    case("PATCH", "/api/teams/{team_id}/clients/{client_id}", "discharge (with resolve_open_flags)",
                                                                          [401, 401, 401, 403, 403, 403, 200, 200, 404, 403]),
    // Contacts and flags of every team the client was on: readers of its current team.
    row("GET",    "/api/teams/{team_id}/clients/{client_id}/history",     [401, 401, 401, 403, 200, 200, 200, 200, 404, 403]),
    // The phone's quick card (details, flags, recent contacts): readers of the team.
    row("GET",    "/api/teams/{team_id}/clients/{client_id}/card",        [401, 401, 401, 403, 200, 200, 200, 200, 404, 403]),
    // Assessments: members record them (an override needs a lead); readers of the team read.
    row("GET",    "/api/teams/{team_id}/clients/{client_id}/assessments", [401, 401, 401, 403, 200, 200, 200, 200, 404, 403]),
    row("POST",   "/api/teams/{team_id}/clients/{client_id}/assessments", [401, 401, 401, 403, 403, 201, 201, 201, 404, 403]),
    // Referral and screening: leads screen and decide (a fresh referral each call); readers
    // of the team read the latest screening, the referrals waiting and the intake rate.
    row("GET",    "/api/teams/{team_id}/clients/{client_id}/screening",   [401, 401, 401, 403, 200, 200, 200, 200, 404, 403]),
    row("PUT",    "/api/teams/{team_id}/clients/{client_id}/screening",   [401, 401, 401, 403, 403, 403, 200, 200, 404, 403]),
    row("POST",   "/api/teams/{team_id}/clients/{client_id}/screening/decision",
                                                                          [401, 401, 401, 403, 403, 403, 200, 200, 404, 403]),
    row("GET",    "/api/teams/{team_id}/referrals",                       [401, 401, 401, 403, 200, 200, 200, 200, 404, 403]),
    row("GET",    "/api/teams/{team_id}/intake",                          [401, 401, 401, 403, 200, 200, 200, 200, 404, 403]),
    // Care-cycle due items: readers of the team.
    row("GET",    "/api/teams/{team_id}/due",                             [401, 401, 401, 403, 200, 200, 200, 200, 404, 403]),
    // Transition (leads start, complete, cancel; readers read), check-ins (members record
    // them; readers read, also after the client left), return within a year (leads).
    row("POST",   "/api/teams/{team_id}/clients/{client_id}/transition",  [401, 401, 401, 403, 403, 403, 200, 200, 404, 403]),
    row("GET",    "/api/teams/{team_id}/clients/{client_id}/transition",  [401, 401, 401, 403, 200, 200, 200, 200, 404, 403]),
    row("POST",   "/api/teams/{team_id}/clients/{client_id}/transition/complete",
                                                                          [401, 401, 401, 403, 403, 403, 200, 200, 404, 403]),
    row("POST",   "/api/teams/{team_id}/clients/{client_id}/transition/cancel",
                                                                          [401, 401, 401, 403, 403, 403, 200, 200, 404, 403]),
    row("GET",    "/api/teams/{team_id}/clients/{client_id}/checkins",    [401, 401, 401, 403, 200, 200, 200, 200, 404, 403]),
    row("POST",   "/api/teams/{team_id}/clients/{client_id}/checkins/{checkin_id}",
                                                                          [401, 401, 401, 403, 403, 200, 200, 200, 404, 403]),
    row("POST",   "/api/teams/{team_id}/clients/{client_id}/return",      [401, 401, 401, 403, 403, 403, 200, 200, 404, 403]),
    // The support plan: members write it and add progress; readers of the team read it.
    row("GET",    "/api/teams/{team_id}/clients/{client_id}/plan",        [401, 401, 401, 403, 200, 200, 200, 200, 404, 403]),
    row("PUT",    "/api/teams/{team_id}/clients/{client_id}/plan",        [401, 401, 401, 403, 403, 200, 200, 200, 404, 403]),
    row("POST",   "/api/teams/{team_id}/clients/{client_id}/plan/goals/{goal_id}/progress",
                                                                          [401, 401, 401, 403, 403, 201, 201, 201, 404, 403]),
    // Episodes (issue 15): members record and end them; readers of the team read them and
    // the outcomes and fidelity; leads record reviewer ratings.
    row("POST",   "/api/teams/{team_id}/clients/{client_id}/episodes",    [401, 401, 401, 403, 403, 201, 201, 201, 404, 403]),
    row("GET",    "/api/teams/{team_id}/clients/{client_id}/episodes",    [401, 401, 401, 403, 200, 200, 200, 200, 404, 403]),
    row("PATCH",  "/api/teams/{team_id}/clients/{client_id}/episodes/{episode_id}",
                                                                          [401, 401, 401, 403, 403, 200, 200, 200, 404, 403]),
    row("GET",    "/api/teams/{team_id}/clients/{client_id}/outcomes",    [401, 401, 401, 403, 200, 200, 200, 200, 404, 403]),
    row("GET",    "/api/teams/{team_id}/outcomes",                        [401, 401, 401, 403, 200, 200, 200, 200, 404, 403]),
    row("GET",    "/api/teams/{team_id}/outcomes.csv",                    [401, 401, 401, 403, 200, 200, 200, 200, 404, 403]),
    row("GET",    "/api/teams/{team_id}/fidelity",                        [401, 401, 401, 403, 200, 200, 200, 200, 404, 403]),
    row("GET",    "/api/teams/{team_id}/fidelity.csv",                    [401, 401, 401, 403, 200, 200, 200, 200, 404, 403]),
    row("PUT",    "/api/teams/{team_id}/fidelity/ratings",                [401, 401, 401, 403, 403, 403, 200, 200, 404, 403]),
    case("POST",  "/api/teams/{team_id}/clients/{client_id}/assessments", "a lead's override",
                                                                          [401, 401, 401, 403, 403, 403, 201, 201, 404, 403]),

    // Contacts.
    row("GET",    "/api/teams/{team_id}/contacts",                        [401, 401, 401, 403, 200, 200, 200, 200, 404, 403]),
    row("PUT",    "/api/teams/{team_id}/contacts/{contact_id}",           [401, 401, 401, 403, 403, 201, 201, 201, 404, 403]),
    case("PUT",   "/api/teams/{team_id}/contacts/{contact_id}", "retry of an existing one",
                                                                          [401, 401, 401, 403, 403, 200, 200, 200, 404, 403]),
    row("PATCH",  "/api/teams/{team_id}/contacts/{contact_id}",           [401, 401, 401, 403, 403, 200, 200, 200, 404, 403]),
    row("POST",   "/api/teams/{team_id}/contacts/reassign",               [401, 401, 401, 403, 403, 403, 200, 200, 404, 403]),
    // Recurring visits: members plan and end them (like planning and cancelling a visit).
    row("GET",    "/api/teams/{team_id}/visit-series",                    [401, 401, 401, 403, 200, 200, 200, 200, 404, 403]),
    row("POST",   "/api/teams/{team_id}/visit-series",                    [401, 401, 401, 403, 403, 201, 201, 201, 404, 403]),
    row("DELETE", "/api/teams/{team_id}/visit-series/{series_id}",        [401, 401, 401, 403, 403, 200, 200, 200, 404, 403]),

    // Absences: leads record and cancel them (recording moves visits); the team reads them.
    row("GET",    "/api/teams/{team_id}/absences",                        [401, 401, 401, 403, 200, 200, 200, 200, 404, 403]),
    row("POST",   "/api/teams/{team_id}/absences",                        [401, 401, 401, 403, 403, 403, 201, 201, 404, 403]),
    row("DELETE", "/api/teams/{team_id}/absences/{absence_id}",           [401, 401, 401, 403, 403, 403, 204, 204, 404, 403]),

    // Crisis flags.
    row("GET",    "/api/teams/{team_id}/flags",                           [401, 401, 401, 403, 200, 200, 200, 200, 404, 403]),
    row("POST",   "/api/teams/{team_id}/clients/{client_id}/flags",       [401, 401, 401, 403, 403, 201, 201, 201, 404, 403]),
    row("POST",   "/api/teams/{team_id}/flags/{flag_id}/acknowledge",     [401, 401, 401, 403, 403, 200, 200, 200, 404, 403]),
    row("POST",   "/api/teams/{team_id}/flags/{flag_id}/resolve",         [401, 401, 401, 403, 403, 200, 200, 200, 404, 403]),

    // On call and handoffs. (oncall/now answers 200 because the fixture has a shift now.)
    row("GET",    "/api/teams/{team_id}/oncall/shifts",                   [401, 401, 401, 403, 200, 200, 200, 200, 404, 403]),
    row("POST",   "/api/teams/{team_id}/oncall/shifts",                   [401, 401, 401, 403, 403, 403, 201, 201, 404, 403]),
    row("DELETE", "/api/teams/{team_id}/oncall/shifts/{shift_id}",        [401, 401, 401, 403, 403, 403, 204, 204, 404, 403]),
    row("GET",    "/api/teams/{team_id}/oncall/now",                      [401, 401, 401, 403, 200, 200, 200, 200, 404, 403]),
    row("GET",    "/api/teams/{team_id}/oncall/pattern",                  [401, 401, 401, 403, 200, 200, 200, 200, 404, 403]),
    row("PUT",    "/api/teams/{team_id}/oncall/pattern",                  [401, 401, 401, 403, 403, 403, 200, 200, 404, 403]),
    row("POST",   "/api/teams/{team_id}/oncall/pattern/apply",            [401, 401, 401, 403, 403, 403, 200, 200, 404, 403]),
    row("GET",    "/api/teams/{team_id}/oncall/coverage",                 [401, 401, 401, 403, 200, 200, 200, 200, 404, 403]),
    row("GET",    "/api/teams/{team_id}/handoffs",                        [401, 401, 401, 403, 200, 200, 200, 200, 404, 403]),
    row("POST",   "/api/teams/{team_id}/handoffs",                        [401, 401, 401, 403, 403, 201, 201, 201, 404, 403]),
    // Each handoff goes from the lead to the member: only the receiver acknowledges.
    row("POST",   "/api/teams/{team_id}/handoffs/{handoff_id}/acknowledge",
                                                                          [401, 401, 401, 403, 403, 200, 403, 403, 404, 403]),

    // Huddle reviews.
    row("PUT",    "/api/teams/{team_id}/huddle/{day}/reviews/{client_id}",[401, 401, 401, 403, 403, 200, 200, 200, 404, 403]),
    row("DELETE", "/api/teams/{team_id}/huddle/{day}/reviews/{client_id}",[401, 401, 401, 403, 403, 204, 204, 204, 404, 403]),
    row("PUT",    "/api/teams/{team_id}/huddle/{day}/focus",              [401, 401, 401, 403, 403, 200, 200, 200, 404, 403]),

    // The board and the event log: staff of the team, or the team's display token.
    row("GET",    "/api/teams/{team_id}/board",                           [401, 401, 401, 200, 200, 200, 200, 200, 404, 404]),
    case("GET",   "/api/teams/{team_id}/board", "a given day",            [401, 401, 401, 200, 200, 200, 200, 200, 404, 404]),
    row("GET",    "/api/teams/{team_id}/events",                          [401, 401, 401, 200, 200, 200, 200, 200, 404, 404]),
    skip("GET",   "/api/teams/{team_id}/live", "websocket: authenticated by its first frame; covered in tests/live/closes.rs"),

    // Display tokens: leads and admins.
    row("GET",    "/api/teams/{team_id}/display-tokens",                  [401, 401, 401, 403, 403, 403, 200, 200, 404, 403]),
    row("POST",   "/api/teams/{team_id}/display-tokens",                  [401, 401, 401, 403, 403, 403, 201, 201, 404, 403]),
    row("DELETE", "/api/teams/{team_id}/display-tokens/{token_id}",       [401, 401, 401, 403, 403, 403, 204, 204, 404, 403]),
];

// ---------------------------------------------------------------------------------------
// The test
// ---------------------------------------------------------------------------------------

const HTTP_METHODS: [&str; 8] = [
    "get", "put", "post", "delete", "options", "head", "patch", "trace",
];

/// The problem code that goes with a refusal's status.
fn code_of(status: u16) -> Option<&'static str> {
    match status {
        401 => Some("unauthenticated"),
        403 => Some("forbidden"),
        404 => Some("not_found"),
        422 => Some("validation_failed"),
        _ => None,
    }
}

/// What is wrong with a refusal's shape: it must be problem+json, with the code of its
/// status and a detail.
fn problem_shape(resp: &Resp) -> Option<String> {
    let status = resp.status.as_u16();
    let detail_ok = resp.body["detail"].as_str().is_some_and(|d| !d.is_empty());
    let code_ok = code_of(status).is_none_or(|c| resp.body["code"] == c);
    (resp.content_type != "application/problem+json" || !detail_ok || !code_ok)
        .then(|| format!("refused with {status}, but not a proper problem: {resp:?}"))
}

/// Send a cell's request: its JSON body, or its CSV file.
async fn send(
    app: &TestApp,
    method: Method,
    path: &str,
    token: Option<&str>,
    req: &fixture::Request,
) -> Resp {
    match &req.csv {
        Some(csv) => app.post_csv(path, token, csv.clone()).await,
        None => app.call(method, path, token, req.body.clone()).await,
    }
}

async fn every_route_answers_every_caller_as_declared(app: TestApp) {
    let started = std::time::Instant::now();
    let doc = app
        .call(Method::GET, "/api/openapi.json", None, None)
        .await
        .expect(200);
    let paths = doc["paths"].as_object().expect("the document has paths");

    // Coverage: document ⇄ table.
    let mut problems: Vec<String> = vec![];
    let documented: BTreeSet<(String, String)> = paths
        .iter()
        .flat_map(|(p, item)| {
            HTTP_METHODS
                .iter()
                .filter(|m| item.get(**m).is_some())
                .map(move |m| (m.to_uppercase(), p.clone()))
        })
        .collect();
    let mut seen = BTreeSet::new();
    for r in MATRIX {
        if !seen.insert((r.method, r.path, r.case)) {
            problems.push(format!(
                "duplicate row: {} {} {:?}",
                r.method, r.path, r.case
            ));
        }
    }
    let tabled: BTreeSet<(String, String)> = MATRIX
        .iter()
        .filter(|r| !matches!(r.expect, Expect::Undocumented(_)))
        .map(|r| (r.method.to_string(), r.path.to_string()))
        .collect();
    for (m, p) in documented.difference(&tabled) {
        problems.push(format!(
            "route in the OpenAPI document without a row in MATRIX: {m} {p}"
        ));
    }
    for (m, p) in tabled.difference(&documented) {
        problems.push(format!(
            "row in MATRIX for a route the OpenAPI document does not have: {m} {p}"
        ));
    }
    for r in MATRIX
        .iter()
        .filter(|r| matches!(r.expect, Expect::Undocumented(_)))
    {
        if documented.contains(&(r.method.to_string(), r.path.to_string())) {
            problems.push(format!(
                "{} {} is marked undocumented but is in the OpenAPI document",
                r.method, r.path
            ));
        }
    }

    let fx = build_fixture(&app).await;

    // Every cell.
    let mut results: Vec<Option<Vec<Outcome>>> = vec![];
    let mut cells = 0;
    let mut wrong = 0;
    for r in MATRIX {
        let expected = match &r.expect {
            Expect::Status(s) | Expect::Undocumented(s) => s,
            Expect::Skipped(_) => {
                results.push(None);
                continue;
            }
        };
        let takes_body = paths
            .get(r.path)
            .and_then(|item| item.get(r.method.to_lowercase()))
            .map(|op| op.get("requestBody").is_some())
            .unwrap_or(false);
        let mut row_out = vec![];
        for (i, &caller) in CALLERS.iter().enumerate() {
            let req = request(&app, &fx, r, caller).await;
            if i == 0 && takes_body && req.body.is_none() && req.csv.is_none() {
                problems.push(format!(
                    "{} {}: the route takes a body; give one in `request`",
                    r.method, r.path
                ));
            }
            let cell = format!("{} as {}", row_name(r), caller.label());
            let method = Method::from_bytes(r.method.as_bytes()).unwrap();
            let refusal = expected[i] >= 400;
            let before = if refusal {
                Some(unchanged::fingerprint(&app).await)
            } else {
                None
            };
            let resp = send(&app, method.clone(), &req.path, fx.token(caller), &req).await;
            let status = resp.status.as_u16();
            cells += 1;
            if status != expected[i] {
                wrong += 1;
            }
            if status >= 400 {
                if let Some(p) = problem_shape(&resp) {
                    problems.push(format!("{cell}: {p}"));
                }
            }
            if let Some(before) = before {
                let after = unchanged::fingerprint(&app).await;
                if let Some(d) = unchanged::difference(&before, &after) {
                    problems.push(format!(
                        "{cell}: a refusal ({} declared, {status} answered) changed {d}",
                        expected[i]
                    ));
                }
            }
            // Another team looks exactly like a team that does not exist.
            if status == 404 && matches!(caller, OtherLead | OtherDisplay) {
                let missing = req.path.replacen(&fx.team_a, &new_id(), 1);
                assert_ne!(missing, req.path, "{cell}: no team id in the path");
                let m = send(&app, method, &missing, fx.token(caller), &req).await;
                let answer =
                    |x: &Resp| (x.status, x.body["code"].clone(), x.body["detail"].clone());
                if answer(&m) != answer(&resp) {
                    problems.push(format!(
                        "{cell}: another team's 404 differs from a missing team's: {resp:?} vs {m:?}"
                    ));
                }
            }
            let detail = match &resp.body {
                Value::Object(o) => o
                    .get("detail")
                    .and_then(Value::as_str)
                    .unwrap_or("")
                    .to_string(),
                _ => String::new(),
            };
            row_out.push(Outcome { status, detail });
        }
        results.push(Some(row_out));
    }
    let routes = MATRIX
        .iter()
        .map(|r| (r.method, r.path))
        .collect::<BTreeSet<_>>()
        .len();
    eprintln!(
        "authz matrix: {} documented routes, {routes} routes in the table ({} rows), {cells} cells checked, {wrong} differ, {:.1?}",
        documented.len(),
        MATRIX.len(),
        started.elapsed()
    );
    if wrong > 0 || !problems.is_empty() {
        panic!("{}", render(&results, &problems, wrong));
    }
}
