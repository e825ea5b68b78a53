//! Assessments: the tier computed by the rule, a lead's override with a reason, the client's
//! `risk_tier` following the latest one (never set by hand), validation by field, the events
//! and their privacy redaction, and parallel assessments of one client.

use crate::helpers::*;
use serde_json::{json, Value};

both_engines!(
    assessment_computes_the_tier_and_moves_risk_tier,
    assessment_rules_are_checked_by_field,
    parallel_assessments_leave_the_latest_tier,
);

fn body(b: u8, h: u8, c: u8) -> Value {
    let ev = |r: u8, t: &str| if r > 0 { json!(t) } else { Value::Null };
    json!({"factors": {"biomedical": b, "behavioral": h, "circumstantial": c},
           "evidence": {"biomedical": ev(b, "diabetes, poorly controlled"),
                        "behavioral": ev(h, "stopped depot in May"),
                        "circumstantial": ev(c, "eviction notice")}})
}

async fn assessment_computes_the_tier_and_moves_risk_tier(app: TestApp) {
    let t = id(&app.create_team("Assess", "act").await);
    let (_, lead) = app.member(&t, "leadas", "lead").await;
    let (member_id, member) = app.member(&t, "memberas", "member").await;
    let c = app
        .post(
            &format!("/api/teams/{t}/clients"),
            &lead,
            json!({"given_name": "Ada", "family_name": "Rated", "status": "active"}),
        )
        .await
        .expect(201);
    let cid = id(&c);
    assert_eq!(c["risk_tier"], "medium");
    let path = format!("/api/teams/{t}/clients/{cid}/assessments");
    let seq = last_seq(&app, &t, &lead).await;

    // 1+1+0 = 2: low; the client's tier follows.
    let a = app.post(&path, &member, body(1, 1, 0)).await.expect(201);
    assert_eq!(a["computed_tier"], "low");
    assert_eq!(a["tier"], "low");
    assert_eq!(a["assessed_by"], member_id.as_str());
    assert!(a["explanation"].as_str().unwrap().starts_with("Low"), "{a}");
    let day = a["assessed_on"].as_str().unwrap().to_string();
    let next: chrono::NaiveDate = a["next_due"].as_str().unwrap().parse().unwrap();
    let on: chrono::NaiveDate = day.parse().unwrap();
    assert_eq!(next, on.checked_add_months(chrono::Months::new(6)).unwrap());
    let client = app
        .get(&format!("/api/teams/{t}/clients/{cid}"), &member)
        .await
        .expect(200);
    assert_eq!(client["risk_tier"], "low");
    assert_eq!(client["version"], 2);

    // The log: the assessment, then the client's new tier, in one transaction.
    let kinds = kinds_since(&app, &t, &lead, seq).await;
    assert_eq!(kinds, ["assessment.recorded", "client.updated"]);

    // Any factor at 3: high.
    let a = app.post(&path, &member, body(0, 3, 0)).await.expect(201);
    assert_eq!(a["tier"], "high");
    // A member may not override; a lead may, with a reason.
    let mut over = body(1, 0, 0);
    over["override_tier"] = json!("high");
    over["override_reason"] = json!("overdose last week");
    app.post(&path, &member, over.clone())
        .await
        .problem(403, "forbidden");
    let a = app.post(&path, &lead, over).await.expect(201);
    assert_eq!(a["computed_tier"], "low");
    assert_eq!(a["tier"], "high");
    assert!(
        a["explanation"]
            .as_str()
            .unwrap()
            .contains("Overridden to high"),
        "{a}"
    );
    // Same tier as before: no client.updated.
    let client = app
        .get(&format!("/api/teams/{t}/clients/{cid}"), &member)
        .await
        .expect(200);
    assert_eq!(client["risk_tier"], "high");

    // A backdated assessment is kept but does not change the tier.
    let mut old = body(0, 0, 0);
    old["assessed_on"] = json!("2020-01-01");
    app.post(&path, &member, old).await.expect(201);
    let client = app
        .get(&format!("/api/teams/{t}/clients/{cid}"), &member)
        .await
        .expect(200);
    assert_eq!(client["risk_tier"], "high");

    // Newest first; the privacy display sees that one happened, never what it says.
    let list = app.get(&path, &member).await.expect(200);
    let list = list.as_array().unwrap();
    assert_eq!(list.len(), 4);
    assert_eq!(list[3]["assessed_on"], "2020-01-01");
    let dt = privacy_display(&app, &t, &lead).await;
    let shown = app
        .get(&format!("/api/teams/{t}/events?since={seq}"), &dt)
        .await
        .expect(200);
    let text = shown.to_string();
    for secret in [
        "overdose last week",
        "diabetes",
        "stopped depot",
        "eviction",
    ] {
        assert!(
            !text.contains(secret),
            "{secret} reached a privacy display: {text}"
        );
    }

    // The tier is never set by hand.
    invalid(
        app.patch(
            &format!("/api/teams/{t}/clients/{cid}"),
            &lead,
            json!({"version": client["version"], "risk_tier": "low"}),
        )
        .await,
        "risk_tier",
    );
}

