//! Display tokens: a privacy display reads only its own board and events (never names), a
//! names display shows names, revocation takes effect at once.

use crate::helpers::*;
use serde_json::json;

both_engines!(display_tokens_read_only_their_board,);

async fn display_tokens_read_only_their_board(app: TestApp) {
    let a = id(&app.create_team("Display A", "act").await);
    let (_, lead) = app.member(&a, "leaddt", "lead").await;
    let (m_id, member) = app.member(&a, "memberdt", "member").await;
    // Distinctive names that must never reach a privacy display.
    let c = app
        .post(&format!("/api/teams/{a}/clients"), &lead, json!({"given_name": "Philomena", "family_name": "Quartermaine", "preferred_name": "Pippa", "risk_tier": "high"}))
        .await
        .expect(201);
    let cid = id(&c);
    app.patch(
        &format!("/api/teams/{a}/clients/{cid}"),
        &member,
        json!({"version": 1, "external_id": "MRN-1"}),
    )
    .await
    .expect(200);
    app.post(
        &format!("/api/teams/{a}/clients/{cid}/flags"),
        &member,
        json!({"severity": "urgent", "category": "other", "reason": "missed depot"}),
    )
    .await
    .expect(201);
    let mut v = visit(&cid, &[&m_id], "2026-10-14", "completed");
    v["note"] = json!("Pippa's sister Quartermaine called");
    app.put(&format!("/api/teams/{a}/contacts/{}", new_id()), &member, v)
        .await
        .expect(201);
    let (lead2_id, _) = app.member(&a, "lead2dt", "lead").await;
    app.post(
        &format!("/api/teams/{a}/handoffs"),
        &member,
        json!({"to_staff_id": lead2_id, "items": [{"client_id": cid, "severity": "unstable", "summary": "Philomena is unstable", "actions": ["call Pippa"], "contingency": "if Quartermaine calls, go"}]}),
    )
    .await
    .expect(201);

    let dpath = format!("/api/teams/{a}/display-tokens");
    app.post(
        &dpath,
        &member,
        json!({"label": "Team room", "privacy": "initials"}),
    )
    .await
    .problem(403, "forbidden");
    invalid(
        app.post(&dpath, &lead, json!({"label": " ", "privacy": "initials"}))
            .await,
        "label",
    );
    let created = app
        .post(
            &dpath,
            &lead,
            json!({"label": "Team room", "privacy": "initials"}),
        )
        .await
        .expect(201);
    let dt = created["token"].as_str().unwrap().to_string();
    assert!(dt.starts_with("dt_"), "{created}");
    let dt_id = id(&created);

    let names = ["Philomena", "Quartermaine", "Pippa"];
    let board_path = format!("/api/teams/{a}/board?day=2026-10-14");
    // Staff see the names (so the check below means something).
    let staff_board = app.get(&board_path, &member).await.expect(200).to_string();
    assert!(names.iter().all(|n| staff_board.contains(n)));
    let staff_events = app
        .get(&format!("/api/teams/{a}/events?since=0"), &member)
        .await
        .expect(200)
        .to_string();
    assert!(names.iter().all(|n| staff_events.contains(n)));

    let board = app.get(&board_path, &dt).await.expect(200);
    assert_eq!(board["team"]["id"], a.as_str());
    assert_eq!(board["privacy"], "initials");
    let row = board["clients"]
        .as_array()
        .unwrap()
        .iter()
        .find(|x| x["id"] == cid.as_str())
        .unwrap()
        .clone();
    assert_eq!(row["display_name"], "PQ");
    assert_eq!(row["initials"], "PQ");
    assert_eq!(row["open_flags"].as_array().unwrap().len(), 1);
    assert_eq!(row["today"].as_array().unwrap().len(), 1);
    let s = board.to_string();
    for n in names {
        assert!(!s.contains(n), "the privacy board contains '{n}': {s}");
    }
    let ev = app
        .get(&format!("/api/teams/{a}/events?since=0&limit=1000"), &dt)
        .await
        .expect(200);
    assert!(ev["events"].as_array().unwrap().len() >= 5);
    let s = ev.to_string();
    for n in names {
        assert!(!s.contains(n), "privacy events contain '{n}': {s}");
    }

    // A privacy display cannot ask for names.
    let s = app
        .get(&format!("{board_path}&privacy=names"), &dt)
        .await
        .expect(200)
        .to_string();
    for n in names {
        assert!(
            !s.contains(n),
            "privacy=names lifted the display's privacy: {s}"
        );
    }

    // Its own team only: another team's board and events answer 404 (the `oth.disp` column
    // of tests/authz_matrix/main.rs).
    // Nothing but the board and the events.
    app.get("/api/me", &dt).await.problem(403, "forbidden");
    app.get("/api/teams", &dt).await.problem(403, "forbidden");
    app.get(&format!("/api/teams/{a}"), &dt)
        .await
        .problem(403, "forbidden");
    app.get(&format!("/api/teams/{a}/clients"), &dt)
        .await
        .problem(403, "forbidden");
    app.get(&format!("/api/teams/{a}/clients/{cid}"), &dt)
        .await
        .problem(403, "forbidden");
    app.get(&format!("/api/teams/{a}/contacts"), &dt)
        .await
        .problem(403, "forbidden");
    app.get(&format!("/api/teams/{a}/flags"), &dt)
        .await
        .problem(403, "forbidden");
    app.get(&format!("/api/teams/{a}/handoffs"), &dt)
        .await
        .problem(403, "forbidden");
    app.get(&format!("/api/teams/{a}/oncall/now"), &dt)
        .await
        .problem(403, "forbidden");
    app.get(&dpath, &dt).await.problem(403, "forbidden");
    app.post(&dpath, &dt, json!({"label": "x", "privacy": "names"}))
        .await
        .problem(403, "forbidden");
    app.post(
        &format!("/api/teams/{a}/clients/{cid}/flags"),
        &dt,
        json!({"severity": "watch", "category": "other", "reason": "r"}),
    )
    .await
    .problem(403, "forbidden");
    app.put(
        &format!("/api/teams/{a}/huddle/2026-10-14/reviews/{cid}"),
        &dt,
        json!({}),
    )
    .await
    .problem(403, "forbidden");

    // A names display shows names.
    let named = app
        .post(
            &dpath,
            &lead,
            json!({"label": "Lead office", "privacy": "names"}),
        )
        .await
        .expect(201);
    let named_board = app
        .get(&board_path, named["token"].as_str().unwrap())
        .await
        .expect(200);
    assert_eq!(named_board["privacy"], "names");
    assert!(named_board.to_string().contains("Quartermaine"));

    // Revocation.
    let tok_path = format!("{dpath}/{dt_id}");
    app.delete(&tok_path, &member)
        .await
        .problem(403, "forbidden");
    assert_eq!(app.delete(&tok_path, &lead).await.status, 204);
    app.get(&board_path, &dt)
        .await
        .problem(401, "unauthenticated");
    app.get(&format!("/api/teams/{a}/events?since=0"), &dt)
        .await
        .problem(401, "unauthenticated");
    app.delete(&tok_path, &lead).await.problem(404, "not_found");
    app.get(&board_path, "dt_not-a-real-token")
        .await
        .problem(401, "unauthenticated");
    // The other token still works.
    app.get(&board_path, named["token"].as_str().unwrap())
        .await
        .expect(200);
}
