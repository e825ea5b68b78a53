//! Issue 12, recurring visits: a series books all its planned visits at once (each with
//! `series_id`, one `contacts.series_created` event), or none when any would double-book;
//! ending it cancels the visits still ahead and keeps the past; parallel series for one
//! person's slot let exactly one through.

use crate::helpers::*;
use crate::visits::{event_kinds, local_day};
use futures_util::future::join_all;
use serde_json::{json, Value};

both_engines!(
    a_series_books_every_visit_or_none,
    a_series_is_checked_field_by_field,
    ending_a_series_cancels_what_is_ahead,
    parallel_series_for_one_slot_book_once,
);

fn series(client: &str, staff: &[&str], first: &str, every: i32, start: &str, end: &str) -> Value {
    json!({"client_id": client, "staff_ids": staff, "first_day": first, "every_days": every,
           "start": start, "end": end, "kind": "face_to_face", "place": "office",
           "activity": "depot injection"})
}

async fn count_contacts(app: &TestApp, t: &str, tok: &str) -> usize {
    app.get(&format!("/api/teams/{t}/contacts?limit=1000"), tok)
        .await
        .expect(200)
        .as_array()
        .unwrap()
        .len()
}

async fn a_series_books_every_visit_or_none(app: TestApp) {
    let t = id(&app.create_team("Depot", "act").await);
    let (_, lead) = app.member(&t, "dep.lead", "lead").await;
    let (ann, m) = app.member(&t, "dep.ann", "member").await;
    let c = id(&refer(&app, &t, &lead, "Dee", "Depot").await);
    let path = format!("/api/teams/{t}/visit-series");
    let seq = last_seq(&app, &t, &m).await;

    // Every 14 days for the default twelve weeks: 7 visits, both ends included.
    let first = local_day(1);
    let made = app
        .post(&path, &m, series(&c, &[&ann], &first, 14, "10:00", "10:30"))
        .await
        .expect(201);
    let s = &made["series"];
    let visits = made["contacts"].as_array().unwrap();
    assert_eq!(visits.len(), 7, "{made}");
    assert_eq!(s["every_days"], 14);
    assert_eq!(s["first_day"], first.as_str());
    assert_eq!(s["until"], local_day(1 + 84).as_str());
    assert_eq!(s["ended_at"], Value::Null);
    for (i, v) in visits.iter().enumerate() {
        assert_eq!(v["series_id"], s["id"]);
        assert_eq!(v["status"], "planned");
        assert_eq!(v["day"], local_day(1 + 14 * i as i64).as_str());
        assert_eq!((&v["start"], &v["end"]), (&json!("10:00"), &json!("10:30")));
        assert_eq!(v["staff_ids"], json!([ann]));
    }
    assert_eq!(count_contacts(&app, &t, &m).await, 7);
    // One event carries the series and its visits.
    let ev = app
        .get(&format!("/api/teams/{t}/events?since={seq}"), &m)
        .await
        .expect(200);
    assert_eq!(event_kinds(&ev), vec!["contacts.series_created"]);
    assert_eq!(
        ev["events"][0]["data"]["contacts"]
            .as_array()
            .unwrap()
            .len(),
        7
    );
    let listed = app.get(&path, &m).await.expect(200);
    assert_eq!(listed.as_array().unwrap().len(), 1);
    assert_eq!(listed[0]["id"], s["id"]);

    // Ann already has a visit on the third occurrence of the next series: 409 naming it,
    // nothing written.
    let third = local_day(2 + 14);
    let busy = new_id();
    let mut b = visit(&c, &[&ann], &third, "planned");
    b["start"] = json!("11:15");
    b["end"] = json!("12:00");
    app.put(&format!("/api/teams/{t}/contacts/{busy}"), &m, b)
        .await
        .expect(201);
    let seq = last_seq(&app, &t, &m).await;
    let p = app
        .post(
            &path,
            &m,
            series(&c, &[&ann], &local_day(2), 7, "11:00", "11:30"),
        )
        .await
        .problem(409, "double_booked");
    let conflicts = p["conflicts"].as_array().unwrap();
    assert_eq!(conflicts.len(), 1, "{p}");
    assert_eq!(conflicts[0]["contact_id"], busy.as_str());
    assert_eq!(conflicts[0]["day"], third.as_str());
    assert_eq!(count_contacts(&app, &t, &m).await, 8, "nothing written");
    assert_eq!(
        app.get(&path, &m)
            .await
            .expect(200)
            .as_array()
            .unwrap()
            .len(),
        1
    );
    assert_eq!(last_seq(&app, &t, &m).await, seq, "no event");
    // With allow_overlap it books them all (13 weekly visits in twelve weeks).
    let mut body = series(&c, &[&ann], &local_day(2), 7, "11:00", "11:30");
    body["allow_overlap"] = json!(true);
    let made = app.post(&path, &m, body).await.expect(201);
    assert_eq!(made["contacts"].as_array().unwrap().len(), 13);

    // Viewers cannot plan; another team's lead does not see the team.
    let (_, viewer) = app.member(&t, "dep.viewer", "viewer").await;
    app.post(
        &path,
        &viewer,
        series(&c, &[&ann], &local_day(3), 7, "06:00", "06:30"),
    )
    .await
    .problem(403, "forbidden");
}

