//! Absences (issue 11): "X is out from … to …, Y covers". Recording one moves X's planned
//! visits in the range to Y (or refuses with `double_booked` and writes nothing), leaves a
//! record the board shows, and can be cancelled (the visits stay with Y).

use crate::helpers::*;
use serde_json::{json, Value};

both_engines!(
    absences_move_visits_and_show_on_the_board,
    absences_refuse_bad_input_and_double_booking,
);

fn visit_at(client: &str, staff: &str, day: &str, start: &str, end: &str, status: &str) -> Value {
    let mut v = visit(client, &[staff], day, status);
    v["start"] = json!(start);
    v["end"] = json!(end);
    v
}

fn today_ny(offset_days: i64) -> String {
    (chrono::Utc::now().with_timezone(&chrono_tz::America::New_York)
        + chrono::TimeDelta::days(offset_days))
    .format("%Y-%m-%d")
    .to_string()
}

async fn staff_ids_of(app: &TestApp, t: &str, contact: &str) -> Value {
    let all = app
        .get(
            &format!("/api/teams/{t}/contacts?limit=1000"),
            &app.admin_token,
        )
        .await
        .expect(200);
    all.as_array()
        .unwrap()
        .iter()
        .find(|c| c["id"] == contact)
        .unwrap_or_else(|| panic!("no contact {contact}"))["staff_ids"]
        .clone()
}

