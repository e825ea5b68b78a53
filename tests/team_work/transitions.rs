//! Transition (issue 14): the readiness summary rule, validation by field, completing a
//! step-down (transfer to an ICM team under its cap, the warm hand-off written there) and a
//! discharge, check-ins at 30/60/90 days recorded by the sending team after the client left,
//! the `checkin` due items (GET …/due and the board), a return within a year (and refused
//! after), the cap on return and on a completing transfer under parallel requests, and no
//! clinical words on a privacy display.

use crate::helpers::*;
use diesel::connection::SimpleConnection;
use futures_util::future::join_all;
use serde_json::{json, Value};

both_engines!(
    summary_rule_and_validation,
    step_down_moves_the_client_with_a_warm_handoff,
    discharge_schedules_checkins_recorded_after_leaving,
    return_within_a_year_only,
    caps_hold_on_parallel_returns_and_transfers,
    transitions_reach_a_privacy_display_without_words,
    opposite_transfers_complete_together,
);

fn readiness(v: [&str; 6]) -> Value {
    json!({"housing": v[0], "hospitalization": v[1], "emergency_use": v[2],
           "engagement": v[3], "medication": v[4], "justice": v[5]})
}

fn today_ny() -> chrono::NaiveDate {
    chrono::Utc::now()
        .with_timezone(&chrono_tz::America::New_York)
        .date_naive()
}

async fn raw_sql(app: &TestApp, sql: String) {
    db(app, move |c| c.batch_execute(&sql).unwrap()).await
}

async fn active(app: &TestApp, t: &str, lead: &str, family: &str) -> String {
    id(&app
        .post(
            &format!("/api/teams/{t}/clients"),
            lead,
            json!({"given_name": "Ana", "family_name": family, "status": "active"}),
        )
        .await
        .expect(201))
}

async fn summary_rule_and_validation(app: TestApp) {
    let t = id(&app.create_team("Tr rules", "act").await);
    let (_, lead) = app.member(&t, "trlead", "lead").await;
    let (_, member) = app.member(&t, "trmember", "member").await;
    let act2 = id(&app.create_team("Other ACT", "act").await);
    let c = active(&app, &t, &lead, "Rules").await;
    let path = format!("/api/teams/{t}/clients/{c}/transition");

    // Members may not start one.
    app.post(
        &path,
        &member,
        json!({"readiness": readiness(["ready"; 6]), "plan": "discharge"}),
    )
    .await
    .problem(403, "forbidden");
    // Field rules.
    invalid(
        app.post(
            &path,
            &lead,
            json!({"readiness": readiness(["ready"; 6]), "plan": "transfer"}),
        )
        .await,
        "to_team_id",
    );
    invalid(
        app.post(
            &path,
            &lead,
            json!({"readiness": readiness(["ready"; 6]), "plan": "discharge", "to_team_id": act2}),
        )
        .await,
        "to_team_id",
    );
    // Not a lead of the receiving team.
    invalid(
        app.post(
            &path,
            &lead,
            json!({"readiness": readiness(["ready"; 6]), "plan": "transfer", "to_team_id": act2}),
        )
        .await,
        "to_team_id",
    );
    invalid(
        app.post(
            &path,
            &lead,
            json!({"readiness": readiness(["ready"; 6]), "plan": "transfer", "to_team_id": t}),
        )
        .await,
        "to_team_id",
    );
    invalid(
        app.post(
            &path,
            &lead,
            json!({"readiness": readiness(["ready"; 6]), "plan": "discharge",
                                      "handoff": {"severity": "unstable", "summary": "x"}}),
        )
        .await,
        "handoff.contingency",
    );

    // The summary rule at its edges, each time cancelled (the client is active again).
    let cases = [
        (["ready"; 6], "consider"),
        (
            ["ready", "ready", "ready", "ready", "ready", "unclear"],
            "consider",
        ),
        (
            ["ready", "ready", "ready", "ready", "unclear", "unclear"],
            "unclear",
        ),
        (
            ["ready", "ready", "ready", "ready", "ready", "not_ready"],
            "unclear",
        ),
        (
            ["ready", "ready", "ready", "ready", "not_ready", "not_ready"],
            "not_ready",
        ),
    ];
    for (areas, want) in cases {
        let o = app
            .post(
                &path,
                &lead,
                json!({"readiness": readiness(areas), "plan": "discharge", "note": "moving"}),
            )
            .await
            .expect(200);
        assert_eq!(o["readiness_summary"], want, "{areas:?}");
        assert_eq!(o["status"], "transitioning");
        assert_eq!(o["state"], "open");
        assert!(o["readiness_words"].as_str().unwrap().len() > 10);
        // A second open one: 409.
        app.post(
            &path,
            &lead,
            json!({"readiness": readiness(areas), "plan": "discharge"}),
        )
        .await
        .problem(409, "conflict");
        assert_eq!(app.get(&path, &member).await.expect(200)["id"], o["id"]);
        let cancelled = app
            .post(&format!("{path}/cancel"), &lead, json!({}))
            .await
            .expect(200);
        assert_eq!(cancelled["state"], "cancelled");
        assert_eq!(cancelled["status"], "active");
    }
    app.post(&format!("{path}/cancel"), &lead, json!({}))
        .await
        .problem(409, "conflict");
    app.post(
        &format!("{path}/complete"),
        &lead,
        json!({"discharge_reason": "goals_met"}),
    )
    .await
    .problem(409, "conflict");
    // A discharge plan needs its reason when completed.
    app.post(
        &path,
        &lead,
        json!({"readiness": readiness(["ready"; 6]), "plan": "discharge"}),
    )
    .await
    .expect(200);
    invalid(
        app.post(&format!("{path}/complete"), &lead, json!({}))
            .await,
        "discharge_reason",
    );
    // A discharged client cannot start one.
    app.post(
        &format!("{path}/complete"),
        &lead,
        json!({"discharge_reason": "goals_met"}),
    )
    .await
    .expect(200);
    app.post(
        &path,
        &lead,
        json!({"readiness": readiness(["ready"; 6]), "plan": "discharge"}),
    )
    .await
    .problem(422, "invalid_transition");
}

