//! Contacts: idempotent PUT by client-chosen id, versioned PATCH, list filters, validation,
//! the lead's reassignment of a day's planned visits, concurrent identical retries.

use crate::helpers::*;
use actboard::db::schema::{contact_staff, contacts, events};
use diesel::prelude::*;
use futures_util::future::join_all;
use serde_json::{json, Value};
use std::collections::{BTreeSet, HashMap};

both_engines!(
    contacts_idempotent_put_patch_and_filters,
    contacts_validated,
    contacts_reassign_moves_only_that_days_planned_visits,
    contacts_concurrent_identical_puts_store_one,
);

async fn contacts_idempotent_put_patch_and_filters(app: TestApp) {
    let team = app.create_team("Contacts", "act").await;
    let t = id(&team);
    let (_, lead) = app.member(&t, "leadc", "lead").await;
    let (s1, m1) = app.member(&t, "visitor1", "member").await;
    let (s2, _) = app.member(&t, "visitor2", "member").await;
    let (_, viewer) = app.member(&t, "viewerc", "viewer").await;
    let c1 = id(&refer(&app, &t, &lead, "Ann", "One").await);
    let c2 = id(&refer(&app, &t, &lead, "Ben", "Two").await);
    let k1 = new_id();
    let kpath = |k: &str| format!("/api/teams/{t}/contacts/{k}");

    let mut body = visit(&c1, &[&s1], "2026-10-14", "completed");
    body["note"] = json!("brought groceries");
    let first = app.put(&kpath(&k1), &m1, body.clone()).await.expect(201);
    assert_eq!(first["id"], k1.as_str());
    assert_eq!(first["client_id"], c1.as_str());
    assert_eq!(first["staff_ids"], json!([s1]));
    assert_eq!(
        (
            first["day"].as_str(),
            first["start"].as_str(),
            first["end"].as_str()
        ),
        (Some("2026-10-14"), Some("09:00"), Some("10:00"))
    );
    assert_eq!(first["kind"], "face_to_face");
    assert_eq!(first["status"], "completed");
    assert_eq!(first["minutes"], 60);
    assert_eq!(first["note"], "brought groceries");
    assert_eq!(first["version"], 1);
    assert_eq!(first["created_by"], s1.as_str());
    // 09:00 EDT on 2026-10-14 is 13:00 UTC.
    assert_eq!(first["occurred_at"], "2026-10-14T13:00:00.000000Z");

    // An identical retry: 200 and the same stored contact.
    let again = app.put(&kpath(&k1), &m1, body.clone()).await.expect(200);
    assert_eq!(again, first);
    // The same id with other content: 409 conflict, nothing changed.
    let mut other = body.clone();
    other["minutes"] = json!(45);
    app.put(&kpath(&k1), &m1, other)
        .await
        .problem(409, "conflict");
    let stored = app
        .get(&format!("/api/teams/{t}/contacts?client_id={c1}"), &m1)
        .await
        .expect(200);
    assert_eq!(stored.as_array().unwrap().len(), 1);
    assert_eq!(stored[0]["minutes"], 60);
    // Viewers do not log contacts.
    app.put(
        &kpath(&new_id()),
        &viewer,
        visit(&c1, &[&s1], "2026-10-14", "planned"),
    )
    .await
    .problem(403, "forbidden");

    // PATCH with the version.
    let p = app
        .patch(
            &kpath(&k1),
            &m1,
            json!({"version": 1, "minutes": 50, "note": null}),
        )
        .await
        .expect(200);
    assert_eq!(
        (p["version"].as_i64(), p["minutes"].as_i64()),
        (Some(2), Some(50))
    );
    assert_eq!(p["note"], Value::Null);
    let stale = app
        .patch(&kpath(&k1), &m1, json!({"version": 1, "minutes": 5}))
        .await
        .problem(409, "version_conflict");
    assert_eq!(stale["current"]["version"], 2);
    assert_eq!(stale["current"]["minutes"], 50);
    invalid(
        app.patch(&kpath(&k1), &m1, json!({"version": 2, "start": "11:00"}))
            .await,
        "end",
    );
    app.patch(&kpath(&new_id()), &m1, json!({"version": 1, "minutes": 5}))
        .await
        .problem(404, "not_found");
    // The original body is no longer a retry of what is stored.
    app.put(&kpath(&k1), &m1, body)
        .await
        .problem(409, "conflict");

    // Filters.
    let k2 = new_id();
    let mut b2 = visit(&c2, &[&s2], "2026-10-14", "planned");
    b2["start"] = json!("11:00");
    b2["end"] = json!("11:30");
    app.put(&kpath(&k2), &m1, b2).await.expect(201);
    let k3 = new_id();
    app.put(
        &kpath(&k3),
        &m1,
        visit(&c1, &[&s1, &s2], "2026-10-15", "planned"),
    )
    .await
    .expect(201);
    let ids = |v: Value| -> BTreeSet<String> { v.as_array().unwrap().iter().map(id).collect() };
    let set = |v: &[&String]| -> BTreeSet<String> { v.iter().map(|s| s.to_string()).collect() };
    let list = |q: String| app.get(&format!("/api/teams/{t}/contacts?{q}"), &m1);
    assert_eq!(
        ids(list("day=2026-10-14".into()).await.expect(200)),
        set(&[&k1, &k2])
    );
    assert_eq!(
        ids(list(format!("client_id={c1}")).await.expect(200)),
        set(&[&k1, &k3])
    );
    assert_eq!(
        ids(list(format!("staff_id={s2}")).await.expect(200)),
        set(&[&k2, &k3])
    );
    assert_eq!(
        ids(list(format!("day=2026-10-15&staff_id={s1}"))
            .await
            .expect(200)),
        set(&[&k3])
    );
    assert_eq!(
        ids(list(format!("day=2026-10-14&client_id={c2}"))
            .await
            .expect(200)),
        set(&[&k2])
    );
    assert_eq!(
        ids(list("day=2026-10-16".into()).await.expect(200)),
        BTreeSet::new()
    );
    let k3row = list("day=2026-10-15".into()).await.expect(200);
    let mut both = vec![s1.clone(), s2.clone()];
    both.sort();
    assert_eq!(k3row[0]["staff_ids"], json!(both));
    unreadable(list("day=2026-02-30".into()).await);
}

