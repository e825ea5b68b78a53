//! Helpers of the team_work tests, each defined once. Those other test binaries use too (`id`,
//! `new_id`, `refer`, `visit`, `last_seq`, `fields`, `invalid`, `db`) live in
//! tests/common/fixtures.rs and are re-exported here: `use crate::helpers::*;` is all a test
//! module needs.

pub use crate::common::fixtures::{
    db, fields, id, invalid, kinds_since, last_seq, new_id, privacy_display, refer, visit,
};
pub use crate::common::{Resp, TestApp};

use crate::common::PASSWORD;
use actboard::db::schema::{clients, memberships, teams};
use diesel::prelude::*;
use serde_json::{json, Value};
use std::collections::HashMap;

/// An unreadable request value: 400 or 422, problem+json, validation_failed.
pub fn unreadable(r: Resp) -> Value {
    assert!(r.status == 400 || r.status == 422, "{r:?}");
    assert_eq!(r.content_type, "application/problem+json", "{r:?}");
    assert_eq!(r.body["code"], "validation_failed", "{r:?}");
    r.body
}

/// A staff member on the team without logging in (for people who only carry clients).
pub async fn staff(app: &TestApp, team_id: &str, username: &str, role: &str) -> String {
    let s = app
        .post(
            "/api/staff",
            &app.admin_token,
            json!({"username": username, "display_name": format!("Staff {username}"), "discipline": "nurse", "password": PASSWORD}),
        )
        .await
        .expect(201);
    let sid = id(&s);
    app.put(
        &format!("/api/teams/{team_id}/members/{sid}"),
        &app.admin_token,
        json!({"role": role}),
    )
    .await
    .expect(200);
    sid
}

/// Admit a client straight to active with a case manager; returns its id.
pub async fn admit(app: &TestApp, team_id: &str, token: &str, family: &str, cm: &str) -> String {
    let c = app
        .post(
            &format!("/api/teams/{team_id}/clients"),
            token,
            json!({"given_name": "Pat", "family_name": family, "status": "active", "case_manager_id": cm}),
        )
        .await
        .expect(201);
    assert_eq!(c["status"], "active");
    assert_eq!(c["case_manager_id"], cm);
    id(&c)
}

/// Clients on `staff_id`'s caseload (active or transitioning, as case manager), from the
/// clients table itself.
pub async fn caseload(app: &TestApp, team_id: &str, staff_id: &str) -> i64 {
    let (t, s) = (team_id.to_string(), staff_id.to_string());
    db(app, move |c| {
        clients::table
            .filter(clients::team_id.eq(t))
            .filter(clients::case_manager_id.eq(s))
            .filter(clients::status.eq_any(["active", "transitioning"]))
            .count()
            .get_result::<i64>(c)
            .unwrap()
    })
    .await
}

/// The board's ICM caseloads agree with the clients table for every member, and nobody
/// holds more than 15 over every ICM team (the person's cap).
pub async fn assert_caseloads_match(app: &TestApp, team_id: &str) {
    let t = team_id.to_string();
    let (members, real, overall) = db(app, move |c| {
        let members: Vec<String> = memberships::table
            .filter(memberships::team_id.eq(&t))
            .select(memberships::staff_id)
            .load(c)
            .unwrap();
        let real: Vec<Option<String>> = clients::table
            .filter(clients::team_id.eq(&t))
            .filter(clients::status.eq_any(["active", "transitioning"]))
            .select(clients::case_manager_id)
            .load(c)
            .unwrap();
        let overall: Vec<Option<String>> = clients::table
            .inner_join(teams::table)
            .filter(teams::mode.eq("icm"))
            .filter(clients::status.eq_any(["active", "transitioning"]))
            .select(clients::case_manager_id)
            .load(c)
            .unwrap();
        (members, real, overall)
    })
    .await;
    let count = |list: &[Option<String>]| {
        let mut by: HashMap<String, i64> = HashMap::new();
        for cm in list.iter().flatten() {
            *by.entry(cm.clone()).or_default() += 1;
        }
        by
    };
    let (by, all) = (count(&real), count(&overall));
    let board = app
        .get(&format!("/api/teams/{team_id}/board"), &app.admin_token)
        .await
        .expect(200);
    let icm = board["team"]["mode"] == "icm";
    for s in members {
        let shown = board["staff"]
            .as_array()
            .unwrap()
            .iter()
            .find(|x| x["id"] == s.as_str())
            .map(|x| x["caseload"].as_i64().unwrap());
        let want = if icm {
            by.get(&s).copied().unwrap_or(0)
        } else {
            0
        };
        assert_eq!(shown, Some(want), "the board's caseload of {s}");
    }
    for (s, n) in all {
        assert!(n <= 15, "{s} carries {n} clients over the ICM teams");
    }
}

/// Team-local wall-clock "YYYY-MM-DDTHH:MM" in America/New_York, `minutes` from now.
pub fn ny_local(minutes: i64) -> String {
    let t = chrono::Utc::now() + chrono::TimeDelta::minutes(minutes);
    t.with_timezone(&chrono_tz::America::New_York)
        .format("%Y-%m-%dT%H:%M")
        .to_string()
}