async fn step_down_moves_the_client_with_a_warm_handoff(app: TestApp) {
    let a = id(&app.create_team("Act sending", "act").await);
    let b = id(&app.create_team("Icm receiving", "icm").await);
    let (lead_id, lead) = app.member(&a, "sdlead", "lead").await;
    app.put(
        &format!("/api/teams/{b}/members/{lead_id}"),
        &app.admin_token,
        json!({"role": "lead"}),
    )
    .await
    .expect(200);
    let (cm_id, cm) = app.member(&b, "sdcm", "member").await;
    let (viewer_id, _) = app.member(&b, "sdviewer", "viewer").await;
    let c = active(&app, &a, &lead, "Stepping").await;
    let path = format!("/api/teams/{a}/clients/{c}/transition");
    // A step-down goes to an ICM team; the case manager must be able to carry there.
    let act2 = id(&app.create_team("Act other", "act").await);
    app.put(
        &format!("/api/teams/{act2}/members/{lead_id}"),
        &app.admin_token,
        json!({"role": "lead"}),
    )
    .await
    .expect(200);
    invalid(
        app.post(
            &path,
            &lead,
            json!({"readiness": readiness(["ready"; 6]), "plan": "step_down", "to_team_id": act2}),
        )
        .await,
        "to_team_id",
    );
    invalid(
        app.post(
            &path,
            &lead,
            json!({"readiness": readiness(["ready"; 6]), "plan": "step_down", "to_team_id": b,
                                      "to_case_manager_id": viewer_id}),
        )
        .await,
        "to_case_manager_id",
    );
    let started = app
        .post(
            &path,
            &lead,
            json!({"readiness": readiness(["ready"; 6]), "plan": "step_down", "to_team_id": b,
                                   "to_case_manager_id": cm_id, "note": "Stable two years"}),
        )
        .await
        .expect(200);
    assert_eq!(started["plan"], "step_down");
    // Completing needs the warm hand-off.
    invalid(
        app.post(&format!("{path}/complete"), &lead, json!({}))
            .await,
        "handoff",
    );
    let done = app
        .post(
            &format!("{path}/complete"),
            &lead,
            json!({"handoff": {
            "severity": "watcher", "summary": "Stable on depot, lives with sister",
            "actions": ["Meet her at the depot clinic on Tuesday"],
            "contingency": "If she misses the depot, call her sister"}}),
        )
        .await
        .expect(200);
    assert_eq!(done["state"], "completed");
    assert_eq!(done["status"], "active");
    let days: Vec<i64> = done["checkins"]
        .as_array()
        .unwrap()
        .iter()
        .map(|k| k["after_days"].as_i64().unwrap())
        .collect();
    assert_eq!(days, [30, 60, 90]);
    let today = today_ny();
    assert_eq!(
        done["checkins"][0]["due_on"],
        (today + chrono::Days::new(30)).to_string()
    );
    // The client is on team B, active, with the case manager; the hand-off is B's.
    let moved = app
        .get(&format!("/api/teams/{b}/clients/{c}"), &cm)
        .await
        .expect(200);
    assert_eq!(moved["status"], "active");
    assert_eq!(moved["case_manager_id"], cm_id.as_str());
    let handoffs = app
        .get(&format!("/api/teams/{b}/handoffs?client_id={c}"), &cm)
        .await
        .expect(200);
    let h = &handoffs.as_array().unwrap()[0];
    assert_eq!(h["id"], done["handoff_id"]);
    assert_eq!(h["to_staff_id"], cm_id.as_str());
    assert_eq!(
        h["items"][0]["summary"],
        "Stable on depot, lives with sister"
    );
    assert_eq!(h["items"][0]["severity"], "watcher");
    // Team A still reads the transition and its check-ins, and records one.
    assert_eq!(
        app.get(&path, &lead).await.expect(200)["state"],
        "completed"
    );
    let list = app
        .get(&format!("/api/teams/{a}/clients/{c}/checkins"), &lead)
        .await
        .expect(200);
    assert_eq!(list.as_array().unwrap().len(), 3);
    // Team A's due list has the check-ins (within 90 days), none overdue.
    let due = app
        .get(&format!("/api/teams/{a}/due?within_days=90"), &lead)
        .await
        .expect(200);
    let mine: Vec<&Value> = due
        .as_array()
        .unwrap()
        .iter()
        .filter(|d| d["client_id"] == c.as_str())
        .collect();
    assert_eq!(mine.len(), 3, "{due}");
    assert!(mine
        .iter()
        .all(|d| d["kind"] == "checkin" && d["overdue"] == false && d["on_team"] == false));
    assert_eq!(mine[0]["display_name"], "Ana Stepping");
}

