//! Issue 12, visits: "attempted, no answer" is not a completed contact (counts, last seen),
//! and a planned visit is closed out on the same record (status, actual time or minutes,
//! kind, place, note in one PATCH) under the usual rules.

use crate::helpers::*;
use serde_json::{json, Value};

both_engines!(
    attempted_is_not_a_completed_contact,
    close_out_a_planned_visit_on_the_same_record,
);

/// Today and `n` days from it in the team's time zone (the test teams are in New York).
pub fn local_day(n: i64) -> String {
    let tz: chrono_tz::Tz = "America/New_York".parse().unwrap();
    (chrono::Utc::now().with_timezone(&tz).date_naive() + chrono::TimeDelta::days(n)).to_string()
}

pub fn event_kinds(ev: &Value) -> Vec<String> {
    ev["events"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["kind"].as_str().unwrap().to_string())
        .collect()
}

fn row<'a>(board: &'a Value, client: &str) -> &'a Value {
    board["clients"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["id"] == client)
        .unwrap_or_else(|| panic!("no {client} on {board}"))
}

async fn attempted_is_not_a_completed_contact(app: TestApp) {
    let t = id(&app.create_team("Attempts", "act").await);
    let (_, lead) = app.member(&t, "att.lead", "lead").await;
    let (ann, m) = app.member(&t, "att.ann", "member").await;
    let c = id(&refer(&app, &t, &lead, "Ada", "Attempt").await);
    let k = |k: &str| format!("/api/teams/{t}/contacts/{k}");
    let board = |day: String| format!("/api/teams/{t}/board?day={day}");

    // Seen two days ago (completed).
    let mut seen = visit(&c, &[&ann], &local_day(-2), "completed");
    seen["start"] = json!("08:00");
    seen["end"] = json!("08:30");
    app.put(&k(&new_id()), &m, seen).await.expect(201);
    let before = app.get(&board(local_day(0)), &m).await.expect(200);
    let b = row(&before, &c);
    assert_eq!(b["days_since_contact"], 2, "{b}");

    // Tried today and yesterday, nobody answered: stored as attempted, counts nothing.
    for day in [local_day(-1), local_day(0)] {
        let mut tried = visit(&c, &[&ann], &day, "attempted");
        tried["kind"] = json!("phone");
        tried["start"] = json!("07:00");
        tried["end"] = json!("07:05");
        let saved = app.put(&k(&new_id()), &m, tried).await.expect(201);
        assert_eq!(saved["status"], "attempted");
    }
    let after = app.get(&board(local_day(0)), &m).await.expect(200);
    let a = row(&after, &c);
    for f in [
        "last_contact_at",
        "days_since_contact",
        "contacts_this_week",
        "face_to_face_this_week",
    ] {
        assert_eq!(
            a[f], b[f],
            "{f}: last seen and counts do not move on an attempt"
        );
    }
    let listed = app
        .get(&format!("/api/teams/{t}/contacts?status=attempted"), &m)
        .await
        .expect(200);
    assert_eq!(listed.as_array().unwrap().len(), 2);

    // Like completed and missed: not on a day that has not come yet.
    invalid(
        app.put(
            &k(&new_id()),
            &m,
            visit(&c, &[&ann], &local_day(1), "attempted"),
        )
        .await,
        "status",
    );
    // An attempt holds nobody's time: a visit at the same time books without a conflict.
    let mut same_time = visit(&c, &[&ann], &local_day(0), "planned");
    same_time["start"] = json!("07:00");
    same_time["end"] = json!("07:30");
    app.put(&k(&new_id()), &m, same_time).await.expect(201);
}

