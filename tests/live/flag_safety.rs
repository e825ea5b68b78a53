//! Crisis flags on live screens: a privacy display never receives typed text (flag reasons
//! and outcomes, contact activities and notes, handoff text) in any byte it is sent — board,
//! snapshot, replay after a resume, live frames, the event log — and a transfer moves the
//! client's open flags from one team's stream to the other's.

use crate::common::fixtures::db;
use crate::helpers::*;
use crate::ws::*;
use actboard::db::schema::crisis_flags as f;
use diesel::prelude::*;
use serde_json::{json, Value};

both_engines!(
    privacy_display_receives_no_typed_text,
    transfer_moves_flags_between_live_boards,
);

/// Pieces of what people typed: a full name, an address, details. None may reach a wall.
const SECRETS: &[&str] = &[
    "Philomena",
    "Quartermaine",
    "Elm Street",
    "ambulance",
    "overdosed",
    "Ridgeway",
    "naloxone",
];

fn assert_clean(what: &str, bytes: &str) {
    for s in SECRETS {
        assert!(
            !bytes.contains(s),
            "{what} contains '{s}' (typed text on a privacy display): {bytes}"
        );
    }
}

async fn privacy_display_receives_no_typed_text(app: TestApp) {
    let (t, lead_id, lead) = team(&app, "Wall Safety", "lead11").await;
    let (m_id, member) = app.member(&t, "member11", "member").await;
    let (_, second) = app.member(&t, "second11", "member").await;
    let c = app
        .post(
            &format!("/api/teams/{t}/clients"),
            &lead,
            json!({"given_name": "Philomena", "family_name": "Quartermaine", "status": "active"}),
        )
        .await
        .expect(201);
    let cid = id(&c);
    let other = id(&refer(&app, &t, &lead, "Ridgeway", "Otherclient").await);
    let token = app
        .post(
            &format!("/api/teams/{t}/display-tokens"),
            &lead,
            json!({"label": "Team room", "privacy": "initials"}),
        )
        .await
        .expect(201)["token"]
        .as_str()
        .unwrap()
        .to_string();

    let mut wall = connect(&app, &t, &token, None, "board").await;
    let first = snapshot(&mut wall).await;
    let s0 = first["seq"].as_i64().unwrap();
    let mut staff = connect(&app, &t, &member, Some(s0), "phone").await;

    // Everything people type about a client, through every path that carries it.
    let raise = |client: &str, sev: &str, cat: &str, reason: &str| {
        app.post(
            &format!("/api/teams/{t}/clients/{client}/flags"),
            &member,
            json!({"severity": sev, "category": cat, "reason": reason}),
        )
    };
    let open_flag = id(&raise(
        &cid,
        "emergency",
        "self_harm",
        "Philomena Quartermaine overdosed at 12 Elm Street; her son called an ambulance",
    )
    .await
    .expect(201));
    let resolved = id(&raise(
        &cid,
        "urgent",
        "medication",
        "Philomena refused naloxone at 12 Elm Street",
    )
    .await
    .expect(201));
    for tok in [&member, &second] {
        app.post(
            &format!("/api/teams/{t}/flags/{open_flag}/acknowledge"),
            tok,
            json!({}),
        )
        .await
        .expect(200);
    }
    app.post(
        &format!("/api/teams/{t}/flags/{resolved}/resolve"),
        &member,
        json!({"outcome": "Philomena Quartermaine taken from 12 Elm Street by ambulance"}),
    )
    .await
    .expect(200);
    // An escalated emergency (the clock moved by backdating it).
    let escalating = id(&raise(
        &cid,
        "emergency",
        "missing",
        "Philomena missing from Elm Street",
    )
    .await
    .expect(201));
    let e = escalating.clone();
    db(&app, move |conn| {
        diesel::update(f::table.filter(f::id.eq(&e)))
            .set(f::raised_at.eq(actboard::db::now() - chrono::TimeDelta::minutes(30)))
            .execute(conn)
            .unwrap();
    })
    .await;
    let n = actboard::store::escalation::scan(&app.state.pool, actboard::db::now())
        .await
        .unwrap();
    assert!(n <= 1);
    let visit = json!({"client_id": cid, "staff_ids": [m_id], "day": "2026-10-14", "start": "09:00", "end": "10:00",
        "kind": "face_to_face", "place": "home", "activity": "Drove Philomena to 12 Elm Street",
        "status": "completed", "minutes": 60, "note": "Quartermaine family at Elm Street"});
    let k = app
        .put(
            &format!("/api/teams/{t}/contacts/{}", new_id()),
            &member,
            visit,
        )
        .await
        .expect(201);
    app.patch(
        &format!("/api/teams/{t}/contacts/{}", id(&k)),
        &member,
        json!({"version": 1, "activity": "Philomena again, Elm Street", "note": "ambulance called by Quartermaine"}),
    )
    .await
    .expect(200);
    app.post(
        &format!("/api/teams/{t}/handoffs"),
        &member,
        json!({"to_staff_id": lead_id, "items": [{"client_id": cid, "severity": "unstable",
            "summary": "Philomena overdosed", "actions": ["call an ambulance if the Elm Street door is locked"],
            "contingency": "Quartermaine son has a key"}]}),
    )
    .await
    .expect(201);
    // A discharge that resolves an open flag with its outcome.
    raise(
        &other,
        "watch",
        "housing",
        "Ridgeway lost the flat on Elm Street",
    )
    .await
    .expect(201);
    app.patch(
        &format!("/api/teams/{t}/clients/{other}"),
        &lead,
        json!({"version": 1, "status": "discharged", "discharge_reason": "moved",
               "resolve_open_flags": {"outcome": "Ridgeway moved away from Elm Street"}}),
    )
    .await
    .expect(200);
    let fin = last_seq(&app, &t, &lead).await;

    // The staff socket does see the text (so the checks below can fail).
    let staff_events = events_through(&mut staff, s0, fin, WAIT, "staff socket").await;
    let staff_bytes = serde_json::to_string(&staff_events).unwrap();
    for s in SECRETS {
        assert!(staff_bytes.contains(s), "staff should see '{s}'");
    }
    assert!(staff_events.iter().any(|e| e["kind"] == "flag.escalated"));

    // 1. Live frames on the wall.
    let live = events_through(&mut wall, s0, fin, WAIT, "wall, live").await;
    assert_eq!(kinds(&live), kinds(&staff_events));
    assert_clean("a live frame", &serde_json::to_string(&live).unwrap());
    // What a wall needs is still there: initials, severity, category, responders' initials.
    let raised = live.iter().find(|e| e["kind"] == "flag.raised").unwrap();
    assert_eq!(raised["data"]["initials"], "PQ", "{raised}");
    assert_eq!(raised["data"]["category"], "self_harm");
    assert_eq!(raised["data"]["severity"], "emergency");
    // Blank, not absent: the record keeps its documented shape.
    assert_eq!(raised["data"]["reason"], "", "{raised}");
    let acked = live
        .iter()
        .rfind(|e| e["kind"] == "flag.acknowledged")
        .unwrap();
    assert_eq!(acked["data"]["responders"][0]["initials"], "M", "{acked}");
    assert_eq!(
        acked["data"]["responders"][0]["display_name"], "M",
        "{acked}"
    );
    let esc = live.iter().find(|e| e["kind"] == "flag.escalated").unwrap();
    assert!(esc["data"]["flag"]["escalated_at"].is_string(), "{esc}");

    // 2. The board, read by the display token.
    let board = app
        .get(&format!("/api/teams/{t}/board"), &token)
        .await
        .expect(200);
    let board_bytes = board.to_string();
    assert_clean("the board", &board_bytes);
    assert!(board["open_flags"]
        .as_array()
        .unwrap()
        .iter()
        .any(|x| x["id"] == open_flag.as_str() && x["initials"] == "PQ"));
    // …while staff read the reason on the same board.
    let staff_board = app
        .get(&format!("/api/teams/{t}/board"), &member)
        .await
        .expect(200);
    assert!(staff_board.to_string().contains("overdosed"));

    // 3. A fresh snapshot.
    let mut again = connect(&app, &t, &token, None, "board").await;
    let snap = snapshot(&mut again).await;
    assert_eq!(snap["seq"].as_i64(), Some(fin));
    assert_clean("a snapshot", &snap.to_string());

    // 4. A replay after a resume.
    let mut resumed = connect(&app, &t, &token, Some(s0), "board").await;
    let replay = events_through(&mut resumed, s0, fin, WAIT, "wall, replay").await;
    assert_eq!(kinds(&replay), kinds(&live));
    assert_clean("a replayed frame", &serde_json::to_string(&replay).unwrap());

    // 5. The event log, read by the display token.
    let log = app
        .get(&format!("/api/teams/{t}/events?since=0&limit=1000"), &token)
        .await
        .expect(200);
    assert_clean("the event log", &log.to_string());
}

