//! Handoffs: items per client, validation, and only the receiver acknowledges.

use crate::helpers::*;
use serde_json::{json, Value};

both_engines!(handoffs_only_receiver_acknowledges,);

async fn handoffs_only_receiver_acknowledges(app: TestApp) {
    let team = app.create_team("Handoffs", "act").await;
    let t = id(&team);
    let (_, lead) = app.member(&t, "leadho", "lead").await;
    let (from_id, from) = app.member(&t, "dayshift", "member").await;
    let (to_id, to) = app.member(&t, "nightshift", "member").await;
    let (_, bystander) = app.member(&t, "bystander", "member").await;
    let (viewer_id, viewer) = app.member(&t, "viewerho", "viewer").await;
    let c1 = id(&refer(&app, &t, &lead, "Ann", "Handed").await);
    let c2 = id(&refer(&app, &t, &lead, "Ben", "Handed").await);
    let other = app.create_team("Other", "act").await;
    let foreign = id(&refer(&app, &id(&other), &app.admin_token, "Far", "Away").await);
    let hpath = format!("/api/teams/{t}/handoffs");
    let item = |c: &str, sev: &str| json!({"client_id": c, "severity": sev, "summary": "stable on meds", "actions": ["call pharmacy"], "contingency": "if no answer, visit"});

    let h = app
        .post(
            &hpath,
            &from,
            json!({"to_staff_id": to_id, "items": [item(&c1, "unstable"), item(&c2, "watcher")]}),
        )
        .await
        .expect(201);
    assert_eq!(h["from_staff_id"], from_id.as_str());
    assert_eq!(h["to_staff_id"], to_id.as_str());
    assert_eq!(h["acknowledged_at"], Value::Null);
    let items = h["items"].as_array().unwrap();
    assert_eq!(items.len(), 2);
    assert_eq!(
        (
            items[0]["client_id"].as_str(),
            items[0]["severity"].as_str()
        ),
        (Some(c1.as_str()), Some("unstable"))
    );
    assert_eq!(
        (
            items[1]["client_id"].as_str(),
            items[1]["severity"].as_str()
        ),
        (Some(c2.as_str()), Some("watcher"))
    );
    assert_eq!(
        items[0]["actions"],
        json!([{"text": "call pharmacy", "owner_id": null, "due_at": null}]),
        "a bare string reads back as an action object"
    );
    assert_eq!(items[0]["contingency"], "if no answer, visit");

    invalid(
        app.post(
            &hpath,
            &from,
            json!({"to_staff_id": to_id, "items": [item(&c1, "critical")]}),
        )
        .await,
        "items[0].severity",
    );
    invalid(
        app.post(
            &hpath,
            &from,
            json!({"to_staff_id": to_id, "items": [item(&c1, "stable"), item(&foreign, "stable")]}),
        )
        .await,
        "items[1].client_id",
    );
    invalid(
        app.post(
            &hpath,
            &from,
            json!({"to_staff_id": to_id, "items": [item(&foreign, "stable")]}),
        )
        .await,
        "items[0].client_id",
    );
    invalid(
        app.post(&hpath, &from, json!({"to_staff_id": to_id, "items": []}))
            .await,
        "items",
    );
    invalid(
        app.post(
            &hpath,
            &from,
            json!({"to_staff_id": viewer_id, "items": [item(&c1, "stable")]}),
        )
        .await,
        "to_staff_id",
    );
    app.post(
        &hpath,
        &viewer,
        json!({"to_staff_id": to_id, "items": [item(&c1, "stable")]}),
    )
    .await
    .problem(403, "forbidden");

    let ack = format!("{hpath}/{}/acknowledge", id(&h));
    for other in [&bystander, &from, &lead, &app.admin_token] {
        app.post(&ack, other, json!({"synthesis": "got it"}))
            .await
            .problem(403, "forbidden");
    }
    invalid(
        app.post(&ack, &to, json!({"synthesis": " "})).await,
        "synthesis",
    );
    let done = app
        .post(
            &ack,
            &to,
            json!({"synthesis": "Ann unstable: call pharmacy; Ben watcher"}),
        )
        .await
        .expect(200);
    assert!(done["acknowledged_at"].is_string());
    assert_eq!(
        done["synthesis"],
        "Ann unstable: call pharmacy; Ben watcher"
    );
    app.post(&ack, &to, json!({"synthesis": "again"}))
        .await
        .problem(409, "conflict");
    app.post(
        &format!("{hpath}/{}/acknowledge", new_id()),
        &to,
        json!({"synthesis": "x"}),
    )
    .await
    .problem(404, "not_found");
}
