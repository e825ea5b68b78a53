//! Transfer carries the client: its open flags move to the receiving team's board and flag
//! list (responders included), the events tell both teams, and the receiving team reads the
//! client's earlier contacts and flags at `…/clients/{id}/history` (the sending team: 404).

use crate::helpers::*;
use serde_json::{json, Value};

both_engines!(transfer_moves_open_flags_and_the_history_follows,);

fn ids(v: &Value) -> Vec<String> {
    let mut out: Vec<String> = v.as_array().unwrap().iter().map(id).collect();
    out.sort();
    out
}

async fn transfer_moves_open_flags_and_the_history_follows(app: TestApp) {
    let a = id(&app.create_team("Sending team", "act").await);
    let b = id(&app.create_team("Receiving team", "act").await);
    let (lead_id, lead) = app.member(&a, "leadboth", "lead").await;
    app.put(
        &format!("/api/teams/{b}/members/{lead_id}"),
        &app.admin_token,
        json!({"role": "lead"}),
    )
    .await
    .expect(200);
    let (a_member_id, a_member) = app.member(&a, "amember", "member").await;
    let (_, b_member) = app.member(&b, "bmember", "member").await;
    let (_, b_viewer) = app.member(&b, "bviewer", "viewer").await;
    let (_, a_viewer) = app.member(&a, "aviewer", "viewer").await;

    let c = app
        .post(
            &format!("/api/teams/{a}/clients"),
            &lead,
            json!({"given_name": "Jo", "family_name": "Moving", "status": "active"}),
        )
        .await
        .expect(201);
    let cid = id(&c);
    // Seen two days ago by team A.
    let two_days_ago = (chrono::Utc::now().with_timezone(&chrono_tz::America::New_York)
        - chrono::TimeDelta::days(2))
    .date_naive()
    .to_string();
    let contact = app
        .put(
            &format!("/api/teams/{a}/contacts/{}", new_id()),
            &a_member,
            json!({"client_id": cid, "staff_ids": [a_member_id], "day": two_days_ago, "start": "10:00", "end": "11:00",
                   "kind": "face_to_face", "place": "home", "activity": "check-in", "status": "completed",
                   "minutes": 60, "note": "talked about moving"}),
        )
        .await
        .expect(201);
    let raise = |sev: &str, cat: &str| {
        app.post(
            &format!("/api/teams/{a}/clients/{cid}/flags"),
            &a_member,
            json!({"severity": sev, "category": cat, "reason": format!("{sev} {cat}")}),
        )
    };
    let emergency = id(&raise("emergency", "self_harm").await.expect(201));
    let watch = id(&raise("watch", "housing").await.expect(201));
    let done = id(&raise("urgent", "medical").await.expect(201));
    app.post(
        &format!("/api/teams/{a}/flags/{emergency}/acknowledge"),
        &a_member,
        json!({}),
    )
    .await
    .expect(200);
    app.post(
        &format!("/api/teams/{a}/flags/{done}/resolve"),
        &a_member,
        json!({"outcome": "seen, fine"}),
    )
    .await
    .expect(200);
    let a_seq = last_seq(&app, &a, &lead).await;
    let b_seq = last_seq(&app, &b, &lead).await;

    app.post(
        &format!("/api/teams/{a}/clients/{cid}/transfer"),
        &lead,
        json!({"to_team_id": b}),
    )
    .await
    .expect(200);

    // The sending team: no client, no open flag of it; its own resolved flag stays listed.
    let a_board = app
        .get(&format!("/api/teams/{a}/board"), &a_viewer)
        .await
        .expect(200);
    assert_eq!(a_board["open_flags"], json!([]), "{a_board}");
    assert_eq!(a_board["clients"], json!([]));
    let a_open = app
        .get(&format!("/api/teams/{a}/flags?open=true"), &a_viewer)
        .await
        .expect(200);
    assert_eq!(a_open, json!([]));
    let a_closed = app
        .get(&format!("/api/teams/{a}/flags?open=false"), &a_viewer)
        .await
        .expect(200);
    assert_eq!(ids(&a_closed), vec![done.clone()]);
    app.post(
        &format!("/api/teams/{a}/flags/{watch}/acknowledge"),
        &a_member,
        json!({}),
    )
    .await
    .problem(404, "not_found");
    let a_events = app
        .get(&format!("/api/teams/{a}/events?since={a_seq}"), &lead)
        .await
        .expect(200);
    let a_events = a_events["events"].as_array().unwrap();
    assert_eq!(a_events.len(), 1, "{a_events:?}");
    assert_eq!(a_events[0]["kind"], "client.transferred_out");
    assert_eq!(a_events[0]["data"]["to_team_id"], b.as_str());
    let mut moved = vec![emergency.clone(), watch.clone()];
    moved.sort();
    let mut said: Vec<String> = a_events[0]["data"]["flag_ids"]
        .as_array()
        .unwrap()
        .iter()
        .map(|x| x.as_str().unwrap().to_string())
        .collect();
    said.sort();
    assert_eq!(said, moved);

    // The receiving team: the client with its open flags (and their responder), last seen two
    // days ago (not "never").
    let b_board = app
        .get(&format!("/api/teams/{b}/board"), &b_viewer)
        .await
        .expect(200);
    assert_eq!(ids(&b_board["open_flags"]), moved);
    let row = &b_board["clients"][0];
    assert_eq!(row["id"], cid.as_str());
    assert_eq!(ids(&row["open_flags"]), moved);
    assert_eq!(
        row["open_flags"][0]["id"],
        emergency.as_str(),
        "emergency first"
    );
    assert_eq!(row["open_flags"][0]["team_id"], b.as_str());
    assert_eq!(
        row["open_flags"][0]["responders"][0]["staff_id"],
        a_member_id.as_str()
    );
    assert_eq!(row["last_contact_at"], contact["occurred_at"]);
    assert_eq!(row["days_since_contact"], 2);
    let b_open = app
        .get(&format!("/api/teams/{b}/flags?open=true"), &b_viewer)
        .await
        .expect(200);
    assert_eq!(ids(&b_open), moved);
    let b_events = app
        .get(&format!("/api/teams/{b}/events?since={b_seq}"), &lead)
        .await
        .expect(200);
    let kinds: Vec<&str> = b_events["events"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["kind"].as_str().unwrap())
        .collect();
    assert_eq!(
        kinds,
        vec![
            "client.updated",
            "flag.transferred_in",
            "flag.transferred_in"
        ]
    );
    // The receiving team works the moved flags.
    let ack = app
        .post(
            &format!("/api/teams/{b}/flags/{emergency}/acknowledge"),
            &b_member,
            json!({}),
        )
        .await
        .expect(200);
    assert_eq!(ack["responders"].as_array().unwrap().len(), 2);
    app.post(
        &format!("/api/teams/{b}/flags/{watch}/resolve"),
        &b_member,
        json!({"outcome": "housing sorted"}),
    )
    .await
    .expect(200);

    // The history: every contact and flag, whichever team recorded it, for any reader of the
    // client's current team.
    let h = app
        .get(&format!("/api/teams/{b}/clients/{cid}/history"), &b_viewer)
        .await
        .expect(200);
    assert_eq!(h["client_id"], cid.as_str());
    assert_eq!(h["truncated"], false);
    assert_eq!(ids(&h["contacts"]), vec![id(&contact)]);
    assert_eq!(h["contacts"][0]["team_id"], a.as_str());
    assert_eq!(h["contacts"][0]["note"], "talked about moving");
    let mut all = vec![emergency.clone(), watch.clone(), done.clone()];
    all.sort();
    assert_eq!(ids(&h["flags"]), all);
    let team_of = |fid: &str| {
        h["flags"]
            .as_array()
            .unwrap()
            .iter()
            .find(|x| x["id"] == fid)
            .unwrap()["team_id"]
            .clone()
    };
    assert_eq!(team_of(&done), json!(a));
    assert_eq!(team_of(&watch), json!(b));
    let mut teams: Vec<&str> = h["teams"]
        .as_array()
        .unwrap()
        .iter()
        .map(|x| x["name"].as_str().unwrap())
        .collect();
    teams.sort();
    assert_eq!(teams, vec!["Receiving team", "Sending team"]);

    // The sending team no longer reads it; neither does a display token.
    app.get(&format!("/api/teams/{a}/clients/{cid}/history"), &a_viewer)
        .await
        .problem(404, "not_found");
    app.get(&format!("/api/teams/{a}/clients/{cid}/history"), &lead)
        .await
        .problem(404, "not_found");
    app.get(
        &format!("/api/teams/{b}/clients/{}/history", new_id()),
        &b_viewer,
    )
    .await
    .problem(404, "not_found");
}
