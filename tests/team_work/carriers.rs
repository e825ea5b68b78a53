//! A carrier cannot vanish (issue 11): deactivating a person, or removing them from a team,
//! while they are case manager of clients is refused with the clients listed, unless the
//! request names `reassign_to`; then the clients move in the same transaction, within the
//! caps, with one event per client, or nothing moves.

use crate::helpers::*;
use futures_util::future::join;
use serde_json::{json, Value};

both_engines!(
    carrier_deactivation_refused_or_handed_over,
    carrier_removal_refused_or_handed_over,
    carrier_deactivation_races_an_assignment,
);

fn ids(p: &Value, field: &str) -> Vec<String> {
    let mut v: Vec<String> = p[field]
        .as_array()
        .unwrap_or_else(|| panic!("no {field} in {p}"))
        .iter()
        .map(|x| x.as_str().unwrap().to_string())
        .collect();
    v.sort();
    v
}

async fn client_cm(app: &TestApp, t: &str, c: &str) -> Value {
    app.get(&format!("/api/teams/{t}/clients/{c}"), &app.admin_token)
        .await
        .expect(200)["case_manager_id"]
        .clone()
}

async fn carrier_deactivation_refused_or_handed_over(app: TestApp) {
    let a = id(&app.create_team("Carry A", "icm").await);
    let b = id(&app.create_team("Carry B", "icm").await);
    let (lead_id, lead) = app.member(&a, "carry.lead", "lead").await;
    app.put(
        &format!("/api/teams/{b}/members/{lead_id}"),
        &app.admin_token,
        json!({"role": "lead"}),
    )
    .await
    .expect(200);
    let s = staff(&app, &a, "leaving", "member").await;
    let q = staff(&app, &a, "taking.over", "member").await;
    let v = staff(&app, &a, "watching", "viewer").await;
    for (t, who, role) in [(&b, &s, "member"), (&b, &q, "member")] {
        app.put(
            &format!("/api/teams/{t}/members/{who}"),
            &app.admin_token,
            json!({"role": role}),
        )
        .await
        .expect(200);
    }
    let mut carried = vec![];
    for i in 0..3 {
        carried.push((
            a.clone(),
            admit(&app, &a, &lead, &format!("SA{i}"), &s).await,
        ));
    }
    for i in 0..2 {
        carried.push((
            b.clone(),
            admit(&app, &b, &lead, &format!("SB{i}"), &s).await,
        ));
    }
    // A referral with S as case manager is carried too (it holds no slot).
    let r = app
        .post(
            &format!("/api/teams/{a}/clients"),
            &lead,
            json!({"given_name": "Ref", "family_name": "Erred", "case_manager_id": s}),
        )
        .await
        .expect(201);
    carried.push((a.clone(), id(&r)));
    let mut q_clients = vec![];
    for i in 0..12 {
        q_clients.push(admit(&app, &a, &lead, &format!("Q{i:02}"), &q).await);
    }
    let spath = format!("/api/staff/{s}");

    // Refused, listing every client S carries on every team.
    let p = app
        .patch(&spath, &app.admin_token, json!({"active": false}))
        .await
        .problem(409, "carries_clients");
    let mut want: Vec<String> = carried.iter().map(|(_, c)| c.clone()).collect();
    want.sort();
    assert_eq!(ids(&p, "clients"), want, "{p}");
    assert_eq!(p["staff_id"], s.as_str());
    // Q would carry 12 + 5 = 17: refused over the person's cap, nothing moved.
    let seq_a = last_seq(&app, &a, &lead).await;
    let p = app
        .patch(
            &spath,
            &app.admin_token,
            json!({"active": false, "reassign_to": q}),
        )
        .await
        .problem(409, "caseload_full");
    assert_eq!(
        (
            p["cap"].as_i64(),
            p["current"].as_i64(),
            p["limit"].as_str(),
            p["adding"].as_i64()
        ),
        (Some(15), Some(12), Some("person_cap"), Some(5)),
        "{p}"
    );
    assert_eq!(p["staff_id"], q.as_str());
    assert_eq!(last_seq(&app, &a, &lead).await, seq_a, "nothing written");
    for (t, c) in &carried {
        assert_eq!(client_cm(&app, t, c).await, s.as_str());
    }
    // Bad targets: a viewer, oneself, nobody; and reassign_to without a deactivation.
    invalid(
        app.patch(
            &spath,
            &app.admin_token,
            json!({"active": false, "reassign_to": v}),
        )
        .await,
        "reassign_to",
    );
    invalid(
        app.patch(
            &spath,
            &app.admin_token,
            json!({"active": false, "reassign_to": s}),
        )
        .await,
        "reassign_to",
    );
    invalid(
        app.patch(
            &spath,
            &app.admin_token,
            json!({"active": false, "reassign_to": new_id()}),
        )
        .await,
        "reassign_to",
    );
    invalid(
        app.patch(
            &spath,
            &app.admin_token,
            json!({"display_name": "Still Here", "reassign_to": q}),
        )
        .await,
        "reassign_to",
    );
    let me = app.get("/api/staff", &app.admin_token).await.expect(200);
    let row = me
        .as_array()
        .unwrap()
        .iter()
        .find(|x| x["id"] == s.as_str())
        .unwrap()
        .clone();
    assert_eq!(row["active"], true, "refusals leave the account active");

    // Two of Q's clients discharged: 10 + 5 fits.
    for c in &q_clients[..2] {
        app.patch(
            &format!("/api/teams/{a}/clients/{c}"),
            &lead,
            json!({"version": 1, "status": "discharged", "discharge_reason": "goals_met"}),
        )
        .await
        .expect(200);
    }
    let seq_b = last_seq(&app, &b, &lead).await;
    let done = app
        .patch(
            &spath,
            &app.admin_token,
            json!({"active": false, "reassign_to": q}),
        )
        .await
        .expect(200);
    assert_eq!(done["active"], false);
    for (t, c) in &carried {
        assert_eq!(client_cm(&app, t, c).await, q.as_str(), "{c} moved to Q");
    }
    assert_eq!(
        caseload(&app, &a, &q).await + caseload(&app, &b, &q).await,
        15
    );
    // One client.updated per moved client, on its own team's log.
    let events = app
        .get(&format!("/api/teams/{b}/events?since={seq_b}"), &lead)
        .await
        .expect(200);
    let updated: Vec<&Value> = events["events"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["kind"] == "client.updated")
        .collect();
    assert_eq!(updated.len(), 2, "{events}");
    assert!(updated
        .iter()
        .all(|e| e["data"]["case_manager_id"] == q.as_str()));
    // The deactivated person carries nothing and cannot be given clients.
    let x = app
        .post(&format!("/api/teams/{a}/clients"), &lead, json!({"given_name": "X", "family_name": "Late", "status": "active", "case_manager_id": s}))
        .await;
    invalid(x, "case_manager_id");
    assert_caseloads_match(&app, &a).await;
    assert_caseloads_match(&app, &b).await;
}

