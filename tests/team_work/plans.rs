//! Support plans: goals with the client's own words, an objective and a target day; the
//! version rule (one of two parallel writers wins, the other gets 409 with the stored plan);
//! progress notes per goal; goals with progress cannot be dropped; words never reach a privacy
//! display.

use crate::helpers::*;
use serde_json::{json, Value};

both_engines!(
    plan_is_written_whole_with_its_version,
    plan_rules_are_checked_by_field,
    progress_notes_stay_with_their_goal,
    parallel_plan_writes_one_wins,
);

fn goal(id: &str, words: &str) -> Value {
    json!({"id": id, "in_own_words": words, "objective": "Rent paid six months running",
           "target_date": "2027-06-01", "lifecycle": "active",
           "interventions": [{"what": "Budgeting sessions", "frequency": "weekly"}]})
}

async fn setup(app: &TestApp, name: &str) -> (String, String, String, String) {
    let t = id(&app.create_team(name, "act").await);
    let (_, lead) = app.member(&t, &format!("lead{name}"), "lead").await;
    let c = app
        .post(
            &format!("/api/teams/{t}/clients"),
            &lead,
            json!({"given_name": "Ana", "family_name": "Planned", "status": "active"}),
        )
        .await
        .expect(201);
    let cid = id(&c);
    let path = format!("/api/teams/{t}/clients/{cid}/plan");
    (t, lead, cid, path)
}

async fn plan_is_written_whole_with_its_version(app: TestApp) {
    let (t, lead, _, path) = setup(&app, "PlanWhole").await;
    let (member_id, member) = app.member(&t, "memberpw", "member").await;
    app.get(&path, &member).await.problem(404, "not_found");
    let (g1, g2) = (new_id(), new_id());
    let mut body = json!({"reviewed_on": "2026-11-02", "natural_supports": "Sister Ana",
                          "goals": [goal(&g1, "Keep my flat"), goal(&g2, "See my kids on Sundays")]});
    body["goals"][1]["interventions"] = json!([{"what": "Drive to contact centre", "staff_id": member_id, "frequency": "every Sunday"}]);
    let p = app.put(&path, &member, body.clone()).await.expect(200);
    assert_eq!(p["version"], 1);
    assert_eq!(p["review_due"], "2027-01-31");
    assert_eq!(p["goals"][1]["in_own_words"], "See my kids on Sundays");
    assert_eq!(
        p["goals"][1]["interventions"][0]["staff_id"],
        member_id.as_str()
    );
    assert_eq!(app.get(&path, &lead).await.expect(200), p);

    // Without a version, once a plan exists: 422; stale: 409 with the stored plan.
    invalid(app.put(&path, &lead, body.clone()).await, "version");
    body["version"] = json!(1);
    body["goals"] = json!([
        goal(&g2, "See my kids every Sunday"),
        goal(&g1, "Keep my flat")
    ]);
    let p2 = app.put(&path, &lead, body.clone()).await.expect(200);
    assert_eq!(p2["version"], 2);
    assert_eq!(p2["goals"][0]["id"], g2.as_str(), "the order is the body's");
    let stale = app
        .put(&path, &member, body)
        .await
        .problem(409, "version_conflict");
    assert_eq!(stale["current"]["version"], 2);

    // A goal without progress may be dropped.
    let p3 = app
        .put(&path, &lead, json!({"version": 2, "reviewed_on": "2026-11-02", "goals": [goal(&g1, "Keep my flat")]}))
        .await
        .expect(200);
    assert_eq!(p3["goals"].as_array().unwrap().len(), 1);
    assert_eq!(p3["natural_supports"], "");
}

