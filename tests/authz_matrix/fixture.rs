//! The matrix's fixture (built once per test: team A with a lead, a member, a viewer and a
//! display token, team B with its lead and display token, team C for transfers, and one of
//! each record) and the concrete request of every cell: real ids, a valid body, fresh
//! resources where the call uses them up.

use crate::common::fixtures::{forge_token, id, new_id};
use crate::common::{TestApp, PASSWORD, SECRET};
use crate::{Caller, Row};
use reqwest::Method;
use serde_json::{json, Value};
use std::cell::Cell;
use std::collections::BTreeMap;
use Caller::*;

/// Signs in for the login/refresh/logout rows; on no team.
pub const SESSION_USER: &str = "session.user";
/// The day of the fixture's contact, shift and the huddle review that is marked.
pub const DAY: &str = "2030-01-15";
/// The huddle day whose review is unmarked (re-marked before each call).
pub const UNMARK_DAY: &str = "2030-01-16";

pub struct Fixture {
    pub team_a: String,
    pub team_c: String,
    pub lead_id: String,
    pub member_id: String,
    /// On no team; target of PUT member and PATCH staff.
    pub spare_id: String,
    /// Put back on team A as a viewer before each DELETE member.
    pub leaver_id: String,
    pub client_id: String,
    pub contact_id: String,
    pub flag_id: String,
    pub shift_id: String,
    pub handoff_id: String,
    pub display_token: String,
    pub lead_token: String,
    pub admin_token: String,
    pub viewer_token: String,
    pub member_token: String,
    pub other_lead_token: String,
    /// Team B's display token.
    pub other_display_token: String,
    pub tampered: String,
    pub expired: String,
    pub counter: Cell<u32>,
}