async fn carrier_removal_refused_or_handed_over(app: TestApp) {
    let t = id(&app.create_team("Carry Remove", "icm").await);
    let other = id(&app.create_team("Carry Elsewhere", "icm").await);
    let (_, lead) = app.member(&t, "rm.lead", "lead").await;
    let r = staff(&app, &t, "removed", "member").await;
    let z = staff(&app, &t, "nearly.full", "member").await;
    let w = staff(&app, &t, "has.room", "member").await;
    let mut carried = vec![];
    for i in 0..3 {
        carried.push(admit(&app, &t, &lead, &format!("R{i}"), &r).await);
    }
    for i in 0..13 {
        admit(&app, &t, &lead, &format!("Z{i:02}"), &z).await;
    }
    // R's clients on another team are not this removal's business.
    app.put(
        &format!("/api/teams/{other}/members/{r}"),
        &app.admin_token,
        json!({"role": "member"}),
    )
    .await
    .expect(200);
    let elsewhere = admit(&app, &other, &app.admin_token, "Elsewhere", &r).await;

    let mpath = format!("/api/teams/{t}/members/{r}");
    let p = app
        .delete(&mpath, &lead)
        .await
        .problem(409, "carries_clients");
    let mut want = carried.clone();
    want.sort();
    assert_eq!(ids(&p, "clients"), want, "only this team's clients: {p}");
    let p = app
        .delete(&format!("{mpath}?reassign_to={z}"), &lead)
        .await
        .problem(409, "caseload_full");
    assert_eq!(
        (
            p["cap"].as_i64(),
            p["current"].as_i64(),
            p["adding"].as_i64()
        ),
        (Some(15), Some(13), Some(3)),
        "{p}"
    );
    for c in &carried {
        assert_eq!(client_cm(&app, &t, c).await, r.as_str(), "nothing moved");
    }
    invalid(
        app.delete(&format!("{mpath}?reassign_to={r}"), &lead).await,
        "reassign_to",
    );
    app.delete(&format!("{mpath}?reassign_to={w}"), &lead)
        .await
        .expect(204);
    for c in &carried {
        assert_eq!(client_cm(&app, &t, c).await, w.as_str());
    }
    let members = app
        .get(&format!("/api/teams/{t}/members"), &lead)
        .await
        .expect(200);
    assert!(
        members
            .as_array()
            .unwrap()
            .iter()
            .all(|m| m["staff_id"] != r.as_str()),
        "{members}"
    );
    assert_eq!(client_cm(&app, &other, &elsewhere).await, r.as_str());
    assert_caseloads_match(&app, &t).await;
}

/// A deactivation and an assignment to the same person at once: either the assignment is
/// refused (the account is inactive) or the deactivation is (they carry a client); never an
/// inactive account left carrying clients.
async fn carrier_deactivation_races_an_assignment(app: TestApp) {
    let a = id(&app.create_team("Race A", "icm").await);
    let b = id(&app.create_team("Race B", "icm").await);
    let (lead_id, lead) = app.member(&a, "race.lead", "lead").await;
    app.put(
        &format!("/api/teams/{b}/members/{lead_id}"),
        &app.admin_token,
        json!({"role": "lead"}),
    )
    .await
    .expect(200);
    for round in 0..6 {
        let s = staff(&app, &a, &format!("racer{round}"), "member").await;
        app.put(
            &format!("/api/teams/{b}/members/{s}"),
            &app.admin_token,
            json!({"role": "member"}),
        )
        .await
        .expect(200);
        let team = if round % 2 == 0 { &a } else { &b };
        let (deact, assign) = join(
            app.patch(&format!("/api/staff/{s}"), &app.admin_token, json!({"active": false})),
            app.post(
                &format!("/api/teams/{team}/clients"),
                &lead,
                json!({"given_name": "R", "family_name": format!("Race{round}"), "status": "active", "case_manager_id": s}),
            ),
        )
        .await;
        let carried = caseload(&app, &a, &s).await + caseload(&app, &b, &s).await;
        match (deact.status.as_u16(), assign.status.as_u16()) {
            (200, 422) => assert_eq!(carried, 0),
            (409, 201) => {
                assert_eq!(deact.body["code"], "carries_clients", "{deact:?}");
                assert_eq!(carried, 1);
            }
            other => panic!("round {round}: {other:?}: {deact:?} {assign:?}"),
        }
    }
}
