//! Hand-over plans (issue 13's admin screens): deactivating someone, or removing them from a
//! team, with a new case manager for EACH of their clients, in one transaction: every client
//! placed, every receiver able to carry on the client's team and with room for all they take
//! at once (the ICM caps, per team and per person), or nothing changes. Under concurrency
//! too: two plans racing for one receiver's last slots never put them above the cap.

use crate::helpers::*;
use futures_util::future::join;
use serde_json::{json, Value};

both_engines!(
    plan_deactivation_places_each_client,
    plan_refusals_change_nothing,
    plan_removal_from_one_team,
    racing_plans_respect_the_cap,
);

async fn cm_of(app: &TestApp, t: &str, c: &str) -> Value {
    app.get(&format!("/api/teams/{t}/clients/{c}"), &app.admin_token)
        .await
        .expect(200)["case_manager_id"]
        .clone()
}

async fn is_active(app: &TestApp, staff_id: &str) -> bool {
    let all = app.get("/api/staff", &app.admin_token).await.expect(200);
    all.as_array()
        .unwrap()
        .iter()
        .find(|s| s["id"] == staff_id)
        .map(|s| s["active"] == true)
        .unwrap()
}

fn plan(lines: &[(&str, &str)]) -> Value {
    json!({"assignments": lines.iter().map(|(c, s)| json!({"client_id": c, "staff_id": s})).collect::<Vec<_>>()})
}

async fn plan_deactivation_places_each_client(app: TestApp) {
    let a = id(&app.create_team("Plan ICM", "icm").await);
    let b = id(&app.create_team("Plan ACT", "act").await);
    let (lead_id, lead) = app.member(&a, "plan.lead", "lead").await;
    app.put(
        &format!("/api/teams/{b}/members/{lead_id}"),
        &app.admin_token,
        json!({"role": "lead"}),
    )
    .await
    .expect(200);
    let leaver = staff(&app, &a, "plan.leaver", "member").await;
    let p = staff(&app, &a, "plan.p", "member").await;
    let q = staff(&app, &a, "plan.q", "member").await;
    let v = staff(&app, &a, "plan.viewer", "viewer").await;
    for who in [&leaver, &q] {
        app.put(
            &format!("/api/teams/{b}/members/{who}"),
            &app.admin_token,
            json!({"role": "member"}),
        )
        .await
        .expect(200);
    }
    let c1 = admit(&app, &a, &lead, "One", &leaver).await;
    let c2 = admit(&app, &a, &lead, "Two", &leaver).await;
    let c3 = admit(&app, &b, &lead, "Three", &leaver).await;
    // P is full on the ICM team (a cap of 3, P holds 3): the view says so.
    let t = app
        .get(&format!("/api/teams/{a}"), &app.admin_token)
        .await
        .expect(200);
    app.patch(
        &format!("/api/teams/{a}"),
        &app.admin_token,
        json!({"version": t["version"], "caseload_cap": 3}),
    )
    .await
    .expect(200);
    for i in 0..3 {
        admit(&app, &a, &lead, &format!("Full{i}"), &p).await;
    }

    let view = app
        .get(&format!("/api/staff/{leaver}/handover"), &app.admin_token)
        .await
        .expect(200);
    let teams = view["teams"].as_array().unwrap();
    assert_eq!(teams.len(), 2, "{view}");
    let icm = teams.iter().find(|t| t["team_id"] == a.as_str()).unwrap();
    let act = teams.iter().find(|t| t["team_id"] == b.as_str()).unwrap();
    assert_eq!(icm["clients"].as_array().unwrap().len(), 2, "{icm}");
    assert_eq!(act["clients"].as_array().unwrap().len(), 1, "{act}");
    let cand = |t: &Value, who: &str| {
        t["candidates"]
            .as_array()
            .unwrap()
            .iter()
            .find(|c| c["staff_id"] == who)
            .cloned()
    };
    let p_row = cand(icm, &p).expect("P is a candidate");
    assert_eq!(
        (
            p_row["on_this_team"].as_i64(),
            p_row["cap"].as_i64(),
            p_row["room"].as_i64()
        ),
        (Some(3), Some(3), Some(0)),
        "{p_row}"
    );
    let q_row = cand(icm, &q).expect("Q is a candidate");
    assert_eq!(q_row["room"], 3, "{q_row}");
    assert!(cand(icm, &v).is_none(), "a viewer is not offered");
    assert!(cand(icm, &leaver).is_none(), "the leaver is not offered");
    assert_eq!(cand(act, &q).unwrap()["room"], Value::Null, "no cap on ACT");
    // Scoped to one team.
    let one = app
        .get(
            &format!("/api/staff/{leaver}/handover?team_id={b}"),
            &app.admin_token,
        )
        .await
        .expect(200);
    assert_eq!(one["teams"].as_array().unwrap().len(), 1, "{one}");

    // A session of the leaver, to see it end.
    let leaver_token = app.login("plan.leaver", crate::common::PASSWORD).await;
    let out = app
        .post(
            &format!("/api/staff/{leaver}/deactivate"),
            &app.admin_token,
            plan(&[(&c1, &q), (&c2, &lead_id), (&c3, &q)]),
        )
        .await
        .expect(200);
    assert_eq!(out["active"], false, "{out}");
    assert_eq!(cm_of(&app, &a, &c1).await, q.as_str());
    assert_eq!(cm_of(&app, &a, &c2).await, lead_id.as_str());
    assert_eq!(cm_of(&app, &b, &c3).await, q.as_str());
    app.get("/api/me", &leaver_token)
        .await
        .problem(401, "unauthenticated");
    // One client.updated per moved client on its team's log.
    let ev = app
        .get(
            &format!("/api/teams/{a}/events?since=0&limit=500"),
            &app.admin_token,
        )
        .await
        .expect(200);
    let moved: Vec<&Value> = ev["events"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| {
            e["kind"] == "client.updated"
                && (e["data"]["id"] == c1.as_str() || e["data"]["id"] == c2.as_str())
        })
        .collect();
    assert_eq!(moved.len(), 2, "{ev}");
    // Again: already inactive, nothing to place.
    app.post(
        &format!("/api/staff/{leaver}/deactivate"),
        &app.admin_token,
        json!({"assignments": []}),
    )
    .await
    .expect(200);
    // Nobody deactivates themselves.
    app.post(
        &format!("/api/staff/{}/deactivate", app.admin_id),
        &app.admin_token,
        json!({"assignments": []}),
    )
    .await
    .problem(409, "conflict");
}

