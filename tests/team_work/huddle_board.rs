//! Huddle reviews (idempotent, per day) and the board: its shape, client order, today's
//! visits and the week's counts.

use crate::helpers::*;
use serde_json::{json, Value};
use std::collections::{BTreeSet, HashMap};

both_engines!(
    huddle_reviews_are_idempotent_and_shown,
    board_shape_order_and_week_counts,
);

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
        json!({"version": 1, "status": "discharged", "discharge_reason": "moved"}),
    )
    .await
    .expect(200);

    let flag = |c: &str, sev: &str| {
        app.post(
            &format!("/api/teams/{t}/clients/{c}/flags"),
            &m1,
            json!({"severity": sev, "category": "other", "reason": "concern"}),
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
