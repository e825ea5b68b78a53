//! Issue 12, the phone's quick card: a client's on-call details (set on create and PATCH,
//! returned with the record), and `GET …/card`; both reads go to the audit trail. The details
//! never reach lists, events, the board or a privacy display.

use crate::helpers::*;
use crate::visits::local_day;
use actboard::db::schema::audit_log;
use diesel::prelude::*;
use serde_json::{json, Value};

both_engines!(
    client_details_are_set_read_and_logged,
    client_details_stay_off_boards_events_and_displays,
    the_quick_card_has_what_on_call_needs,
);

const PLAN: &str = "Warning signs: not sleeping. Helps: a walk. Call Sam first.";

fn details() -> Value {
    json!({"phone": "555-0142", "address": "12 Elm Street", "crisis_plan": PLAN,
           "emergency_contact": "Sam (brother) 555-0143"})
}

async fn reads_logged(app: &TestApp, client: &str, action: &str) -> i64 {
    let (client, action) = (client.to_string(), action.to_string());
    db(app, move |c| {
        audit_log::table
            .filter(audit_log::client_id.eq(client))
            .filter(audit_log::action.eq("view"))
            .filter(audit_log::detail.eq(action))
            .count()
            .get_result::<i64>(c)
            .unwrap()
    })
    .await
}

async fn client_details_are_set_read_and_logged(app: TestApp) {
    let t = id(&app.create_team("Details", "act").await);
    let (_, lead) = app.member(&t, "det.lead", "lead").await;
    let (_, m) = app.member(&t, "det.m", "member").await;
    let path = format!("/api/teams/{t}/clients");
    let mut body = json!({"given_name": "Dot", "family_name": "Details"});
    body.as_object_mut()
        .unwrap()
        .extend(details().as_object().unwrap().clone());
    let made = app.post(&path, &lead, body).await.expect(201);
    assert_eq!(made["details"], details());
    let cid = id(&made);
    let got = app.get(&format!("{path}/{cid}"), &m).await.expect(200);
    assert_eq!(got["details"], details());
    assert_eq!(reads_logged(&app, &cid, "record").await, 1);
    // Lists leave them out.
    let list = app.get(&path, &m).await.expect(200);
    assert!(list[0].get("details").is_none(), "{list}");

    // Members change them; null or blank clears one; the rest stay.
    let changed = app
        .patch(
            &format!("{path}/{cid}"),
            &m,
            json!({"version": 1, "phone": "555-0150", "address": null, "emergency_contact": "  "}),
        )
        .await
        .expect(200);
    assert_eq!(
        changed["details"],
        json!({"phone": "555-0150", "address": null, "crisis_plan": PLAN, "emergency_contact": null})
    );
    assert_eq!(changed["version"], 2);
    // Limits, by field; nothing changes.
    for (field, len) in [
        ("phone", 41),
        ("address", 301),
        ("crisis_plan", 4001),
        ("emergency_contact", 301),
    ] {
        invalid(
            app.patch(
                &format!("{path}/{cid}"),
                &m,
                json!({"version": 2, field: "x".repeat(len)}),
            )
            .await,
            field,
        );
    }
    let long_plan = "y".repeat(4000);
    let ok = app
        .patch(
            &format!("{path}/{cid}"),
            &m,
            json!({"version": 2, "crisis_plan": long_plan}),
        )
        .await
        .expect(200);
    assert_eq!(
        ok["details"]["crisis_plan"].as_str().map(str::len),
        Some(4000)
    );
    let (_, viewer) = app.member(&t, "det.v", "viewer").await;
    app.patch(
        &format!("{path}/{cid}"),
        &viewer,
        json!({"version": 3, "phone": "1"}),
    )
    .await
    .problem(403, "forbidden");
}

async fn client_details_stay_off_boards_events_and_displays(app: TestApp) {
    let t = id(&app.create_team("Private", "act").await);
    let (_, lead) = app.member(&t, "prv.lead", "lead").await;
    let path = format!("/api/teams/{t}/clients");
    let mut body = json!({"given_name": "Pru", "family_name": "Private", "status": "active"});
    body.as_object_mut()
        .unwrap()
        .extend(details().as_object().unwrap().clone());
    let cid = id(&app.post(&path, &lead, body).await.expect(201));
    app.patch(
        &format!("{path}/{cid}"),
        &lead,
        json!({"version": 1, "address": "99 Secret Lane"}),
    )
    .await
    .expect(200);
    let dt = privacy_display(&app, &t, &lead).await;
    let secrets = [
        "555-01",
        "Elm Street",
        "Secret Lane",
        "not sleeping",
        "brother",
        "details",
    ];
    let day = local_day(0);
    for (who, url) in [
        (&lead, format!("/api/teams/{t}/board?day={day}")),
        (&lead, format!("/api/teams/{t}/events?since=0")),
        (&dt, format!("/api/teams/{t}/board?day={day}")),
        (&dt, format!("/api/teams/{t}/events?since=0")),
    ] {
        let text = app.get(&url, who).await.expect(200).to_string();
        assert!(text.contains(&cid), "{url}: the client is there");
        for s in secrets {
            assert!(!text.contains(s), "{url} shows {s:?}: {text}");
        }
    }
}