async fn plan_refusals_change_nothing(app: TestApp) {
    let a = id(&app.create_team("Refuse ICM", "icm").await);
    let (lead_id, lead) = app.member(&a, "ref.lead", "lead").await;
    let leaver = staff(&app, &a, "ref.leaver", "member").await;
    let p = staff(&app, &a, "ref.p", "member").await;
    let v = staff(&app, &a, "ref.viewer", "viewer").await;
    let outsider = app
        .post(
            "/api/staff",
            &app.admin_token,
            json!({"username": "ref.outsider", "display_name": "Outsider", "discipline": "nurse", "password": crate::common::PASSWORD}),
        )
        .await
        .expect(201);
    let outsider = id(&outsider);
    let c1 = admit(&app, &a, &lead, "RefOne", &leaver).await;
    let c2 = admit(&app, &a, &lead, "RefTwo", &leaver).await;
    let other = admit(&app, &a, &lead, "NotHis", &p).await;
    let url = format!("/api/staff/{leaver}/deactivate");

    // A client left out: 409 carries_clients naming it.
    let e = app
        .post(&url, &app.admin_token, plan(&[(&c1, &p)]))
        .await
        .problem(409, "carries_clients");
    assert_eq!(e["clients"], json!([c2]), "{e}");
    // Lines that cannot be carried out: 422 naming the line.
    let e = app
        .post(
            &url,
            &app.admin_token,
            plan(&[(&c1, &p), (&c2, &p), (&other, &p)]),
        )
        .await
        .problem(422, "validation_failed");
    assert_eq!(fields(&e), ["assignments[2].client_id"], "{e}");
    let e = app
        .post(&url, &app.admin_token, plan(&[(&c1, &p), (&c2, &v)]))
        .await
        .problem(422, "validation_failed");
    assert_eq!(fields(&e), ["assignments[1].staff_id"], "{e}");
    let e = app
        .post(&url, &app.admin_token, plan(&[(&c1, &outsider), (&c2, &p)]))
        .await
        .problem(422, "validation_failed");
    assert_eq!(fields(&e), ["assignments[0].staff_id"], "{e}");
    app.post(&url, &app.admin_token, plan(&[(&c1, &leaver), (&c2, &p)]))
        .await
        .problem(422, "validation_failed");
    // A receiver without room for everything they would take: caseload_full, nothing moved
    // (P has 2 of a cap of 3 and would take 2).
    let t = app
        .get(&format!("/api/teams/{a}"), &app.admin_token)
        .await
        .expect(200);
    app.patch(
        &format!("/api/teams/{a}"),
        &app.admin_token,
        json!({"version": t["version"], "caseload_cap": 3}),
    )
    .await
    .expect(200);
    admit(&app, &a, &lead, "AlsoHis", &p).await;
    let e = app
        .post(&url, &app.admin_token, plan(&[(&c1, &p), (&c2, &p)]))
        .await
        .problem(409, "caseload_full");
    assert_eq!(
        (e["cap"].as_i64(), e["current"].as_i64()),
        (Some(3), Some(2)),
        "{e}"
    );
    // Not an admin: 403.
    app.post(&url, &lead, plan(&[(&c1, &p), (&c2, &lead_id)]))
        .await
        .problem(403, "forbidden");
    // After every refusal: still active, still carrying both.
    assert!(is_active(&app, &leaver).await);
    assert_eq!(cm_of(&app, &a, &c1).await, leaver.as_str());
    assert_eq!(cm_of(&app, &a, &c2).await, leaver.as_str());
    assert_eq!(caseload(&app, &a, &p).await, 2);
    // The plan that fits: one to P, one to the lead.
    app.post(&url, &app.admin_token, plan(&[(&c1, &p), (&c2, &lead_id)]))
        .await
        .expect(200);
    assert_eq!(caseload(&app, &a, &p).await, 3);
    assert_caseloads_match(&app, &a).await;
}

