//! Escalation of unanswered emergencies: the team's `escalate_after_minutes`, exactly one
//! `flag.escalated` per flag however many scans run on however many instances, who is
//! alerted, and the board showing it. The clock is moved by backdating `raised_at`.

use crate::common::EngineChoice;
use crate::helpers::*;
use actboard::db::schema::crisis_flags as f;
use actboard::store::escalation;
use diesel::prelude::*;
use serde_json::{json, Value};
use std::collections::HashMap;
use std::time::{Duration, Instant};

both_engines!(escalation_minutes_are_a_team_setting,);
by_engine!(unanswered_emergencies_escalate_exactly_once_across_instances,);

async fn escalation_minutes_are_a_team_setting(app: TestApp) {
    let team = app.create_team("Escalation setting", "act").await;
    let t = id(&team);
    assert_eq!(team["escalate_after_minutes"], 10, "the default: {team}");
    let (_, lead) = app.member(&t, "leadesc", "lead").await;
    let (_, member) = app.member(&t, "memberesc", "member").await;
    let path = format!("/api/teams/{t}");
    for bad in [0, 241, -5] {
        invalid(
            app.patch(
                &path,
                &lead,
                json!({"version": 1, "escalate_after_minutes": bad}),
            )
            .await,
            "escalate_after_minutes",
        );
    }
    app.patch(
        &path,
        &member,
        json!({"version": 1, "escalate_after_minutes": 5}),
    )
    .await
    .problem(403, "forbidden");
    let t1 = app
        .patch(
            &path,
            &lead,
            json!({"version": 1, "escalate_after_minutes": 1}),
        )
        .await
        .expect(200);
    assert_eq!(t1["escalate_after_minutes"], 1);
    assert_eq!(t1["version"], 2);
    let t2 = app
        .patch(
            &path,
            &lead,
            json!({"version": 2, "escalate_after_minutes": 240}),
        )
        .await
        .expect(200);
    assert_eq!(t2["escalate_after_minutes"], 240);
    // Other changes keep it.
    let t3 = app
        .patch(&path, &lead, json!({"version": 3, "name": "Renamed"}))
        .await
        .expect(200);
    assert_eq!(t3["escalate_after_minutes"], 240);
    let read = app.get(&path, &member).await.expect(200);
    assert_eq!(read["escalate_after_minutes"], 240);
}

/// Move flags' `raised_at` this many minutes into the past.
async fn backdate(app: &TestApp, ids: &[String], minutes: i64) {
    let ids = ids.to_vec();
    db(app, move |conn| {
        let at = actboard::db::now() - chrono::TimeDelta::minutes(minutes);
        diesel::update(f::table.filter(f::id.eq_any(&ids)))
            .set(f::raised_at.eq(at))
            .execute(conn)
            .unwrap();
    })
    .await;
}

/// Every `flag.escalated` event of the team, by flag id.
async fn escalations(app: &TestApp, t: &str, token: &str) -> HashMap<String, Vec<Value>> {
    let page = app
        .get(&format!("/api/teams/{t}/events?since=0&limit=1000"), token)
        .await
        .expect(200);
    let mut by: HashMap<String, Vec<Value>> = HashMap::new();
    for e in page["events"].as_array().unwrap() {
        if e["kind"] == "flag.escalated" {
            by.entry(e["data"]["flag"]["id"].as_str().unwrap().to_string())
                .or_default()
                .push(e["data"].clone());
        }
    }
    by
}