async fn a_series_is_checked_field_by_field(app: TestApp) {
    let t = id(&app.create_team("Checks", "act").await);
    let (_, lead) = app.member(&t, "chk.lead", "lead").await;
    let (ann, m) = app.member(&t, "chk.ann", "member").await;
    let c = id(&refer(&app, &t, &lead, "Cee", "Check").await);
    let path = format!("/api/teams/{t}/visit-series");
    let ok = || series(&c, &[&ann], &local_day(1), 14, "10:00", "10:30");
    let bad = |f: &dyn Fn(&mut Value)| {
        let mut b = ok();
        f(&mut b);
        b
    };
    for (body, field) in [
        (bad(&|b| b["every_days"] = json!(0)), "every_days"),
        (bad(&|b| b["every_days"] = json!(91)), "every_days"),
        (bad(&|b| b["until"] = json!(local_day(0))), "until"),
        (bad(&|b| b["until"] = json!(local_day(1 + 366))), "until"),
        (bad(&|b| b["first_day"] = json!(local_day(-1))), "first_day"),
        (bad(&|b| b["first_day"] = json!("2026-02-30")), "first_day"),
        (bad(&|b| b["end"] = json!("09:00")), "end"),
        (bad(&|b| b["start"] = json!("9am")), "start"),
        (bad(&|b| b["staff_ids"] = json!([])), "staff_ids"),
        (bad(&|b| b["staff_ids"] = json!([new_id()])), "staff_ids"),
        (bad(&|b| b["client_id"] = json!(new_id())), "client_id"),
        (bad(&|b| b["activity"] = json!("  ")), "activity"),
    ] {
        invalid(app.post(&path, &m, body.clone()).await, field);
    }
    // A discharged client has no visits to plan.
    let gone = id(&refer(&app, &t, &lead, "Gil", "Gone").await);
    app.patch(
        &format!("/api/teams/{t}/clients/{gone}"),
        &lead,
        json!({"version": 1, "status": "discharged", "discharge_reason": "moved"}),
    )
    .await
    .expect(200);
    invalid(
        app.post(
            &path,
            &m,
            series(&gone, &[&ann], &local_day(1), 14, "10:00", "10:30"),
        )
        .await,
        "client_id",
    );
    assert_eq!(app.get(&path, &m).await.expect(200), json!([]));
    assert_eq!(count_contacts(&app, &t, &m).await, 0);
    // A year of daily visits is the most one series books.
    let mut year = ok();
    year["every_days"] = json!(1);
    year["until"] = json!(local_day(1 + 365));
    let made = app.post(&path, &m, year).await.expect(201);
    assert_eq!(made["contacts"].as_array().unwrap().len(), 366);
}