async fn plan_rules_are_checked_by_field(app: TestApp) {
    let (t, lead, _, path) = setup(&app, "PlanRules").await;
    let before = last_seq(&app, &t, &lead).await;
    let g = new_id();
    let with = |goals: Value| json!({"reviewed_on": "2026-11-02", "goals": goals});
    let mut blank = goal(&g, " ");
    invalid(
        app.put(&path, &lead, with(json!([blank.clone()]))).await,
        "goals[0].in_own_words",
    );
    blank = goal(&g, "Work");
    blank["objective"] = json!("");
    invalid(
        app.put(&path, &lead, with(json!([blank]))).await,
        "goals[0].objective",
    );
    let mut no_day = goal(&g, "Work");
    no_day["target_date"] = json!("");
    invalid(
        app.put(&path, &lead, with(json!([no_day]))).await,
        "goals[0].target_date",
    );
    let mut bad_day = goal(&g, "Work");
    bad_day["target_date"] = json!("2027-02-30");
    invalid(
        app.put(&path, &lead, with(json!([bad_day]))).await,
        "goals[0].target_date",
    );
    invalid(
        app.put(&path, &lead, with(json!([goal(&g, "A"), goal(&g, "B")])))
            .await,
        "goals[1].id",
    );
    let other = id(&app.create_team("PlanOther", "act").await);
    let (stranger, _) = app.member(&other, "strangerpr", "member").await;
    let mut foreign = goal(&g, "Work");
    foreign["interventions"] =
        json!([{"what": "Job club", "staff_id": stranger, "frequency": "weekly"}]);
    invalid(
        app.put(&path, &lead, with(json!([foreign]))).await,
        "goals[0].interventions[0].staff_id",
    );
    let mut no_what = goal(&g, "Work");
    no_what["interventions"] = json!([{"what": "", "frequency": "weekly"}]);
    invalid(
        app.put(&path, &lead, with(json!([no_what]))).await,
        "goals[0].interventions[0].what",
    );
    invalid(
        app.put(
            &path,
            &lead,
            json!({"reviewed_on": "2099-01-01", "goals": []}),
        )
        .await,
        "reviewed_on",
    );
    app.put(&path, &lead, json!({"goals": []}))
        .await
        .problem(422, "validation_failed");
    // Nothing was written.
    assert_eq!(last_seq(&app, &t, &lead).await, before);

    // Another client's goal id cannot be taken over.
    let c2 = app
        .post(
            &format!("/api/teams/{t}/clients"),
            &lead,
            json!({"given_name": "Bo", "family_name": "Other", "status": "active"}),
        )
        .await
        .expect(201);
    let path2 = format!("/api/teams/{t}/clients/{}/plan", id(&c2));
    app.put(&path2, &lead, with(json!([goal(&g, "Bo's goal")])))
        .await
        .expect(200);
    invalid(
        app.put(&path, &lead, with(json!([goal(&g, "Ana's goal")])))
            .await,
        "goals[0].id",
    );
}

async fn progress_notes_stay_with_their_goal(app: TestApp) {
    let (t, lead, _, path) = setup(&app, "PlanProgress").await;
    let (_, member) = app.member(&t, "memberpp", "member").await;
    let (g1, g2) = (new_id(), new_id());
    app.put(&path, &lead, json!({"reviewed_on": "2026-11-02", "goals": [goal(&g1, "Keep my flat"), goal(&g2, "Work")]}))
        .await
        .expect(200);
    let seq = last_seq(&app, &t, &lead).await;
    let note = app
        .post(
            &format!("{path}/goals/{g1}/progress"),
            &member,
            json!({"achievement": "improving", "note": "Paid November's rent"}),
        )
        .await
        .expect(201);
    assert_eq!(note["achievement"], "improving");
    invalid(
        app.post(
            &format!("{path}/goals/{g1}/progress"),
            &member,
            json!({"achievement": "improving", "note": " "}),
        )
        .await,
        "note",
    );
    app.post(
        &format!("{path}/goals/{g1}/progress"),
        &member,
        json!({"achievement": "done", "note": "x"}),
    )
    .await
    .problem(422, "validation_failed");
    app.post(
        &format!("{path}/goals/{}/progress", new_id()),
        &member,
        json!({"achievement": "achieved", "note": "x"}),
    )
    .await
    .problem(404, "not_found");
    let p = app.get(&path, &member).await.expect(200);
    assert_eq!(p["goals"][0]["progress"][0]["note"], "Paid November's rent");
    assert_eq!(p["goals"][1]["progress"], json!([]));

    // A goal with progress cannot be dropped; marked cancelled it stays, with its notes.
    let p2 = app
        .put(
            &path,
            &lead,
            json!({"version": 1, "reviewed_on": "2026-11-02", "goals": [goal(&g2, "Work")]}),
        )
        .await
        .problem(422, "validation_failed");
    assert!(p2.to_string().contains("Keep my flat"), "{p2}");
    let mut cancelled = goal(&g1, "Keep my flat");
    cancelled["lifecycle"] = json!("cancelled");
    let p3 = app
        .put(&path, &lead, json!({"version": 1, "reviewed_on": "2026-11-02", "goals": [cancelled, goal(&g2, "Work")]}))
        .await
        .expect(200);
    assert_eq!(p3["goals"][0]["lifecycle"], "cancelled");
    assert_eq!(
        p3["goals"][0]["progress"][0]["note"],
        "Paid November's rent"
    );

    // The log has both kinds; a privacy display sees none of the words.
    let kinds = kinds_since(&app, &t, &lead, seq).await;
    assert_eq!(kinds, ["goal.progress_recorded", "plan.updated"]);
    let dt = privacy_display(&app, &t, &lead).await;
    let shown = app
        .get(&format!("/api/teams/{t}/events?since=0&limit=1000"), &dt)
        .await
        .expect(200)
        .to_string();
    for secret in ["Keep my flat", "Paid November", "Budgeting", "Rent paid"] {
        assert!(
            !shown.contains(secret),
            "{secret} reached a privacy display"
        );
    }
}