impl Fixture {
    pub fn token(&self, c: Caller) -> Option<&str> {
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
            OtherDisplay => Some(&self.other_display_token),
        }
    }

    /// A new number for unique names, days and the like.
    pub fn next(&self) -> u32 {
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

/// Every cell books the member at the same time: overlaps are allowed here (the
/// double-booking rule is tested in tests/team_work/double_booking.rs).
fn contact_body(fx: &Fixture) -> Value {
    json!({
        "client_id": fx.client_id, "staff_ids": [fx.member_id], "day": DAY,
        "start": "10:00", "end": "11:00", "kind": "face_to_face", "place": "home",
        "activity": "medication delivery", "status": "planned", "allow_overlap": true,
    })
}

/// An absence of the member on a day of its own (`n` days after 2032-01-01), so absences
/// never overlap; the lead covers.
fn absence_body(fx: &Fixture, n: u32) -> Value {
    let day = chrono::NaiveDate::from_ymd_opt(2032, 1, 1).unwrap() + chrono::Days::new(n.into());
    json!({"staff_id": fx.member_id, "from": day.to_string(), "to": day.to_string(),
           "covered_by": fx.lead_id, "reason": "Training day"})
}

/// A series of one visit by the member on a day of its own (`n` days after 2033-01-01).
fn series_body(fx: &Fixture, n: u32) -> Value {
    let day = chrono::NaiveDate::from_ymd_opt(2033, 1, 1).unwrap() + chrono::Days::new(n.into());
    json!({"client_id": fx.client_id, "staff_ids": [fx.member_id], "first_day": day.to_string(),
           "every_days": 14, "until": day.to_string(), "start": "09:00", "end": "09:30",
           "kind": "face_to_face", "place": "office", "activity": "depot injection",
           "allow_overlap": true})
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

pub async fn build_fixture(app: &TestApp) -> Fixture {
    let team_a = id(&app.create_team("Team A", "act").await);
    let team_b = id(&app.create_team("Team B", "act").await);
    let team_c = id(&app.create_team("Team C (transfers)", "act").await);
    let (lead_id, lead_token) = app.member(&team_a, "a.lead", "lead").await;
    let (member_id, member_token) = app.member(&team_a, "a.member", "member").await;
    let (_, viewer_token) = app.member(&team_a, "a.viewer", "viewer").await;
    let (_, other_lead_token) = app.member(&team_b, "b.lead", "lead").await;
    let other_display_token = app
        .post(
            &format!("/api/teams/{team_b}/display-tokens"),
            &other_lead_token,
            json!({"label": "Team B's room", "privacy": "initials"}),
        )
        .await
        .expect(201)["token"]
        .as_str()
        .unwrap()
        .to_string();
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
        other_display_token,
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
            json!({"severity": "urgent", "category": "other", "reason": "Stopped taking medication"}),
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
    for display in [&fx.display_token, &fx.other_display_token] {
        app.get("/api/display/me", display).await.expect(200);
    }
    fx
}

// ---------------------------------------------------------------------------------------
// One request per cell
// ---------------------------------------------------------------------------------------

pub struct Request {
    pub path: String,
    pub body: Option<Value>,
    /// A CSV file instead of a JSON body (the import routes).
    pub csv: Option<String>,
}

pub async fn fresh_client(app: &TestApp, fx: &Fixture) -> String {
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

/// Screening answers: serious mental illness and high need.
pub fn screening_body() -> Value {
    json!({"diagnosis": "bipolar", "illness_years": 4, "impairments": ["housing"],
           "psychiatric_admissions_12m": 2, "hospital_days_24m": 40, "ed_visits_12m": 1,
           "homeless": false, "justice_involved": false, "co_occurring_sud": true,
           "not_engaging_office": false})
}

/// A transition to discharge with every area ready.
fn transition_body() -> Value {
    json!({"readiness": {"housing": "ready", "hospitalization": "ready", "emergency_use": "ready",
                         "engagement": "ready", "medication": "ready", "justice": "unclear"},
           "plan": "discharge", "note": "Stable for two years"})
}

/// The lead starts a discharge transition for `cid`.
async fn start_transition(app: &TestApp, fx: &Fixture, cid: &str) {
    app.post(
        &format!("/api/teams/{}/clients/{cid}/transition", fx.team_a),
        &fx.lead_token,
        transition_body(),
    )
    .await
    .expect(200);
}

/// The lead starts and completes a discharge transition for `cid` (check-ins scheduled).
async fn completed_transition(app: &TestApp, fx: &Fixture, cid: &str) -> Value {
    start_transition(app, fx, cid).await;
    app.post(
        &format!("/api/teams/{}/clients/{cid}/transition/complete", fx.team_a),
        &fx.lead_token,
        json!({"discharge_reason": "goals_met"}),
    )
    .await
    .expect(200)
}

/// An active client of team A, made by its lead.
async fn fresh_active_client(app: &TestApp, fx: &Fixture) -> String {
    let n = fx.next();
    id(&app
        .post(
            &format!("/api/teams/{}/clients", fx.team_a),
            &fx.lead_token,
            json!({"given_name": "Tia", "family_name": format!("Active{n}"), "status": "active"}),
        )
        .await
        .expect(201))
}

/// A support plan with one goal (`goal_id`).
fn plan_body(goal_id: &str) -> Value {
    json!({"reviewed_on": "2026-01-05", "natural_supports": "Sister Ana, weekly calls",
           "goals": [{"id": goal_id, "in_own_words": "Keep my flat", "objective": "Rent paid six months running",
                      "target_date": "2026-07-01", "lifecycle": "active",
                      "interventions": [{"what": "Budgeting sessions", "frequency": "weekly"}]}]})
}

async fn fresh_refresh_token(app: &TestApp) -> String {
    app.login_full(SESSION_USER, PASSWORD).await.expect(200)["refresh_token"]
        .as_str()
        .unwrap()
        .to_string()
}

/// The concrete request of `row` for `caller`.
pub async fn request(app: &TestApp, fx: &Fixture, row: &Row, caller: Caller) -> Request {
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
    let mut query = String::new();
    let mut csv = None;
    let body = match (row.method, row.path, row.case) {
        ("POST", "/api/teams/{team_id}/import/clients", _) => {
            query = "?dry_run=false".into();
            csv = Some(format!(
                "external_id,given_name,family_name,preferred_name,status,case_manager_username,risk_tier\nIMP-{n},Ima,Imported{n},,,,\n"
            ));
            None
        }
        ("POST", "/api/import/staff", _) => {
            csv = Some(format!(
                "username,display_name,discipline,team,role\nimported.{n},Imported {n},nurse,,\n"
            ));
            None
        }
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
        ("POST", "/api/me/password", _) => Some(json!({"current": PASSWORD, "new": PASSWORD})),
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
        ("POST", "/api/teams/{team_id}/members/{staff_id}/remove", _) => {
            app.put(
                &format!("/api/teams/{a}/members/{}", fx.leaver_id),
                &fx.admin_token,
                json!({"role": "viewer"}),
            )
            .await
            .expect(200);
            params.insert("staff_id", fx.leaver_id.clone());
            Some(json!({"assignments": []}))
        }
        ("POST", "/api/staff/{staff_id}/deactivate", _) => {
            // A fresh account each time: a deactivated one could not be deactivated again.
            params.insert("staff_id", account(app, &format!("going.away{n}")).await);
            Some(json!({"assignments": []}))
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
        ("PATCH", "/api/teams/{team_id}/clients/{client_id}", "names") => {
            params.insert("client_id", fresh_client(app, fx).await);
            Some(json!({"version": 1, "preferred_name": "Sammy"}))
        }
        ("PATCH", "/api/teams/{team_id}/clients/{client_id}", "lifecycle (status)") => {
            params.insert("client_id", fresh_client(app, fx).await);
            Some(json!({"version": 1, "status": "screening"}))
        }
        (
            "PATCH",
            "/api/teams/{team_id}/clients/{client_id}",
            "discharge (with resolve_open_flags)",
        ) => {
            let cid = fresh_client(app, fx).await;
            app.post(
                &format!("/api/teams/{a}/clients/{cid}/flags"),
                lt,
                json!({"severity": "urgent", "category": "housing", "reason": "Eviction notice"}),
            )
            .await
            .expect(201);
            params.insert("client_id", cid);
            Some(
                json!({"version": 1, "status": "discharged", "discharge_reason": "moved",
                        "resolve_open_flags": {"outcome": "Moved out of the area"}}),
            )
        }
        ("PUT", "/api/teams/{team_id}/clients/{client_id}/case-manager", _) => {
            params.insert("client_id", fresh_client(app, fx).await);
            Some(json!({"staff_id": fx.member_id}))
        }
        ("POST", "/api/teams/{team_id}/clients/{client_id}/transfer", _) => {
            params.insert("client_id", fresh_client(app, fx).await);
            Some(json!({"to_team_id": fx.team_c}))
        }
        ("PUT", "/api/teams/{team_id}/contacts/{contact_id}", "retry of an existing one") => {
            // The lead logs it just before; the caller sends the very same PUT again.
            let cid = new_id();
            app.put(
                &format!("/api/teams/{a}/contacts/{cid}"),
                lt,
                contact_body(fx),
            )
            .await
            .expect(201);
            params.insert("contact_id", cid);
            Some(contact_body(fx))
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
        ("POST", "/api/teams/{team_id}/contacts/reassign", _) => Some(
            json!({"day": DAY, "from_staff_id": fx.member_id, "to_staff_id": fx.lead_id, "allow_overlap": true}),
        ),
        ("GET", "/api/teams/{team_id}/clients/{client_id}/plan", _) => {
            let cid = fresh_client(app, fx).await;
            app.put(
                &format!("/api/teams/{a}/clients/{cid}/plan"),
                lt,
                plan_body(&new_id()),
            )
            .await
            .expect(200);
            params.insert("client_id", cid);
            None
        }
        ("POST", "/api/teams/{team_id}/clients/{client_id}/transition", _) => {
            params.insert("client_id", fresh_active_client(app, fx).await);
            Some(transition_body())
        }
        ("GET", "/api/teams/{team_id}/clients/{client_id}/transition", _)
        | ("POST", "/api/teams/{team_id}/clients/{client_id}/transition/cancel", _) => {
            let cid = fresh_active_client(app, fx).await;
            start_transition(app, fx, &cid).await;
            params.insert("client_id", cid);
            None
        }
        ("POST", "/api/teams/{team_id}/clients/{client_id}/transition/complete", _) => {
            let cid = fresh_active_client(app, fx).await;
            start_transition(app, fx, &cid).await;
            params.insert("client_id", cid);
            Some(json!({"discharge_reason": "goals_met"}))
        }
        ("GET", "/api/teams/{team_id}/clients/{client_id}/checkins", _) => {
            let cid = fresh_active_client(app, fx).await;
            completed_transition(app, fx, &cid).await;
            params.insert("client_id", cid);
            None
        }
        ("POST", "/api/teams/{team_id}/clients/{client_id}/checkins/{checkin_id}", _) => {
            let cid = fresh_active_client(app, fx).await;
            let done = completed_transition(app, fx, &cid).await;
            params.insert("client_id", cid);
            params.insert(
                "checkin_id",
                done["checkins"][0]["id"].as_str().unwrap().to_string(),
            );
            Some(json!({"outcome": "reached", "note": "Settled with her GP"}))
        }
        ("POST", "/api/teams/{team_id}/clients/{client_id}/return", _) => {
            let cid = fresh_client(app, fx).await;
            app.patch(
                &format!("/api/teams/{a}/clients/{cid}"),
                lt,
                json!({"version": 1, "status": "discharged", "discharge_reason": "moved"}),
            )
            .await
            .expect(200);
            params.insert("client_id", cid);
            Some(json!({}))
        }
        ("PUT", "/api/teams/{team_id}/clients/{client_id}/plan", _) => {
            params.insert("client_id", fresh_client(app, fx).await);
            Some(plan_body(&new_id()))
        }
        ("POST", "/api/teams/{team_id}/clients/{client_id}/plan/goals/{goal_id}/progress", _) => {
            let cid = fresh_client(app, fx).await;
            let goal = new_id();
            app.put(
                &format!("/api/teams/{a}/clients/{cid}/plan"),
                lt,
                plan_body(&goal),
            )
            .await
            .expect(200);
            params.insert("client_id", cid);
            params.insert("goal_id", goal);
            Some(json!({"achievement": "improving", "note": "Paid rent on time"}))
        }
        ("POST", "/api/teams/{team_id}/clients/{client_id}/episodes", _) => {
            params.insert("client_id", fresh_client(app, fx).await);
            Some(
                json!({"kind": "psychiatric_admission", "start": "2025-06-01", "team_involved": true, "note": "Admitted from the ED"}),
            )
        }
        ("PATCH", "/api/teams/{team_id}/clients/{client_id}/episodes/{episode_id}", _) => {
            let cid = fresh_client(app, fx).await;
            let made = app
                .post(
                    &format!("/api/teams/{a}/clients/{cid}/episodes"),
                    lt,
                    json!({"kind": "jail", "start": "2025-06-01"}),
                )
                .await
                .expect(201);
            params.insert("client_id", cid);
            params.insert("episode_id", id(&made));
            Some(json!({"end": "2025-06-09"}))
        }
        ("PUT", "/api/teams/{team_id}/fidelity/ratings", _) => Some(
            json!({"item": "H4", "period_to": "2025-06-30", "score": 4, "note": "The lead sees clients every week"}),
        ),
        ("POST", "/api/teams/{team_id}/clients/{client_id}/assessments", "a lead's override") => {
            Some(
                json!({"factors": {"biomedical": 1, "behavioral": 0, "circumstantial": 0},
                   "evidence": {"biomedical": "diabetes"}, "override_tier": "high", "override_reason": "recent overdose"}),
            )
        }
        ("POST", "/api/teams/{team_id}/clients/{client_id}/assessments", _) => Some(
            json!({"factors": {"biomedical": 1, "behavioral": 0, "circumstantial": 0}, "evidence": {"biomedical": "diabetes"}}),
        ),
        ("PUT", "/api/teams/{team_id}/clients/{client_id}/screening", _) => {
            params.insert("client_id", fresh_client(app, fx).await);
            Some(screening_body())
        }
        ("POST", "/api/teams/{team_id}/clients/{client_id}/screening/decision", _) => {
            let cid = fresh_client(app, fx).await;
            app.put(
                &format!("/api/teams/{a}/clients/{cid}/screening"),
                lt,
                screening_body(),
            )
            .await
            .expect(200);
            params.insert("client_id", cid);
            Some(json!({"decision": "decline", "reason": "Prefers her own psychiatrist"}))
        }
        ("POST", "/api/teams/{team_id}/absences", _) => Some(absence_body(fx, n)),
        ("DELETE", "/api/teams/{team_id}/absences/{absence_id}", _) => {
            let made = app
                .post(&format!("/api/teams/{a}/absences"), lt, absence_body(fx, n))
                .await
                .expect(201);
            params.insert("absence_id", id(&made["absence"]));
            None
        }
        ("POST", "/api/teams/{team_id}/visit-series", _) => Some(series_body(fx, n)),
        ("DELETE", "/api/teams/{team_id}/visit-series/{series_id}", _) => {
            let made = app
                .post(
                    &format!("/api/teams/{a}/visit-series"),
                    lt,
                    series_body(fx, n),
                )
                .await
                .expect(201);
            params.insert("series_id", id(&made["series"]));
            None
        }
        ("POST", "/api/teams/{team_id}/clients/{client_id}/flags", _) => {
            Some(json!({"severity": "watch", "category": "other", "reason": "Missed two visits"}))
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
                    json!({"severity": "emergency", "category": "other", "reason": "Not answering the door"}),
                )
                .await
                .expect(201);
            params.insert("flag_id", id(&flag));
            row.path
                .ends_with("/resolve")
                .then(|| json!({"outcome": "Found safe at a friend's place"}))
        }
        ("POST", "/api/teams/{team_id}/oncall/shifts", _) => Some(shift_body(&fx.member_id, n)),
        ("PUT", "/api/teams/{team_id}/oncall/pattern", _) => Some(
            json!({"slots": [{"weekday": 1, "start": "09:00", "end": "17:00", "staff_id": fx.member_id}]}),
        ),
        // Far from every other shift of the fixture; applying again only skips.
        ("POST", "/api/teams/{team_id}/oncall/pattern/apply", _) => {
            Some(json!({"from": "2040-01-02", "weeks": 1}))
        }
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
        ("GET", "/api/teams/{team_id}/board", "a given day") => {
            query = format!("?day={DAY}");
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
    path.push_str(&query);
    Request { path, body, csv }
}