async fn transfer_moves_flags_between_live_boards(app: TestApp) {
    let (a, lead_id, lead) = team(&app, "Live sending", "lead12").await;
    let b = id(&app.create_team("Live receiving", "act").await);
    app.put(
        &format!("/api/teams/{b}/members/{lead_id}"),
        &app.admin_token,
        json!({"role": "lead"}),
    )
    .await
    .expect(200);
    let cid = id(&refer(&app, &a, &lead, "Kit", "Transferred").await);
    let fl = app
        .post(
            &format!("/api/teams/{a}/clients/{cid}/flags"),
            &lead,
            json!({"severity": "emergency", "category": "medical", "reason": "Kit fell at home"}),
        )
        .await
        .expect(201);
    let fid = id(&fl);
    let wall_b = app
        .post(
            &format!("/api/teams/{b}/display-tokens"),
            &lead,
            json!({"label": "B wall", "privacy": "initials"}),
        )
        .await
        .expect(201)["token"]
        .as_str()
        .unwrap()
        .to_string();

    let mut on_a = connect(&app, &a, &lead, None, "desktop").await;
    let a0 = snapshot(&mut on_a).await;
    assert_eq!(a0["board"]["open_flags"][0]["id"], fid.as_str());
    let mut on_b = connect(&app, &b, &lead, None, "desktop").await;
    let b0 = snapshot(&mut on_b).await["seq"].as_i64().unwrap();
    let mut wall = connect(&app, &b, &wall_b, None, "board").await;
    snapshot(&mut wall).await;

    app.post(
        &format!("/api/teams/{a}/clients/{cid}/transfer"),
        &lead,
        json!({"to_team_id": b}),
    )
    .await
    .expect(200);
    let a_seq = a0["seq"].as_i64().unwrap();
    let out = events_through(&mut on_a, a_seq, a_seq + 1, WAIT, "team A").await;
    assert_eq!(out[0]["kind"], "client.transferred_out");
    assert_eq!(out[0]["data"]["flag_ids"], json!([fid]));
    let inb = events_through(&mut on_b, b0, b0 + 2, WAIT, "team B").await;
    assert_eq!(inb[0]["kind"], "client.updated");
    assert_eq!(inb[1]["kind"], "flag.transferred_in");
    assert_eq!(inb[1]["data"]["id"], fid.as_str());
    assert_eq!(inb[1]["data"]["team_id"], b.as_str());
    assert_eq!(inb[1]["data"]["reason"], "Kit fell at home");
    let shown = events_through(&mut wall, b0, b0 + 2, WAIT, "team B's wall").await;
    assert_eq!(shown[1]["data"]["initials"], "KT");
    assert_eq!(shown[1]["data"]["reason"], "", "{}", shown[1]);

    // Fresh snapshots agree: the flag is on B's board, not on A's.
    let mut a2 = connect(&app, &a, &lead, None, "desktop").await;
    assert_eq!(snapshot(&mut a2).await["board"]["open_flags"], json!([]));
    let mut b2 = connect(&app, &b, &lead, None, "desktop").await;
    let b_board = snapshot(&mut b2).await;
    let flags: Vec<&Value> = b_board["board"]["open_flags"]
        .as_array()
        .unwrap()
        .iter()
        .collect();
    assert_eq!(flags.len(), 1);
    assert_eq!(flags[0]["id"], fid.as_str());
    assert_eq!(
        b_board["board"]["clients"][0]["open_flags"][0]["id"],
        fid.as_str()
    );
}