async fn parallel_plan_writes_one_wins(app: TestApp) {
    let (t, lead, _, path) = setup(&app, "PlanRace").await;
    let (_, member) = app.member(&t, "memberrace", "member").await;
    app.put(
        &path,
        &lead,
        json!({"reviewed_on": "2026-11-02", "goals": []}),
    )
    .await
    .expect(200);
    let writes = (0..6).map(|i| {
        let tok = if i % 2 == 0 { &lead } else { &member };
        app.put(&path, tok, json!({"version": 1, "reviewed_on": "2026-11-02", "goals": [goal(&new_id(), &format!("Goal {i}"))]}))
    });
    let mut ok = 0;
    let mut conflicts = 0;
    for r in futures_util::future::join_all(writes).await {
        match r.status.as_u16() {
            200 => ok += 1,
            409 => conflicts += 1,
            s => panic!("unexpected {s}"),
        }
    }
    assert_eq!((ok, conflicts), (1, 5));
    let p = app.get(&path, &lead).await.expect(200);
    assert_eq!(p["version"], 2);
    assert_eq!(p["goals"].as_array().unwrap().len(), 1);
}

both_engines!(due_items_come_from_assessments_plans_and_goals,);

async fn due_items_come_from_assessments_plans_and_goals(app: TestApp) {
    let (t, lead, cid, path) = setup(&app, "PlanDue").await;
    let day = |n: i64| {
        (chrono::Utc::now().date_naive() + chrono::Days::new(n as u64))
            .format("%Y-%m-%d")
            .to_string()
    };
    // Assessed long ago: the reassessment is overdue.
    app.post(
        &format!("/api/teams/{t}/clients/{cid}/assessments"),
        &lead,
        json!({"factors": {"biomedical": 0, "behavioral": 0, "circumstantial": 0}, "assessed_on": "2020-01-01"}),
    )
    .await
    .expect(201);
    let (soon, later, done) = (new_id(), new_id(), new_id());
    let mut g_soon = goal(&soon, "Soon");
    g_soon["target_date"] = json!(day(5));
    let mut g_later = goal(&later, "Later");
    g_later["target_date"] = json!(day(40));
    let mut g_done = goal(&done, "Done");
    g_done["target_date"] = json!("2020-02-01");
    g_done["lifecycle"] = json!("completed");
    app.put(
        &path,
        &lead,
        json!({"reviewed_on": "2026-01-05", "goals": [g_soon, g_later, g_done]}),
    )
    .await
    .expect(200);

    let due = app
        .get(&format!("/api/teams/{t}/due"), &lead)
        .await
        .expect(200);
    let got: Vec<(String, String, bool)> = due
        .as_array()
        .unwrap()
        .iter()
        .map(|i| {
            (
                i["kind"].as_str().unwrap().into(),
                i["due_on"].as_str().unwrap().into(),
                i["overdue"].as_bool().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        got,
        vec![
            ("reassessment".into(), "2020-07-01".into(), true),
            ("plan_review".into(), "2026-04-05".into(), true),
            ("goal_target".into(), day(5), false),
        ],
        "{due}"
    );
    assert_eq!(due[2]["goal_id"], soon.as_str());
    let wide = app
        .get(&format!("/api/teams/{t}/due?within_days=60"), &lead)
        .await
        .expect(200);
    assert_eq!(wide.as_array().unwrap().len(), 4);
    invalid(
        app.get(&format!("/api/teams/{t}/due?within_days=400"), &lead)
            .await,
        "within_days",
    );

    // A discharged client has nothing due.
    app.patch(
        &format!("/api/teams/{t}/clients/{cid}"),
        &lead,
        json!({"version": 2, "status": "discharged", "discharge_reason": "moved"}),
    )
    .await
    .expect(200);
    assert_eq!(
        app.get(&format!("/api/teams/{t}/due"), &lead)
            .await
            .expect(200),
        json!([])
    );
}
