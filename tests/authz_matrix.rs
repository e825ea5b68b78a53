//! The authorization matrix (issue 6): for every route of the server's OpenAPI document and
//! every kind of caller, the expected HTTP status is declared in ONE table, `MATRIX`, below.
//!
//! * A route in the OpenAPI document without a row fails the test: every new route must
//!   state its policy here.
//! * A row whose route is no longer in the document fails too (unless it is marked
//!   `undocumented`: served, but deliberately not described — then calling it still proves
//!   it exists).
//! * On any difference the whole matrix (route × caller → status) is printed, differing cells
//!   marked, with the problem detail the server gave.
//!
//! Every request gets real ids and a VALID body, so the status reflects authorization and
//! not validation. Writes that consume something (acknowledging a flag, deleting a shift,
//! revoking a display token, transferring a client, …) get a fresh one per call, made by
//! the lead or the admin just before; so the cells do not depend on each other's order.

mod common;

use common::fixtures::{forge_token, id, new_id};
use common::{TestApp, PASSWORD, SECRET};
use reqwest::Method;
use serde_json::{json, Value};
use std::cell::Cell;
use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;

both_engines!(every_route_answers_every_caller_as_declared);

// ---------------------------------------------------------------------------------------
// The callers (the columns of the matrix, in this order)
// ---------------------------------------------------------------------------------------

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Caller {
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
}
use Caller::*;

const CALLERS: [Caller; 9] = [
    NoToken, Tampered, Expired, Display, Viewer, Member, Lead, Admin, OtherLead,
];

impl Caller {
    fn label(self) -> &'static str {
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
        }
    }
}

// ---------------------------------------------------------------------------------------
// THE MATRIX
// ---------------------------------------------------------------------------------------

struct Row {
    method: &'static str,
    /// The path exactly as the OpenAPI document spells it.
    path: &'static str,
    /// Which request, when one route has several rows ("" for the only one).
    case: &'static str,
    expect: Expect,
}

