//! Switching a team between ACT and ICM.

use crate::helpers::*;
use serde_json::json;

both_engines!(mode_switch_recounts_and_carriers_stay,);

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
        .post(
            &format!("/api/teams/{t}/clients"),
            &lead,
            json!({"given_name": "No", "family_name": "Manager", "status": "active"}),
        )
        .await
        .expect(201);
    let team = format!("/api/teams/{t}");
    // An active client without a case manager blocks ICM mode.
    app.patch(&team, &lead, json!({"version": 1, "mode": "icm"}))
        .await
        .problem(409, "conflict");
    app.put(
        &format!("{team}/clients/{}/case-manager", id(&orphan)),
        &lead,
        json!({"staff_id": b}),
    )
    .await
    .expect(200);
    // A cap below A's three clients is refused, naming A.
    let over = app
        .patch(
            &team,
            &lead,
            json!({"version": 1, "mode": "icm", "caseload_cap": 2}),
        )
        .await
        .problem(409, "caseload_full");
    assert_eq!(over["over"][0]["staff_id"], a.as_str(), "{over}");
    assert_eq!(over["over"][0]["current"], 3);
    // At 3 it switches; the counters come from the clients table.
    let switched = app
        .patch(
            &team,
            &lead,
            json!({"version": 1, "mode": "icm", "caseload_cap": 3}),
        )
        .await
        .expect(200);
    assert_eq!(switched["mode"], "icm");
    let board = app.get(&format!("{team}/board"), &lead).await.expect(200);
    let load = |sid: &str| {
        board["staff"]
            .as_array()
            .unwrap()
            .iter()
            .find(|s| s["id"] == sid)
            .unwrap()["caseload"]
            .as_i64()
            .unwrap()
    };
    assert_eq!((load(&a), load(&b)), (3, 1));
    // From now on the cap holds: A is full.
    let extra = refer(&app, &t, &lead, "One", "More").await;
    app.put(
        &format!("{team}/clients/{}/case-manager", id(&extra)),
        &lead,
        json!({"staff_id": b}),
    )
    .await
    .expect(200);
    let moved = app
        .patch(
            &format!("{team}/clients/{}", id(&extra)),
            &lead,
            json!({"version": 2, "status": "screening"}),
        )
        .await
        .expect(200);
    let full = app
        .patch(
            &format!("{team}/clients/{}", id(&extra)),
            &lead,
            json!({"version": moved["version"], "status": "active", "case_manager_id": a}),
        )
        .await
        .problem(409, "caseload_full");
    assert_eq!(full["current"], 3);
    // A carries clients: removing A is refused, and so is making A a viewer (who cannot carry).
    let refused = app
        .delete(&format!("{team}/members/{a}"), &lead)
        .await
        .problem(409, "carries_clients");
    assert_eq!(
        refused["clients"].as_array().map(Vec::len),
        Some(3),
        "{refused}"
    );
    let refused = app
        .put(
            &format!("{team}/members/{a}"),
            &lead,
            json!({"role": "viewer"}),
        )
        .await
        .problem(409, "carries_clients");
    assert!(
        refused["detail"].as_str().unwrap().contains("viewer"),
        "{refused}"
    );
    let members = app.get(&format!("{team}/members"), &lead).await.expect(200);
    let role_of_a = members
        .as_array()
        .unwrap()
        .iter()
        .find(|m| m["staff_id"] == a.as_str())
        .unwrap()["role"]
        .clone();
    assert_eq!(role_of_a, "member", "the refused demotion changed nothing");
    // Back to ACT: no cap at all.
    app.patch(&team, &lead, json!({"version": 2, "mode": "act"}))
        .await
        .expect(200);
    app.patch(
        &format!("{team}/clients/{}", id(&extra)),
        &lead,
        json!({"version": moved["version"], "status": "active", "case_manager_id": a}),
    )
    .await
    .expect(200);
}