async fn the_quick_card_has_what_on_call_needs(app: TestApp) {
    let t = id(&app.create_team("Card", "act").await);
    let (lead_id, lead) = app.member(&t, "card.lead", "lead").await;
    let (ann, m) = app.member(&t, "card.ann", "member").await;
    let path = format!("/api/teams/{t}/clients");
    let mut body = json!({"given_name": "Cal", "family_name": "Card", "status": "active",
                          "case_manager_id": ann});
    body.as_object_mut()
        .unwrap()
        .extend(details().as_object().unwrap().clone());
    let cid = id(&app.post(&path, &lead, body).await.expect(201));
    let card_path = format!("{path}/{cid}/card");

    // Nothing yet: empty lists and nulls, but the details and the case manager.
    let empty = app.get(&card_path, &m).await.expect(200);
    assert_eq!(empty["client"]["details"], details());
    assert_eq!(empty["open_flags"], json!([]));
    assert_eq!(empty["recent_contacts"], json!([]));
    assert_eq!(empty["next_planned"], Value::Null);
    assert_eq!(empty["on_call_now"], Value::Null);
    assert_eq!(empty["case_manager"]["id"], ann.as_str());
    assert!(empty["case_manager"]["display_name"].is_string());

    let k = |k: &str| format!("/api/teams/{t}/contacts/{k}");
    // Seven contacts that happened (the card shows the latest 5), planned ones ahead.
    let mut happened = vec![];
    for (i, status) in [
        "completed",
        "attempted",
        "missed",
        "completed",
        "attempted",
        "completed",
        "completed",
    ]
    .iter()
    .enumerate()
    {
        let kid = new_id();
        let mut v = visit(&cid, &[&ann], &local_day(-(i as i64) - 1), status);
        v["start"] = json!("08:00");
        v["end"] = json!("08:30");
        app.put(&k(&kid), &m, v).await.expect(201);
        happened.push(kid);
    }
    let cancelled = new_id();
    app.put(
        &k(&cancelled),
        &m,
        visit(&cid, &[&ann], &local_day(0), "cancelled"),
    )
    .await
    .expect(201);
    let later = new_id();
    let mut v = visit(&cid, &[&ann], &local_day(3), "planned");
    v["start"] = json!("08:00");
    v["end"] = json!("08:30");
    app.put(&k(&later), &m, v).await.expect(201);
    let next = new_id();
    let mut v = visit(&cid, &[&ann], &local_day(2), "planned");
    v["start"] = json!("15:00");
    v["end"] = json!("15:30");
    app.put(&k(&next), &m, v).await.expect(201);
    let flag = app
        .post(
            &format!("/api/teams/{t}/clients/{cid}/flags"),
            &m,
            json!({"severity": "urgent", "category": "other", "reason": "Not answering"}),
        )
        .await
        .expect(201);
    let now =
        chrono::Utc::now().with_timezone(&"America/New_York".parse::<chrono_tz::Tz>().unwrap());
    let shift = app
        .post(
            &format!("/api/teams/{t}/oncall/shifts"),
            &lead,
            json!({"staff_id": lead_id,
                   "starts_local": (now - chrono::TimeDelta::hours(2)).format("%Y-%m-%dT%H:%M").to_string(),
                   "ends_local": (now + chrono::TimeDelta::hours(6)).format("%Y-%m-%dT%H:%M").to_string()}),
        )
        .await
        .expect(201);

    let before = reads_logged(&app, &cid, "card").await;
    let card = app.get(&card_path, &m).await.expect(200);
    assert_eq!(reads_logged(&app, &cid, "card").await, before + 1);
    let recent: Vec<String> = card["recent_contacts"]
        .as_array()
        .unwrap()
        .iter()
        .map(id)
        .collect();
    assert_eq!(
        recent,
        happened[..5].to_vec(),
        "latest first, no planned or cancelled"
    );
    assert_eq!(card["next_planned"]["id"], next.as_str());
    assert_eq!(card["open_flags"][0]["id"], flag["id"]);
    assert_eq!(card["on_call_now"]["id"], shift["id"]);
    assert_eq!(card["client"]["id"], cid.as_str());

    // Viewers read it too; an unknown client is 404 and logs nothing.
    let (_, viewer) = app.member(&t, "card.v", "viewer").await;
    app.get(&card_path, &viewer).await.expect(200);
    app.get(&format!("{path}/{}/card", new_id()), &m)
        .await
        .problem(404, "not_found");
}