async fn contacts_validated(app: TestApp) {
    let team = app.create_team("Contact Rules", "act").await;
    let t = id(&team);
    let (_, lead) = app.member(&t, "leadcv", "lead").await;
    let (s1, m1) = app.member(&t, "visitorcv", "member").await;
    let (viewer_id, _) = app.member(&t, "viewercv", "viewer").await;
    let c1 = id(&refer(&app, &t, &lead, "Ann", "Valid").await);
    let elsewhere = app.create_team("Elsewhere", "act").await;
    let e = id(&elsewhere);
    let (outsider, _) = app.member(&e, "outsidercv", "member").await;
    let foreign_client = id(&refer(&app, &e, &app.admin_token, "Far", "Away").await);

    let good = visit(&c1, &[&s1], "2026-10-14", "completed");
    let put = |body: Value| app.put(&format!("/api/teams/{t}/contacts/{}", new_id()), &m1, body);
    let with = |k: &str, v: Value| {
        let mut b = good.clone();
        b[k] = v;
        b
    };
    invalid(put(with("kind", json!("teleport"))).await, "kind");
    invalid(put(with("place", json!("moon"))).await, "place");
    invalid(put(with("status", json!("maybe"))).await, "status");
    invalid(put(with("start", json!("9:00"))).await, "start");
    invalid(put(with("end", json!("08:00"))).await, "end");
    invalid(put(with("end", json!("09:00"))).await, "end");
    invalid(put(with("minutes", json!(1441))).await, "minutes");
    invalid(put(with("minutes", json!(-1))).await, "minutes");
    invalid(put(with("day", json!("2026-02-30"))).await, "day");
    invalid(put(with("day", json!("2026-2-3"))).await, "day");
    invalid(put(with("activity", json!("  "))).await, "activity");
    invalid(put(with("staff_ids", json!([]))).await, "staff_ids");
    invalid(put(with("staff_ids", json!([outsider]))).await, "staff_ids");
    invalid(put(with("staff_ids", json!([new_id()]))).await, "staff_ids");
    invalid(
        put(with("staff_ids", json!([viewer_id]))).await,
        "staff_ids",
    );
    invalid(
        put(with("client_id", json!(foreign_client))).await,
        "client_id",
    );
    invalid(put(with("client_id", json!(new_id()))).await, "client_id");
    let p = put(with("mood", json!("good")))
        .await
        .problem(422, "validation_failed");
    assert!(p.to_string().contains("mood"), "{p}");
    // Several problems at once are reported together.
    let mut many = good.clone();
    many["day"] = json!("2026-11-31");
    many["start"] = json!("10:00");
    many["end"] = json!("09:00");
    many["minutes"] = json!(2000);
    let p = put(many).await.problem(422, "validation_failed");
    let f = fields(&p);
    for want in ["day", "end", "minutes"] {
        assert!(f.iter().any(|x| x == want), "{want} missing in {p}");
    }
    // None of them was stored.
    let team_id = t.clone();
    let stored = db(&app, move |c| {
        contacts::table
            .filter(contacts::team_id.eq(team_id))
            .count()
            .get_result::<i64>(c)
            .unwrap()
    })
    .await;
    assert_eq!(stored, 0);
    put(good).await.expect(201);
}