async fn absences_move_visits_and_show_on_the_board(app: TestApp) {
    let t = id(&app.create_team("Absent", "act").await);
    let (_, lead) = app.member(&t, "abs.lead", "lead").await;
    let (x, m) = app.member(&t, "x.sick", "member").await;
    let (y, _) = app.member(&t, "y.cover", "member").await;
    let (_, viewer) = app.member(&t, "abs.viewer", "viewer").await;
    let c = id(&refer(&app, &t, &lead, "Fay", "Client").await);
    let kpath = |k: &str| format!("/api/teams/{t}/contacts/{k}");
    let (d0, d1, d2, d3) = (today_ny(0), today_ny(1), today_ny(2), today_ny(3));
    let (v0, v1, v2, done, after) = (new_id(), new_id(), new_id(), new_id(), new_id());
    app.put(
        &kpath(&v0),
        &m,
        visit_at(&c, &x, &d0, "09:00", "10:00", "planned"),
    )
    .await
    .expect(201);
    app.put(
        &kpath(&v1),
        &m,
        visit_at(&c, &x, &d1, "09:00", "10:00", "planned"),
    )
    .await
    .expect(201);
    app.put(
        &kpath(&v2),
        &m,
        visit_at(&c, &x, &d2, "13:00", "14:00", "planned"),
    )
    .await
    .expect(201);
    app.put(
        &kpath(&done),
        &m,
        visit_at(&c, &x, &d0, "07:00", "07:30", "completed"),
    )
    .await
    .expect(201);
    app.put(
        &kpath(&after),
        &m,
        visit_at(&c, &x, &d3, "09:00", "10:00", "planned"),
    )
    .await
    .expect(201);

    let apath = format!("/api/teams/{t}/absences");
    let body = json!({"staff_id": x, "from": d0, "to": d2, "covered_by": y, "reason": "flu"});
    // Members and viewers may not record one (it moves visits); leads may.
    app.post(&apath, &m, body.clone())
        .await
        .problem(403, "forbidden");
    app.post(&apath, &viewer, body.clone())
        .await
        .problem(403, "forbidden");
    let seq = last_seq(&app, &t, &lead).await;
    let made = app.post(&apath, &lead, body.clone()).await.expect(201);
    let absence = made["absence"].clone();
    let aid = id(&absence);
    assert_eq!(
        (
            absence["staff_id"].as_str(),
            absence["from"].as_str(),
            absence["to"].as_str()
        ),
        (Some(x.as_str()), Some(d0.as_str()), Some(d2.as_str()))
    );
    assert_eq!(absence["covered_by"], y.as_str());
    assert_eq!(absence["reason"], "flu");
    assert_eq!(made["moved"], 3, "{made}");
    for v in [&v0, &v1, &v2] {
        assert_eq!(
            staff_ids_of(&app, &t, v).await,
            json!([y]),
            "{v} moved to Y"
        );
    }
    assert_eq!(
        staff_ids_of(&app, &t, &done).await,
        json!([x]),
        "completed stays"
    );
    assert_eq!(
        staff_ids_of(&app, &t, &after).await,
        json!([x]),
        "outside the range stays"
    );

    // The log: one contacts.reassigned per day with moves, then absence.created.
    let kinds = kinds_since(&app, &t, &lead, seq).await;
    assert_eq!(
        kinds,
        vec![
            "contacts.reassigned",
            "contacts.reassigned",
            "contacts.reassigned",
            "absence.created"
        ]
    );

    // The board says who is out today, until when, and who covers; everyone reads the list.
    let board = app
        .get(&format!("/api/teams/{t}/board"), &viewer)
        .await
        .expect(200);
    let row = |b: &Value, sid: &str| {
        b["staff"]
            .as_array()
            .unwrap()
            .iter()
            .find(|s| s["id"] == sid)
            .unwrap()
            .clone()
    };
    assert_eq!(
        row(&board, &x)["absent_today"],
        json!({"absence_id": aid, "from": d0, "until": d2, "covered_by": y}),
        "{board}"
    );
    assert_eq!(row(&board, &y)["absent_today"], Value::Null);
    let later = app
        .get(&format!("/api/teams/{t}/board?day={d3}"), &viewer)
        .await
        .expect(200);
    assert_eq!(
        row(&later, &x)["absent_today"],
        Value::Null,
        "back on day 4"
    );
    let list = app
        .get(&format!("{apath}?from={d1}&to={d1}"), &viewer)
        .await
        .expect(200);
    assert_eq!(list.as_array().map(|a| a.len()), Some(1), "{list}");
    assert_eq!(list[0]["id"], aid.as_str());
    let none = app
        .get(&format!("{apath}?from={d3}"), &viewer)
        .await
        .expect(200);
    assert_eq!(none, json!([]));
    assert_eq!(
        app.get(&apath, &m)
            .await
            .expect(200)
            .as_array()
            .map(|a| a.len()),
        Some(1),
        "default: from today on"
    );

    // A privacy display sees who is out, never why.
    let dt = privacy_display(&app, &t, &lead).await;
    let shown = app
        .get(&format!("/api/teams/{t}/events?since={seq}"), &dt)
        .await
        .expect(200);
    let created = shown["events"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["kind"] == "absence.created")
        .unwrap()
        .clone();
    assert_eq!(created["data"]["staff_id"], x.as_str());
    assert!(created["data"].get("reason").is_none(), "{created}");
    let dboard = app
        .get(&format!("/api/teams/{t}/board"), &dt)
        .await
        .expect(200);
    assert_eq!(row(&dboard, &x)["absent_today"]["absence_id"], aid.as_str());
    assert!(!dboard.to_string().contains("flu"), "{dboard}");

    // Cancelling: the record goes, the visits stay with Y (nothing moves back).
    app.delete(&format!("{apath}/{aid}"), &m)
        .await
        .problem(403, "forbidden");
    let seq = last_seq(&app, &t, &lead).await;
    app.delete(&format!("{apath}/{aid}"), &lead)
        .await
        .expect(204);
    app.delete(&format!("{apath}/{aid}"), &lead)
        .await
        .problem(404, "not_found");
    let ev = app
        .get(&format!("/api/teams/{t}/events?since={seq}"), &lead)
        .await
        .expect(200);
    assert_eq!(ev["events"][0]["kind"], "absence.deleted");
    assert_eq!(ev["events"][0]["data"], json!({"id": aid, "staff_id": x}));
    for v in [&v0, &v1, &v2] {
        assert_eq!(
            staff_ids_of(&app, &t, v).await,
            json!([y]),
            "{v} stays with Y"
        );
    }
    let board = app
        .get(&format!("/api/teams/{t}/board"), &viewer)
        .await
        .expect(200);
    assert_eq!(row(&board, &x)["absent_today"], Value::Null);

    // Without a cover nothing moves; the absence is still on the board.
    let solo = app
        .post(&apath, &lead, json!({"staff_id": x, "from": d3, "to": d3}))
        .await
        .expect(201);
    assert_eq!(solo["moved"], 0);
    assert_eq!(staff_ids_of(&app, &t, &after).await, json!([x]));
}