async fn discharge_schedules_checkins_recorded_after_leaving(app: TestApp) {
    let t = id(&app.create_team("Tr discharge", "act").await);
    let (_, lead) = app.member(&t, "tdlead", "lead").await;
    let (_, member) = app.member(&t, "tdmember", "member").await;
    let (_, viewer) = app.member(&t, "tdviewer", "viewer").await;
    let c = active(&app, &t, &lead, "Leaving").await;
    let path = format!("/api/teams/{t}/clients/{c}/transition");
    app.post(
        &path,
        &lead,
        json!({"readiness": readiness(["ready"; 6]), "plan": "discharge"}),
    )
    .await
    .expect(200);
    // Open flags: refused, or resolved with the discharge.
    app.post(
        &format!("/api/teams/{t}/clients/{c}/flags"),
        &member,
        json!({"severity": "watch", "category": "housing", "reason": "rent arrears"}),
    )
    .await
    .expect(201);
    app.post(
        &format!("{path}/complete"),
        &lead,
        json!({"discharge_reason": "goals_met"}),
    )
    .await
    .problem(409, "open_flags");
    let done = app
        .post(
            &format!("{path}/complete"),
            &lead,
            json!({"discharge_reason": "goals_met",
              "resolve_open_flags": {"outcome": "rent sorted"}}),
        )
        .await
        .expect(200);
    assert_eq!(done["status"], "discharged");
    let client = app
        .get(&format!("/api/teams/{t}/clients/{c}"), &lead)
        .await
        .expect(200);
    assert_eq!(client["discharge_reason"], "goals_met");

    // Make the first check-in overdue: it is due, overdue, in GET /due and on the board.
    let yesterday = today_ny() - chrono::Days::new(1);
    let first = done["checkins"][0]["id"].as_str().unwrap().to_string();
    raw_sql(
        &app,
        format!("UPDATE checkins SET due_on = '{yesterday}' WHERE id = '{first}'"),
    )
    .await;
    let due = app
        .get(&format!("/api/teams/{t}/due?within_days=0"), &viewer)
        .await
        .expect(200);
    assert_eq!(due.as_array().unwrap().len(), 1, "{due}");
    assert_eq!(due[0]["kind"], "checkin");
    assert_eq!(due[0]["checkin_id"], first.as_str());
    assert_eq!(due[0]["overdue"], true);
    assert_eq!(due[0]["status"], "discharged");
    let board = app
        .get(&format!("/api/teams/{t}/board"), &viewer)
        .await
        .expect(200);
    assert_eq!(board["due_counts"], json!({"due": 1, "overdue": 1}));
    assert_eq!(board["due"][0]["checkin_id"], first.as_str());
    assert_eq!(
        board["contact_age_days"],
        json!({"high": 2, "medium": 4, "low": 7})
    );

    // Members record it (viewers may not), once.
    let rec = format!("/api/teams/{t}/clients/{c}/checkins/{first}");
    app.post(&rec, &viewer, json!({"outcome": "reached"}))
        .await
        .problem(403, "forbidden");
    invalid(
        app.post(
            &rec,
            &member,
            json!({"outcome": "reached", "note": "x".repeat(1001)}),
        )
        .await,
        "note",
    );
    let r = app
        .post(
            &rec,
            &member,
            json!({"outcome": "needs_support", "note": "Struggling with the new GP"}),
        )
        .await
        .expect(200);
    assert_eq!(r["outcome"], "needs_support");
    app.post(&rec, &member, json!({"outcome": "reached"}))
        .await
        .problem(409, "conflict");
    app.post(
        &format!("/api/teams/{t}/clients/{c}/checkins/{}", new_id()),
        &member,
        json!({"outcome": "reached"}),
    )
    .await
    .problem(404, "not_found");
    let due = app
        .get(&format!("/api/teams/{t}/due?within_days=0"), &viewer)
        .await
        .expect(200);
    assert_eq!(due, json!([]));
    let list = app
        .get(&format!("/api/teams/{t}/clients/{c}/checkins"), &viewer)
        .await
        .expect(200);
    assert_eq!(list[0]["note"], "Struggling with the new GP");

    // A transitioning client discharged by PATCH gets check-ins too (and the transition closes).
    let c2 = active(&app, &t, &lead, "Patched").await;
    app.post(
        &format!("/api/teams/{t}/clients/{c2}/transition"),
        &lead,
        json!({"readiness": readiness(["ready"; 6]), "plan": "discharge"}),
    )
    .await
    .expect(200);
    let v = app
        .get(&format!("/api/teams/{t}/clients/{c2}"), &lead)
        .await
        .expect(200)["version"]
        .clone();
    app.patch(
        &format!("/api/teams/{t}/clients/{c2}"),
        &lead,
        json!({"version": v, "status": "discharged", "discharge_reason": "moved"}),
    )
    .await
    .expect(200);
    let tr = app
        .get(&format!("/api/teams/{t}/clients/{c2}/transition"), &lead)
        .await
        .expect(200);
    assert_eq!(tr["state"], "completed");
    assert_eq!(tr["checkins"].as_array().unwrap().len(), 3);
}

