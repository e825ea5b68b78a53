//! The team's work: clients (lifecycle, ICM caseload cap), contacts, crisis flags, on-call
//! shifts, handoffs, huddle reviews, the board, the event log, cross-team isolation and
//! display tokens — through the real HTTP server, on SQLite and (when configured) PostgreSQL.

mod common;

use actboard::db::schema::{access_log, clients, contact_staff, contacts, events, memberships};
use actboard::db::DbConn;
use common::{Resp, TestApp};
use diesel::prelude::*;
use futures_util::future::join_all;
use serde_json::{json, Value};
use std::collections::{BTreeSet, HashMap};

both_engines!(
    clients_create_read_list_and_access_log,
    clients_patch_versions_and_lifecycle,
    clients_validated,
    clients_roles_for_patch,
    icm_cap_holds_under_concurrent_assignment,
    icm_cap_holds_under_concurrent_admission,
    icm_cap_refused_on_every_path,
    icm_cap_changes_and_act_has_no_cap,
    contacts_idempotent_put_patch_and_filters,
    contacts_validated,
    contacts_reassign_moves_only_that_days_planned_visits,
    contacts_concurrent_identical_puts_store_one,
    flags_raise_acknowledge_resolve,
    oncall_shifts_in_team_local_time,
    handoffs_only_receiver_acknowledges,
    huddle_reviews_are_idempotent_and_shown,
    board_shape_order_and_week_counts,
    event_log_gap_free_under_concurrent_writers,
    other_teams_records_are_invisible,
    display_tokens_read_only_their_board,
    mode_switch_recounts_and_carriers_stay,
);

// ---------------------------------------------------------------------------------------
// Helpers
// ---------------------------------------------------------------------------------------

fn id(v: &Value) -> String {
    v["id"]
        .as_str()
        .unwrap_or_else(|| panic!("no id in {v}"))
        .to_string()
}

/// The field names of a validation problem.
fn fields(p: &Value) -> Vec<String> {
    p["errors"]
        .as_array()
        .map(|a| {
            a.iter()
                .map(|e| e["field"].as_str().unwrap_or("").to_string())
                .collect()
        })
        .unwrap_or_default()
}

/// A 422 validation_failed naming `field`.
fn invalid(r: Resp, field: &str) -> Value {
    let p = r.problem(422, "validation_failed");
    assert!(
        fields(&p).iter().any(|f| f == field),
        "expected an error on '{field}': {p}"
    );
    p
}

/// An unreadable request value: 400 or 422, problem+json, validation_failed.
fn unreadable(r: Resp) -> Value {
    assert!(r.status == 400 || r.status == 422, "{r:?}");
    assert_eq!(r.content_type, "application/problem+json", "{r:?}");
    assert_eq!(r.body["code"], "validation_failed", "{r:?}");
    r.body
}