async fn absences_refuse_bad_input_and_double_booking(app: TestApp) {
    let t = id(&app.create_team("Absent Rules", "act").await);
    let (_, lead) = app.member(&t, "absr.lead", "lead").await;
    let (x, m) = app.member(&t, "absr.x", "member").await;
    let (y, _) = app.member(&t, "absr.y", "member").await;
    let (v, _) = app.member(&t, "absr.viewer", "viewer").await;
    let other = id(&app.create_team("Absent Elsewhere", "act").await);
    let (stranger, _) = app.member(&other, "absr.stranger", "member").await;
    let c = id(&refer(&app, &t, &lead, "Gus", "Client").await);
    let apath = format!("/api/teams/{t}/absences");
    let post = |b: Value| app.post(&apath, &lead, b);

    // Field-named 422s.
    invalid(
        post(json!({"staff_id": x, "from": "2026-12-05", "to": "2026-12-04"})).await,
        "to",
    );
    invalid(
        post(json!({"staff_id": x, "from": "2026-01-01", "to": "2026-04-03"})).await,
        "to",
    );
    post(json!({"staff_id": x, "from": "2026-01-01", "to": "2026-04-02"}))
        .await
        .expect(201);
    invalid(
        post(json!({"staff_id": x, "from": "0000-01-01", "to": "2026-12-01"})).await,
        "from",
    );
    invalid(
        post(json!({"staff_id": x, "from": "2026-12-01", "to": "9999-12-31"})).await,
        "to",
    );
    invalid(
        post(json!({"staff_id": x, "from": "2026-02-30", "to": "2026-03-01"})).await,
        "from",
    );
    invalid(
        post(json!({"staff_id": stranger, "from": "2026-12-01", "to": "2026-12-01"})).await,
        "staff_id",
    );
    invalid(
        post(json!({"staff_id": v, "from": "2026-12-01", "to": "2026-12-01"})).await,
        "staff_id",
    );
    invalid(
        post(json!({"staff_id": new_id(), "from": "2026-12-01", "to": "2026-12-01"})).await,
        "staff_id",
    );
    invalid(
        post(json!({"staff_id": x, "from": "2026-12-01", "to": "2026-12-01", "covered_by": x}))
            .await,
        "covered_by",
    );
    invalid(
        post(json!({"staff_id": x, "from": "2026-12-01", "to": "2026-12-01", "covered_by": v}))
            .await,
        "covered_by",
    );
    invalid(post(json!({"staff_id": x, "from": "2026-12-01", "to": "2026-12-01", "reason": "x".repeat(501)})).await, "reason");
    invalid(
        app.get(&format!("{apath}?from=2026-12-05&to=2026-12-01"), &lead)
            .await,
        "to",
    );
    invalid(
        app.get(&format!("{apath}?from=9999-01-01"), &lead).await,
        "from",
    );

    // Overlapping absences of one person: 409 naming the one already there.
    let p = post(json!({"staff_id": x, "from": "2026-03-30", "to": "2026-04-10"}))
        .await
        .problem(409, "conflict");
    assert_eq!(p["overlaps"].as_array().map(|a| a.len()), Some(1), "{p}");

    // Moving X's visits onto Y's would double-book Y: 409, nothing written.
    let day = "2026-12-08";
    let (xv, yv) = (new_id(), new_id());
    app.put(
        &format!("/api/teams/{t}/contacts/{xv}"),
        &m,
        visit_at(&c, &x, day, "09:00", "10:00", "planned"),
    )
    .await
    .expect(201);
    app.put(
        &format!("/api/teams/{t}/contacts/{yv}"),
        &m,
        visit_at(&c, &y, day, "09:30", "10:30", "planned"),
    )
    .await
    .expect(201);
    let seq = last_seq(&app, &t, &lead).await;
    let body = json!({"staff_id": x, "from": "2026-12-07", "to": "2026-12-09", "covered_by": y});
    let p = post(body.clone()).await.problem(409, "double_booked");
    assert_eq!(p["conflicts"][0]["contact_id"], yv.as_str(), "{p}");
    assert_eq!(p["conflicts"][0]["conflicts_with"], xv.as_str(), "{p}");
    assert_eq!(last_seq(&app, &t, &lead).await, seq, "nothing written");
    let listed = app
        .get(&format!("{apath}?from=2026-12-07&to=2026-12-09"), &lead)
        .await
        .expect(200);
    assert_eq!(listed, json!([]), "no absence recorded");
    // allow_overlap records it and moves the visit.
    let mut forced = body;
    forced["allow_overlap"] = json!(true);
    assert_eq!(post(forced).await.expect(201)["moved"], 1);
}
