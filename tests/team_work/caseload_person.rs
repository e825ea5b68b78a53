//! The ICM cap is per person (issue 11): a case manager's active and transitioning clients
//! over every ICM team they work in never exceed 15 (and never a team's own lower cap within
//! that team), on every path and under concurrent assignment on two teams at once.

use crate::helpers::*;
use futures_util::future::join_all;
use serde_json::json;

both_engines!(
    icm_cap_counts_the_person_over_every_team,
    icm_cap_per_person_holds_under_concurrency_across_teams,
);

/// Two ICM teams led by the same lead; returns (a, b, lead id, lead token).
async fn two_icm_teams(app: &TestApp, tag: &str) -> (String, String, String, String) {
    let a = id(&app.create_team(&format!("{tag} North ICM"), "icm").await);
    let b = id(&app.create_team(&format!("{tag} South ICM"), "icm").await);
    let (lead_id, lead) = app.member(&a, &format!("{tag}.lead"), "lead").await;
    app.put(
        &format!("/api/teams/{b}/members/{lead_id}"),
        &app.admin_token,
        json!({"role": "lead"}),
    )
    .await
    .expect(200);
    (a, b, lead_id, lead)
}

async fn join(app: &TestApp, team: &str, staff_id: &str, role: &str) {
    app.put(
        &format!("/api/teams/{team}/members/{staff_id}"),
        &app.admin_token,
        json!({"role": role}),
    )
    .await
    .expect(200);
}

async fn icm_cap_counts_the_person_over_every_team(app: TestApp) {
    let (a, b, lead_id, lead) = two_icm_teams(&app, "p").await;
    let s = staff(&app, &a, "two.teams", "member").await;
    join(&app, &b, &s, "member").await;
    let other_b = staff(&app, &b, "other.b", "member").await;
    let mut on_a = vec![];
    for i in 0..10 {
        on_a.push(admit(&app, &a, &lead, &format!("A{i:02}"), &s).await);
    }
    for i in 0..5 {
        admit(&app, &b, &lead, &format!("B{i:02}"), &s).await;
    }
    assert_eq!(
        caseload(&app, &a, &s).await + caseload(&app, &b, &s).await,
        15
    );

    // The pilot's finding: a 16th client on either team is refused.
    let p = app
        .post(&format!("/api/teams/{b}/clients"), &lead, json!({"given_name": "One", "family_name": "Too Many", "status": "active", "case_manager_id": s}))
        .await
        .problem(409, "caseload_full");
    assert_eq!(
        (p["cap"].as_i64(), p["current"].as_i64()),
        (Some(15), Some(15)),
        "{p}"
    );
    assert_eq!(p["limit"], "person_cap", "{p}");
    assert_eq!(
        (p["on_this_team"].as_i64(), p["on_other_teams"].as_i64()),
        (Some(5), Some(10)),
        "{p}"
    );
    assert_eq!(p["staff_id"], s.as_str());
    app.post(&format!("/api/teams/{a}/clients"), &lead, json!({"given_name": "One", "family_name": "Too Many", "status": "active", "case_manager_id": s}))
        .await
        .problem(409, "caseload_full");

    // PUT case-manager and PATCH on team B, each refused with the person's count.
    let mover = admit(&app, &b, &lead, "Mover", &other_b).await;
    let p = app
        .put(
            &format!("/api/teams/{b}/clients/{mover}/case-manager"),
            &lead,
            json!({"staff_id": s}),
        )
        .await
        .problem(409, "caseload_full");
    assert_eq!(
        (p["cap"].as_i64(), p["current"].as_i64()),
        (Some(15), Some(15))
    );
    app.patch(
        &format!("/api/teams/{b}/clients/{mover}"),
        &lead,
        json!({"version": 1, "case_manager_id": s}),
    )
    .await
    .problem(409, "caseload_full");

    // Reactivation on team B of a client S carried before.
    let back = admit(&app, &b, &lead, "Comeback", &other_b).await;
    app.patch(
        &format!("/api/teams/{b}/clients/{back}"),
        &lead,
        json!({"version": 1, "status": "discharged", "discharge_reason": "goals_met"}),
    )
    .await
    .expect(200);
    app.patch(
        &format!("/api/teams/{b}/clients/{back}"),
        &lead,
        json!({"version": 2, "case_manager_id": s}),
    )
    .await
    .expect(200);
    app.patch(
        &format!("/api/teams/{b}/clients/{back}"),
        &lead,
        json!({"version": 3, "status": "active"}),
    )
    .await
    .problem(409, "caseload_full");

    // Transfer in from an ACT team to S on team B.
    let act = id(&app.create_team("p Feeder ACT", "act").await);
    join(&app, &act, &lead_id, "lead").await;
    let y = id(&app
        .post(
            &format!("/api/teams/{act}/clients"),
            &lead,
            json!({"given_name": "Yan", "family_name": "Transfer", "status": "active"}),
        )
        .await
        .expect(201));
    let p = app
        .post(
            &format!("/api/teams/{act}/clients/{y}/transfer"),
            &lead,
            json!({"to_team_id": b, "case_manager_id": s}),
        )
        .await
        .problem(409, "caseload_full");
    assert_eq!(p["limit"], "person_cap", "{p}");

    // An ACT team has no cap and does not count: S takes a 16th client there.
    join(&app, &act, &s, "member").await;
    admit(&app, &act, &lead, "Shared", &s).await;
    // … but switching that team to ICM would put S at 16: refused, naming S.
    let p = app
        .patch(
            &format!("/api/teams/{act}"),
            &lead,
            json!({"version": 1, "mode": "icm"}),
        )
        .await
        .problem(409, "caseload_full");
    let over = p["over"].as_array().unwrap_or_else(|| panic!("{p}"));
    assert_eq!(over.len(), 1, "{p}");
    assert_eq!(over[0]["staff_id"], s.as_str());
    assert_eq!(
        (
            over[0]["current"].as_i64(),
            over[0]["on_other_teams"].as_i64()
        ),
        (Some(1), Some(15)),
        "{p}"
    );

    // Discharging one on team A makes room on team B.
    app.patch(
        &format!("/api/teams/{a}/clients/{}", on_a[0]),
        &lead,
        json!({"version": 1, "status": "discharged", "discharge_reason": "goals_met"}),
    )
    .await
    .expect(200);
    let moved = app
        .put(
            &format!("/api/teams/{b}/clients/{mover}/case-manager"),
            &lead,
            json!({"staff_id": s}),
        )
        .await
        .expect(200);
    assert_eq!(moved["case_manager_id"], s.as_str());
    assert_eq!(caseload(&app, &a, &s).await, 9);
    assert_eq!(caseload(&app, &b, &s).await, 6);

    // A team's own lower cap holds within the team, even with room overall.
    let c = id(&app.create_team("p Small ICM", "icm").await);
    app.patch(
        &format!("/api/teams/{c}"),
        &app.admin_token,
        json!({"version": 1, "caseload_cap": 2}),
    )
    .await
    .expect(200);
    let t2 = staff(&app, &c, "small.cm", "member").await;
    join(&app, &c, &lead_id, "lead").await;
    admit(&app, &c, &lead, "C1", &t2).await;
    admit(&app, &c, &lead, "C2", &t2).await;
    let p = app
        .post(&format!("/api/teams/{c}/clients"), &lead, json!({"given_name": "C", "family_name": "Three", "status": "active", "case_manager_id": t2}))
        .await
        .problem(409, "caseload_full");
    assert_eq!(
        (
            p["cap"].as_i64(),
            p["current"].as_i64(),
            p["limit"].as_str()
        ),
        (Some(2), Some(2), Some("team_cap")),
        "{p}"
    );
    for t in [&a, &b, &c, &act] {
        assert_caseloads_match(&app, t).await;
    }
}

