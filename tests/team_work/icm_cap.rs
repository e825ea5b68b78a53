//! The ICM caseload cap: held under concurrent assignment and admission, refused on every
//! path that adds to a caseload (PATCH, PUT case manager, reactivation, screening → active,
//! transfer in), changed by the lead; ACT teams have no cap.

use crate::helpers::*;
use futures_util::future::join_all;
use serde_json::json;

both_engines!(
    icm_cap_holds_under_concurrent_assignment,
    icm_cap_holds_under_concurrent_admission,
    icm_cap_refused_on_every_path,
    icm_cap_changes_and_act_has_no_cap,
);

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
    assert_caseloads_match(&app, &t).await;
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
    assert_caseloads_match(&app, &t).await;
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
        json!({"version": 1, "external_id": "MRN-1"}),
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
        json!({"version": 1, "status": "discharged", "discharge_reason": "moved"}),
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
    assert_caseloads_match(&app, &t).await;
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
    assert_caseloads_match(&app, &t).await;

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
