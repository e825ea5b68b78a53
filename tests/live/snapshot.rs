//! A hello gets a snapshot at the board's seq, then every change as a live event, on every
//! screen of the team (the huddle's shared step included).

use crate::helpers::*;
use crate::ws::*;
use serde_json::json;
use std::time::{Duration, Instant};

both_engines!(snapshot_then_live_event, huddle_focus_reaches_every_screen,);

async fn snapshot_then_live_event(app: TestApp) {
    let (t, _, lead) = team(&app, "Live One", "lead1").await;
    let (_, member) = app.member(&t, "member1", "member").await;
    let c = id(&refer(&app, &t, &lead, "Ann", "Snapshot").await);
    let board = app
        .get(&format!("/api/teams/{t}/board"), &member)
        .await
        .expect(200);
    let board_seq = board["seq"].as_i64().unwrap();

    let mut ws = connect(&app, &t, &member, None, "phone").await;
    let snap = snapshot(&mut ws).await;
    assert_eq!(
        snap["seq"].as_i64(),
        Some(board_seq),
        "snapshot seq vs GET /board seq"
    );
    assert_eq!(
        snap["board"]["seq"].as_i64(),
        Some(board_seq),
        "the board inside the snapshot is at the snapshot's seq"
    );
    assert_eq!(snap["board"]["team"]["id"], t.as_str());
    let listed = snap["board"]["clients"]
        .as_array()
        .unwrap()
        .iter()
        .any(|x| x["id"] == c.as_str());
    assert!(
        listed,
        "the snapshot's board does not list the client: {}",
        snap["board"]
    );

    let flag = raise(&app, &t, &c, &lead, "missed depot").await;
    let e = next_frame(&mut ws, Duration::from_secs(2), "the flag.raised event").await;
    assert_eq!(e["type"], "event", "{e}");
    assert_eq!(e["kind"], "flag.raised", "{e}");
    assert_eq!(e["seq"].as_i64(), Some(board_seq + 1), "{e}");
    assert_eq!(e["data"]["id"], flag["id"], "{e}");
    assert!(e["actor"].is_string() && e["at"].is_string(), "{e}");
    // The application-level ping.
    send_json(&mut ws, json!({"type": "ping"})).await;
    let deadline = Instant::now() + WAIT;
    loop {
        match recv(&mut ws, deadline.saturating_duration_since(Instant::now())).await {
            Some(In::Frame(v)) if v["type"] == "pong" => break,
            Some(In::Frame(v)) if is_meta(&v) => continue,
            other => panic!("expected pong, got {other:?}"),
        }
    }
    quiet(&mut ws, Duration::from_millis(500), "after one change").await;
}

/// The huddle's step is shared: a member steps to a client, every screen of the team (the
/// wall's display token included) gets `huddle.focus`, and a board read later starts there.
async fn huddle_focus_reaches_every_screen(app: TestApp) {
    let (t, _, lead) = team(&app, "Live Huddle", "leadh").await;
    let (_, viewer) = app.member(&t, "viewerh", "viewer").await;
    let (_, member) = app.member(&t, "memberh", "member").await;
    let c = id(&refer(&app, &t, &lead, "Hue", "Dell").await);
    let dt = app
        .post(
            &format!("/api/teams/{t}/display-tokens"),
            &lead,
            json!({"label": "Wall", "privacy": "initials"}),
        )
        .await
        .expect(201);
    let mut wall = connect(&app, &t, dt["token"].as_str().unwrap(), None, "board").await;
    let from = snapshot(&mut wall).await["seq"].as_i64().unwrap();
    let mut phone = connect(&app, &t, &member, Some(from), "phone").await;
    let board = app
        .get(&format!("/api/teams/{t}/board"), &lead)
        .await
        .expect(200);
    assert!(board["huddle_focus"].is_null(), "no huddle yet: {board}");
    let day = board["day"].as_str().unwrap().to_string();

    let out = app
        .put(
            &format!("/api/teams/{t}/huddle/{day}/focus"),
            &lead,
            json!({"client_id": c}),
        )
        .await
        .expect(200);
    assert_eq!(out["client_id"], c.as_str());
    let seen = events_through(&mut wall, from, from + 1, WAIT, "the wall display").await;
    assert_eq!(seen[0]["kind"], "huddle.focus");
    assert_eq!(seen[0]["data"]["client_id"], c.as_str());
    let mut keys: Vec<&String> = seen[0]["data"].as_object().unwrap().keys().collect();
    keys.sort();
    assert_eq!(
        keys,
        ["at", "client_id", "day", "staff_id"],
        "ids and times only, no names"
    );
    let on_phone = events_through(&mut phone, from, from + 1, WAIT, "a member's phone").await;
    assert_eq!(on_phone[0]["data"]["client_id"], c.as_str());
    for token in [&lead, dt["token"].as_str().unwrap()] {
        let board = app
            .get(&format!("/api/teams/{t}/board"), token)
            .await
            .expect(200);
        assert_eq!(board["huddle_focus"]["client_id"], c.as_str());
    }
    // Viewers watch but do not steer; a client of no team is bad input (422); null ends it.
    app.put(
        &format!("/api/teams/{t}/huddle/{day}/focus"),
        &viewer,
        json!({"client_id": c}),
    )
    .await
    .problem(403, "forbidden");
    app.put(
        &format!("/api/teams/{t}/huddle/{day}/focus"),
        &lead,
        json!({"client_id": new_id()}),
    )
    .await
    .problem(422, "validation_failed");
    app.put(
        &format!("/api/teams/{t}/huddle/{day}/focus"),
        &lead,
        json!({"client_id": null}),
    )
    .await
    .expect(200);
    let seen = events_through(&mut wall, from + 1, from + 2, WAIT, "the wall display").await;
    assert!(seen[0]["data"]["client_id"].is_null());
    let board = app
        .get(&format!("/api/teams/{t}/board"), &lead)
        .await
        .expect(200);
    assert!(board["huddle_focus"]["client_id"].is_null());
}