async fn return_within_a_year_only(app: TestApp) {
    let t = id(&app.create_team("Tr return", "icm").await);
    let (_, lead) = app.member(&t, "rtlead", "lead").await;
    let (cm_id, _) = app.member(&t, "rtcm", "member").await;
    let c = admit(&app, &t, &lead, "Returning", &cm_id).await;
    app.patch(
        &format!("/api/teams/{t}/clients/{c}"),
        &lead,
        json!({"version": 1, "status": "discharged", "discharge_reason": "moved"}),
    )
    .await
    .expect(200);
    let back = format!("/api/teams/{t}/clients/{c}/return");
    // An ICM team needs a case manager.
    invalid(app.post(&back, &lead, json!({})).await, "case_manager_id");
    // Discharged 400 days ago: refer again.
    let long_ago = today_ny() - chrono::Days::new(400);
    raw_sql(
        &app,
        format!("UPDATE clients SET discharged_on = '{long_ago}' WHERE id = '{c}'"),
    )
    .await;
    let p = app
        .post(&back, &lead, json!({"case_manager_id": cm_id}))
        .await
        .problem(422, "return_too_late");
    assert!(
        p["detail"].as_str().unwrap().contains("refer them again"),
        "{p}"
    );
    // Within a year (exactly a year ago counts): active again, no screening.
    let year_ago = today_ny()
        .checked_sub_months(chrono::Months::new(12))
        .unwrap();
    raw_sql(
        &app,
        format!("UPDATE clients SET discharged_on = '{year_ago}' WHERE id = '{c}'"),
    )
    .await;
    let r = app
        .post(&back, &lead, json!({"case_manager_id": cm_id}))
        .await
        .expect(200);
    assert_eq!(r["status"], "active");
    assert_eq!(r["case_manager_id"], cm_id.as_str());
    assert!(r["discharge_reason"].is_null());
    // Not discharged any more: 422.
    app.post(&back, &lead, json!({"case_manager_id": cm_id}))
        .await
        .problem(422, "invalid_transition");
}