async fn contacts_reassign_moves_only_that_days_planned_visits(app: TestApp) {
    let team = app.create_team("Reassign", "act").await;
    let t = id(&team);
    let (_, lead) = app.member(&t, "leadra", "lead").await;
    let (s1, m1) = app.member(&t, "sick", "member").await;
    let (s2, _) = app.member(&t, "cover", "member").await;
    let (s3, _) = app.member(&t, "partner", "member").await;
    let (viewer_id, _) = app.member(&t, "viewerra", "viewer").await;
    let c = id(&refer(&app, &t, &lead, "Ann", "Visited").await);
    let day = "2026-10-20";
    let kpath = |k: &str| format!("/api/teams/{t}/contacts/{k}");
    let mut planned_a = visit(&c, &[&s1], day, "planned");
    planned_a["start"] = json!("08:00");
    planned_a["end"] = json!("08:30");
    let (pa, pb, done, next_day, others) = (new_id(), new_id(), new_id(), new_id(), new_id());
    app.put(&kpath(&pa), &m1, planned_a).await.expect(201);
    app.put(&kpath(&pb), &m1, visit(&c, &[&s1, &s3], day, "planned"))
        .await
        .expect(201);
    // Later the same day, so no visit overlaps another of the same person.
    let mut done_body = visit(&c, &[&s1], day, "completed");
    done_body["start"] = json!("11:00");
    done_body["end"] = json!("12:00");
    app.put(&kpath(&done), &m1, done_body).await.expect(201);
    app.put(
        &kpath(&next_day),
        &m1,
        visit(&c, &[&s1], "2026-10-21", "planned"),
    )
    .await
    .expect(201);
    let mut others_body = visit(&c, &[&s3], day, "planned");
    others_body["start"] = json!("13:00");
    others_body["end"] = json!("14:00");
    app.put(&kpath(&others), &m1, others_body).await.expect(201);

    let rpath = format!("/api/teams/{t}/contacts/reassign");
    let body = json!({"day": day, "from_staff_id": s1, "to_staff_id": s2});
    app.post(&rpath, &m1, body.clone())
        .await
        .problem(403, "forbidden");
    invalid(
        app.post(
            &rpath,
            &lead,
            json!({"day": day, "from_staff_id": s1, "to_staff_id": viewer_id}),
        )
        .await,
        "to_staff_id",
    );
    invalid(
        app.post(
            &rpath,
            &lead,
            json!({"day": "2026-10-32", "from_staff_id": s1, "to_staff_id": s2}),
        )
        .await,
        "day",
    );
    let seq_before = last_seq(&app, &t, &lead).await;
    let r = app.post(&rpath, &lead, body.clone()).await.expect(200);
    assert_eq!(r["moved"], 2, "{r}");
    assert_eq!(
        last_seq(&app, &t, &lead).await,
        seq_before + 1,
        "one reassignment, one event"
    );

    let all = app
        .get(&format!("/api/teams/{t}/contacts?limit=100"), &lead)
        .await
        .expect(200);
    let by: HashMap<String, Value> = all
        .as_array()
        .unwrap()
        .iter()
        .map(|c| (id(c), c.clone()))
        .collect();
    let sorted = |v: &[&String]| {
        let mut x: Vec<String> = v.iter().map(|s| s.to_string()).collect();
        x.sort();
        json!(x)
    };
    assert_eq!(by[&pa]["staff_ids"], json!([s2]));
    assert_eq!(by[&pb]["staff_ids"], sorted(&[&s2, &s3]));
    assert_eq!(by[&pa]["version"], 2);
    assert_eq!(
        by[&done]["staff_ids"],
        json!([s1]),
        "completed visits stay with who made them"
    );
    assert_eq!(by[&done]["version"], 1);
    assert_eq!(
        by[&next_day]["staff_ids"],
        json!([s1]),
        "other days are untouched"
    );
    assert_eq!(by[&others]["staff_ids"], json!([s3]));
    // Nothing left to move.
    assert_eq!(app.post(&rpath, &lead, body).await.expect(200)["moved"], 0);
}

async fn contacts_concurrent_identical_puts_store_one(app: TestApp) {
    let team = app.create_team("Retries", "act").await;
    let t = id(&team);
    let (_, lead) = app.member(&t, "leadrt", "lead").await;
    let (s1, m1) = app.member(&t, "phone", "member").await;
    let c = id(&refer(&app, &t, &lead, "Ann", "Retry").await);
    let k = new_id();
    let body = visit(&c, &[&s1], "2026-10-14", "completed");
    let tasks: Vec<_> = (0..8)
        .map(|_| app.put(&format!("/api/teams/{t}/contacts/{k}"), &m1, body.clone()))
        .collect();
    let results = join_all(tasks).await;
    let created = results.iter().filter(|r| r.status == 201).count();
    let same = results.iter().filter(|r| r.status == 200).count();
    assert_eq!((created, same), (1, 7), "{results:?}");
    let first = &results[0].body;
    assert!(
        results.iter().all(|r| &r.body == first),
        "every answer is the one stored contact: {results:?}"
    );
    let k2 = k.clone();
    let (rows, staff_rows, created_events) = db(&app, move |conn| {
        let rows = contacts::table
            .filter(contacts::id.eq(&k2))
            .count()
            .get_result::<i64>(conn)
            .unwrap();
        let staff_rows = contact_staff::table
            .filter(contact_staff::contact_id.eq(&k2))
            .count()
            .get_result::<i64>(conn)
            .unwrap();
        let ev = events::table
            .filter(events::kind.eq("contact.created"))
            .count()
            .get_result::<i64>(conn)
            .unwrap();
        (rows, staff_rows, ev)
    })
    .await;
    assert_eq!((rows, staff_rows, created_events), (1, 1, 1));
}