async fn unanswered_emergencies_escalate_exactly_once_across_instances(engine: EngineChoice) {
    // Both instances scan every 20 ms in the background, besides the scans run below.
    let Some(app) =
        TestApp::start_with(engine, |c| c.escalation_scan = Duration::from_millis(20)).await
    else {
        eprintln!("SKIPPED: ACTBOARD_TEST_DATABASE_URL is not set");
        return;
    };
    let b = app.second_instance().await;
    let t = id(&app.create_team("Escalation", "act").await);
    let (lead_id, lead) = app.member(&t, "leadx", "lead").await;
    let (lead2_id, _) = app.member(&t, "leady", "lead").await;
    let (oc_id, oc) = app.member(&t, "oncallx", "member").await;
    let (_, other) = app.member(&t, "otherx", "member").await;
    app.post(
        &format!("/api/teams/{t}/oncall/shifts"),
        &lead,
        json!({"staff_id": oc_id, "starts_local": ny_local(-60), "ends_local": ny_local(180)}),
    )
    .await
    .expect(201);
    let c = id(&refer(&app, &t, &lead, "Gil", "Escalated").await);
    let raise = |sev: &str| {
        app.post(
            &format!("/api/teams/{t}/clients/{c}/flags"),
            &oc,
            json!({"severity": sev, "category": "self_harm", "reason": "r"}),
        )
    };
    let mut due = vec![];
    for _ in 0..6 {
        due.push(id(&raise("emergency").await.expect(201)));
    }
    let answered = id(&raise("emergency").await.expect(201));
    app.post(
        &format!("/api/teams/{t}/flags/{answered}/acknowledge"),
        &other,
        json!({}),
    )
    .await
    .expect(200);
    let urgent = id(&raise("urgent").await.expect(201));
    let resolved = id(&raise("emergency").await.expect(201));
    app.post(
        &format!("/api/teams/{t}/flags/{resolved}/resolve"),
        &other,
        json!({"outcome": "fine"}),
    )
    .await
    .expect(200);
    let recent = id(&raise("emergency").await.expect(201));
    let not_due = [answered.clone(), urgent.clone(), resolved.clone()];

    // Nine minutes: not yet (the team waits ten).
    let everything: Vec<String> = due.iter().chain(not_due.iter()).cloned().collect();
    backdate(&app, &everything, 9).await;
    escalation::scan(&app.state.pool, actboard::db::now())
        .await
        .unwrap();
    assert!(escalations(&app, &t, &lead).await.is_empty());

    // Eleven minutes: due. Both instances scan many times at once (and in the background).
    backdate(&app, &everything, 11).await;
    for _ in 0..10 {
        let scans = (0..4).map(|i| {
            let pool = if i % 2 == 0 {
                app.state.pool.clone()
            } else {
                b.state.pool.clone()
            };
            async move { escalation::scan(&pool, actboard::db::now()).await }
        });
        for r in futures_util::future::join_all(scans).await {
            r.expect("a scan succeeds");
        }
    }
    // And a few more background rounds.
    tokio::time::sleep(Duration::from_millis(200)).await;

    let by = escalations(&app, &t, &lead).await;
    for fid in &due {
        let list = by.get(fid).map(Vec::as_slice).unwrap_or(&[]);
        assert_eq!(list.len(), 1, "flag {fid}: {list:?}");
        let e = &list[0];
        assert_eq!(e["on_call_staff_id"], oc_id.as_str());
        let mut leads = vec![lead_id.clone(), lead2_id.clone()];
        leads.sort();
        assert_eq!(e["lead_ids"], json!(leads));
        assert_eq!(e["alert_staff_ids"][0], oc_id.as_str(), "on call first");
        assert_eq!(e["alert_staff_ids"].as_array().unwrap().len(), 3);
        assert!(e["flag"]["escalated_at"].is_string());
        assert_eq!(e["flag"]["responders"], json!([]));
    }
    for fid in not_due.iter().chain([&recent]) {
        assert!(!by.contains_key(fid), "flag {fid} must not escalate");
    }
    assert_eq!(by.len(), due.len());

    // The board shows it; a responder can still answer it, and nothing escalates again.
    let board = app
        .get(&format!("/api/teams/{t}/board"), &lead)
        .await
        .expect(200);
    let on_board = board["open_flags"]
        .as_array()
        .unwrap()
        .iter()
        .find(|x| x["id"] == due[0].as_str())
        .unwrap()
        .clone();
    assert!(on_board["escalated_at"].is_string(), "{on_board}");
    let row = &board["clients"][0];
    assert!(row["open_flags"]
        .as_array()
        .unwrap()
        .iter()
        .any(|x| x["id"] == due[0].as_str() && x["escalated_at"].is_string()));
    let ack = app
        .post(
            &format!("/api/teams/{t}/flags/{}/acknowledge", due[0]),
            &other,
            json!({}),
        )
        .await
        .expect(200);
    assert_eq!(ack["escalated_at"], on_board["escalated_at"]);

    // The background scan alone escalates a flag that becomes due later (on either instance).
    backdate(&app, std::slice::from_ref(&recent), 11).await;
    let deadline = Instant::now() + Duration::from_secs(20);
    loop {
        let by = escalations(&app, &t, &lead).await;
        if let Some(list) = by.get(&recent) {
            assert_eq!(list.len(), 1);
            break;
        }
        assert!(
            Instant::now() < deadline,
            "the background scan did not escalate a due flag"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    tokio::time::sleep(Duration::from_millis(200)).await;
    let by = escalations(&app, &t, &lead).await;
    assert_eq!(by.len(), due.len() + 1);
    assert!(by.values().all(|l| l.len() == 1), "{by:?}");
}