/// Transactions on different teams assigning the same person never both take the last
/// slot: the person's staff row serializes them (PostgreSQL), the writer lock (SQLite).
/// Four ICM teams, so four transactions run at once; three rounds, each with a fresh person.
async fn icm_cap_per_person_holds_under_concurrency_across_teams(app: TestApp) {
    let (a, b, lead_id, lead) = two_icm_teams(&app, "race").await;
    let mut teams = vec![a, b];
    for name in ["race East ICM", "race West ICM"] {
        let t = id(&app.create_team(name, "icm").await);
        join(&app, &t, &lead_id, "lead").await;
        teams.push(t);
    }
    let mut holders = vec![];
    for (i, t) in teams.iter().enumerate() {
        holders.push(staff(&app, t, &format!("holder{i}"), "member").await);
    }
    for round in 0..3 {
        let s = staff(&app, &teams[0], &format!("contested{round}"), "member").await;
        for t in &teams[1..] {
            join(&app, t, &s, "member").await;
        }
        // 14 held, spread over the four teams.
        for i in 0..14 {
            let t = &teams[i % 4];
            admit(&app, t, &lead, &format!("S{round}x{i:02}"), &s).await;
        }
        let mut movers = vec![];
        for i in 0..16 {
            let k = i % 4;
            let c = admit(
                &app,
                &teams[k],
                &lead,
                &format!("M{round}x{i:02}"),
                &holders[k],
            )
            .await;
            movers.push((teams[k].clone(), c));
        }
        let tasks: Vec<_> = movers
            .iter()
            .map(|(t, c)| {
                app.put(
                    &format!("/api/teams/{t}/clients/{c}/case-manager"),
                    &lead,
                    json!({"staff_id": s}),
                )
            })
            .collect();
        let results = join_all(tasks).await;
        let wins = results.iter().filter(|r| r.status == 200).count();
        assert_eq!(
            wins, 1,
            "round {round}: exactly one assignment takes the last slot: {results:?}"
        );
        for r in results {
            if r.status != 200 {
                let p = r.problem(409, "caseload_full");
                assert_eq!(
                    (p["cap"].as_i64(), p["current"].as_i64()),
                    (Some(15), Some(15)),
                    "{p}"
                );
            }
        }
        let mut total = 0;
        for t in &teams {
            total += caseload(&app, t, &s).await;
        }
        assert_eq!(total, 15, "round {round}");
    }
    for t in &teams {
        assert_caseloads_match(&app, t).await;
    }
}