async fn caps_hold_on_parallel_returns_and_transfers(app: TestApp) {
    // Returns: a team cap of 1; three discharged clients return at once to the same person.
    let t = id(&app.create_team("Tr caps", "icm").await);
    let (lead_id, lead) = app.member(&t, "cplead", "lead").await;
    let (cm_id, _) = app.member(&t, "cpcm", "member").await;
    let (other_id, _) = app.member(&t, "cpother", "member").await;
    let mut gone = vec![];
    for i in 0..3 {
        let c = admit(&app, &t, &lead, &format!("Gone{i}"), &other_id).await;
        app.patch(
            &format!("/api/teams/{t}/clients/{c}"),
            &lead,
            json!({"version": 1, "status": "discharged", "discharge_reason": "moved"}),
        )
        .await
        .expect(200);
        gone.push(c);
    }
    let v = app.get(&format!("/api/teams/{t}"), &lead).await.expect(200)["version"].clone();
    app.patch(
        &format!("/api/teams/{t}"),
        &lead,
        json!({"version": v, "caseload_cap": 1}),
    )
    .await
    .expect(200);
    let tasks: Vec<_> = gone
        .iter()
        .map(|c| {
            app.post(
                &format!("/api/teams/{t}/clients/{c}/return"),
                &lead,
                json!({"case_manager_id": cm_id}),
            )
        })
        .collect();
    let results = join_all(tasks).await;
    assert_eq!(
        results.iter().filter(|r| r.status == 200).count(),
        1,
        "{results:?}"
    );
    for r in results.into_iter().filter(|r| r.status != 200) {
        r.problem(409, "caseload_full");
    }
    assert_eq!(caseload(&app, &t, &cm_id).await, 1);

    // Completing step-downs: three clients of an ACT team to one ICM case manager with one
    // slot left (team cap 1 on the receiving team).
    let a = id(&app.create_team("Tr caps act", "act").await);
    app.put(
        &format!("/api/teams/{a}/members/{lead_id}"),
        &app.admin_token,
        json!({"role": "lead"}),
    )
    .await
    .expect(200);
    let (_, a_lead) = app.member(&a, "cpalead", "lead").await;
    let (recv_id, _) = app.member(&t, "cprecv", "member").await;
    let mut movers = vec![];
    for i in 0..3 {
        let c = active(&app, &a, &a_lead, &format!("Mover{i}")).await;
        app.post(
            &format!("/api/teams/{a}/clients/{c}/transition"),
            &lead,
            json!({"readiness": readiness(["ready"; 6]), "plan": "step_down", "to_team_id": t,
                        "to_case_manager_id": recv_id,
                        "handoff": {"severity": "stable", "summary": "Doing well"}}),
        )
        .await
        .expect(200);
        movers.push(c);
    }
    let tasks: Vec<_> = movers
        .iter()
        .map(|c| {
            app.post(
                &format!("/api/teams/{a}/clients/{c}/transition/complete"),
                &lead,
                json!({}),
            )
        })
        .collect();
    let results = join_all(tasks).await;
    assert_eq!(
        results.iter().filter(|r| r.status == 200).count(),
        1,
        "{results:?}"
    );
    for r in results.into_iter().filter(|r| r.status != 200) {
        r.problem(409, "caseload_full");
    }
    assert_eq!(caseload(&app, &t, &recv_id).await, 1);
    // The refused ones are still transitioning on team A with their transition open.
    let board = app
        .get(&format!("/api/teams/{a}/board"), &a_lead)
        .await
        .expect(200);
    let still = board["clients"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|c| c["status"] == "transitioning")
        .count();
    assert_eq!(still, 2);
    assert_caseloads_match(&app, &t).await;
}

