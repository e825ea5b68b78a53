//! No double booking (issue 11): a PUT or PATCH of a contact that gives a staff member two
//! overlapping planned or completed timed visits on one day is 409 `double_booked` with the
//! conflicts, unless `allow_overlap`; the lead's reassignment refuses the same way and moves
//! nothing; parallel bookings of one person's hour let exactly one through.

use crate::helpers::*;
use futures_util::future::join_all;
use serde_json::{json, Value};

both_engines!(
    double_booking_refused_on_put_and_patch,
    double_booking_refused_by_reassign,
    double_booking_holds_under_parallel_puts,
);

const DAY: &str = "2026-06-03";

fn at(client: &str, staff: &[&str], start: &str, end: &str, status: &str) -> Value {
    let mut v = visit(client, staff, DAY, status);
    v["start"] = json!(start);
    v["end"] = json!(end);
    v
}

fn conflict_ids(p: &Value) -> Vec<(String, String)> {
    p["conflicts"]
        .as_array()
        .unwrap_or_else(|| panic!("no conflicts in {p}"))
        .iter()
        .map(|c| {
            (
                c["contact_id"].as_str().unwrap().to_string(),
                c["staff_id"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

async fn double_booking_refused_on_put_and_patch(app: TestApp) {
    let t = id(&app.create_team("Bookings", "act").await);
    let (_, lead) = app.member(&t, "book.lead", "lead").await;
    let (ann, m) = app.member(&t, "ann.book", "member").await;
    let (bob, _) = app.member(&t, "bob.book", "member").await;
    let c = id(&refer(&app, &t, &lead, "Cal", "Client").await);
    let kpath = |k: &str| format!("/api/teams/{t}/contacts/{k}");
    let first = new_id();
    app.put(
        &kpath(&first),
        &m,
        at(&c, &[&ann], "09:00", "10:00", "planned"),
    )
    .await
    .expect(201);

    // Overlapping Ann's 09:00–10:00: refused, naming the visit, the person and the times.
    let second = new_id();
    let p = app
        .put(
            &kpath(&second),
            &m,
            at(&c, &[&bob, &ann], "09:30", "10:30", "planned"),
        )
        .await
        .problem(409, "double_booked");
    assert_eq!(conflict_ids(&p), vec![(first.clone(), ann.clone())], "{p}");
    let c0 = &p["conflicts"][0];
    assert_eq!(
        (c0["start"].as_str(), c0["end"].as_str(), c0["day"].as_str()),
        (Some("09:00"), Some("10:00"), Some(DAY))
    );
    assert_eq!(c0["conflicts_with"], second.as_str());
    let stored = app
        .get(&format!("/api/teams/{t}/contacts?day={DAY}"), &m)
        .await
        .expect(200);
    assert_eq!(stored.as_array().map(Vec::len), Some(1), "nothing stored");
    // A completed visit holds the time too.
    app.put(
        &kpath(&new_id()),
        &m,
        at(&c, &[&ann], "09:59", "10:15", "completed"),
    )
    .await
    .problem(409, "double_booked");

    // Touching end to start, untimed, missed or cancelled, or another person: all fine.
    app.put(
        &kpath(&second),
        &m,
        at(&c, &[&ann], "10:00", "11:00", "planned"),
    )
    .await
    .expect(201);
    let mut untimed = visit(&c, &[&ann], DAY, "planned");
    untimed["start"] = Value::Null;
    untimed["end"] = Value::Null;
    app.put(&kpath(&new_id()), &m, untimed).await.expect(201);
    app.put(
        &kpath(&new_id()),
        &m,
        at(&c, &[&ann], "09:15", "09:45", "cancelled"),
    )
    .await
    .expect(201);
    app.put(
        &kpath(&new_id()),
        &m,
        at(&c, &[&ann], "09:15", "09:45", "missed"),
    )
    .await
    .expect(201);
    let bobs = new_id();
    app.put(
        &kpath(&bobs),
        &m,
        at(&c, &[&bob], "09:15", "09:45", "planned"),
    )
    .await
    .expect(201);

    // allow_overlap books it anyway; an identical retry is still just a retry.
    let mut forced = at(&c, &[&ann], "09:30", "10:30", "planned");
    forced["allow_overlap"] = json!(true);
    let third = new_id();
    app.put(&kpath(&third), &m, forced.clone())
        .await
        .expect(201);
    forced["allow_overlap"] = json!(false);
    app.put(&kpath(&third), &m, forced).await.expect(200);

    // PATCH: moving Bob's visit onto Ann (staff), or Ann's later visit earlier (times).
    let p = app
        .patch(&kpath(&bobs), &m, json!({"version": 1, "staff_ids": [ann]}))
        .await
        .problem(409, "double_booked");
    let mut got = conflict_ids(&p);
    got.sort();
    let mut want = vec![(first.clone(), ann.clone()), (third.clone(), ann.clone())];
    want.sort();
    assert_eq!(got, want, "{p}");
    app.patch(&kpath(&second), &m, json!({"version": 1, "start": "09:45"}))
        .await
        .problem(409, "double_booked");
    // A contact does not conflict with itself: shortening it is fine …
    app.patch(&kpath(&first), &m, json!({"version": 1, "end": "09:30"}))
        .await
        .expect(200);
    // … a change that is not about time (a note) never is refused, even on an overlap that
    // was allowed …
    app.patch(
        &kpath(&third),
        &m,
        json!({"version": 1, "note": "running late"}),
    )
    .await
    .expect(200);
    // … cancelling frees the time, and reinstating it is checked again.
    app.patch(
        &kpath(&third),
        &m,
        json!({"version": 2, "status": "cancelled"}),
    )
    .await
    .expect(200);
    app.patch(
        &kpath(&third),
        &m,
        json!({"version": 3, "status": "planned"}),
    )
    .await
    .problem(409, "double_booked");
    app.patch(
        &kpath(&third),
        &m,
        json!({"version": 3, "status": "planned", "allow_overlap": true}),
    )
    .await
    .expect(200);
    // Another day is another day.
    app.patch(
        &kpath(&bobs),
        &m,
        json!({"version": 1, "staff_ids": [ann], "day": "2026-06-04"}),
    )
    .await
    .expect(200);
}

async fn double_booking_refused_by_reassign(app: TestApp) {
    let t = id(&app.create_team("Reassign Bookings", "act").await);
    let (_, lead) = app.member(&t, "rb.lead", "lead").await;
    let (x, m) = app.member(&t, "x.out", "member").await;
    let (y, _) = app.member(&t, "y.covers", "member").await;
    let c = id(&refer(&app, &t, &lead, "Dee", "Client").await);
    let kpath = |k: &str| format!("/api/teams/{t}/contacts/{k}");
    let (x1, x2, x3, y1) = (new_id(), new_id(), new_id(), new_id());
    app.put(&kpath(&x1), &m, at(&c, &[&x], "09:00", "10:00", "planned"))
        .await
        .expect(201);
    app.put(&kpath(&x2), &m, at(&c, &[&x], "11:00", "12:00", "planned"))
        .await
        .expect(201);
    app.put(&kpath(&x3), &m, at(&c, &[&x], "14:00", "15:00", "planned"))
        .await
        .expect(201);
    app.put(&kpath(&y1), &m, at(&c, &[&y], "11:30", "12:30", "planned"))
        .await
        .expect(201);

    let rpath = format!("/api/teams/{t}/contacts/reassign");
    let seq = last_seq(&app, &t, &lead).await;
    let p = app
        .post(
            &rpath,
            &lead,
            json!({"day": DAY, "from_staff_id": x, "to_staff_id": y}),
        )
        .await
        .problem(409, "double_booked");
    assert_eq!(conflict_ids(&p), vec![(y1.clone(), y.clone())], "{p}");
    assert_eq!(p["conflicts"][0]["conflicts_with"], x2.as_str());
    assert_eq!(
        last_seq(&app, &t, &lead).await,
        seq,
        "nothing moved, nothing logged"
    );
    let mine = app
        .get(
            &format!("/api/teams/{t}/contacts?day={DAY}&staff_id={x}"),
            &lead,
        )
        .await
        .expect(200);
    assert_eq!(mine.as_array().unwrap().len(), 3, "X keeps all three");

    // With allow_overlap: all three move.
    let r = app
        .post(
            &rpath,
            &lead,
            json!({"day": DAY, "from_staff_id": x, "to_staff_id": y, "allow_overlap": true}),
        )
        .await
        .expect(200);
    assert_eq!(r["moved"], 3, "{r}");

    // Two visits of one person that overlap each other (allowed once) conflict when moved
    // together to someone free.
    let (z, _) = app.member(&t, "z.free", "member").await;
    let mut twin = at(&c, &[&y], "14:30", "15:30", "planned");
    twin["allow_overlap"] = json!(true);
    let y2 = new_id();
    app.put(&kpath(&y2), &m, twin).await.expect(201);
    let p = app
        .post(
            &rpath,
            &lead,
            json!({"day": DAY, "from_staff_id": y, "to_staff_id": z}),
        )
        .await
        .problem(409, "double_booked");
    let pairs: Vec<(String, String)> = p["conflicts"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| {
            let mut pair = [
                c["contact_id"].as_str().unwrap().to_string(),
                c["conflicts_with"].as_str().unwrap().to_string(),
            ];
            pair.sort();
            (pair[0].clone(), pair[1].clone())
        })
        .collect();
    let mut want_pairs = vec![
        {
            let mut p = [x2.clone(), y1.clone()];
            p.sort();
            (p[0].clone(), p[1].clone())
        },
        {
            let mut p = [x3.clone(), y2.clone()];
            p.sort();
            (p[0].clone(), p[1].clone())
        },
    ];
    want_pairs.sort();
    let mut got_pairs = pairs.clone();
    got_pairs.sort();
    assert_eq!(got_pairs, want_pairs, "each overlapping pair once: {p}");
    assert!(p["conflicts"]
        .as_array()
        .unwrap()
        .iter()
        .all(|c| c["staff_id"] == z.as_str()));
}

async fn double_booking_holds_under_parallel_puts(app: TestApp) {
    let t = id(&app.create_team("Parallel Bookings", "act").await);
    let (_, lead) = app.member(&t, "pb.lead", "lead").await;
    let (ann, m) = app.member(&t, "ann.parallel", "member").await;
    let c = id(&refer(&app, &t, &lead, "Eve", "Client").await);
    // Ten different visits, each overlapping all the others, booked at once.
    let starts = [
        "09:00", "09:05", "09:10", "09:15", "09:20", "09:25", "09:30", "09:35", "09:40", "09:45",
    ];
    let tasks: Vec<_> = starts
        .iter()
        .map(|s| {
            app.put(
                &format!("/api/teams/{t}/contacts/{}", new_id()),
                &m,
                at(&c, &[&ann], s, "10:00", "planned"),
            )
        })
        .collect();
    let results = join_all(tasks).await;
    let created = results.iter().filter(|r| r.status == 201).count();
    assert_eq!(created, 1, "exactly one booking of the hour: {results:?}");
    for r in results {
        if r.status != 201 {
            r.problem(409, "double_booked");
        }
    }
    let stored = app
        .get(
            &format!("/api/teams/{t}/contacts?day={DAY}&staff_id={ann}"),
            &m,
        )
        .await
        .expect(200);
    assert_eq!(stored.as_array().unwrap().len(), 1, "{stored}");
}