enum Expect {
    /// One status per caller, in `CALLERS` order.
    Status([u16; 9]),
    /// In the document, but not a plain HTTP request; says where it is covered instead.
    Skipped(&'static str),
    /// Served but deliberately absent from the OpenAPI document (exempt from the coverage
    /// check; calling it proves it still exists).
    Undocumented([u16; 9]),
}

const fn row(method: &'static str, path: &'static str, s: [u16; 9]) -> Row {
    Row {
        method,
        path,
        case: "",
        expect: Expect::Status(s),
    }
}
const fn case(method: &'static str, path: &'static str, case: &'static str, s: [u16; 9]) -> Row {
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
const fn undocumented(method: &'static str, path: &'static str, s: [u16; 9]) -> Row {
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
/// * Viewers read (200) and get 403 on writes; members do the day-to-day work (contacts,
///   flags, handoffs, huddle, a client's names and risk tier) and get 403 on what leads do
///   (membership, team settings, admission and lifecycle, case manager, transfer, reassign,
///   shifts, display tokens); admin-only routes answer 403 to everybody else.
/// * Public routes ignore the Authorization header entirely (so even a tampered or a display
///   token gets the normal answer).
#[rustfmt::skip]
const MATRIX: &[Row] = &[
    //                                                                    none tamp  exp disp view memb lead admn oth.lead
    // Operations and the API document: public.
    row("GET",    "/healthz",                                             [200, 200, 200, 200, 200, 200, 200, 200, 200]),
    row("GET",    "/readyz",                                              [200, 200, 200, 200, 200, 200, 200, 200, 200]),
    undocumented("GET", "/api/openapi.json",                              [200, 200, 200, 200, 200, 200, 200, 200, 200]),
    undocumented("GET", "/api/docs",                                      [200, 200, 200, 200, 200, 200, 200, 200, 200]),

    // Sign-in: public (the credential is in the body, never the header). Documented answers
    // for bad input: login 401 invalid_credentials (wrong password; not exercised here, as
    // failures are throttled per address), 422 for a body missing a field; refresh 401 for a
    // refresh token it does not know; logout 204 always.
    row("POST",   "/api/auth/login",                                      [200, 200, 200, 200, 200, 200, 200, 200, 200]),
    case("POST",  "/api/auth/login", "body without password",             [422, 422, 422, 422, 422, 422, 422, 422, 422]),
    row("POST",   "/api/auth/refresh",                                    [200, 200, 200, 200, 200, 200, 200, 200, 200]),
    case("POST",  "/api/auth/refresh", "unknown refresh token",           [401, 401, 401, 401, 401, 401, 401, 401, 401]),
    row("POST",   "/api/auth/logout",                                     [204, 204, 204, 204, 204, 204, 204, 204, 204]),
    case("POST",  "/api/auth/logout", "unknown refresh token",            [204, 204, 204, 204, 204, 204, 204, 204, 204]),

    // Global, any signed-in staff member.
    row("GET",    "/api/me",                                              [401, 401, 401, 403, 200, 200, 200, 200, 200]),
    row("GET",    "/api/teams",                                           [401, 401, 401, 403, 200, 200, 200, 200, 200]),
    // Display tokens only.
    row("GET",    "/api/display/me",                                      [401, 401, 401, 200, 403, 403, 403, 403, 403]),

    // Admin only.
    row("POST",   "/api/teams",                                           [401, 401, 401, 403, 403, 403, 403, 201, 403]),
    row("POST",   "/api/staff",                                           [401, 401, 401, 403, 403, 403, 403, 201, 403]),
    row("GET",    "/api/staff",                                           [401, 401, 401, 403, 403, 403, 403, 200, 403]),
    row("PATCH",  "/api/staff/{staff_id}",                                [401, 401, 401, 403, 403, 403, 403, 200, 403]),

    // The team and its membership.
    row("GET",    "/api/teams/{team_id}",                                 [401, 401, 401, 403, 200, 200, 200, 200, 404]),
    row("PATCH",  "/api/teams/{team_id}",                                 [401, 401, 401, 403, 403, 403, 200, 200, 404]),
    row("GET",    "/api/teams/{team_id}/members",                         [401, 401, 401, 403, 200, 200, 200, 200, 404]),
    row("PUT",    "/api/teams/{team_id}/members/{staff_id}",              [401, 401, 401, 403, 403, 403, 200, 200, 404]),
    row("DELETE", "/api/teams/{team_id}/members/{staff_id}",              [401, 401, 401, 403, 403, 403, 204, 204, 404]),

    // Clients.
    row("GET",    "/api/teams/{team_id}/clients",                         [401, 401, 401, 403, 200, 200, 200, 200, 404]),
    row("POST",   "/api/teams/{team_id}/clients",                         [401, 401, 401, 403, 403, 403, 201, 201, 404]),
    row("GET",    "/api/teams/{team_id}/clients/{client_id}",             [401, 401, 401, 403, 200, 200, 200, 200, 404]),
    case("PATCH", "/api/teams/{team_id}/clients/{client_id}", "names and risk tier",
                                                                          [401, 401, 401, 403, 403, 200, 200, 200, 404]),
    case("PATCH", "/api/teams/{team_id}/clients/{client_id}", "lifecycle (status)",
                                                                          [401, 401, 401, 403, 403, 403, 200, 200, 404]),
    row("PUT",    "/api/teams/{team_id}/clients/{client_id}/case-manager",[401, 401, 401, 403, 403, 403, 200, 200, 404]),
    // To team C, where team A's lead is lead too (a transfer needs lead on both teams).
    row("POST",   "/api/teams/{team_id}/clients/{client_id}/transfer",    [401, 401, 401, 403, 403, 403, 200, 200, 404]),

    // Contacts.
    row("GET",    "/api/teams/{team_id}/contacts",                        [401, 401, 401, 403, 200, 200, 200, 200, 404]),
    row("PUT",    "/api/teams/{team_id}/contacts/{contact_id}",           [401, 401, 401, 403, 403, 201, 201, 201, 404]),
    row("PATCH",  "/api/teams/{team_id}/contacts/{contact_id}",           [401, 401, 401, 403, 403, 200, 200, 200, 404]),
    row("POST",   "/api/teams/{team_id}/contacts/reassign",               [401, 401, 401, 403, 403, 403, 200, 200, 404]),

    // Crisis flags.
    row("GET",    "/api/teams/{team_id}/flags",                           [401, 401, 401, 403, 200, 200, 200, 200, 404]),
    row("POST",   "/api/teams/{team_id}/clients/{client_id}/flags",       [401, 401, 401, 403, 403, 201, 201, 201, 404]),
    row("POST",   "/api/teams/{team_id}/flags/{flag_id}/acknowledge",     [401, 401, 401, 403, 403, 200, 200, 200, 404]),
    row("POST",   "/api/teams/{team_id}/flags/{flag_id}/resolve",         [401, 401, 401, 403, 403, 200, 200, 200, 404]),

    // On call and handoffs. (oncall/now answers 200 because the fixture has a shift now.)
    row("GET",    "/api/teams/{team_id}/oncall/shifts",                   [401, 401, 401, 403, 200, 200, 200, 200, 404]),
    row("POST",   "/api/teams/{team_id}/oncall/shifts",                   [401, 401, 401, 403, 403, 403, 201, 201, 404]),
    row("DELETE", "/api/teams/{team_id}/oncall/shifts/{shift_id}",        [401, 401, 401, 403, 403, 403, 204, 204, 404]),
    row("GET",    "/api/teams/{team_id}/oncall/now",                      [401, 401, 401, 403, 200, 200, 200, 200, 404]),
    row("GET",    "/api/teams/{team_id}/handoffs",                        [401, 401, 401, 403, 200, 200, 200, 200, 404]),
    row("POST",   "/api/teams/{team_id}/handoffs",                        [401, 401, 401, 403, 403, 201, 201, 201, 404]),
    // Each handoff goes from the lead to the member: only the receiver acknowledges.
    row("POST",   "/api/teams/{team_id}/handoffs/{handoff_id}/acknowledge",
                                                                          [401, 401, 401, 403, 403, 200, 403, 403, 404]),

    // Huddle reviews.
    row("PUT",    "/api/teams/{team_id}/huddle/{day}/reviews/{client_id}",[401, 401, 401, 403, 403, 200, 200, 200, 404]),
    row("DELETE", "/api/teams/{team_id}/huddle/{day}/reviews/{client_id}",[401, 401, 401, 403, 403, 204, 204, 204, 404]),
    row("PUT",    "/api/teams/{team_id}/huddle/{day}/focus",              [401, 401, 401, 403, 403, 200, 200, 200, 404]),

    // The board and the event log: staff of the team, or the team's display token.
    row("GET",    "/api/teams/{team_id}/board",                           [401, 401, 401, 200, 200, 200, 200, 200, 404]),
    row("GET",    "/api/teams/{team_id}/events",                          [401, 401, 401, 200, 200, 200, 200, 200, 404]),
    skip("GET",   "/api/teams/{team_id}/live", "websocket: authenticated by its first frame; covered in tests/live.rs"),

    // Display tokens: leads and admins.
    row("GET",    "/api/teams/{team_id}/display-tokens",                  [401, 401, 401, 403, 403, 403, 200, 200, 404]),
    row("POST",   "/api/teams/{team_id}/display-tokens",                  [401, 401, 401, 403, 403, 403, 201, 201, 404]),
    row("DELETE", "/api/teams/{team_id}/display-tokens/{token_id}",       [401, 401, 401, 403, 403, 403, 204, 204, 404]),
];

// ---------------------------------------------------------------------------------------
// The fixture, built once per test
// ---------------------------------------------------------------------------------------

/// Signs in for the login/refresh/logout rows; on no team.
const SESSION_USER: &str = "session.user";
/// The day of the fixture's contact, shift and the huddle review that is marked.
const DAY: &str = "2030-01-15";
/// The huddle day whose review is unmarked (re-marked before each call).
const UNMARK_DAY: &str = "2030-01-16";

struct Fixture {
    team_a: String,
    team_c: String,
    lead_id: String,
    member_id: String,
    /// On no team; target of PUT member and PATCH staff.
    spare_id: String,
    /// Put back on team A as a viewer before each DELETE member.
    leaver_id: String,
    client_id: String,
    contact_id: String,
    flag_id: String,
    shift_id: String,
    handoff_id: String,
    display_token: String,
    lead_token: String,
    admin_token: String,
    viewer_token: String,
    member_token: String,
    other_lead_token: String,
    tampered: String,
    expired: String,
    counter: Cell<u32>,
}

impl Fixture {
    fn token(&self, c: Caller) -> Option<&str> {
        match c {
            NoToken => None,
            Tampered => Some(&self.tampered),
            Expired => Some(&self.expired),
            Display => Some(&self.display_token),
            Viewer => Some(&self.viewer_token),
            Member => Some(&self.member_token),
            Lead => Some(&self.lead_token),
            Admin => Some(&self.admin_token),
            OtherLead => Some(&self.other_lead_token),
        }
    }

    /// A new number for unique names, days and the like.
    fn next(&self) -> u32 {
        let n = self.counter.get() + 1;
        self.counter.set(n);
        n
    }
}

/// Change one character in the middle of the signature (a middle base64url character
/// carries six whole bits, so the signature bytes really change).
fn tamper(token: &str) -> String {
    let (signed, sig) = token.rsplit_once('.').expect("a JWT");
    let mut sig: Vec<char> = sig.chars().collect();
    let i = sig.len() / 2;
    sig[i] = if sig[i] == 'A' { 'B' } else { 'A' };
    format!("{signed}.{}", sig.into_iter().collect::<String>())
}

/// Correctly signed, right type, expired an hour ago.
fn expired_token(staff_id: &str) -> String {
    let now = chrono::Utc::now().timestamp();
    forge_token(
        &json!({"sub": staff_id, "iat": now - 7200, "exp": now - 3600, "typ": "access"}),
        SECRET,
    )
}

/// A staff account on no team.
async fn account(app: &TestApp, username: &str) -> String {
    id(&app
        .post(
            "/api/staff",
            &app.admin_token,
            json!({"username": username, "display_name": username, "discipline": "other", "password": PASSWORD}),
        )
        .await
        .expect(201))
}

fn contact_body(fx: &Fixture) -> Value {
    json!({
        "client_id": fx.client_id, "staff_ids": [fx.member_id], "day": DAY,
        "start": "10:00", "end": "11:00", "kind": "face_to_face", "place": "home",
        "activity": "medication delivery", "status": "planned",
    })
}

/// An 8-hour shift for the member on a day of its own (`n` days after 2031-01-01), so
/// shifts never overlap.
fn shift_body(member_id: &str, n: u32) -> Value {
    let day = chrono::NaiveDate::from_ymd_opt(2031, 1, 1).unwrap() + chrono::Days::new(n.into());
    json!({"staff_id": member_id, "starts_local": format!("{day}T09:00"), "ends_local": format!("{day}T17:00")})
}

fn handoff_body(client_id: &str, to: &str) -> Value {
    json!({"to_staff_id": to, "items": [{
        "client_id": client_id, "severity": "watcher", "summary": "Sleeping badly since Tuesday",
        "actions": ["Call at 9"], "contingency": "If no answer, visit",
    }]})
}

async fn build_fixture(app: &TestApp) -> Fixture {
    let team_a = id(&app.create_team("Team A", "act").await);
    let team_b = id(&app.create_team("Team B", "act").await);
    let team_c = id(&app.create_team("Team C (transfers)", "act").await);
    let (lead_id, lead_token) = app.member(&team_a, "a.lead", "lead").await;
    let (member_id, member_token) = app.member(&team_a, "a.member", "member").await;
    let (_, viewer_token) = app.member(&team_a, "a.viewer", "viewer").await;
    let (_, other_lead_token) = app.member(&team_b, "b.lead", "lead").await;
    // A transfer needs lead standing on both teams: team A's lead also leads team C.
    app.put(
        &format!("/api/teams/{team_c}/members/{lead_id}"),
        &app.admin_token,
        json!({"role": "lead"}),
    )
    .await
    .expect(200);
    let spare_id = account(app, "spare.staff").await;
    let leaver_id = account(app, "leaver.staff").await;
    account(app, SESSION_USER).await;

    let lt = lead_token.as_str();
    let client_id = id(&app
        .post(
            &format!("/api/teams/{team_a}/clients"),
            lt,
            json!({"given_name": "Alex", "family_name": "Rivera", "case_manager_id": member_id}),
        )
        .await
        .expect(201));
    let contact_id = new_id();
    let mut fx = Fixture {
        team_a,
        team_c,
        lead_id,
        member_id,
        spare_id,
        leaver_id,
        client_id,
        contact_id: contact_id.clone(),
        flag_id: String::new(),
        shift_id: String::new(),
        handoff_id: String::new(),
        display_token: String::new(),
        tampered: tamper(&app.admin_token),
        expired: expired_token(&app.admin_id),
        lead_token: lead_token.clone(),
        admin_token: app.admin_token.clone(),
        viewer_token,
        member_token,
        other_lead_token,
        counter: Cell::new(0),
    };
    let a = fx.team_a.clone();
    app.put(
        &format!("/api/teams/{a}/contacts/{contact_id}"),
        lt,
        contact_body(&fx),
    )
    .await
    .expect(201);
    fx.flag_id = id(&app
        .post(
            &format!("/api/teams/{a}/clients/{}/flags", fx.client_id),
            lt,
            json!({"severity": "urgent", "reason": "Stopped taking medication"}),
        )
        .await
        .expect(201));
    fx.shift_id = id(&app
        .post(
            &format!("/api/teams/{a}/oncall/shifts"),
            lt,
            json!({"staff_id": fx.member_id, "starts_local": "2030-01-15T09:00", "ends_local": "2030-01-15T17:00"}),
        )
        .await
        .expect(201));
    // Someone on call right now, so that GET oncall/now answers 200 (404 means "nobody").
    let tz: chrono_tz::Tz = "America/New_York".parse().unwrap();
    let now = chrono::Utc::now();
    let local = |t: chrono::DateTime<chrono::Utc>| {
        t.with_timezone(&tz).format("%Y-%m-%dT%H:%M").to_string()
    };
    app.post(
        &format!("/api/teams/{a}/oncall/shifts"),
        lt,
        json!({"staff_id": fx.lead_id, "starts_local": local(now - chrono::TimeDelta::hours(1)),
               "ends_local": local(now + chrono::TimeDelta::hours(3))}),
    )
    .await
    .expect(201);
    let mut handoff = handoff_body(&fx.client_id, &fx.member_id);
    handoff["shift_id"] = json!(fx.shift_id);
    fx.handoff_id = id(&app
        .post(&format!("/api/teams/{a}/handoffs"), lt, handoff)
        .await
        .expect(201));
    let dt = app
        .post(
            &format!("/api/teams/{a}/display-tokens"),
            lt,
            json!({"label": "Team room", "privacy": "initials"}),
        )
        .await
        .expect(201);
    fx.display_token = dt["token"].as_str().unwrap().to_string();

    // The callers are what they claim to be: the bad tokens are refused for the right reason.
    assert_ne!(fx.tampered, app.admin_token);
    app.get("/api/me", &app.admin_token).await.expect(200);
    let tampered = app
        .get("/api/me", &fx.tampered)
        .await
        .problem(401, "unauthenticated");
    assert_eq!(tampered["detail"], "invalid token", "{tampered}");
    let expired = app
        .get("/api/me", &fx.expired)
        .await
        .problem(401, "unauthenticated");
    assert_eq!(expired["detail"], "token expired", "{expired}");
    app.get("/api/display/me", &fx.display_token)
        .await
        .expect(200);
    fx
}

// ---------------------------------------------------------------------------------------
// One request per cell: real ids, a valid body, fresh resources where the call uses them up
// ---------------------------------------------------------------------------------------

struct Request {
    path: String,
    body: Option<Value>,
}

async fn fresh_client(app: &TestApp, fx: &Fixture) -> String {
    let n = fx.next();
    id(&app
        .post(
            &format!("/api/teams/{}/clients", fx.team_a),
            &fx.lead_token,
            json!({"given_name": "Sam", "family_name": format!("Fresh{n}")}),
        )
        .await
        .expect(201))
}

async fn fresh_refresh_token(app: &TestApp) -> String {
    app.login_full(SESSION_USER, PASSWORD).await.expect(200)["refresh_token"]
        .as_str()
        .unwrap()
        .to_string()
}

/// The concrete request of `row` for `caller`.
async fn request(app: &TestApp, fx: &Fixture, row: &Row, caller: Caller) -> Request {
    let a = fx.team_a.as_str();
    let lt = fx.lead_token.as_str();
    let n = fx.next();
    // Path parameters: the fixture's ids, unless the route needs a fresh one (below).
    let mut params: BTreeMap<&str, String> = BTreeMap::from([
        ("team_id", fx.team_a.clone()),
        ("client_id", fx.client_id.clone()),
        ("staff_id", fx.spare_id.clone()),
        ("contact_id", fx.contact_id.clone()),
        ("flag_id", fx.flag_id.clone()),
        ("shift_id", fx.shift_id.clone()),
        ("handoff_id", fx.handoff_id.clone()),
        ("day", DAY.to_string()),
        // No default token_id: the fixture's display token is a caller and must never be
        // revoked, so DELETE display-token always gets a fresh one.
    ]);
    let body = match (row.method, row.path, row.case) {
        ("POST", "/api/auth/login", "") => {
            Some(json!({"username": SESSION_USER, "password": PASSWORD}))
        }
        ("POST", "/api/auth/login", "body without password") => {
            Some(json!({"username": SESSION_USER}))
        }
        ("POST", "/api/auth/refresh" | "/api/auth/logout", "") => {
            Some(json!({"refresh_token": fresh_refresh_token(app).await}))
        }
        ("POST", "/api/auth/refresh" | "/api/auth/logout", "unknown refresh token") => {
            Some(json!({"refresh_token": "rt_nobody-ever-got-this-one"}))
        }
        ("POST", "/api/teams", _) => Some(
            json!({"name": format!("Extra team {n}"), "mode": "icm", "timezone": "Europe/Berlin"}),
        ),
        ("PATCH", "/api/teams/{team_id}", _) => {
            let team = app
                .get(&format!("/api/teams/{a}"), &fx.admin_token)
                .await
                .expect(200);
            Some(json!({"version": team["version"], "name": "Team A"}))
        }
        ("PUT", "/api/teams/{team_id}/members/{staff_id}", _) => Some(json!({"role": "viewer"})),
        ("PUT", "/api/teams/{team_id}/huddle/{day}/focus", _) => {
            Some(json!({"client_id": fx.client_id}))
        }
        ("DELETE", "/api/teams/{team_id}/members/{staff_id}", _) => {
            app.put(
                &format!("/api/teams/{a}/members/{}", fx.leaver_id),
                &fx.admin_token,
                json!({"role": "viewer"}),
            )
            .await
            .expect(200);
            params.insert("staff_id", fx.leaver_id.clone());
            None
        }
        ("POST", "/api/staff", _) => Some(json!({
            "username": format!("new.staff{n}"), "display_name": format!("New Staff {n}"),
            "discipline": "nurse", "password": PASSWORD,
        })),
        ("PATCH", "/api/staff/{staff_id}", _) => {
            Some(json!({"display_name": format!("Spare Staff {n}")}))
        }
        ("POST", "/api/teams/{team_id}/clients", _) => {
            Some(json!({"given_name": "Noor", "family_name": format!("Admitted{n}")}))
        }
        ("PATCH", "/api/teams/{team_id}/clients/{client_id}", "names and risk tier") => {
            params.insert("client_id", fresh_client(app, fx).await);
            Some(json!({"version": 1, "preferred_name": "Sammy", "risk_tier": "high"}))
        }
        ("PATCH", "/api/teams/{team_id}/clients/{client_id}", "lifecycle (status)") => {
            params.insert("client_id", fresh_client(app, fx).await);
            Some(json!({"version": 1, "status": "screening"}))
        }
        ("PUT", "/api/teams/{team_id}/clients/{client_id}/case-manager", _) => {
            params.insert("client_id", fresh_client(app, fx).await);
            Some(json!({"staff_id": fx.member_id}))
        }
        ("POST", "/api/teams/{team_id}/clients/{client_id}/transfer", _) => {
            params.insert("client_id", fresh_client(app, fx).await);
            Some(json!({"to_team_id": fx.team_c}))
        }
        ("PUT", "/api/teams/{team_id}/contacts/{contact_id}", _) => {
            params.insert("contact_id", new_id());
            Some(contact_body(fx))
        }
        ("PATCH", "/api/teams/{team_id}/contacts/{contact_id}", _) => {
            let cid = new_id();
            app.put(
                &format!("/api/teams/{a}/contacts/{cid}"),
                lt,
                contact_body(fx),
            )
            .await
            .expect(201);
            params.insert("contact_id", cid);
            Some(json!({"version": 1, "activity": "housing"}))
        }
        ("POST", "/api/teams/{team_id}/contacts/reassign", _) => {
            Some(json!({"day": DAY, "from_staff_id": fx.member_id, "to_staff_id": fx.lead_id}))
        }
        ("POST", "/api/teams/{team_id}/clients/{client_id}/flags", _) => {
            Some(json!({"severity": "watch", "reason": "Missed two visits"}))
        }
        (
            "POST",
            "/api/teams/{team_id}/flags/{flag_id}/acknowledge"
            | "/api/teams/{team_id}/flags/{flag_id}/resolve",
            _,
        ) => {
            let flag = app
                .post(
                    &format!("/api/teams/{a}/clients/{}/flags", fx.client_id),
                    lt,
                    json!({"severity": "emergency", "reason": "Not answering the door"}),
                )
                .await
                .expect(201);
            params.insert("flag_id", id(&flag));
            row.path
                .ends_with("/resolve")
                .then(|| json!({"outcome": "Found safe at a friend's place"}))
        }
        ("POST", "/api/teams/{team_id}/oncall/shifts", _) => Some(shift_body(&fx.member_id, n)),
        ("DELETE", "/api/teams/{team_id}/oncall/shifts/{shift_id}", _) => {
            let shift = app
                .post(
                    &format!("/api/teams/{a}/oncall/shifts"),
                    lt,
                    shift_body(&fx.member_id, n),
                )
                .await
                .expect(201);
            params.insert("shift_id", id(&shift));
            None
        }
        ("POST", "/api/teams/{team_id}/handoffs", _) => {
            // To a working member other than oneself.
            let to = if caller == Member {
                &fx.lead_id
            } else {
                &fx.member_id
            };
            Some(handoff_body(&fx.client_id, to))
        }
        ("POST", "/api/teams/{team_id}/handoffs/{handoff_id}/acknowledge", _) => {
            let h = app
                .post(
                    &format!("/api/teams/{a}/handoffs"),
                    lt,
                    handoff_body(&fx.client_id, &fx.member_id),
                )
                .await
                .expect(201);
            params.insert("handoff_id", id(&h));
            Some(json!({"synthesis": "Watch sleep; call at 9, visit if no answer"}))
        }
        ("DELETE", "/api/teams/{team_id}/huddle/{day}/reviews/{client_id}", _) => {
            app.call(
                Method::PUT,
                &format!(
                    "/api/teams/{a}/huddle/{UNMARK_DAY}/reviews/{}",
                    fx.client_id
                ),
                Some(lt),
                None,
            )
            .await
            .expect(200);
            params.insert("day", UNMARK_DAY.to_string());
            None
        }
        ("POST", "/api/teams/{team_id}/display-tokens", _) => {
            Some(json!({"label": format!("Screen {n}"), "privacy": "initials"}))
        }
        ("DELETE", "/api/teams/{team_id}/display-tokens/{token_id}", _) => {
            let t = app
                .post(
                    &format!("/api/teams/{a}/display-tokens"),
                    lt,
                    json!({"label": format!("Spare screen {n}")}),
                )
                .await
                .expect(201);
            params.insert("token_id", id(&t));
            None
        }
        // Reads and body-less writes (PUT huddle review).
        _ => None,
    };
    let mut path = row.path.to_string();
    for (name, value) in &params {
        path = path.replace(&format!("{{{name}}}"), value);
    }
    assert!(
        !path.contains('{'),
        "no value for a path parameter of {} {}: {path}",
        row.method,
        row.path
    );
    Request { path, body }
}

// ---------------------------------------------------------------------------------------
// The test
// ---------------------------------------------------------------------------------------

const HTTP_METHODS: [&str; 8] = [
    "get", "put", "post", "delete", "options", "head", "patch", "trace",
];

struct Outcome {
    status: u16,
    detail: String,
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
            if i == 0 && takes_body && req.body.is_none() {
                problems.push(format!(
                    "{} {}: the route takes a body; give one in `request`",
                    r.method, r.path
                ));
            }
            let method = Method::from_bytes(r.method.as_bytes()).unwrap();
            let resp = app
                .call(method, &req.path, fx.token(caller), req.body)
                .await;
            let status = resp.status.as_u16();
            cells += 1;
            if status != expected[i] {
                wrong += 1;
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

/// The whole matrix as the server answered, differing cells as `*actual/expected`, then the
/// server's detail for each differing cell and any coverage problem.
fn render(results: &[Option<Vec<Outcome>>], problems: &[String], wrong: usize) -> String {
    let name = |r: &Row| {
        if r.case.is_empty() {
            format!("{:<6} {}", r.method, r.path)
        } else {
            format!("{:<6} {} [{}]", r.method, r.path, r.case)
        }
    };
    let width = MATRIX.iter().map(|r| name(r).len()).max().unwrap_or(0);
    let mut out = format!("\nAUTHORIZATION MATRIX: {wrong} cell(s) differ (*actual/expected)\n\n");
    let _ = write!(out, "{:<width$}", "route");
    for c in CALLERS {
        let _ = write!(out, " {:>9}", c.label());
    }
    out.push('\n');
    let mut details = vec![];
    for (r, res) in MATRIX.iter().zip(results) {
        let _ = write!(out, "{:<width$}", name(r));
        match (&r.expect, res) {
            (Expect::Status(exp) | Expect::Undocumented(exp), Some(cells)) => {
                for ((cell, e), caller) in cells.iter().zip(exp).zip(CALLERS) {
                    if cell.status == *e {
                        let _ = write!(out, " {:>9}", cell.status);
                    } else {
                        let _ = write!(out, " {:>9}", format!("*{}/{e}", cell.status));
                        details.push(format!(
                            "{} as {}: got {}, expected {e}: {}",
                            name(r),
                            caller.label(),
                            cell.status,
                            cell.detail
                        ));
                    }
                }
            }
            (Expect::Skipped(why), _) => {
                let _ = write!(out, "  skipped: {why}");
            }
            _ => {}
        }
        out.push('\n');
    }
    if !details.is_empty() {
        out.push_str("\nDiffering cells:\n");
        for d in details {
            let _ = writeln!(out, "  {d}");
        }
    }
    if !problems.is_empty() {
        out.push_str("\nCoverage and table problems:\n");
        for p in problems {
            let _ = writeln!(out, "  {p}");
        }
    }
    out
}