async fn transitions_reach_a_privacy_display_without_words(app: TestApp) {
    let t = id(&app.create_team("Tr privacy", "act").await);
    let (_, lead) = app.member(&t, "tplead", "lead").await;
    let (_, member) = app.member(&t, "tpmember", "member").await;
    let c = active(&app, &t, &lead, "Secretname").await;
    let path = format!("/api/teams/{t}/clients/{c}/transition");
    app.post(
        &path,
        &lead,
        json!({"readiness": readiness(["ready"; 6]), "plan": "discharge",
                                  "note": "Moving in with her sister Beatrix"}),
    )
    .await
    .expect(200);
    let done = app
        .post(
            &format!("{path}/complete"),
            &lead,
            json!({"discharge_reason": "goals_met"}),
        )
        .await
        .expect(200);
    let k = done["checkins"][0]["id"].as_str().unwrap();
    app.post(
        &format!("/api/teams/{t}/clients/{c}/checkins/{k}"),
        &member,
        json!({"outcome": "needs_support", "note": "Drinking again since the move"}),
    )
    .await
    .expect(200);
    let dt = privacy_display(&app, &t, &lead).await;
    let events = app
        .get(&format!("/api/teams/{t}/events?since=0&limit=1000"), &dt)
        .await
        .expect(200);
    let kinds: Vec<&str> = events["events"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["kind"].as_str().unwrap())
        .collect();
    for k in [
        "transition.started",
        "transition.completed",
        "checkin.recorded",
    ] {
        assert!(kinds.contains(&k), "{kinds:?}");
    }
    let shown = events.to_string();
    for secret in [
        "Beatrix",
        "Drinking",
        "needs_support",
        "Secretname",
        "readiness",
    ] {
        assert!(
            !shown.contains(secret),
            "{secret} reached a privacy display: {shown}"
        );
    }
    // The board: counts only.
    raw_sql(
        &app,
        format!(
            "UPDATE checkins SET due_on = '2020-01-01' WHERE client_id = '{c}' AND outcome IS NULL"
        ),
    )
    .await;
    let board = app
        .get(&format!("/api/teams/{t}/board"), &dt)
        .await
        .expect(200);
    assert_eq!(board["due"], json!([]));
    assert_eq!(board["due_counts"], json!({"due": 2, "overdue": 2}));
    assert!(!board.to_string().contains("Secretname"));
}

async fn opposite_transfers_complete_together(app: TestApp) {
    // Clients move A → B and B → A at the same moment: both complete (the teams are locked in
    // one order), each arrives active with its hand-off.
    let a = id(&app.create_team("Tr opp A", "act").await);
    let b = id(&app.create_team("Tr opp B", "act").await);
    let (lead_id, lead) = app.member(&a, "opplead", "lead").await;
    app.put(
        &format!("/api/teams/{b}/members/{lead_id}"),
        &app.admin_token,
        json!({"role": "lead"}),
    )
    .await
    .expect(200);
    let (a_m, _) = app.member(&a, "oppam", "member").await;
    let (b_m, _) = app.member(&b, "oppbm", "member").await;
    let mut moves = vec![];
    for i in 0..3 {
        for (from, to, receiver) in [(&a, &b, &b_m), (&b, &a, &a_m)] {
            let c = active(&app, from, &lead, &format!("Opp{i}")).await;
            app.post(&format!("/api/teams/{from}/clients/{c}/transition"), &lead,
                     json!({"readiness": readiness(["ready"; 6]), "plan": "transfer", "to_team_id": to,
                            "handoff": {"severity": "stable", "summary": "Doing well", "to_staff_id": receiver}}))
                .await
                .expect(200);
            moves.push((from.clone(), c));
        }
    }
    let tasks: Vec<_> = moves
        .iter()
        .map(|(from, c)| {
            app.post(
                &format!("/api/teams/{from}/clients/{c}/transition/complete"),
                &lead,
                json!({}),
            )
        })
        .collect();
    let results = join_all(tasks).await;
    assert!(results.iter().all(|r| r.status == 200), "{results:?}");
    let a_board = app
        .get(&format!("/api/teams/{a}/board"), &lead)
        .await
        .expect(200);
    let b_board = app
        .get(&format!("/api/teams/{b}/board"), &lead)
        .await
        .expect(200);
    assert_eq!(a_board["clients"].as_array().unwrap().len(), 3);
    assert_eq!(b_board["clients"].as_array().unwrap().len(), 3);
    assert!(a_board["clients"]
        .as_array()
        .unwrap()
        .iter()
        .all(|c| c["status"] == "active"));
}