/// A staff member on the team without logging in (for people who only carry clients).
async fn staff(app: &TestApp, team_id: &str, username: &str, role: &str) -> String {
    let s = app
        .post(
            "/api/staff",
            &app.admin_token,
            json!({"username": username, "display_name": format!("Staff {username}"), "discipline": "nurse", "password": common::PASSWORD}),
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

/// Refer a client (status referred, no case manager); returns the client.
async fn refer(app: &TestApp, team_id: &str, token: &str, given: &str, family: &str) -> Value {
    app.post(
        &format!("/api/teams/{team_id}/clients"),
        token,
        json!({"given_name": given, "family_name": family}),
    )
    .await
    .expect(201)
}

/// Admit a client straight to active with a case manager; returns its id.
async fn admit(app: &TestApp, team_id: &str, token: &str, family: &str, cm: &str) -> String {
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

/// Run diesel work directly against the test database.
async fn db<T, F>(app: &TestApp, f: F) -> T
where
    F: FnOnce(&mut DbConn) -> T + Send + 'static,
    T: Send + 'static,
{
    let pool = app.state.pool.clone();
    actix_web::web::block(move || {
        let mut conn = pool.get().unwrap();
        f(&mut conn)
    })
    .await
    .unwrap()
}

/// Clients on `staff_id`'s caseload (active or transitioning, as case manager), from the
/// clients table itself.
async fn caseload(app: &TestApp, team_id: &str, staff_id: &str) -> i64 {
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

/// The ICM counters in memberships agree with the clients table for every member.
async fn assert_counters_match(app: &TestApp, team_id: &str) {
    let t = team_id.to_string();
    let (counters, real) = db(app, move |c| {
        let counters: Vec<(String, i32)> = memberships::table
            .filter(memberships::team_id.eq(&t))
            .select((memberships::staff_id, memberships::caseload_count))
            .load(c)
            .unwrap();
        let real: Vec<(Option<String>, String)> = clients::table
            .filter(clients::team_id.eq(&t))
            .filter(clients::status.eq_any(["active", "transitioning"]))
            .select((clients::case_manager_id, clients::status))
            .load(c)
            .unwrap();
        (counters, real)
    })
    .await;
    let mut by: HashMap<String, i32> = HashMap::new();
    for (cm, _) in real {
        if let Some(cm) = cm {
            *by.entry(cm).or_default() += 1;
        }
    }
    for (s, n) in counters {
        assert_eq!(
            n,
            by.get(&s).copied().unwrap_or(0),
            "caseload counter of {s} disagrees with the clients table"
        );
    }
}

/// A contact body (a one-hour visit at 09:00).
fn visit(client: &str, staff: &[&str], day: &str, status: &str) -> Value {
    json!({
        "client_id": client, "staff_ids": staff, "day": day, "start": "09:00", "end": "10:00",
        "kind": "face_to_face", "place": "home", "activity": "check-in", "status": status, "minutes": 60
    })
}

fn new_id() -> String {
    uuid::Uuid::new_v4().to_string()
}

async fn last_seq(app: &TestApp, team_id: &str, token: &str) -> i64 {
    app.get(
        &format!("/api/teams/{team_id}/events?since=0&limit=1"),
        token,
    )
    .await
    .expect(200)["last_seq"]
        .as_i64()
        .unwrap()
}

/// Team-local wall-clock "YYYY-MM-DDTHH:MM" in America/New_York, `minutes` from now.
fn ny_local(minutes: i64) -> String {
    let t = chrono::Utc::now() + chrono::TimeDelta::minutes(minutes);
    t.with_timezone(&chrono_tz::America::New_York)
        .format("%Y-%m-%dT%H:%M")
        .to_string()
}

// ---------------------------------------------------------------------------------------
// 1. Clients
// ---------------------------------------------------------------------------------------

async fn clients_create_read_list_and_access_log(app: TestApp) {
    let team = app.create_team("Riverside ACT", "act").await;
    let t = id(&team);
    let (lead_id, lead) = app.member(&t, "lead1", "lead").await;
    let (member_id, member) = app.member(&t, "nurse1", "member").await;
    let path = format!("/api/teams/{t}/clients");

    let c = app
        .post(&path, &lead, json!({"given_name": "  maria josé ", "family_name": "García-López", "preferred_name": "Majo"}))
        .await
        .expect(201);
    assert_eq!(c["team_id"], t.as_str());
    assert_eq!(c["given_name"], "maria josé", "names are trimmed");
    assert_eq!(c["family_name"], "García-López");
    assert_eq!(c["preferred_name"], "Majo");
    assert_eq!(c["initials"], "MG");
    assert_eq!(c["status"], "referred");
    assert_eq!(c["risk_tier"], "medium");
    assert_eq!(c["case_manager_id"], Value::Null);
    assert_eq!(c["version"], 1);
    let cid = id(&c);
    assert!(uuid::Uuid::parse_str(&cid).is_ok());

    let b = app.post(&path, &lead, json!({"given_name": "Émile", "family_name": "zola", "risk_tier": "high", "status": "screening"})).await.expect(201);
    assert_eq!(b["initials"], "ÉZ");
    assert_eq!(b["risk_tier"], "high");
    assert_eq!(b["status"], "screening");

    // Admission is for leads.
    app.post(
        &path,
        &member,
        json!({"given_name": "No", "family_name": "Way"}),
    )
    .await
    .problem(403, "forbidden");

    // The list, by family name.
    let list = app.get(&path, &member).await.expect(200);
    let names: Vec<&str> = list
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["family_name"].as_str().unwrap())
        .collect();
    assert_eq!(names, vec!["García-López", "zola"]);
    assert_eq!(list.as_array().unwrap().len(), 2);
    assert!(names.contains(&"García-López") && names.contains(&"zola"));
    let filtered = app
        .get(&format!("{path}?status=screening"), &member)
        .await
        .expect(200);
    assert_eq!(filtered.as_array().unwrap().len(), 1);
    assert_eq!(filtered[0]["id"], id(&b).as_str());

    // Listing does not count as reading a record; reading one does, once per GET.
    let none_yet = {
        let cid = cid.clone();
        db(&app, move |c| {
            access_log::table
                .filter(access_log::client_id.eq(cid))
                .count()
                .get_result::<i64>(c)
                .unwrap()
        })
        .await
    };
    assert_eq!(none_yet, 0);
    let got = app.get(&format!("{path}/{cid}"), &member).await.expect(200);
    assert_eq!(got, c, "a read returns the stored client");
    app.get(&format!("{path}/{cid}"), &lead).await.expect(200);
    app.get(&format!("{path}/{cid}"), &member).await.expect(200);
    let rows: Vec<(Option<String>, Option<String>, Option<String>)> = {
        let cid = cid.clone();
        db(&app, move |c| {
            access_log::table
                .filter(access_log::client_id.eq(cid))
                .select((
                    access_log::staff_id,
                    access_log::team_id,
                    access_log::client_id,
                ))
                .load(c)
                .unwrap()
        })
        .await
    };
    assert_eq!(rows.len(), 3, "one access_log row per GET: {rows:?}");
    let mut who: Vec<String> = rows.iter().map(|r| r.0.clone().unwrap()).collect();
    who.sort();
    let mut expected = vec![member_id.clone(), member_id.clone(), lead_id.clone()];
    expected.sort();
    assert_eq!(who, expected);
    assert!(
        rows.iter()
            .all(|r| r.1.as_deref() == Some(t.as_str()) && r.2.as_deref() == Some(cid.as_str())),
        "{rows:?}"
    );

    // A client that does not exist: 404, and nothing is logged for it.
    let ghost = new_id();
    app.get(&format!("{path}/{ghost}"), &member)
        .await
        .problem(404, "not_found");
    let ghost_rows = db(&app, move |c| {
        access_log::table
            .filter(access_log::client_id.eq(ghost))
            .count()
            .get_result::<i64>(c)
            .unwrap()
    })
    .await;
    assert_eq!(ghost_rows, 0);
}

async fn clients_patch_versions_and_lifecycle(app: TestApp) {
    let team = app.create_team("Lifecycle", "act").await;
    let t = id(&team);
    let (_, lead) = app.member(&t, "leadl", "lead").await;
    let c = refer(&app, &t, &lead, "Ann", "Lee").await;
    let path = format!("/api/teams/{t}/clients/{}", id(&c));

    let v2 = app
        .patch(&path, &lead, json!({"version": 1, "status": "screening"}))
        .await
        .expect(200);
    assert_eq!(v2["status"], "screening");
    assert_eq!(v2["version"], 2);
    // Stale version: 409 with the current state, nothing overwritten.
    let stale = app
        .patch(&path, &lead, json!({"version": 1, "risk_tier": "high"}))
        .await
        .problem(409, "version_conflict");
    assert_eq!(stale["current"]["version"], 2);
    assert_eq!(stale["current"]["status"], "screening");
    assert_eq!(stale["current"]["risk_tier"], "medium");
    // PATCH without a version is refused.
    let p = app
        .patch(&path, &lead, json!({"risk_tier": "high"}))
        .await
        .problem(422, "validation_failed");
    assert_eq!(
        p["errors"][0]["field"], "version",
        "the missing field is named: {p}"
    );

    // The lifecycle, step by step.
    let v3 = app
        .patch(&path, &lead, json!({"version": 2, "status": "active"}))
        .await
        .expect(200);
    assert_eq!(v3["status"], "active");
    let v4 = app
        .patch(
            &path,
            &lead,
            json!({"version": 3, "status": "transitioning"}),
        )
        .await
        .expect(200);
    assert_eq!(v4["status"], "transitioning");
    let v5 = app
        .patch(&path, &lead, json!({"version": 4, "status": "discharged"}))
        .await
        .expect(200);
    assert_eq!(v5["status"], "discharged");
    assert_eq!(v5["version"], 5);

    // Impossible jumps.
    let p = app
        .patch(
            &path,
            &lead,
            json!({"version": 5, "status": "transitioning"}),
        )
        .await
        .problem(422, "invalid_transition");
    assert!(p["detail"].as_str().unwrap().contains("discharged"), "{p}");
    let fresh = refer(&app, &t, &lead, "Bo", "Diaz").await;
    let fpath = format!("/api/teams/{t}/clients/{}", id(&fresh));
    app.patch(
        &fpath,
        &lead,
        json!({"version": 1, "status": "transitioning"}),
    )
    .await
    .problem(422, "invalid_transition");
    app.patch(&fpath, &lead, json!({"version": 1, "status": "active"}))
        .await
        .problem(422, "invalid_transition");
    // Nothing changed by the refused moves.
    let still = app.get(&path, &lead).await.expect(200);
    assert_eq!(
        (still["status"].as_str(), still["version"].as_i64()),
        (Some("discharged"), Some(5))
    );
    let still = app.get(&fpath, &lead).await.expect(200);
    assert_eq!(
        (still["status"].as_str(), still["version"].as_i64()),
        (Some("referred"), Some(1))
    );

    // A new client cannot start discharged or transitioning.
    let clients_path = format!("/api/teams/{t}/clients");
    invalid(
        app.post(
            &clients_path,
            &lead,
            json!({"given_name": "X", "family_name": "Y", "status": "discharged"}),
        )
        .await,
        "status",
    );
    invalid(
        app.post(
            &clients_path,
            &lead,
            json!({"given_name": "X", "family_name": "Y", "status": "transitioning"}),
        )
        .await,
        "status",
    );
    assert_eq!(
        app.get(&clients_path, &lead)
            .await
            .expect(200)
            .as_array()
            .unwrap()
            .len(),
        2
    );
}

async fn clients_validated(app: TestApp) {
    let team = app.create_team("Validation", "act").await;
    let t = id(&team);
    let (_, lead) = app.member(&t, "leadv", "lead").await;
    let path = format!("/api/teams/{t}/clients");

    let p = invalid(
        app.post(&path, &lead, json!({"given_name": "  ", "family_name": ""}))
            .await,
        "given_name",
    );
    assert_eq!(
        fields(&p),
        vec!["given_name", "family_name"],
        "both names reported: {p}"
    );
    invalid(
        app.post(
            &path,
            &lead,
            json!({"given_name": "x".repeat(101), "family_name": "Ok"}),
        )
        .await,
        "given_name",
    );
    let p = app
        .post(
            &path,
            &lead,
            json!({"given_name": "A", "family_name": "B", "nickname": "x"}),
        )
        .await
        .problem(422, "validation_failed");
    assert!(
        p.to_string().contains("nickname"),
        "the unknown field is named: {p}"
    );
    invalid(
        app.post(
            &path,
            &lead,
            json!({"given_name": "A", "family_name": "B", "risk_tier": "extreme"}),
        )
        .await,
        "risk_tier",
    );
    invalid(
        app.post(
            &path,
            &lead,
            json!({"given_name": "A", "family_name": "B", "status": "asleep"}),
        )
        .await,
        "status",
    );
    let p = app
        .post(&path, &lead, json!({"given_name": "A"}))
        .await
        .problem(422, "validation_failed");
    assert!(
        p["errors"].to_string().contains("family_name"),
        "the missing field is named: {p}"
    );
    // A case manager who is not on the team.
    invalid(
        app.post(
            &path,
            &lead,
            json!({"given_name": "A", "family_name": "B", "case_manager_id": new_id()}),
        )
        .await,
        "case_manager_id",
    );
    assert_eq!(
        app.get(&path, &lead).await.expect(200),
        json!([]),
        "nothing half-written"
    );

    let c = refer(&app, &t, &lead, "Cy", "Dee").await;
    let cpath = format!("{path}/{}", id(&c));
    invalid(
        app.patch(&cpath, &lead, json!({"version": 1, "family_name": " "}))
            .await,
        "family_name",
    );
    let p = app
        .patch(&cpath, &lead, json!({"version": 1, "colour": "blue"}))
        .await
        .problem(422, "validation_failed");
    assert!(p.to_string().contains("colour"), "{p}");
    // Initials follow a rename.
    let r = app
        .patch(&cpath, &lead, json!({"version": 1, "given_name": "Zed"}))
        .await
        .expect(200);
    assert_eq!(r["initials"], "ZD");
}

async fn clients_roles_for_patch(app: TestApp) {
    let team = app.create_team("Roles", "act").await;
    let t = id(&team);
    let (_, lead) = app.member(&t, "leadr", "lead").await;
    let (member_id, member) = app.member(&t, "memberr", "member").await;
    let (_, viewer) = app.member(&t, "viewerr", "viewer").await;
    let c = refer(&app, &t, &lead, "Ivy", "Ng").await;
    let path = format!("/api/teams/{t}/clients/{}", id(&c));

    let r = app
        .patch(&path, &member, json!({"version": 1, "risk_tier": "high"}))
        .await
        .expect(200);
    assert_eq!(r["risk_tier"], "high");
    app.patch(&path, &member, json!({"version": 2, "status": "screening"}))
        .await
        .problem(403, "forbidden");
    app.patch(
        &path,
        &member,
        json!({"version": 2, "case_manager_id": member_id}),
    )
    .await
    .problem(403, "forbidden");
    app.put(
        &format!("{path}/case-manager"),
        &member,
        json!({"staff_id": member_id}),
    )
    .await
    .problem(403, "forbidden");
    app.patch(&path, &viewer, json!({"version": 2, "risk_tier": "low"}))
        .await
        .problem(403, "forbidden");
    app.get(&path, &viewer).await.expect(200);
    let now = app.get(&path, &lead).await.expect(200);
    assert_eq!(
        (
            now["version"].as_i64(),
            now["risk_tier"].as_str(),
            now["status"].as_str()
        ),
        (Some(2), Some("high"), Some("referred"))
    );
}

// ---------------------------------------------------------------------------------------
// 2. ICM caseload cap
// ---------------------------------------------------------------------------------------

async fn icm_cap_holds_under_concurrent_assignment(app: TestApp) {
    let team = app.create_team("North ICM", "icm").await;
    let t = id(&team);
    assert_eq!(team["caseload_cap"], 15);
    let (_, lead) = app.member(&t, "leadicm", "lead").await;
    let m = staff(&app, &t, "full.cm", "member").await;
    let others = [
        staff(&app, &t, "cm.a", "member").await,
        staff(&app, &t, "cm.b", "member").await,
        staff(&app, &t, "cm.c", "member").await,
    ];
    for i in 0..14 {
        admit(&app, &t, &lead, &format!("Held{i:02}"), &m).await;
    }
    let mut movers = vec![];
    for i in 0..30 {
        movers.push(admit(&app, &t, &lead, &format!("Mover{i:02}"), &others[i % 3]).await);
    }
    assert_eq!(caseload(&app, &t, &m).await, 14);

    let tasks: Vec<_> = movers
        .iter()
        .map(|c| {
            app.put(
                &format!("/api/teams/{t}/clients/{c}/case-manager"),
                &lead,
                json!({"staff_id": m}),
            )
        })
        .collect();
    let results = join_all(tasks).await;
    let wins = results.iter().filter(|r| r.status == 200).count();
    assert_eq!(
        wins, 1,
        "exactly one assignment takes the last slot: {results:?}"
    );
    for r in results {
        if r.status != 200 {
            let p = r.problem(409, "caseload_full");
            assert_eq!(p["cap"], 15, "{p}");
            assert_eq!(p["current"], 15, "{p}");
        }
    }
    assert_eq!(caseload(&app, &t, &m).await, 15);
    let mut rest = 0;
    for o in &others {
        rest += caseload(&app, &t, o).await;
    }
    assert_eq!(
        rest, 29,
        "the refused clients stay with their case managers"
    );
    assert_counters_match(&app, &t).await;
}

async fn icm_cap_holds_under_concurrent_admission(app: TestApp) {
    let team = app.create_team("South ICM", "icm").await;
    let t = id(&team);
    let (_, lead) = app.member(&t, "leadadm", "lead").await;
    let m = staff(&app, &t, "busy.cm", "member").await;
    for i in 0..12 {
        admit(&app, &t, &lead, &format!("Held{i:02}"), &m).await;
    }
    let tasks: Vec<_> = (0..10)
        .map(|i| {
            app.post(
                &format!("/api/teams/{t}/clients"),
                &lead,
                json!({"given_name": "New", "family_name": format!("Admit{i}"), "status": "active", "case_manager_id": m}),
            )
        })
        .collect();
    let results = join_all(tasks).await;
    let created = results.iter().filter(|r| r.status == 201).count();
    assert_eq!(created, 3, "{results:?}");
    for r in results {
        if r.status != 201 {
            let p = r.problem(409, "caseload_full");
            assert_eq!(
                (p["cap"].as_i64(), p["current"].as_i64()),
                (Some(15), Some(15)),
                "{p}"
            );
        }
    }
    assert_eq!(caseload(&app, &t, &m).await, 15);
    let all = app
        .get(&format!("/api/teams/{t}/clients"), &lead)
        .await
        .expect(200);
    assert_eq!(
        all.as_array().unwrap().len(),
        15,
        "refused admissions leave no client behind"
    );
    assert_counters_match(&app, &t).await;
}

async fn icm_cap_refused_on_every_path(app: TestApp) {
    let team = app.create_team("Every Path ICM", "icm").await;
    let t = id(&team);
    let (lead_id, lead) = app.member(&t, "leadpath", "lead").await;
    let m = staff(&app, &t, "full.path", "member").await;
    let o = staff(&app, &t, "other.path", "member").await;
    let cpath = |c: &str| format!("/api/teams/{t}/clients/{c}");
    let mut held = vec![];
    for i in 0..14 {
        held.push(admit(&app, &t, &lead, &format!("Held{i:02}"), &m).await);
    }
    let d = admit(&app, &t, &lead, "Discharge", &m).await;
    assert_eq!(caseload(&app, &t, &m).await, 15);

    // Admission to a full case manager.
    let p = app
        .post(&format!("/api/teams/{t}/clients"), &lead, json!({"given_name": "A", "family_name": "Late", "status": "active", "case_manager_id": m}))
        .await
        .problem(409, "caseload_full");
    assert_eq!(
        (p["cap"].as_i64(), p["current"].as_i64()),
        (Some(15), Some(15)),
        "{p}"
    );

    // Reassignment by PATCH and by PUT.
    let x = admit(&app, &t, &lead, "Mover", &o).await;
    let p = app
        .patch(
            &cpath(&x),
            &lead,
            json!({"version": 1, "case_manager_id": m}),
        )
        .await
        .problem(409, "caseload_full");
    assert_eq!(p["current"], 15);
    app.put(
        &format!("{}/case-manager", cpath(&x)),
        &lead,
        json!({"staff_id": m}),
    )
    .await
    .problem(409, "caseload_full");
    assert_eq!(
        app.get(&cpath(&x), &lead).await.expect(200)["case_manager_id"],
        o.as_str()
    );

    // Other changes to a full case manager's clients still work (no double counting).
    app.patch(
        &cpath(&held[0]),
        &lead,
        json!({"version": 1, "risk_tier": "high"}),
    )
    .await
    .expect(200);
    app.patch(
        &cpath(&held[0]),
        &lead,
        json!({"version": 2, "status": "transitioning"}),
    )
    .await
    .expect(200);
    app.patch(
        &cpath(&held[0]),
        &lead,
        json!({"version": 3, "status": "active"}),
    )
    .await
    .expect(200);
    app.put(
        &format!("{}/case-manager", cpath(&held[1])),
        &lead,
        json!({"staff_id": m}),
    )
    .await
    .expect(200);
    assert_eq!(caseload(&app, &t, &m).await, 15);

    // Discharging frees a slot; the next assignment takes it.
    app.patch(
        &cpath(&d),
        &lead,
        json!({"version": 1, "status": "discharged"}),
    )
    .await
    .expect(200);
    assert_eq!(caseload(&app, &t, &m).await, 14);
    let moved = app
        .put(
            &format!("{}/case-manager", cpath(&x)),
            &lead,
            json!({"staff_id": m}),
        )
        .await
        .expect(200);
    assert_eq!(moved["case_manager_id"], m.as_str());
    assert_eq!(caseload(&app, &t, &m).await, 15);
    assert_eq!(caseload(&app, &t, &o).await, 0);

    // Reactivation of a discharged client whose case manager is full.
    let p = app
        .patch(&cpath(&d), &lead, json!({"version": 2, "status": "active"}))
        .await
        .problem(409, "caseload_full");
    assert_eq!(p["current"], 15);
    assert_eq!(
        app.get(&cpath(&d), &lead).await.expect(200)["status"],
        "discharged"
    );

    // Admission through screening: the move to active is refused at the cap.
    let sc = app
        .post(&format!("/api/teams/{t}/clients"), &lead, json!({"given_name": "Sam", "family_name": "Screened", "status": "screening", "case_manager_id": m}))
        .await
        .expect(201);
    app.patch(
        &cpath(&id(&sc)),
        &lead,
        json!({"version": 1, "status": "active"}),
    )
    .await
    .problem(409, "caseload_full");
    assert_eq!(caseload(&app, &t, &m).await, 15);

    // Transfer in from another team (the caller leads both).
    let other = app.create_team("Feeder ACT", "act").await;
    let ot = id(&other);
    app.put(
        &format!("/api/teams/{ot}/members/{lead_id}"),
        &app.admin_token,
        json!({"role": "lead"}),
    )
    .await
    .expect(200);
    let y = app
        .post(
            &format!("/api/teams/{ot}/clients"),
            &lead,
            json!({"given_name": "Yan", "family_name": "Transfer", "status": "active"}),
        )
        .await
        .expect(201);
    let y = id(&y);
    let transfer = format!("/api/teams/{ot}/clients/{y}/transfer");
    let p = app
        .post(
            &transfer,
            &lead,
            json!({"to_team_id": t, "case_manager_id": m}),
        )
        .await
        .problem(409, "caseload_full");
    assert_eq!(
        (p["cap"].as_i64(), p["current"].as_i64()),
        (Some(15), Some(15)),
        "{p}"
    );
    let still = app
        .get(&format!("/api/teams/{ot}/clients/{y}"), &lead)
        .await
        .expect(200);
    assert_eq!(
        still["team_id"],
        ot.as_str(),
        "a refused transfer leaves the client where it was"
    );
    app.get(&cpath(&y), &lead).await.problem(404, "not_found");
    // The receiving team is body input: an unknown one is a 422 naming the field, not a 404
    // (which would read as "this client is gone").
    invalid(
        app.post(
            &transfer,
            &lead,
            json!({"to_team_id": uuid::Uuid::new_v4(), "case_manager_id": m}),
        )
        .await,
        "to_team_id",
    );
    invalid(
        app.post(&transfer, &lead, json!({"to_team_id": t})).await,
        "case_manager_id",
    );
    // A lead of only the sending team may not transfer into a team where they are a member.
    let (half_id, half) = app.member(&ot, "halflead", "lead").await;
    app.put(
        &format!("/api/teams/{t}/members/{half_id}"),
        &app.admin_token,
        json!({"role": "member"}),
    )
    .await
    .expect(200);
    app.post(
        &transfer,
        &half,
        json!({"to_team_id": t, "case_manager_id": o}),
    )
    .await
    .problem(403, "forbidden");
    let done = app
        .post(
            &transfer,
            &lead,
            json!({"to_team_id": t, "case_manager_id": o}),
        )
        .await
        .expect(200);
    assert_eq!(done["team_id"], t.as_str());
    assert_eq!(done["case_manager_id"], o.as_str());
    assert_eq!(caseload(&app, &t, &o).await, 1);
    assert_eq!(caseload(&app, &t, &m).await, 15);

    // An active ICM client needs a case manager.
    invalid(
        app.post(
            &format!("/api/teams/{t}/clients"),
            &lead,
            json!({"given_name": "No", "family_name": "Manager", "status": "active"}),
        )
        .await,
        "case_manager_id",
    );
    let v = app.get(&cpath(&held[2]), &lead).await.expect(200)["version"]
        .as_i64()
        .unwrap();
    invalid(
        app.patch(
            &cpath(&held[2]),
            &lead,
            json!({"version": v, "case_manager_id": null}),
        )
        .await,
        "case_manager_id",
    );
    assert_eq!(caseload(&app, &t, &m).await, 15);
    assert_counters_match(&app, &t).await;
}

async fn icm_cap_changes_and_act_has_no_cap(app: TestApp) {
    let team = app.create_team("Cap ICM", "icm").await;
    let t = id(&team);
    let (_, lead) = app.member(&t, "leadcap", "lead").await;
    let m = staff(&app, &t, "twelve", "member").await;
    let o = staff(&app, &t, "three", "member").await;
    for i in 0..12 {
        admit(&app, &t, &lead, &format!("M{i:02}"), &m).await;
    }
    for i in 0..3 {
        admit(&app, &t, &lead, &format!("O{i:02}"), &o).await;
    }
    let tpath = format!("/api/teams/{t}");
    let p = app
        .patch(&tpath, &lead, json!({"version": 1, "caseload_cap": 11}))
        .await
        .problem(409, "caseload_full");
    let over = p["over"]
        .as_array()
        .unwrap_or_else(|| panic!("no `over` in {p}"));
    assert_eq!(over.len(), 1, "{p}");
    assert_eq!(over[0]["staff_id"], m.as_str(), "{p}");
    assert_eq!(over[0]["current"], 12, "{p}");
    assert_eq!(
        app.get(&tpath, &lead).await.expect(200)["caseload_cap"],
        15,
        "refused cap change left the team as it was"
    );

    let lowered = app
        .patch(&tpath, &lead, json!({"version": 1, "caseload_cap": 12}))
        .await
        .expect(200);
    assert_eq!(lowered["caseload_cap"], 12);
    let p = app
        .post(&format!("/api/teams/{t}/clients"), &lead, json!({"given_name": "A", "family_name": "Thirteenth", "status": "active", "case_manager_id": m}))
        .await
        .problem(409, "caseload_full");
    assert_eq!(
        (p["cap"].as_i64(), p["current"].as_i64()),
        (Some(12), Some(12)),
        "{p}"
    );
    let raised = app
        .patch(&tpath, &lead, json!({"version": 2, "caseload_cap": 14}))
        .await
        .expect(200);
    assert_eq!(raised["caseload_cap"], 14);
    admit(&app, &t, &lead, "Thirteenth", &m).await;
    assert_eq!(caseload(&app, &t, &m).await, 13);
    assert_counters_match(&app, &t).await;

    // ACT: one shared caseload, no cap.
    let act = app.create_team("Shared ACT", "act").await;
    let a = id(&act);
    let (_, alead) = app.member(&a, "leadact", "lead").await;
    let p = staff(&app, &a, "everyone", "member").await;
    for i in 0..18 {
        admit(&app, &a, &alead, &format!("A{i:02}"), &p).await;
    }
    let q = staff(&app, &a, "someone", "member").await;
    for i in 0..2 {
        let c = admit(&app, &a, &alead, &format!("B{i:02}"), &q).await;
        app.put(
            &format!("/api/teams/{a}/clients/{c}/case-manager"),
            &alead,
            json!({"staff_id": p}),
        )
        .await
        .expect(200);
    }
    assert_eq!(caseload(&app, &a, &p).await, 20);
}

// ---------------------------------------------------------------------------------------
// 3. Contacts
// ---------------------------------------------------------------------------------------

async fn contacts_idempotent_put_patch_and_filters(app: TestApp) {
    let team = app.create_team("Contacts", "act").await;
    let t = id(&team);
    let (_, lead) = app.member(&t, "leadc", "lead").await;
    let (s1, m1) = app.member(&t, "visitor1", "member").await;
    let (s2, _) = app.member(&t, "visitor2", "member").await;
    let (_, viewer) = app.member(&t, "viewerc", "viewer").await;
    let c1 = id(&refer(&app, &t, &lead, "Ann", "One").await);
    let c2 = id(&refer(&app, &t, &lead, "Ben", "Two").await);
    let k1 = new_id();
    let kpath = |k: &str| format!("/api/teams/{t}/contacts/{k}");

    let mut body = visit(&c1, &[&s1], "2026-10-14", "completed");
    body["note"] = json!("brought groceries");
    let first = app.put(&kpath(&k1), &m1, body.clone()).await.expect(201);
    assert_eq!(first["id"], k1.as_str());
    assert_eq!(first["client_id"], c1.as_str());
    assert_eq!(first["staff_ids"], json!([s1]));
    assert_eq!(
        (
            first["day"].as_str(),
            first["start"].as_str(),
            first["end"].as_str()
        ),
        (Some("2026-10-14"), Some("09:00"), Some("10:00"))
    );
    assert_eq!(first["kind"], "face_to_face");
    assert_eq!(first["status"], "completed");
    assert_eq!(first["minutes"], 60);
    assert_eq!(first["note"], "brought groceries");
    assert_eq!(first["version"], 1);
    assert_eq!(first["created_by"], s1.as_str());
    // 09:00 EDT on 2026-10-14 is 13:00 UTC.
    assert_eq!(first["occurred_at"], "2026-10-14T13:00:00.000000Z");

    // An identical retry: 200 and the same stored contact.
    let again = app.put(&kpath(&k1), &m1, body.clone()).await.expect(200);
    assert_eq!(again, first);
    // The same id with other content: 409 conflict, nothing changed.
    let mut other = body.clone();
    other["minutes"] = json!(45);
    app.put(&kpath(&k1), &m1, other)
        .await
        .problem(409, "conflict");
    let stored = app
        .get(&format!("/api/teams/{t}/contacts?client_id={c1}"), &m1)
        .await
        .expect(200);
    assert_eq!(stored.as_array().unwrap().len(), 1);
    assert_eq!(stored[0]["minutes"], 60);
    // Viewers do not log contacts.
    app.put(
        &kpath(&new_id()),
        &viewer,
        visit(&c1, &[&s1], "2026-10-14", "planned"),
    )
    .await
    .problem(403, "forbidden");

    // PATCH with the version.
    let p = app
        .patch(
            &kpath(&k1),
            &m1,
            json!({"version": 1, "minutes": 50, "note": null}),
        )
        .await
        .expect(200);
    assert_eq!(
        (p["version"].as_i64(), p["minutes"].as_i64()),
        (Some(2), Some(50))
    );
    assert_eq!(p["note"], Value::Null);
    let stale = app
        .patch(&kpath(&k1), &m1, json!({"version": 1, "minutes": 5}))
        .await
        .problem(409, "version_conflict");
    assert_eq!(stale["current"]["version"], 2);
    assert_eq!(stale["current"]["minutes"], 50);
    invalid(
        app.patch(&kpath(&k1), &m1, json!({"version": 2, "start": "11:00"}))
            .await,
        "end",
    );
    app.patch(&kpath(&new_id()), &m1, json!({"version": 1, "minutes": 5}))
        .await
        .problem(404, "not_found");
    // The original body is no longer a retry of what is stored.
    app.put(&kpath(&k1), &m1, body)
        .await
        .problem(409, "conflict");

    // Filters.
    let k2 = new_id();
    let mut b2 = visit(&c2, &[&s2], "2026-10-14", "planned");
    b2["start"] = json!("11:00");
    b2["end"] = json!("11:30");
    app.put(&kpath(&k2), &m1, b2).await.expect(201);
    let k3 = new_id();
    app.put(
        &kpath(&k3),
        &m1,
        visit(&c1, &[&s1, &s2], "2026-10-15", "planned"),
    )
    .await
    .expect(201);
    let ids = |v: Value| -> BTreeSet<String> { v.as_array().unwrap().iter().map(id).collect() };
    let set = |v: &[&String]| -> BTreeSet<String> { v.iter().map(|s| s.to_string()).collect() };
    let list = |q: String| app.get(&format!("/api/teams/{t}/contacts?{q}"), &m1);
    assert_eq!(
        ids(list("day=2026-10-14".into()).await.expect(200)),
        set(&[&k1, &k2])
    );
    assert_eq!(
        ids(list(format!("client_id={c1}")).await.expect(200)),
        set(&[&k1, &k3])
    );
    assert_eq!(
        ids(list(format!("staff_id={s2}")).await.expect(200)),
        set(&[&k2, &k3])
    );
    assert_eq!(
        ids(list(format!("day=2026-10-15&staff_id={s1}"))
            .await
            .expect(200)),
        set(&[&k3])
    );
    assert_eq!(
        ids(list(format!("day=2026-10-14&client_id={c2}"))
            .await
            .expect(200)),
        set(&[&k2])
    );
    assert_eq!(
        ids(list("day=2026-10-16".into()).await.expect(200)),
        BTreeSet::new()
    );
    let k3row = list(format!("day=2026-10-15")).await.expect(200);
    let mut both = vec![s1.clone(), s2.clone()];
    both.sort();
    assert_eq!(k3row[0]["staff_ids"], json!(both));
    unreadable(list("day=2026-02-30".into()).await);
}

async fn contacts_validated(app: TestApp) {
    let team = app.create_team("Contact Rules", "act").await;
    let t = id(&team);
    let (_, lead) = app.member(&t, "leadcv", "lead").await;
    let (s1, m1) = app.member(&t, "visitorcv", "member").await;
    let (viewer_id, _) = app.member(&t, "viewercv", "viewer").await;
    let c1 = id(&refer(&app, &t, &lead, "Ann", "Valid").await);
    let elsewhere = app.create_team("Elsewhere", "act").await;
    let e = id(&elsewhere);
    let (outsider, _) = app.member(&e, "outsidercv", "member").await;
    let foreign_client = id(&refer(&app, &e, &app.admin_token, "Far", "Away").await);

    let good = visit(&c1, &[&s1], "2026-10-14", "completed");
    let put = |body: Value| app.put(&format!("/api/teams/{t}/contacts/{}", new_id()), &m1, body);
    let with = |k: &str, v: Value| {
        let mut b = good.clone();
        b[k] = v;
        b
    };
    invalid(put(with("kind", json!("teleport"))).await, "kind");
    invalid(put(with("place", json!("moon"))).await, "place");
    invalid(put(with("status", json!("maybe"))).await, "status");
    invalid(put(with("start", json!("9:00"))).await, "start");
    invalid(put(with("end", json!("08:00"))).await, "end");
    invalid(put(with("end", json!("09:00"))).await, "end");
    invalid(put(with("minutes", json!(1441))).await, "minutes");
    invalid(put(with("minutes", json!(-1))).await, "minutes");
    invalid(put(with("day", json!("2026-02-30"))).await, "day");
    invalid(put(with("day", json!("2026-2-3"))).await, "day");
    invalid(put(with("activity", json!("  "))).await, "activity");
    invalid(put(with("staff_ids", json!([]))).await, "staff_ids");
    invalid(put(with("staff_ids", json!([outsider]))).await, "staff_ids");
    invalid(put(with("staff_ids", json!([new_id()]))).await, "staff_ids");
    invalid(
        put(with("staff_ids", json!([viewer_id]))).await,
        "staff_ids",
    );
    invalid(
        put(with("client_id", json!(foreign_client))).await,
        "client_id",
    );
    invalid(put(with("client_id", json!(new_id()))).await, "client_id");
    let p = put(with("mood", json!("good")))
        .await
        .problem(422, "validation_failed");
    assert!(p.to_string().contains("mood"), "{p}");
    // Several problems at once are reported together.
    let mut many = good.clone();
    many["day"] = json!("2026-11-31");
    many["start"] = json!("10:00");
    many["end"] = json!("09:00");
    many["minutes"] = json!(2000);
    let p = put(many).await.problem(422, "validation_failed");
    let f = fields(&p);
    for want in ["day", "end", "minutes"] {
        assert!(f.iter().any(|x| x == want), "{want} missing in {p}");
    }
    // None of them was stored.
    let team_id = t.clone();
    let stored = db(&app, move |c| {
        contacts::table
            .filter(contacts::team_id.eq(team_id))
            .count()
            .get_result::<i64>(c)
            .unwrap()
    })
    .await;
    assert_eq!(stored, 0);
    put(good).await.expect(201);
}

async fn contacts_reassign_moves_only_that_days_planned_visits(app: TestApp) {
    let team = app.create_team("Reassign", "act").await;
    let t = id(&team);
    let (_, lead) = app.member(&t, "leadra", "lead").await;
    let (s1, m1) = app.member(&t, "sick", "member").await;
    let (s2, _) = app.member(&t, "cover", "member").await;
    let (s3, _) = app.member(&t, "partner", "member").await;
    let (viewer_id, _) = app.member(&t, "viewerra", "viewer").await;
    let c = id(&refer(&app, &t, &lead, "Ann", "Visited").await);
    let day = "2026-10-20";
    let kpath = |k: &str| format!("/api/teams/{t}/contacts/{k}");
    let mut planned_a = visit(&c, &[&s1], day, "planned");
    planned_a["start"] = json!("08:00");
    planned_a["end"] = json!("08:30");
    let (pa, pb, done, next_day, others) = (new_id(), new_id(), new_id(), new_id(), new_id());
    app.put(&kpath(&pa), &m1, planned_a).await.expect(201);
    app.put(&kpath(&pb), &m1, visit(&c, &[&s1, &s3], day, "planned"))
        .await
        .expect(201);
    app.put(&kpath(&done), &m1, visit(&c, &[&s1], day, "completed"))
        .await
        .expect(201);
    app.put(
        &kpath(&next_day),
        &m1,
        visit(&c, &[&s1], "2026-10-21", "planned"),
    )
    .await
    .expect(201);
    app.put(&kpath(&others), &m1, visit(&c, &[&s3], day, "planned"))
        .await
        .expect(201);

    let rpath = format!("/api/teams/{t}/contacts/reassign");
    let body = json!({"day": day, "from_staff_id": s1, "to_staff_id": s2});
    app.post(&rpath, &m1, body.clone())
        .await
        .problem(403, "forbidden");
    invalid(
        app.post(
            &rpath,
            &lead,
            json!({"day": day, "from_staff_id": s1, "to_staff_id": viewer_id}),
        )
        .await,
        "to_staff_id",
    );
    invalid(
        app.post(
            &rpath,
            &lead,
            json!({"day": "2026-10-32", "from_staff_id": s1, "to_staff_id": s2}),
        )
        .await,
        "day",
    );
    let seq_before = last_seq(&app, &t, &lead).await;
    let r = app.post(&rpath, &lead, body.clone()).await.expect(200);
    assert_eq!(r["moved"], 2, "{r}");
    assert_eq!(
        last_seq(&app, &t, &lead).await,
        seq_before + 1,
        "one reassignment, one event"
    );

    let all = app
        .get(&format!("/api/teams/{t}/contacts?limit=100"), &lead)
        .await
        .expect(200);
    let by: HashMap<String, Value> = all
        .as_array()
        .unwrap()
        .iter()
        .map(|c| (id(c), c.clone()))
        .collect();
    let sorted = |v: &[&String]| {
        let mut x: Vec<String> = v.iter().map(|s| s.to_string()).collect();
        x.sort();
        json!(x)
    };
    assert_eq!(by[&pa]["staff_ids"], json!([s2]));
    assert_eq!(by[&pb]["staff_ids"], sorted(&[&s2, &s3]));
    assert_eq!(by[&pa]["version"], 2);
    assert_eq!(
        by[&done]["staff_ids"],
        json!([s1]),
        "completed visits stay with who made them"
    );
    assert_eq!(by[&done]["version"], 1);
    assert_eq!(
        by[&next_day]["staff_ids"],
        json!([s1]),
        "other days are untouched"
    );
    assert_eq!(by[&others]["staff_ids"], json!([s3]));
    // Nothing left to move.
    assert_eq!(app.post(&rpath, &lead, body).await.expect(200)["moved"], 0);
}

async fn contacts_concurrent_identical_puts_store_one(app: TestApp) {
    let team = app.create_team("Retries", "act").await;
    let t = id(&team);
    let (_, lead) = app.member(&t, "leadrt", "lead").await;
    let (s1, m1) = app.member(&t, "phone", "member").await;
    let c = id(&refer(&app, &t, &lead, "Ann", "Retry").await);
    let k = new_id();
    let body = visit(&c, &[&s1], "2026-10-14", "completed");
    let tasks: Vec<_> = (0..8)
        .map(|_| app.put(&format!("/api/teams/{t}/contacts/{k}"), &m1, body.clone()))
        .collect();
    let results = join_all(tasks).await;
    let created = results.iter().filter(|r| r.status == 201).count();
    let same = results.iter().filter(|r| r.status == 200).count();
    assert_eq!((created, same), (1, 7), "{results:?}");
    let first = &results[0].body;
    assert!(
        results.iter().all(|r| &r.body == first),
        "every answer is the one stored contact: {results:?}"
    );
    let k2 = k.clone();
    let (rows, staff_rows, created_events) = db(&app, move |conn| {
        let rows = contacts::table
            .filter(contacts::id.eq(&k2))
            .count()
            .get_result::<i64>(conn)
            .unwrap();
        let staff_rows = contact_staff::table
            .filter(contact_staff::contact_id.eq(&k2))
            .count()
            .get_result::<i64>(conn)
            .unwrap();
        let ev = events::table
            .filter(events::kind.eq("contact.created"))
            .count()
            .get_result::<i64>(conn)
            .unwrap();
        (rows, staff_rows, ev)
    })
    .await;
    assert_eq!((rows, staff_rows, created_events), (1, 1, 1));
}

// ---------------------------------------------------------------------------------------
// 4. Crisis flags
// ---------------------------------------------------------------------------------------

async fn flags_raise_acknowledge_resolve(app: TestApp) {
    let team = app.create_team("Flags", "act").await;
    let t = id(&team);
    let (_, lead) = app.member(&t, "leadf", "lead").await;
    let (m1_id, m1) = app.member(&t, "raiser", "member").await;
    let (m2_id, m2) = app.member(&t, "responder", "member").await;
    let (_, viewer) = app.member(&t, "viewerf", "viewer").await;
    let c1 = id(&refer(&app, &t, &lead, "Ann", "Flagged").await);
    let c2 = id(&refer(&app, &t, &lead, "Ben", "Flagged").await);
    let c3 = id(&refer(&app, &t, &lead, "Cat", "Flagged").await);
    let raise = |c: &str, tok: &str, sev: &str| {
        app.post(
            &format!("/api/teams/{t}/clients/{c}/flags"),
            tok,
            json!({"severity": sev, "reason": format!("{sev} concern")}),
        )
    };

    let watch = raise(&c1, &m1, "watch").await.expect(201);
    assert_eq!(watch["client_id"], c1.as_str());
    assert_eq!(watch["severity"], "watch");
    assert_eq!(watch["reason"], "watch concern");
    assert_eq!(watch["raised_by"], m1_id.as_str());
    assert!(watch["raised_at"].is_string());
    for k in [
        "acknowledged_by",
        "acknowledged_at",
        "resolved_by",
        "resolved_at",
        "outcome",
    ] {
        assert_eq!(watch[k], Value::Null, "{k}");
    }
    let emergency = raise(&c2, &m1, "emergency").await.expect(201);
    let urgent_resolved = raise(&c3, &m1, "urgent").await.expect(201);
    let urgent_open = raise(&c1, &m2, "urgent").await.expect(201);

    raise(&c1, &viewer, "watch").await.problem(403, "forbidden");
    invalid(raise(&c1, &m1, "apocalyptic").await, "severity");
    invalid(
        app.post(
            &format!("/api/teams/{t}/clients/{c1}/flags"),
            &m1,
            json!({"severity": "watch", "reason": "  "}),
        )
        .await,
        "reason",
    );
    app.post(
        &format!("/api/teams/{t}/clients/{}/flags", new_id()),
        &m1,
        json!({"severity": "watch", "reason": "x"}),
    )
    .await
    .problem(404, "not_found");

    let fpath = |f: &Value, action: &str| format!("/api/teams/{t}/flags/{}/{action}", id(f));
    let ack = app
        .post(&fpath(&emergency, "acknowledge"), &m2, json!({}))
        .await
        .expect(200);
    assert_eq!(ack["acknowledged_by"], m2_id.as_str());
    assert!(ack["acknowledged_at"].is_string());
    assert_eq!(ack["resolved_at"], Value::Null);
    app.post(&fpath(&emergency, "acknowledge"), &viewer, json!({}))
        .await
        .problem(403, "forbidden");

    let res = app
        .post(
            &fpath(&urgent_resolved, "resolve"),
            &m1,
            json!({"outcome": "seen at home, safe"}),
        )
        .await
        .expect(200);
    assert_eq!(res["resolved_by"], m1_id.as_str());
    assert_eq!(res["outcome"], "seen at home, safe");
    assert!(res["resolved_at"].is_string());
    app.post(
        &fpath(&urgent_resolved, "resolve"),
        &m2,
        json!({"outcome": "again"}),
    )
    .await
    .problem(409, "conflict");
    app.post(&fpath(&urgent_resolved, "acknowledge"), &m2, json!({}))
        .await
        .problem(409, "conflict");
    invalid(
        app.post(&fpath(&watch, "resolve"), &m1, json!({"outcome": ""}))
            .await,
        "outcome",
    );
    app.post(
        &format!("/api/teams/{t}/flags/{}/resolve", new_id()),
        &m1,
        json!({"outcome": "x"}),
    )
    .await
    .problem(404, "not_found");

    let open = app
        .get(&format!("/api/teams/{t}/flags?open=true"), &viewer)
        .await
        .expect(200);
    let sev: Vec<&str> = open
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["severity"].as_str().unwrap())
        .collect();
    assert_eq!(sev, vec!["emergency", "urgent", "watch"], "{open}");
    assert!(open
        .as_array()
        .unwrap()
        .iter()
        .all(|f| f["resolved_at"].is_null()));
    let open_ids: Vec<String> = open.as_array().unwrap().iter().map(id).collect();
    assert_eq!(open_ids, vec![id(&emergency), id(&urgent_open), id(&watch)]);
    let closed = app
        .get(&format!("/api/teams/{t}/flags?open=false"), &viewer)
        .await
        .expect(200);
    assert_eq!(
        closed
            .as_array()
            .unwrap()
            .iter()
            .map(id)
            .collect::<Vec<_>>(),
        vec![id(&urgent_resolved)]
    );
}

// ---------------------------------------------------------------------------------------
// 5. On-call shifts
// ---------------------------------------------------------------------------------------

async fn oncall_shifts_in_team_local_time(app: TestApp) {
    let team = app.create_team("On Call", "act").await;
    let t = id(&team);
    let (_, lead) = app.member(&t, "leadoc", "lead").await;
    let (m_id, m) = app.member(&t, "nightnurse", "member").await;
    let (v_id, _) = app.member(&t, "vieweroc", "viewer").await;
    let spath = format!("/api/teams/{t}/oncall/shifts");
    let shift = |s: &str, e: &str| json!({"staff_id": m_id, "starts_local": s, "ends_local": e});

    // Spring forward: 02:30 does not exist on 2026-03-08 in New York.
    let p = invalid(
        app.post(&spath, &lead, shift("2026-03-08T02:30", "2026-03-08T08:00"))
            .await,
        "starts_local",
    );
    let msg = p.to_string().to_lowercase();
    assert!(
        msg.contains("does not exist") && msg.contains("daylight"),
        "the DST gap is explained: {p}"
    );

    // Fall back: 01:30 happens twice on 2026-11-01; the earlier instant (EDT) is taken.
    let s = app
        .post(&spath, &lead, shift("2026-11-01T01:30", "2026-11-01T09:00"))
        .await
        .expect(201);
    assert_eq!(s["starts_at"], "2026-11-01T05:30:00.000000Z");
    assert_eq!(s["ends_at"], "2026-11-01T14:00:00.000000Z");
    assert_eq!(s["staff_id"], m_id.as_str());

    // Overlap.
    app.post(&spath, &lead, shift("2026-11-01T08:00", "2026-11-01T12:00"))
        .await
        .problem(409, "conflict");
    let mut allowed = shift("2026-11-01T08:00", "2026-11-01T12:00");
    allowed["allow_overlap"] = json!(true);
    app.post(&spath, &lead, allowed).await.expect(201);
    // Back to back is not an overlap.
    app.post(&spath, &lead, shift("2026-11-01T12:00", "2026-11-01T18:00"))
        .await
        .expect(201);

    // Bad input.
    invalid(
        app.post(&spath, &lead, shift("2026-11-02T10:00", "2026-11-02T09:00"))
            .await,
        "ends_local",
    );
    invalid(
        app.post(&spath, &lead, shift("2026-11-02 10:00", "2026-11-02T12:00"))
            .await,
        "starts_local",
    );
    invalid(app.post(&spath, &lead, json!({"staff_id": v_id, "starts_local": "2026-11-03T10:00", "ends_local": "2026-11-03T12:00"})).await, "staff_id");
    app.post(&spath, &m, shift("2026-11-04T10:00", "2026-11-04T12:00"))
        .await
        .problem(403, "forbidden");

    // Nobody on call now.
    let now_path = format!("/api/teams/{t}/oncall/now");
    app.get(&now_path, &m).await.problem(404, "not_found");
    let cur = app
        .post(&spath, &lead, shift(&ny_local(-60), &ny_local(60)))
        .await
        .expect(201);
    let now = app.get(&now_path, &m).await.expect(200);
    assert_eq!(now["id"], cur["id"]);
    assert_eq!(now["staff_id"], m_id.as_str());
}

// ---------------------------------------------------------------------------------------
// 6. Handoffs
// ---------------------------------------------------------------------------------------

async fn handoffs_only_receiver_acknowledges(app: TestApp) {
    let team = app.create_team("Handoffs", "act").await;
    let t = id(&team);
    let (_, lead) = app.member(&t, "leadho", "lead").await;
    let (from_id, from) = app.member(&t, "dayshift", "member").await;
    let (to_id, to) = app.member(&t, "nightshift", "member").await;
    let (_, bystander) = app.member(&t, "bystander", "member").await;
    let (viewer_id, viewer) = app.member(&t, "viewerho", "viewer").await;
    let c1 = id(&refer(&app, &t, &lead, "Ann", "Handed").await);
    let c2 = id(&refer(&app, &t, &lead, "Ben", "Handed").await);
    let other = app.create_team("Other", "act").await;
    let foreign = id(&refer(&app, &id(&other), &app.admin_token, "Far", "Away").await);
    let hpath = format!("/api/teams/{t}/handoffs");
    let item = |c: &str, sev: &str| json!({"client_id": c, "severity": sev, "summary": "stable on meds", "actions": ["call pharmacy"], "contingency": "if no answer, visit"});

    let h = app
        .post(
            &hpath,
            &from,
            json!({"to_staff_id": to_id, "items": [item(&c1, "unstable"), item(&c2, "watcher")]}),
        )
        .await
        .expect(201);
    assert_eq!(h["from_staff_id"], from_id.as_str());
    assert_eq!(h["to_staff_id"], to_id.as_str());
    assert_eq!(h["acknowledged_at"], Value::Null);
    let items = h["items"].as_array().unwrap();
    assert_eq!(items.len(), 2);
    assert_eq!(
        (
            items[0]["client_id"].as_str(),
            items[0]["severity"].as_str()
        ),
        (Some(c1.as_str()), Some("unstable"))
    );
    assert_eq!(
        (
            items[1]["client_id"].as_str(),
            items[1]["severity"].as_str()
        ),
        (Some(c2.as_str()), Some("watcher"))
    );
    assert_eq!(items[0]["actions"], json!(["call pharmacy"]));
    assert_eq!(items[0]["contingency"], "if no answer, visit");

    invalid(
        app.post(
            &hpath,
            &from,
            json!({"to_staff_id": to_id, "items": [item(&c1, "critical")]}),
        )
        .await,
        "items[0].severity",
    );
    invalid(
        app.post(
            &hpath,
            &from,
            json!({"to_staff_id": to_id, "items": [item(&c1, "stable"), item(&foreign, "stable")]}),
        )
        .await,
        "items[1].client_id",
    );
    invalid(
        app.post(
            &hpath,
            &from,
            json!({"to_staff_id": to_id, "items": [item(&foreign, "stable")]}),
        )
        .await,
        "items[0].client_id",
    );
    invalid(
        app.post(&hpath, &from, json!({"to_staff_id": to_id, "items": []}))
            .await,
        "items",
    );
    invalid(
        app.post(
            &hpath,
            &from,
            json!({"to_staff_id": viewer_id, "items": [item(&c1, "stable")]}),
        )
        .await,
        "to_staff_id",
    );
    app.post(
        &hpath,
        &viewer,
        json!({"to_staff_id": to_id, "items": [item(&c1, "stable")]}),
    )
    .await
    .problem(403, "forbidden");

    let ack = format!("{hpath}/{}/acknowledge", id(&h));
    for other in [&bystander, &from, &lead, &app.admin_token] {
        app.post(&ack, other, json!({"synthesis": "got it"}))
            .await
            .problem(403, "forbidden");
    }
    invalid(
        app.post(&ack, &to, json!({"synthesis": " "})).await,
        "synthesis",
    );
    let done = app
        .post(
            &ack,
            &to,
            json!({"synthesis": "Ann unstable: call pharmacy; Ben watcher"}),
        )
        .await
        .expect(200);
    assert!(done["acknowledged_at"].is_string());
    assert_eq!(
        done["synthesis"],
        "Ann unstable: call pharmacy; Ben watcher"
    );
    app.post(&ack, &to, json!({"synthesis": "again"}))
        .await
        .problem(409, "conflict");
    app.post(
        &format!("{hpath}/{}/acknowledge", new_id()),
        &to,
        json!({"synthesis": "x"}),
    )
    .await
    .problem(404, "not_found");
}

// ---------------------------------------------------------------------------------------
// 7. Huddle reviews and the board
// ---------------------------------------------------------------------------------------

async fn huddle_reviews_are_idempotent_and_shown(app: TestApp) {
    let team = app.create_team("Huddle", "act").await;
    let t = id(&team);
    let (_, lead) = app.member(&t, "leadhu", "lead").await;
    let (m1_id, m1) = app.member(&t, "huddler1", "member").await;
    let (_, m2) = app.member(&t, "huddler2", "member").await;
    let (_, viewer) = app.member(&t, "viewerhu", "viewer").await;
    let a = id(&refer(&app, &t, &lead, "Ann", "Alpha").await);
    let b = id(&refer(&app, &t, &lead, "Ben", "Beta").await);
    let c = id(&refer(&app, &t, &lead, "Cat", "Gamma").await);
    let day = "2026-10-14";
    let rpath = |c: &str| format!("/api/teams/{t}/huddle/{day}/reviews/{c}");

    let r = app.put(&rpath(&a), &m1, json!({})).await.expect(200);
    assert_eq!(
        (
            r["day"].as_str(),
            r["client_id"].as_str(),
            r["reviewed_by"].as_str()
        ),
        (Some(day), Some(a.as_str()), Some(m1_id.as_str()))
    );
    let seq = last_seq(&app, &t, &lead).await;
    let again = app.put(&rpath(&a), &m2, json!({})).await.expect(200);
    assert_eq!(again, r, "marking twice changes nothing");
    assert_eq!(last_seq(&app, &t, &lead).await, seq, "and appends no event");
    app.put(&rpath(&b), &m2, json!({})).await.expect(200);
    app.put(&rpath(&c), &viewer, json!({}))
        .await
        .problem(403, "forbidden");
    app.put(&rpath(&new_id()), &m1, json!({}))
        .await
        .problem(404, "not_found");
    unreadable(
        app.put(
            &format!("/api/teams/{t}/huddle/2026-13-01/reviews/{c}"),
            &m1,
            json!({}),
        )
        .await,
    );

    let board = app
        .get(&format!("/api/teams/{t}/board?day={day}"), &viewer)
        .await
        .expect(200);
    assert_eq!(board["reviewed_count"], 2, "{board}");
    let reviewed: HashMap<String, bool> = board["clients"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| (id(c), c["reviewed"].as_bool().unwrap()))
        .collect();
    assert_eq!(reviewed.len(), 3);
    assert!(
        reviewed[&a] && reviewed[&b] && !reviewed[&c],
        "{reviewed:?}"
    );
    // Another day has its own huddle.
    let next = app
        .get(&format!("/api/teams/{t}/board?day=2026-10-15"), &viewer)
        .await
        .expect(200);
    assert_eq!(next["reviewed_count"], 0);
    assert!(next["clients"]
        .as_array()
        .unwrap()
        .iter()
        .all(|c| c["reviewed"] == false));
    // Unmark.
    assert_eq!(app.delete(&rpath(&b), &m1).await.status, 204);
    let board = app
        .get(&format!("/api/teams/{t}/board?day={day}"), &viewer)
        .await
        .expect(200);
    assert_eq!(board["reviewed_count"], 1);
}

async fn board_shape_order_and_week_counts(app: TestApp) {
    let team = app.create_team("Board", "act").await;
    let t = id(&team);
    let (lead_id, lead) = app.member(&t, "leadbo", "lead").await;
    let (m1_id, m1) = app.member(&t, "boarder1", "member").await;
    let (m2_id, m2) = app.member(&t, "boarder2", "member").await;
    // Family names in reverse alphabetical order of the severity order we expect.
    let zephyr = app
        .post(&format!("/api/teams/{t}/clients"), &lead, json!({"given_name": "Alice", "family_name": "Zephyr", "preferred_name": "Ally", "risk_tier": "high"}))
        .await
        .expect(201);
    let za = id(&zephyr);
    let young = id(&refer(&app, &t, &lead, "Bob", "Young").await);
    let xu = id(&refer(&app, &t, &lead, "Carol", "Xu").await);
    let walker = id(&refer(&app, &t, &lead, "Dan", "Walker").await);
    let gone = refer(&app, &t, &lead, "Erin", "Gone").await;
    app.patch(
        &format!("/api/teams/{t}/clients/{}", id(&gone)),
        &lead,
        json!({"version": 1, "status": "discharged"}),
    )
    .await
    .expect(200);

    let flag = |c: &str, sev: &str| {
        app.post(
            &format!("/api/teams/{t}/clients/{c}/flags"),
            &m1,
            json!({"severity": sev, "reason": "concern"}),
        )
    };
    flag(&walker, "watch").await.expect(201);
    flag(&young, "watch").await.expect(201);
    flag(&young, "urgent").await.expect(201);
    flag(&xu, "emergency").await.expect(201);
    let resolved = flag(&za, "emergency").await.expect(201);
    app.post(
        &format!("/api/teams/{t}/flags/{}/resolve", id(&resolved)),
        &m1,
        json!({"outcome": "fine"}),
    )
    .await
    .expect(200);

    // Week of Wednesday 2026-10-14: Monday 10-12 to Sunday 10-18 (EDT).
    let day = "2026-10-14";
    let put = |day: &str, status: &str, start: &str, kind: &str| {
        let mut b = visit(&za, &[&m1_id], day, status);
        b["start"] = json!(start);
        b["end"] = Value::Null;
        b["kind"] = json!(kind);
        app.put(&format!("/api/teams/{t}/contacts/{}", new_id()), &m1, b)
    };
    put("2026-10-11", "completed", "09:00", "face_to_face")
        .await
        .expect(201); // Sunday before
    put("2026-10-12", "completed", "09:00", "face_to_face")
        .await
        .expect(201); // Monday
    put("2026-10-18", "completed", "20:00", "phone")
        .await
        .expect(201); // Sunday
    put("2026-10-19", "completed", "09:00", "face_to_face")
        .await
        .expect(201); // next Monday
    put(day, "missed", "13:00", "face_to_face")
        .await
        .expect(201);
    put(day, "planned", "08:00", "face_to_face")
        .await
        .expect(201);
    put(day, "cancelled", "10:00", "face_to_face")
        .await
        .expect(201);
    let mut xu_visit = visit(&xu, &[&m2_id], day, "completed");
    xu_visit["start"] = json!("07:00");
    xu_visit["end"] = json!("07:30");
    app.put(
        &format!("/api/teams/{t}/contacts/{}", new_id()),
        &m2,
        xu_visit,
    )
    .await
    .expect(201);

    // On call now, and a handoff.
    app.post(
        &format!("/api/teams/{t}/oncall/shifts"),
        &lead,
        json!({"staff_id": m2_id, "starts_local": ny_local(-60), "ends_local": ny_local(60)}),
    )
    .await
    .expect(201);
    let h = app
        .post(&format!("/api/teams/{t}/handoffs"), &m1, json!({"to_staff_id": m2_id, "items": [{"client_id": xu, "severity": "unstable", "summary": "s", "actions": [], "contingency": "c"}]}))
        .await
        .expect(201);

    let board = app
        .get(&format!("/api/teams/{t}/board?day={day}"), &m1)
        .await
        .expect(200);
    assert_eq!(board["team"]["id"], t.as_str());
    assert_eq!(board["day"], day);
    assert!(board["seq"].is_i64(), "{board}");
    assert_eq!(board["on_call"]["staff_id"], m2_id.as_str(), "{board}");
    let hs = board["handoffs"].as_array().unwrap();
    assert_eq!(hs.len(), 1);
    assert_eq!(hs[0]["id"], id(&h).as_str());
    let staff_ids: BTreeSet<String> = board["staff"].as_array().unwrap().iter().map(id).collect();
    assert_eq!(
        staff_ids,
        [lead_id.clone(), m1_id.clone(), m2_id.clone()]
            .into_iter()
            .collect()
    );

    let cl = board["clients"].as_array().unwrap();
    let order: Vec<String> = cl.iter().map(id).collect();
    assert_eq!(
        order,
        vec![xu.clone(), young.clone(), walker.clone(), za.clone()],
        "flagged first, emergency first; discharged left out: {board}"
    );
    for c in cl {
        for k in [
            "id",
            "display_name",
            "initials",
            "status",
            "risk_tier",
            "case_manager_id",
            "open_flags",
            "today",
            "last_contact_at",
            "contacts_this_week",
            "reviewed",
        ] {
            assert!(c.get(k).is_some(), "client row lacks {k}: {c}");
        }
    }
    let young_row = &cl[1];
    let sev: Vec<&str> = young_row["open_flags"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["severity"].as_str().unwrap())
        .collect();
    assert_eq!(sev, vec!["urgent", "watch"]);

    let z = &cl[3];
    assert_eq!(z["display_name"], "Ally Zephyr");
    assert_eq!(z["initials"], "AZ");
    assert_eq!(z["risk_tier"], "high");
    assert_eq!(z["open_flags"], json!([]), "a resolved flag is not open");
    assert_eq!(
        z["contacts_this_week"], 2,
        "completed contacts Monday–Sunday only: {z}"
    );
    // The latest completed contact: Monday 2026-10-19 09:00 EDT.
    assert_eq!(z["last_contact_at"], "2026-10-19T13:00:00.000000Z");
    let today: Vec<(&str, &str)> = z["today"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| (c["start"].as_str().unwrap(), c["status"].as_str().unwrap()))
        .collect();
    assert_eq!(
        today,
        vec![
            ("08:00", "planned"),
            ("10:00", "cancelled"),
            ("13:00", "missed")
        ]
    );
    assert_eq!(cl[0]["contacts_this_week"], 1);
    assert_eq!(cl[0]["today"].as_array().unwrap().len(), 1);
    assert_eq!(cl[2]["contacts_this_week"], 0);
    assert_eq!(cl[2]["last_contact_at"], Value::Null);

    // The board's seq is the last event's.
    let ev = app
        .get(&format!("/api/teams/{t}/events?since=0&limit=1000"), &m1)
        .await
        .expect(200);
    let last = ev["events"].as_array().unwrap().last().unwrap()["seq"]
        .as_i64()
        .unwrap();
    assert_eq!(board["seq"].as_i64(), Some(last));
    assert_eq!(ev["last_seq"].as_i64(), Some(last));
    // Another week: the 10-19 contact counts there.
    let next = app
        .get(&format!("/api/teams/{t}/board?day=2026-10-21"), &m1)
        .await
        .expect(200);
    let z = next["clients"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["id"] == za.as_str())
        .unwrap()
        .clone();
    assert_eq!(z["contacts_this_week"], 1, "{z}");
    unreadable(
        app.get(&format!("/api/teams/{t}/board?day=2026-02-30"), &m1)
            .await,
    );
}

// ---------------------------------------------------------------------------------------
// 8. The event log
// ---------------------------------------------------------------------------------------

async fn event_log_gap_free_under_concurrent_writers(app: TestApp) {
    let team = app.create_team("Busy", "act").await;
    let t = id(&team);
    let (_, lead) = app.member(&t, "leadev", "lead").await;
    let c = id(&refer(&app, &t, &lead, "Ann", "Busy").await);
    let mut writers = vec![];
    for i in 0..8 {
        writers.push(app.member(&t, &format!("writer{i}"), "member").await);
    }
    let tasks: Vec<_> = writers
        .iter()
        .enumerate()
        .map(|(i, (sid, tok))| {
            let app = &app;
            let (t, c) = (t.clone(), c.clone());
            async move {
                let mut statuses = vec![];
                for n in 0..50 {
                    let r = if i % 2 == 0 {
                        app.post(
                            &format!("/api/teams/{t}/clients/{c}/flags"),
                            tok,
                            json!({"severity": "watch", "reason": format!("w{i} n{n}")}),
                        )
                        .await
                    } else {
                        app.put(
                            &format!("/api/teams/{t}/contacts/{}", new_id()),
                            tok,
                            visit(&c, &[sid], "2026-10-14", "completed"),
                        )
                        .await
                    };
                    statuses.push(r.status.as_u16());
                }
                statuses
            }
        })
        .collect();
    let results = join_all(tasks).await;
    for s in &results {
        assert!(s.iter().all(|x| *x == 201), "{results:?}");
    }

    let page = app
        .get(&format!("/api/teams/{t}/events?since=0&limit=1000"), &lead)
        .await
        .expect(200);
    let n = page["last_seq"].as_i64().unwrap();
    let seqs: Vec<i64> = page["events"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["seq"].as_i64().unwrap())
        .collect();
    assert_eq!(seqs, (1..=n).collect::<Vec<_>>(), "gap-free, no duplicates");
    let kinds = |k: &str| {
        page["events"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|e| e["kind"] == k)
            .count()
    };
    assert_eq!(kinds("flag.raised"), 200);
    assert_eq!(kinds("contact.created"), 200);
    let first = &page["events"][0];
    assert_eq!(first["kind"], "team.created");
    for k in ["seq", "kind", "data", "actor", "at"] {
        assert!(first.get(k).is_some(), "event lacks {k}: {first}");
    }
    let raised = page["events"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["kind"] == "flag.raised")
        .unwrap();
    assert_eq!(raised["actor"], raised["data"]["raised_by"]);
    let team_id = t.clone();
    let in_db = db(&app, move |conn| {
        events::table
            .filter(events::team_id.eq(team_id))
            .count()
            .get_result::<i64>(conn)
            .unwrap()
    })
    .await;
    assert_eq!(in_db, n);

    // Limits.
    invalid(
        app.get(&format!("/api/teams/{t}/events?since=0&limit=1001"), &lead)
            .await,
        "limit",
    );
    invalid(
        app.get(&format!("/api/teams/{t}/events?since=0&limit=0"), &lead)
            .await,
        "limit",
    );
    invalid(
        app.get(&format!("/api/teams/{t}/events?since=-1"), &lead)
            .await,
        "since",
    );
    unreadable(
        app.get(&format!("/api/teams/{t}/events?since=abc"), &lead)
            .await,
    );

    // Paging with since.
    let mut since = 0;
    let mut paged = vec![];
    loop {
        let p = app
            .get(
                &format!("/api/teams/{t}/events?since={since}&limit=97"),
                &lead,
            )
            .await
            .expect(200);
        let ev = p["events"].as_array().unwrap();
        if ev.is_empty() {
            break;
        }
        assert!(ev.len() <= 97);
        paged.extend(ev.iter().map(|e| e["seq"].as_i64().unwrap()));
        since = *paged.last().unwrap();
    }
    assert_eq!(paged, (1..=n).collect::<Vec<_>>());
    let tail = app
        .get(
            &format!("/api/teams/{t}/events?since={}&limit=5", n - 10),
            &lead,
        )
        .await
        .expect(200);
    let tail: Vec<i64> = tail["events"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["seq"].as_i64().unwrap())
        .collect();
    assert_eq!(tail, (n - 9..=n - 5).collect::<Vec<_>>());
    let none = app
        .get(&format!("/api/teams/{t}/events?since={n}"), &lead)
        .await
        .expect(200);
    assert_eq!(none["events"], json!([]));
}

// ---------------------------------------------------------------------------------------
// 9. Isolation between teams
// ---------------------------------------------------------------------------------------

async fn other_teams_records_are_invisible(app: TestApp) {
    let a = id(&app.create_team("Team A", "act").await);
    let b = id(&app.create_team("Team B", "act").await);
    let (_, a_lead) = app.member(&a, "alead", "lead").await;
    let (a_member, _) = app.member(&a, "amember", "member").await;
    let (_, b_lead) = app.member(&b, "blead", "lead").await;
    let (b_member_id, b_member) = app.member(&b, "bmember", "member").await;
    let ca = id(&refer(&app, &a, &a_lead, "Ann", "Ours").await);
    let cb = id(&refer(&app, &b, &b_lead, "Ben", "Theirs").await);
    let kb = new_id();
    app.put(
        &format!("/api/teams/{b}/contacts/{kb}"),
        &b_member,
        visit(&cb, &[&b_member_id], "2026-10-14", "planned"),
    )
    .await
    .expect(201);
    let fb = id(&app
        .post(
            &format!("/api/teams/{b}/clients/{cb}/flags"),
            &b_member,
            json!({"severity": "urgent", "reason": "r"}),
        )
        .await
        .expect(201));
    let hb = id(&app
        .post(&format!("/api/teams/{b}/handoffs"), &b_lead, json!({"to_staff_id": b_member_id, "items": [{"client_id": cb, "severity": "watcher", "summary": "s"}]}))
        .await
        .expect(201));
    let b_tokens_before = app
        .get(&format!("/api/teams/{b}/events?since=0"), &b_lead)
        .await
        .expect(200)["last_seq"]
        .as_i64()
        .unwrap();

    // Through team B's paths: everything is 404, as if B did not exist.
    let nf = |r: Resp| {
        r.problem(404, "not_found");
    };
    let tok = a_lead.as_str();
    nf(app.get(&format!("/api/teams/{b}/clients"), tok).await);
    nf(app.get(&format!("/api/teams/{b}/clients/{cb}"), tok).await);
    nf(app
        .patch(
            &format!("/api/teams/{b}/clients/{cb}"),
            tok,
            json!({"version": 1, "risk_tier": "low"}),
        )
        .await);
    nf(app
        .put(
            &format!("/api/teams/{b}/clients/{cb}/case-manager"),
            tok,
            json!({"staff_id": a_member}),
        )
        .await);
    nf(app
        .post(
            &format!("/api/teams/{b}/clients/{cb}/transfer"),
            tok,
            json!({"to_team_id": a}),
        )
        .await);
    nf(app
        .post(
            &format!("/api/teams/{b}/clients"),
            tok,
            json!({"given_name": "X", "family_name": "Y"}),
        )
        .await);
    nf(app
        .post(
            &format!("/api/teams/{b}/clients/{cb}/flags"),
            tok,
            json!({"severity": "watch", "reason": "r"}),
        )
        .await);
    nf(app.get(&format!("/api/teams/{b}/contacts"), tok).await);
    nf(app
        .put(
            &format!("/api/teams/{b}/contacts/{kb}"),
            tok,
            visit(&cb, &[&b_member_id], "2026-10-14", "planned"),
        )
        .await);
    nf(app
        .patch(
            &format!("/api/teams/{b}/contacts/{kb}"),
            tok,
            json!({"version": 1, "status": "cancelled"}),
        )
        .await);
    nf(app
        .post(
            &format!("/api/teams/{b}/contacts/reassign"),
            tok,
            json!({"day": "2026-10-14", "from_staff_id": b_member_id, "to_staff_id": a_member}),
        )
        .await);
    nf(app.get(&format!("/api/teams/{b}/flags"), tok).await);
    nf(app
        .post(
            &format!("/api/teams/{b}/flags/{fb}/acknowledge"),
            tok,
            json!({}),
        )
        .await);
    nf(app
        .post(
            &format!("/api/teams/{b}/flags/{fb}/resolve"),
            tok,
            json!({"outcome": "x"}),
        )
        .await);
    nf(app.get(&format!("/api/teams/{b}/board"), tok).await);
    nf(app
        .get(&format!("/api/teams/{b}/board?day=2026-10-14"), tok)
        .await);
    nf(app
        .get(&format!("/api/teams/{b}/events?since=0"), tok)
        .await);
    nf(app.get(&format!("/api/teams/{b}/oncall/now"), tok).await);
    nf(app.get(&format!("/api/teams/{b}/oncall/shifts"), tok).await);
    nf(app.post(&format!("/api/teams/{b}/oncall/shifts"), tok, json!({"staff_id": b_member_id, "starts_local": "2026-12-01T08:00", "ends_local": "2026-12-01T09:00"})).await);
    nf(app.get(&format!("/api/teams/{b}/handoffs"), tok).await);
    nf(app
        .post(
            &format!("/api/teams/{b}/handoffs/{hb}/acknowledge"),
            tok,
            json!({"synthesis": "x"}),
        )
        .await);
    nf(app
        .put(
            &format!("/api/teams/{b}/huddle/2026-10-14/reviews/{cb}"),
            tok,
            json!({}),
        )
        .await);
    nf(app
        .post(
            &format!("/api/teams/{b}/display-tokens"),
            tok,
            json!({"label": "x", "privacy": "names"}),
        )
        .await);

    // Through team A's paths with team B's ids: never a success.
    nf(app.get(&format!("/api/teams/{a}/clients/{cb}"), tok).await);
    nf(app
        .patch(
            &format!("/api/teams/{a}/clients/{cb}"),
            tok,
            json!({"version": 1, "risk_tier": "low"}),
        )
        .await);
    nf(app
        .put(
            &format!("/api/teams/{a}/clients/{cb}/case-manager"),
            tok,
            json!({"staff_id": a_member}),
        )
        .await);
    nf(app
        .post(
            &format!("/api/teams/{a}/clients/{cb}/flags"),
            tok,
            json!({"severity": "watch", "reason": "r"}),
        )
        .await);
    nf(app
        .put(
            &format!("/api/teams/{a}/huddle/2026-10-14/reviews/{cb}"),
            tok,
            json!({}),
        )
        .await);
    nf(app
        .patch(
            &format!("/api/teams/{a}/contacts/{kb}"),
            tok,
            json!({"version": 1, "status": "cancelled"}),
        )
        .await);
    nf(app
        .post(
            &format!("/api/teams/{a}/flags/{fb}/acknowledge"),
            tok,
            json!({}),
        )
        .await);
    nf(app
        .post(
            &format!("/api/teams/{a}/flags/{fb}/resolve"),
            tok,
            json!({"outcome": "x"}),
        )
        .await);
    nf(app
        .post(
            &format!("/api/teams/{a}/handoffs/{hb}/acknowledge"),
            tok,
            json!({"synthesis": "x"}),
        )
        .await);
    invalid(
        app.put(
            &format!("/api/teams/{a}/contacts/{}", new_id()),
            tok,
            visit(&cb, &[&a_member], "2026-10-14", "planned"),
        )
        .await,
        "client_id",
    );
    invalid(
        app.put(
            &format!("/api/teams/{a}/contacts/{}", new_id()),
            tok,
            visit(&ca, &[&b_member_id], "2026-10-14", "planned"),
        )
        .await,
        "staff_ids",
    );
    invalid(
        app.post(&format!("/api/teams/{a}/handoffs"), tok, json!({"to_staff_id": a_member, "items": [{"client_id": cb, "severity": "stable", "summary": "s"}]})).await,
        "items[0].client_id",
    );
    invalid(app.put(&format!("/api/teams/{a}/huddle/2026-10-14/focus"), tok, json!({"client_id": cb})).await, "client_id");
    invalid(app.post(&format!("/api/teams/{a}/handoffs"), tok, json!({"to_staff_id": b_member_id, "items": [{"client_id": ca, "severity": "stable", "summary": "s"}]})).await, "to_staff_id");
    invalid(
        app.put(
            &format!("/api/teams/{a}/clients/{ca}/case-manager"),
            tok,
            json!({"staff_id": b_member_id}),
        )
        .await,
        "case_manager_id",
    );
    // Reusing B's contact id on A: refused, and none of B's contact is revealed.
    let r = app
        .put(
            &format!("/api/teams/{a}/contacts/{kb}"),
            tok,
            visit(&ca, &[&a_member], "2026-10-14", "planned"),
        )
        .await;
    assert!(matches!(r.status.as_u16(), 404 | 409 | 422), "{r:?}");
    assert!(
        !r.body.to_string().contains(&cb) && r.body.get("current").is_none(),
        "B's contact leaks: {r:?}"
    );
    // Filtering A's lists by B's ids finds nothing.
    assert_eq!(
        app.get(&format!("/api/teams/{a}/contacts?client_id={cb}"), tok)
            .await
            .expect(200),
        json!([])
    );
    assert_eq!(
        app.get(&format!("/api/teams/{a}/flags?client_id={cb}"), tok)
            .await
            .expect(200),
        json!([])
    );
    assert_eq!(
        app.get(&format!("/api/teams/{a}/handoffs?client_id={cb}"), tok)
            .await
            .expect(200),
        json!([])
    );

    // B is untouched, and no one on A read B's client.
    assert_eq!(
        app.get(&format!("/api/teams/{b}/events?since=0"), &b_lead)
            .await
            .expect(200)["last_seq"]
            .as_i64()
            .unwrap(),
        b_tokens_before
    );
    let client = app
        .get(&format!("/api/teams/{b}/clients/{cb}"), &b_lead)
        .await
        .expect(200);
    assert_eq!(
        (client["version"].as_i64(), client["team_id"].as_str()),
        (Some(1), Some(b.as_str()))
    );
    let flags = app
        .get(&format!("/api/teams/{b}/flags?open=true"), &b_lead)
        .await
        .expect(200);
    assert_eq!(flags[0]["acknowledged_by"], Value::Null);
    let cbx = cb.clone();
    let readers: Vec<Option<String>> = db(&app, move |c| {
        access_log::table
            .filter(access_log::client_id.eq(cbx))
            .select(access_log::staff_id)
            .load(c)
            .unwrap()
    })
    .await;
    assert_eq!(
        readers.len(),
        1,
        "only B's lead read B's client: {readers:?}"
    );
}

// ---------------------------------------------------------------------------------------
// 10. Display tokens
// ---------------------------------------------------------------------------------------

async fn display_tokens_read_only_their_board(app: TestApp) {
    let a = id(&app.create_team("Display A", "act").await);
    let b = id(&app.create_team("Display B", "act").await);
    let (_, lead) = app.member(&a, "leaddt", "lead").await;
    let (m_id, member) = app.member(&a, "memberdt", "member").await;
    // Distinctive names that must never reach a privacy display.
    let c = app
        .post(&format!("/api/teams/{a}/clients"), &lead, json!({"given_name": "Philomena", "family_name": "Quartermaine", "preferred_name": "Pippa", "risk_tier": "high"}))
        .await
        .expect(201);
    let cid = id(&c);
    app.patch(
        &format!("/api/teams/{a}/clients/{cid}"),
        &member,
        json!({"version": 1, "risk_tier": "medium"}),
    )
    .await
    .expect(200);
    app.post(
        &format!("/api/teams/{a}/clients/{cid}/flags"),
        &member,
        json!({"severity": "urgent", "reason": "missed depot"}),
    )
    .await
    .expect(201);
    let mut v = visit(&cid, &[&m_id], "2026-10-14", "completed");
    v["note"] = json!("Pippa's sister Quartermaine called");
    app.put(&format!("/api/teams/{a}/contacts/{}", new_id()), &member, v)
        .await
        .expect(201);
    let (lead2_id, _) = app.member(&a, "lead2dt", "lead").await;
    app.post(
        &format!("/api/teams/{a}/handoffs"),
        &member,
        json!({"to_staff_id": lead2_id, "items": [{"client_id": cid, "severity": "unstable", "summary": "Philomena is unstable", "actions": ["call Pippa"], "contingency": "if Quartermaine calls, go"}]}),
    )
    .await
    .expect(201);

    let dpath = format!("/api/teams/{a}/display-tokens");
    app.post(
        &dpath,
        &member,
        json!({"label": "Team room", "privacy": "initials"}),
    )
    .await
    .problem(403, "forbidden");
    invalid(
        app.post(&dpath, &lead, json!({"label": " ", "privacy": "initials"}))
            .await,
        "label",
    );
    let created = app
        .post(
            &dpath,
            &lead,
            json!({"label": "Team room", "privacy": "initials"}),
        )
        .await
        .expect(201);
    let dt = created["token"].as_str().unwrap().to_string();
    assert!(dt.starts_with("dt_"), "{created}");
    let dt_id = id(&created);

    let names = ["Philomena", "Quartermaine", "Pippa"];
    let board_path = format!("/api/teams/{a}/board?day=2026-10-14");
    // Staff see the names (so the check below means something).
    let staff_board = app.get(&board_path, &member).await.expect(200).to_string();
    assert!(names.iter().all(|n| staff_board.contains(n)));
    let staff_events = app
        .get(&format!("/api/teams/{a}/events?since=0"), &member)
        .await
        .expect(200)
        .to_string();
    assert!(names.iter().all(|n| staff_events.contains(n)));

    let board = app.get(&board_path, &dt).await.expect(200);
    assert_eq!(board["team"]["id"], a.as_str());
    assert_eq!(board["privacy"], "initials");
    let row = board["clients"]
        .as_array()
        .unwrap()
        .iter()
        .find(|x| x["id"] == cid.as_str())
        .unwrap()
        .clone();
    assert_eq!(row["display_name"], "PQ");
    assert_eq!(row["initials"], "PQ");
    assert_eq!(row["open_flags"].as_array().unwrap().len(), 1);
    assert_eq!(row["today"].as_array().unwrap().len(), 1);
    let s = board.to_string();
    for n in names {
        assert!(!s.contains(n), "the privacy board contains '{n}': {s}");
    }
    let ev = app
        .get(&format!("/api/teams/{a}/events?since=0&limit=1000"), &dt)
        .await
        .expect(200);
    assert!(ev["events"].as_array().unwrap().len() >= 5);
    let s = ev.to_string();
    for n in names {
        assert!(!s.contains(n), "privacy events contain '{n}': {s}");
    }

    // A privacy display cannot ask for names.
    let s = app
        .get(&format!("{board_path}&privacy=names"), &dt)
        .await
        .expect(200)
        .to_string();
    for n in names {
        assert!(
            !s.contains(n),
            "privacy=names lifted the display's privacy: {s}"
        );
    }

    // Its own team only.
    app.get(&format!("/api/teams/{b}/board"), &dt)
        .await
        .problem(404, "not_found");
    app.get(&format!("/api/teams/{b}/events?since=0"), &dt)
        .await
        .problem(404, "not_found");
    // Nothing but the board and the events.
    app.get("/api/me", &dt).await.problem(403, "forbidden");
    app.get("/api/teams", &dt).await.problem(403, "forbidden");
    app.get(&format!("/api/teams/{a}"), &dt)
        .await
        .problem(403, "forbidden");
    app.get(&format!("/api/teams/{a}/clients"), &dt)
        .await
        .problem(403, "forbidden");
    app.get(&format!("/api/teams/{a}/clients/{cid}"), &dt)
        .await
        .problem(403, "forbidden");
    app.get(&format!("/api/teams/{a}/contacts"), &dt)
        .await
        .problem(403, "forbidden");
    app.get(&format!("/api/teams/{a}/flags"), &dt)
        .await
        .problem(403, "forbidden");
    app.get(&format!("/api/teams/{a}/handoffs"), &dt)
        .await
        .problem(403, "forbidden");
    app.get(&format!("/api/teams/{a}/oncall/now"), &dt)
        .await
        .problem(403, "forbidden");
    app.get(&dpath, &dt).await.problem(403, "forbidden");
    app.post(&dpath, &dt, json!({"label": "x", "privacy": "names"}))
        .await
        .problem(403, "forbidden");
    app.post(
        &format!("/api/teams/{a}/clients/{cid}/flags"),
        &dt,
        json!({"severity": "watch", "reason": "r"}),
    )
    .await
    .problem(403, "forbidden");
    app.put(
        &format!("/api/teams/{a}/huddle/2026-10-14/reviews/{cid}"),
        &dt,
        json!({}),
    )
    .await
    .problem(403, "forbidden");

    // A names display shows names.
    let named = app
        .post(
            &dpath,
            &lead,
            json!({"label": "Lead office", "privacy": "names"}),
        )
        .await
        .expect(201);
    let named_board = app
        .get(&board_path, named["token"].as_str().unwrap())
        .await
        .expect(200);
    assert_eq!(named_board["privacy"], "names");
    assert!(named_board.to_string().contains("Quartermaine"));

    // Revocation.
    let tok_path = format!("{dpath}/{dt_id}");
    app.delete(&tok_path, &member)
        .await
        .problem(403, "forbidden");
    assert_eq!(app.delete(&tok_path, &lead).await.status, 204);
    app.get(&board_path, &dt)
        .await
        .problem(401, "unauthenticated");
    app.get(&format!("/api/teams/{a}/events?since=0"), &dt)
        .await
        .problem(401, "unauthenticated");
    app.delete(&tok_path, &lead).await.problem(404, "not_found");
    app.get(&board_path, "dt_not-a-real-token")
        .await
        .problem(401, "unauthenticated");
    // The other token still works.
    app.get(&board_path, named["token"].as_str().unwrap())
        .await
        .expect(200);
}

/// Switching an ACT team to ICM recounts every caseload from the clients table and holds the
/// cap from then on; a member who still carries clients cannot be removed.
async fn mode_switch_recounts_and_carriers_stay(app: TestApp) {
    let t = id(&app.create_team("Switching", "act").await);
    let (_, lead) = app.member(&t, "swlead", "lead").await;
    let a = staff(&app, &t, "swa", "member").await;
    let b = staff(&app, &t, "swb", "member").await;
    for n in 0..3 {
        admit(&app, &t, &lead, &format!("A{n}"), &a).await;
    }
    let orphan = app
        .post(&format!("/api/teams/{t}/clients"), &lead, json!({"given_name": "No", "family_name": "Manager", "status": "active"}))
        .await
        .expect(201);
    let team = format!("/api/teams/{t}");
    // An active client without a case manager blocks ICM mode.
    app.patch(&team, &lead, json!({"version": 1, "mode": "icm"})).await.problem(409, "conflict");
    app.put(&format!("{team}/clients/{}/case-manager", id(&orphan)), &lead, json!({"staff_id": b})).await.expect(200);
    // A cap below A's three clients is refused, naming A.
    let over = app.patch(&team, &lead, json!({"version": 1, "mode": "icm", "caseload_cap": 2})).await.problem(409, "caseload_full");
    assert_eq!(over["over"][0]["staff_id"], a.as_str(), "{over}");
    assert_eq!(over["over"][0]["current"], 3);
    // At 3 it switches; the counters come from the clients table.
    let switched = app.patch(&team, &lead, json!({"version": 1, "mode": "icm", "caseload_cap": 3})).await.expect(200);
    assert_eq!(switched["mode"], "icm");
    let board = app.get(&format!("{team}/board"), &lead).await.expect(200);
    let load = |sid: &str| board["staff"].as_array().unwrap().iter().find(|s| s["id"] == sid).unwrap()["caseload"].as_i64().unwrap();
    assert_eq!((load(&a), load(&b)), (3, 1));
    // From now on the cap holds: A is full.
    let extra = refer(&app, &t, &lead, "One", "More").await;
    app.put(&format!("{team}/clients/{}/case-manager", id(&extra)), &lead, json!({"staff_id": b})).await.expect(200);
    let moved = app.patch(&format!("{team}/clients/{}", id(&extra)), &lead, json!({"version": 2, "status": "screening"})).await.expect(200);
    let full = app
        .patch(&format!("{team}/clients/{}", id(&extra)), &lead, json!({"version": moved["version"], "status": "active", "case_manager_id": a}))
        .await
        .problem(409, "caseload_full");
    assert_eq!(full["current"], 3);
    // A carries clients: removing A is refused, and so is making A a viewer (who cannot carry).
    app.delete(&format!("{team}/members/{a}"), &lead).await.problem(409, "conflict");
    let refused = app.put(&format!("{team}/members/{a}"), &lead, json!({"role": "viewer"})).await.problem(409, "conflict");
    assert!(refused["detail"].as_str().unwrap().contains("viewer"), "{refused}");
    let members = app.get(&format!("{team}/members"), &lead).await.expect(200);
    let role_of_a = members.as_array().unwrap().iter().find(|m| m["staff_id"] == a.as_str()).unwrap()["role"].clone();
    assert_eq!(role_of_a, "member", "the refused demotion changed nothing");
    // Back to ACT: no cap at all.
    app.patch(&team, &lead, json!({"version": 2, "mode": "act"})).await.expect(200);
    app.patch(&format!("{team}/clients/{}", id(&extra)), &lead, json!({"version": moved["version"], "status": "active", "case_manager_id": a}))
        .await
        .expect(200);
}