async fn plan_removal_from_one_team(app: TestApp) {
    let a = id(&app.create_team("Remove A", "icm").await);
    let b = id(&app.create_team("Remove B", "icm").await);
    let (lead_id, lead) = app.member(&a, "rm.lead", "lead").await;
    app.put(
        &format!("/api/teams/{b}/members/{lead_id}"),
        &app.admin_token,
        json!({"role": "lead"}),
    )
    .await
    .expect(200);
    let leaver = staff(&app, &a, "rm.leaver", "member").await;
    let p = staff(&app, &a, "rm.p", "member").await;
    app.put(
        &format!("/api/teams/{b}/members/{leaver}"),
        &app.admin_token,
        json!({"role": "member"}),
    )
    .await
    .expect(200);
    let c1 = admit(&app, &a, &lead, "RmOne", &leaver).await;
    let c2 = admit(&app, &a, &lead, "RmTwo", &leaver).await;
    let stays = admit(&app, &b, &lead, "RmStays", &leaver).await;
    let url = format!("/api/teams/{a}/members/{leaver}/remove");
    // Team B's client is not part of a removal from team A.
    app.post(&url, &lead, plan(&[(&c1, &p), (&c2, &p), (&stays, &p)]))
        .await
        .problem(422, "validation_failed");
    app.post(&url, &lead, plan(&[(&c1, &p)]))
        .await
        .problem(409, "carries_clients");
    let r = app
        .post(&url, &lead, plan(&[(&c1, &p), (&c2, &lead_id)]))
        .await;
    assert_eq!(r.status, 204, "{r:?}");
    assert_eq!(cm_of(&app, &a, &c1).await, p.as_str());
    assert_eq!(cm_of(&app, &a, &c2).await, lead_id.as_str());
    assert_eq!(cm_of(&app, &b, &stays).await, leaver.as_str());
    let members = app
        .get(&format!("/api/teams/{a}/members"), &lead)
        .await
        .expect(200);
    assert!(
        !members
            .as_array()
            .unwrap()
            .iter()
            .any(|m| m["staff_id"] == leaver.as_str()),
        "{members}"
    );
    assert!(is_active(&app, &leaver).await);
}

/// Two leavers' plans race for the last slots of one receiver: one wins, the other is
/// refused whole; the receiver never passes the cap. Repeated, with both orders possible.
async fn racing_plans_respect_the_cap(app: TestApp) {
    let a = id(&app.create_team("Race plans", "icm").await);
    let (_, lead) = app.member(&a, "rp.lead", "lead").await;
    let t = app
        .get(&format!("/api/teams/{a}"), &app.admin_token)
        .await
        .expect(200);
    app.patch(
        &format!("/api/teams/{a}"),
        &app.admin_token,
        json!({"version": t["version"], "caseload_cap": 4}),
    )
    .await
    .expect(200);
    for round in 0..4 {
        let p = staff(&app, &a, &format!("rp.p{round}"), "member").await;
        let l1 = staff(&app, &a, &format!("rp.one{round}"), "member").await;
        let l2 = staff(&app, &a, &format!("rp.two{round}"), "member").await;
        admit(&app, &a, &lead, &format!("P{round}a"), &p).await;
        let x1 = admit(&app, &a, &lead, &format!("X{round}a"), &l1).await;
        let x2 = admit(&app, &a, &lead, &format!("X{round}b"), &l1).await;
        let y1 = admit(&app, &a, &lead, &format!("Y{round}a"), &l2).await;
        let y2 = admit(&app, &a, &lead, &format!("Y{round}b"), &l2).await;
        // P holds 1 of 4: room for one plan of two, not both.
        let (r1, r2) = join(
            app.post(
                &format!("/api/staff/{l1}/deactivate"),
                &app.admin_token,
                plan(&[(&x1, &p), (&x2, &p)]),
            ),
            app.post(
                &format!("/api/staff/{l2}/deactivate"),
                &app.admin_token,
                plan(&[(&y1, &p), (&y2, &p)]),
            ),
        )
        .await;
        let codes = [r1.status.as_u16(), r2.status.as_u16()];
        assert!(
            codes.contains(&200) && codes.contains(&409),
            "round {round}: {r1:?} / {r2:?}"
        );
        let (loser, lost) = if r1.status.as_u16() == 409 {
            (r1, (&l1, [&x1, &x2]))
        } else {
            (r2, (&l2, [&y1, &y2]))
        };
        assert_eq!(loser.body["code"], "caseload_full", "{loser:?}");
        assert_eq!(caseload(&app, &a, &p).await, 3, "round {round}");
        assert!(is_active(&app, lost.0).await, "the refused leaver stays");
        for c in lost.1 {
            assert_eq!(
                cm_of(&app, &a, c).await,
                lost.0.as_str(),
                "nothing of the refused plan moved"
            );
        }
        assert_caseloads_match(&app, &a).await;
    }
}