async fn assessment_rules_are_checked_by_field(app: TestApp) {
    let t = id(&app.create_team("AssessRules", "act").await);
    let (_, lead) = app.member(&t, "leadar", "lead").await;
    let c = refer(&app, &t, &lead, "Bo", "Checked").await;
    let cid = id(&c);
    let path = format!("/api/teams/{t}/clients/{cid}/assessments");
    let before = last_seq(&app, &t, &lead).await;

    invalid(
        app.post(&path, &lead, body(4, 0, 0)).await,
        "factors.biomedical",
    );
    invalid(
        app.post(
            &path,
            &lead,
            json!({"factors": {"biomedical": 2, "behavioral": 0, "circumstantial": 0}}),
        )
        .await,
        "evidence.biomedical",
    );
    let mut b = body(1, 0, 0);
    b["override_tier"] = json!("high");
    invalid(app.post(&path, &lead, b).await, "override_reason");
    let mut b = body(1, 0, 0);
    b["override_reason"] = json!("because");
    invalid(app.post(&path, &lead, b).await, "override_tier");
    let mut b = body(1, 0, 0);
    b["assessed_on"] = json!("2099-12-31");
    invalid(app.post(&path, &lead, b).await, "assessed_on");
    let mut b = body(1, 0, 0);
    b["assessed_on"] = json!("2026-02-30");
    invalid(app.post(&path, &lead, b).await, "assessed_on");
    app.post(&path, &lead, json!({"factors": {"biomedical": 1}}))
        .await
        .problem(422, "validation_failed");
    // Nothing was written.
    assert_eq!(last_seq(&app, &t, &lead).await, before);
    assert_eq!(app.get(&path, &lead).await.expect(200), json!([]));
    // An unknown client of this team is 404.
    app.post(
        &format!("/api/teams/{t}/clients/{}/assessments", new_id()),
        &lead,
        body(0, 0, 0),
    )
    .await
    .problem(404, "not_found");
}

async fn parallel_assessments_leave_the_latest_tier(app: TestApp) {
    let t = id(&app.create_team("AssessRace", "act").await);
    let (_, lead) = app.member(&t, "leadrace", "lead").await;
    let c = app
        .post(
            &format!("/api/teams/{t}/clients"),
            &lead,
            json!({"given_name": "Cy", "family_name": "Race", "status": "active"}),
        )
        .await
        .expect(201);
    let cid = id(&c);
    let path = format!("/api/teams/{t}/clients/{cid}/assessments");
    let tiers = [
        (0, 0, 0),
        (3, 0, 0),
        (1, 1, 1),
        (0, 1, 0),
        (2, 2, 2),
        (1, 0, 1),
        (0, 0, 3),
        (1, 1, 0),
    ];
    let runs = tiers
        .iter()
        .map(|(b, h, c)| app.post(&path, &lead, body(*b, *h, *c)));
    for r in futures_util::future::join_all(runs).await {
        r.expect(201);
    }
    let list = app.get(&path, &lead).await.expect(200);
    let list = list.as_array().unwrap();
    assert_eq!(list.len(), tiers.len());
    // All on the same day: the last committed (newest first in the list) sets the tier.
    let client = app
        .get(&format!("/api/teams/{t}/clients/{cid}"), &lead)
        .await
        .expect(200);
    assert_eq!(
        client["risk_tier"], list[0]["tier"],
        "{client} vs {}",
        list[0]
    );
    // The event log has every assessment and no gap.
    let ev = app
        .get(&format!("/api/teams/{t}/events?since=0&limit=1000"), &lead)
        .await
        .expect(200);
    let n = ev["events"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["kind"] == "assessment.recorded")
        .count();
    assert_eq!(n, tiers.len());
}
