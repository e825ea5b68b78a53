//! Handoff rules (issue 11): never to oneself or to someone not working on the team; actions
//! with an owner and a due time (bare strings still accepted, always read back as objects);
//! an unstable client needs a contingency.

use crate::helpers::*;
use serde_json::{json, Value};

both_engines!(handoff_rules_receiver_actions_and_contingency,);

async fn handoff_rules_receiver_actions_and_contingency(app: TestApp) {
    let t = id(&app.create_team("Handoff Rules", "act").await);
    let (lead_id, lead) = app.member(&t, "hr.lead", "lead").await;
    let (from_id, from) = app.member(&t, "hr.day", "member").await;
    let (to_id, _) = app.member(&t, "hr.night", "member").await;
    let (viewer_id, _) = app.member(&t, "hr.viewer", "viewer").await;
    let other = id(&app.create_team("Handoff Elsewhere", "act").await);
    let (stranger, _) = app.member(&other, "hr.stranger", "member").await;
    let c = id(&refer(&app, &t, &lead, "Hal", "Client").await);
    let hpath = format!("/api/teams/{t}/handoffs");
    let item = |sev: &str, actions: Value, contingency: &str| json!({"client_id": c, "severity": sev, "summary": "slept badly", "actions": actions, "contingency": contingency});
    let send = |to: &str, items: Vec<Value>| {
        app.post(&hpath, &from, json!({"to_staff_id": to, "items": items}))
    };

    // The receiver: not oneself, not a viewer, not someone of another team or nobody.
    let ok_item = item("watcher", json!([]), "");
    for to in [&from_id, &viewer_id, &stranger, &new_id()] {
        invalid(send(to, vec![ok_item.clone()]).await, "to_staff_id");
    }
    // An admin handing off to themselves is refused too.
    let admin_id = app.get("/api/me", &app.admin_token).await.expect(200)["user"]["id"]
        .as_str()
        .unwrap()
        .to_string();
    invalid(
        app.post(
            &hpath,
            &app.admin_token,
            json!({"to_staff_id": admin_id, "items": [ok_item.clone()]}),
        )
        .await,
        "to_staff_id",
    );

    // Unstable without a contingency: 422 on the item's field; with one, fine.
    let p = invalid(
        send(
            &to_id,
            vec![
                item("watcher", json!([]), ""),
                item("unstable", json!([]), "  "),
            ],
        )
        .await,
        "items[1].contingency",
    );
    assert!(p["detail"].as_str().unwrap().contains("contingency"), "{p}");
    invalid(
        app.post(&hpath, &from, json!({"to_staff_id": to_id, "items": [{"client_id": c, "severity": "unstable", "summary": "s"}]})).await,
        "items[0].contingency",
    );

    // Actions: bare strings and objects, owners on the team, due times in range.
    let h = send(
        &to_id,
        vec![item(
            "unstable",
            json!([
                "call the pharmacy",
                {"text": "visit before noon", "owner_id": lead_id, "due_at": "2026-12-03T12:00:00-05:00"},
                {"text": "text the sister"}
            ]),
            "if no answer, call mobile crisis",
        )],
    )
    .await
    .expect(201);
    assert_eq!(
        h["items"][0]["actions"],
        json!([
            {"text": "call the pharmacy", "owner_id": null, "due_at": null},
            {"text": "visit before noon", "owner_id": lead_id, "due_at": "2026-12-03T17:00:00.000000Z"},
            {"text": "text the sister", "owner_id": null, "due_at": null}
        ]),
        "{h}"
    );
    // Read back the same way in the list and on the board.
    let listed = app.get(&hpath, &lead).await.expect(200);
    assert_eq!(listed[0]["items"][0]["actions"], h["items"][0]["actions"]);
    let board = app
        .get(&format!("/api/teams/{t}/board"), &lead)
        .await
        .expect(200);
    assert_eq!(
        board["handoffs"][0]["items"][0]["actions"],
        h["items"][0]["actions"]
    );

    let action = |a: Value| vec![item("watcher", json!([a]), "")];
    invalid(
        send(&to_id, action(json!({"text": "x", "owner_id": stranger}))).await,
        "items[0].actions[0].owner_id",
    );
    invalid(
        send(&to_id, action(json!({"text": "x", "owner_id": viewer_id}))).await,
        "items[0].actions[0].owner_id",
    );
    invalid(
        send(&to_id, action(json!({"text": "x", "owner_id": "someone"}))).await,
        "items[0].actions[0].owner_id",
    );
    invalid(
        send(&to_id, action(json!({"text": "x", "due_at": "tomorrow"}))).await,
        "items[0].actions[0].due_at",
    );
    invalid(
        send(
            &to_id,
            action(json!({"text": "x", "due_at": "9999-12-31T23:00:00Z"})),
        )
        .await,
        "items[0].actions[0].due_at",
    );
    invalid(
        send(&to_id, action(json!({"text": " "}))).await,
        "items[0].actions[0].text",
    );
    invalid(
        send(&to_id, action(json!(" "))).await,
        "items[0].actions[0]",
    );
    unreadable(send(&to_id, action(json!({"text": "x", "priority": "high"}))).await);
}
