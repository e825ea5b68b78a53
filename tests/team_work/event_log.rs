//! The event log: gap-free under concurrent writers, limits, paging with `since`.

use crate::helpers::*;
use actboard::db::schema::events;
use diesel::prelude::*;
use futures_util::future::join_all;
use serde_json::json;

both_engines!(event_log_gap_free_under_concurrent_writers,);

async fn event_log_gap_free_under_concurrent_writers(app: TestApp) {
    let team = app.create_team("Busy", "act").await;
    let t = id(&team);
    let (_, lead) = app.member(&t, "leadev", "lead").await;
    let c = id(&refer(&app, &t, &lead, "Ann", "Busy").await);
    let mut writers = vec![];
    for i in 0..8 {
        writers.push(app.member(&t, &format!("writer{i}"), "member").await);
    }
    let tasks: Vec<_> = writers
        .iter()
        .enumerate()
        .map(|(i, (sid, tok))| {
            let app = &app;
            let (t, c) = (t.clone(), c.clone());
            async move {
                let mut statuses = vec![];
                for n in 0..50 {
                    let r = if i % 2 == 0 {
                        app.post(
                            &format!("/api/teams/{t}/clients/{c}/flags"),
                            tok,
                            json!({"severity": "watch", "category": "other", "reason": format!("w{i} n{n}")}),
                        )
                        .await
                    } else {
                        // The same hour each time: this test is about the log, not bookings.
                        let mut body = visit(&c, &[sid], "2026-10-14", "completed");
                        body["allow_overlap"] = json!(true);
                        app.put(&format!("/api/teams/{t}/contacts/{}", new_id()), tok, body)
                            .await
                    };
                    statuses.push(r.status.as_u16());
                }
                statuses
            }
        })
        .collect();
    let results = join_all(tasks).await;
    for s in &results {
        assert!(s.iter().all(|x| *x == 201), "{results:?}");
    }

    let page = app
        .get(&format!("/api/teams/{t}/events?since=0&limit=1000"), &lead)
        .await
        .expect(200);
    let n = page["last_seq"].as_i64().unwrap();
    let seqs: Vec<i64> = page["events"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["seq"].as_i64().unwrap())
        .collect();
    assert_eq!(seqs, (1..=n).collect::<Vec<_>>(), "gap-free, no duplicates");
    let kinds = |k: &str| {
        page["events"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|e| e["kind"] == k)
            .count()
    };
    assert_eq!(kinds("flag.raised"), 200);
    assert_eq!(kinds("contact.created"), 200);
    let first = &page["events"][0];
    assert_eq!(first["kind"], "team.created");
    for k in ["seq", "kind", "data", "actor", "at"] {
        assert!(first.get(k).is_some(), "event lacks {k}: {first}");
    }
    let raised = page["events"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["kind"] == "flag.raised")
        .unwrap();
    assert_eq!(raised["actor"], raised["data"]["raised_by"]);
    let team_id = t.clone();
    let in_db = db(&app, move |conn| {
        events::table
            .filter(events::team_id.eq(team_id))
            .count()
            .get_result::<i64>(conn)
            .unwrap()
    })
    .await;
    assert_eq!(in_db, n);

    // Limits.
    invalid(
        app.get(&format!("/api/teams/{t}/events?since=0&limit=1001"), &lead)
            .await,
        "limit",
    );
    invalid(
        app.get(&format!("/api/teams/{t}/events?since=0&limit=0"), &lead)
            .await,
        "limit",
    );
    invalid(
        app.get(&format!("/api/teams/{t}/events?since=-1"), &lead)
            .await,
        "since",
    );
    unreadable(
        app.get(&format!("/api/teams/{t}/events?since=abc"), &lead)
            .await,
    );

    // Paging with since.
    let mut since = 0;
    let mut paged = vec![];
    loop {
        let p = app
            .get(
                &format!("/api/teams/{t}/events?since={since}&limit=97"),
                &lead,
            )
            .await
            .expect(200);
        let ev = p["events"].as_array().unwrap();
        if ev.is_empty() {
            break;
        }
        assert!(ev.len() <= 97);
        paged.extend(ev.iter().map(|e| e["seq"].as_i64().unwrap()));
        since = *paged.last().unwrap();
    }
    assert_eq!(paged, (1..=n).collect::<Vec<_>>());
    let tail = app
        .get(
            &format!("/api/teams/{t}/events?since={}&limit=5", n - 10),
            &lead,
        )
        .await
        .expect(200);
    let tail: Vec<i64> = tail["events"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["seq"].as_i64().unwrap())
        .collect();
    assert_eq!(tail, (n - 9..=n - 5).collect::<Vec<_>>());
    let none = app
        .get(&format!("/api/teams/{t}/events?since={n}"), &lead)
        .await
        .expect(200);
    assert_eq!(none["events"], json!([]));
}