async fn ending_a_series_cancels_what_is_ahead(app: TestApp) {
    let t = id(&app.create_team("Ending", "act").await);
    let (_, lead) = app.member(&t, "end.lead", "lead").await;
    let (ann, m) = app.member(&t, "end.ann", "member").await;
    let c = id(&refer(&app, &t, &lead, "Eve", "Ending").await);
    let path = format!("/api/teams/{t}/visit-series");
    // Today at 00:00 (already begun), then every week for three weeks.
    let mut body = series(&c, &[&ann], &local_day(0), 7, "00:00", "00:01");
    body["until"] = json!(local_day(21));
    let made = app.post(&path, &m, body).await.expect(201);
    let sid = id(&made["series"]);
    let visits: Vec<String> = made["contacts"]
        .as_array()
        .unwrap()
        .iter()
        .map(id)
        .collect();
    assert_eq!(visits.len(), 4);
    // The second visit was closed out already (cancelled by hand): it stays as it is.
    app.patch(
        &format!("/api/teams/{t}/contacts/{}", visits[1]),
        &m,
        json!({"version": 1, "status": "cancelled", "note": "client away"}),
    )
    .await
    .expect(200);
    let seq = last_seq(&app, &t, &m).await;

    let ended = app.delete(&format!("{path}/{sid}"), &m).await.expect(200);
    assert!(ended["series"]["ended_at"].is_string(), "{ended}");
    let cancelled: Vec<String> = ended["contacts"]
        .as_array()
        .unwrap()
        .iter()
        .map(id)
        .collect();
    assert_eq!(cancelled, vec![visits[2].clone(), visits[3].clone()]);
    for c in ended["contacts"].as_array().unwrap() {
        assert_eq!(
            (&c["status"], &c["version"]),
            (&json!("cancelled"), &json!(2))
        );
    }
    let all = app
        .get(&format!("/api/teams/{t}/contacts?limit=1000"), &m)
        .await
        .expect(200);
    let status = |k: &str| {
        all.as_array()
            .unwrap()
            .iter()
            .find(|c| c["id"] == k)
            .unwrap()["status"]
            .clone()
    };
    assert_eq!(
        status(&visits[0]),
        "planned",
        "today's, already begun, stays"
    );
    assert_eq!(status(&visits[1]), "cancelled");
    assert_eq!(status(&visits[3]), "cancelled");
    let ev = app
        .get(&format!("/api/teams/{t}/events?since={seq}"), &m)
        .await
        .expect(200);
    assert_eq!(event_kinds(&ev), vec!["contacts.series_ended"]);
    assert_eq!(
        ev["events"][0]["data"]["contacts"]
            .as_array()
            .unwrap()
            .len(),
        2
    );

    // Ending it again changes nothing.
    let again = app.delete(&format!("{path}/{sid}"), &m).await.expect(200);
    assert_eq!(again["contacts"], json!([]));
    assert_eq!(again["series"]["ended_at"], ended["series"]["ended_at"]);
    assert_eq!(last_seq(&app, &t, &m).await, seq + 1);
    let listed = app.get(&path, &m).await.expect(200);
    assert_eq!(listed[0]["ended_at"], ended["series"]["ended_at"]);
    // An unknown series is 404.
    app.delete(&format!("{path}/{}", new_id()), &m)
        .await
        .problem(404, "not_found");
}

async fn parallel_series_for_one_slot_book_once(app: TestApp) {
    let t = id(&app.create_team("Race", "act").await);
    let (_, lead) = app.member(&t, "race.lead", "lead").await;
    let (ann, m) = app.member(&t, "race.ann", "member").await;
    let c = id(&refer(&app, &t, &lead, "Ray", "Race").await);
    let path = format!("/api/teams/{t}/visit-series");
    let answers = join_all((0..6).map(|i| {
        // Different first days, one shared day (local_day(8)) at the same hour.
        let body = series(&c, &[&ann], &local_day(8 - i), 1, "09:00", "09:45");
        let (app, path, m) = (&app, &path, &m);
        async move { app.post(path, m, body).await }
    }))
    .await;
    let created = answers.iter().filter(|r| r.status == 201).count();
    let refused = answers
        .iter()
        .filter(|r| r.status == 409 && r.body["code"] == "double_booked")
        .count();
    assert_eq!((created, refused), (1, 5), "{answers:?}");
    // Nobody holds two visits at once on any day.
    let all = app
        .get(&format!("/api/teams/{t}/contacts?limit=1000"), &m)
        .await
        .expect(200);
    let mut days: Vec<&str> = all
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["day"].as_str().unwrap())
        .collect();
    let n = days.len();
    days.dedup();
    assert_eq!(days.len(), n, "one visit per day at most");
    assert_eq!(
        app.get(&path, &m)
            .await
            .expect(200)
            .as_array()
            .unwrap()
            .len(),
        1
    );
}