async fn close_out_a_planned_visit_on_the_same_record(app: TestApp) {
    let t = id(&app.create_team("Close out", "act").await);
    let (_, lead) = app.member(&t, "co.lead", "lead").await;
    let (ann, m) = app.member(&t, "co.ann", "member").await;
    let c = id(&refer(&app, &t, &lead, "Cyd", "Closeout").await);
    let k = |k: &str| format!("/api/teams/{t}/contacts/{k}");
    let today = local_day(0);

    let planned = new_id();
    let mut body = visit(&c, &[&ann], &today, "planned");
    body["start"] = json!("14:00");
    body["end"] = json!("15:00");
    body["minutes"] = json!(null);
    app.put(&k(&planned), &m, body).await.expect(201);
    let seq = last_seq(&app, &t, &m).await;

    // "Done at 14:10, 30 min, by phone from the office, note": one request, same record.
    let done = app
        .patch(
            &k(&planned),
            &m,
            json!({"version": 1, "status": "completed", "start": "14:10", "end": null,
                   "minutes": 30, "kind": "phone", "place": "office",
                   "note": "Took meds, asked about housing"}),
        )
        .await
        .expect(200);
    assert_eq!(done["id"], planned.as_str());
    assert_eq!(
        (
            &done["status"],
            &done["start"],
            &done["end"],
            &done["minutes"],
            &done["kind"],
            &done["place"],
            &done["note"],
            &done["version"]
        ),
        (
            &json!("completed"),
            &json!("14:10"),
            &json!(null),
            &json!(30),
            &json!("phone"),
            &json!("office"),
            &json!("Took meds, asked about housing"),
            &json!(2)
        )
    );
    let day_list = app
        .get(&format!("/api/teams/{t}/contacts?day={today}"), &m)
        .await
        .expect(200);
    assert_eq!(day_list.as_array().unwrap().len(), 1, "no second record");
    let ev = app
        .get(&format!("/api/teams/{t}/events?since={seq}"), &m)
        .await
        .expect(200);
    assert_eq!(event_kinds(&ev), vec!["contact.updated"]);

    // A stale version changes nothing.
    app.patch(&k(&planned), &m, json!({"version": 1, "status": "missed"}))
        .await
        .problem(409, "version_conflict");

    // Not in the future: tomorrow's visit cannot be closed out as done, tried or missed
    // (it can be cancelled).
    let tomorrow = new_id();
    app.put(
        &k(&tomorrow),
        &m,
        visit(&c, &[&ann], &local_day(1), "planned"),
    )
    .await
    .expect(201);
    for status in ["completed", "attempted", "missed"] {
        invalid(
            app.patch(&k(&tomorrow), &m, json!({"version": 1, "status": status}))
                .await,
            "status",
        );
    }
    app.patch(
        &k(&tomorrow),
        &m,
        json!({"version": 1, "status": "cancelled"}),
    )
    .await
    .expect(200);

    // Double booking only where both hold time: Ann has another visit 16:00–17:00.
    let other = new_id();
    let mut b2 = visit(&c, &[&ann], &today, "planned");
    b2["start"] = json!("16:00");
    b2["end"] = json!("17:00");
    app.put(&k(&other), &m, b2).await.expect(201);
    let late = new_id();
    let mut b3 = visit(&c, &[&ann], &today, "planned");
    b3["start"] = json!("17:00");
    b3["end"] = json!("18:00");
    app.put(&k(&late), &m, b3).await.expect(201);
    // Closing out 17:00 as done at 16:30–17:30 overlaps the 16:00 visit: refused.
    let p = app
        .patch(
            &k(&late),
            &m,
            json!({"version": 1, "status": "completed", "start": "16:30", "end": "17:30"}),
        )
        .await
        .problem(409, "double_booked");
    assert_eq!(p["conflicts"][0]["contact_id"], other.as_str(), "{p}");
    // As "attempted" at the same time it holds nobody's time: accepted.
    let tried = app
        .patch(
            &k(&late),
            &m,
            json!({"version": 1, "status": "attempted", "start": "16:30", "end": "16:35",
                   "note": "No answer at the door"}),
        )
        .await
        .expect(200);
    assert_eq!(tried["status"], "attempted");
}
