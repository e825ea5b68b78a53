//! Lists that say when there is more: `limit` and an opaque `cursor`, the next page's URL in
//! an RFC 8288 `Link: <…>; rel="next"` header, keyset order (never OFFSET), the bodies the
//! same JSON arrays as before. 1,201 contacts and clients read in pages equal the whole set;
//! pages read while rows are being inserted hold no duplicate and miss nothing that existed
//! before; a bad cursor or limit is 422 naming the field.

use crate::helpers::*;
use futures_util::future::join_all;
use serde_json::{json, Value};
use std::collections::HashSet;

both_engines!(
    contacts_and_clients_in_pages_equal_the_whole_list,
    pages_under_concurrent_inserts_have_no_duplicates,
    every_paged_list_keeps_its_order_across_pages,
    bad_cursors_and_limits_are_422,
);

/// One GET: status, Link header, body.
async fn get_page(app: &TestApp, url: &str, token: &str) -> (u16, Option<String>, Value) {
    let r = app
        .client
        .get(format!("{}{url}", app.base))
        .bearer_auth(token)
        .send()
        .await
        .unwrap();
    let status = r.status().as_u16();
    let link = r
        .headers()
        .get("link")
        .map(|v| v.to_str().unwrap().to_string());
    (status, link, r.json().await.unwrap())
}

/// The URL of `rel="next"` in a Link header.
fn next_url(link: &str) -> String {
    let (url, rest) = link
        .strip_prefix('<')
        .and_then(|l| l.split_once('>'))
        .unwrap_or_else(|| panic!("not a link: {link}"));
    assert_eq!(rest.trim(), "; rel=\"next\"", "{link}");
    url.to_string()
}

/// Every row of a list, following `rel="next"` from `first`; also the number of pages.
async fn read_all(app: &TestApp, first: &str, token: &str) -> (Vec<Value>, usize) {
    let mut url = first.to_string();
    let mut all = vec![];
    let mut pages = 0;
    loop {
        let (status, link, body) = get_page(app, &url, token).await;
        assert_eq!(status, 200, "{url}: {body}");
        pages += 1;
        let rows = body.as_array().unwrap_or_else(|| panic!("{body}"));
        all.extend(rows.iter().cloned());
        match link {
            Some(l) => {
                assert!(!rows.is_empty(), "a Link after an empty page: {url}");
                url = next_url(&l);
            }
            None => return (all, pages),
        }
        assert!(pages < 10_000, "no end");
    }
}

fn ids(rows: &[Value]) -> Vec<String> {
    rows.iter().map(id).collect()
}

fn assert_unique(ids: &[String]) {
    let set: HashSet<&String> = ids.iter().collect();
    assert_eq!(set.len(), ids.len(), "a row came twice");
}

async fn contacts_and_clients_in_pages_equal_the_whole_list(app: TestApp) {
    const N: usize = 1201;
    let t = id(&app.create_team("Pages", "act").await);
    let (lead_id, lead) = app.member(&t, "pagelead", "lead").await;
    let c = id(&refer(&app, &t, &lead, "Ann", "Paged").await);
    // 1,201 visits over 20 days at 61 start times, some of them untimed: ties on day and
    // start are broken by id. Written through the store's contact insert (the API's, with
    // its checks and events), in one transaction to keep the test short.
    let (team_id, client, staff) = (t.clone(), c.clone(), lead_id.clone());
    let made: Vec<String> = db(&app, move |conn| {
        actboard::db::write_tx(conn, |conn| {
            let team = actboard::store::teams::load_team(conn, &team_id)?;
            let mut made = vec![];
            for i in 0..N {
                let day = format!("2026-09-{:02}", 1 + i % 20);
                let mut body = json!({
                    "client_id": client, "staff_ids": [staff], "day": day, "kind": "phone",
                    "place": "office", "activity": "check-in", "status": "completed",
                    "minutes": 5, "allow_overlap": true,
                });
                if i % 7 != 0 {
                    let m = (i / 20) % 61;
                    body["start"] = json!(format!("{:02}:{:02}", 8 + m / 6, (m % 6) * 10));
                    body["end"] = json!(format!("{:02}:{:02}", 8 + m / 6, (m % 6) * 10 + 5));
                }
                let contact: actboard::store::contacts::ContactIn =
                    serde_json::from_value(body).unwrap();
                let cid = new_id();
                actboard::store::contacts::insert(conn, &team, &cid, &contact, &staff)?;
                made.push(cid);
            }
            Ok(made)
        })
        .unwrap()
    })
    .await;
    // The default page is 500 rows with a Link; following it gives the rest.
    let (status, link, first) = get_page(&app, &format!("/api/teams/{t}/contacts"), &lead).await;
    assert_eq!(status, 200);
    assert_eq!(first.as_array().unwrap().len(), 500);
    assert!(link.is_some(), "500 of 1,201 and no Link");
    let (all, pages) = read_all(&app, &format!("/api/teams/{t}/contacts"), &lead).await;
    assert_eq!(pages, 3);
    let got = ids(&all);
    assert_unique(&got);
    assert_eq!(
        got.iter().collect::<HashSet<_>>(),
        made.iter().collect::<HashSet<_>>()
    );
    // In order: day, start (untimed first), id.
    let key = |v: &Value| {
        (
            v["day"].as_str().unwrap().to_string(),
            v["start"].as_str().unwrap_or("").to_string(),
            id(v),
        )
    };
    let keys: Vec<_> = all.iter().map(key).collect();
    let mut sorted = keys.clone();
    sorted.sort();
    assert_eq!(keys, sorted, "pages out of order");
    // Small pages with a filter: the filter and the limit stay in the Link.
    let (day, pages) = read_all(
        &app,
        &format!("/api/teams/{t}/contacts?day=2026-09-03&limit=7"),
        &lead,
    )
    .await;
    assert_eq!(day.len(), N / 20 + usize::from(N % 20 > 2));
    assert_eq!(pages, day.len().div_ceil(7));
    assert!(day.iter().all(|v| v["day"] == "2026-09-03"));

    // 1,201 clients (with the one above), some with the same family and given names;
    // through the store's one write path for clients.
    let (team_id, staff) = (t.clone(), lead_id.clone());
    db(&app, move |conn| {
        actboard::db::write_tx(conn, |conn| {
            let team = actboard::store::teams::load_team(conn, &team_id)?;
            for i in 1..N {
                let v = actboard::store::clients::Values {
                    given_name: format!("G{}", i % 3),
                    family_name: format!("F{:03}", i % 400),
                    preferred_name: None,
                    external_id: None,
                    status: actboard::domain::client::Status::Referred,
                    risk_tier: "low".into(),
                    case_manager_id: None,
                };
                actboard::store::clients::save(conn, &team, &new_id(), None, v, &staff)?;
            }
            Ok(())
        })
        .unwrap()
    })
    .await;
    let (all, pages) = read_all(&app, &format!("/api/teams/{t}/clients?limit=100"), &lead).await;
    assert_eq!(pages, 13);
    assert_eq!(all.len(), N);
    assert_unique(&ids(&all));
    let (whole, pages) = read_all(&app, &format!("/api/teams/{t}/clients?limit=1000"), &lead).await;
    assert_eq!(pages, 2);
    assert_eq!(
        ids(&whole),
        ids(&all),
        "the same order whatever the page size"
    );
}

async fn pages_under_concurrent_inserts_have_no_duplicates(app: TestApp) {
    let t = id(&app.create_team("Busy pages", "act").await);
    let (_, lead) = app.member(&t, "busylead", "lead").await;
    let mut before = vec![];
    for chunk in (0..300).collect::<Vec<_>>().chunks(30) {
        let posts = chunk.iter().map(|i| {
            app.post(
                &format!("/api/teams/{t}/clients"),
                &lead,
                json!({"given_name": "Pat", "family_name": format!("M{:03}", i)}),
            )
        });
        for r in join_all(posts.collect::<Vec<_>>()).await {
            before.push(id(&r.expect(201)));
        }
    }
    // A writer inserts clients all over the order (before, between and after the pages)
    // while a reader pages through with 20 rows a page.
    let stop = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
    let writer = {
        let (client, base, lead, t, stop) = (
            app.client.clone(),
            app.base.clone(),
            lead.clone(),
            t.clone(),
            stop.clone(),
        );
        actix_web::rt::spawn(async move {
            let mut n = 0;
            while !stop.load(std::sync::atomic::Ordering::Relaxed) {
                n += 1;
                let family = format!("{}{:03}", ["A", "M", "Z"][n % 3], (n * 37) % 300);
                let r = client
                    .post(format!("{base}/api/teams/{t}/clients"))
                    .bearer_auth(&lead)
                    .json(&json!({"given_name": "New", "family_name": family}))
                    .send()
                    .await
                    .unwrap();
                assert_eq!(r.status().as_u16(), 201);
            }
            n
        })
    };
    let (all, pages) = read_all(&app, &format!("/api/teams/{t}/clients?limit=20"), &lead).await;
    stop.store(true, std::sync::atomic::Ordering::Relaxed);
    let inserted = writer.await.unwrap();
    assert!(
        inserted > 0 && pages >= 15,
        "{inserted} inserted, {pages} pages"
    );
    let got = ids(&all);
    assert_unique(&got);
    let got: HashSet<&String> = got.iter().collect();
    for b in &before {
        assert!(
            got.contains(b),
            "a client that existed before paging is missing"
        );
    }
}

async fn every_paged_list_keeps_its_order_across_pages(app: TestApp) {
    let t = id(&app.create_team("Orders", "act").await);
    let (lead_id, lead) = app.member(&t, "orderlead", "lead").await;
    let (m_id, member) = app.member(&t, "ordermember", "member").await;
    let c = id(&refer(&app, &t, &lead, "Ola", "Order").await);
    // Flags: open and resolved, of every severity.
    for i in 0..23 {
        let sev = ["emergency", "urgent", "watch"][i % 3];
        let f = app
            .post(
                &format!("/api/teams/{t}/clients/{c}/flags"),
                &lead,
                json!({"severity": sev, "category": "other", "reason": format!("r{i}")}),
            )
            .await
            .expect(201);
        if i % 4 == 0 {
            app.post(
                &format!("/api/teams/{t}/flags/{}/resolve", id(&f)),
                &lead,
                json!({"outcome": "settled"}),
            )
            .await
            .expect(200);
        }
    }
    // Handoffs, shifts.
    for _ in 0..11 {
        app.post(
            &format!("/api/teams/{t}/handoffs"),
            &lead,
            json!({"to_staff_id": m_id, "items": [{"client_id": c, "severity": "stable", "summary": "ok", "actions": ["call"], "contingency": "call"}]}),
        )
        .await
        .expect(201);
    }
    for d in 0..9 {
        app.post(
            &format!("/api/teams/{t}/oncall/shifts"),
            &lead,
            json!({"staff_id": if d % 2 == 0 { &lead_id } else { &m_id }, "starts_local": format!("2026-11-{:02}T17:00", 10 + d), "ends_local": format!("2026-11-{:02}T08:00", 11 + d)}),
        )
        .await
        .expect(201);
    }
    let lists = [
        (format!("/api/teams/{t}/flags"), lead.clone(), 23),
        (format!("/api/teams/{t}/flags?open=true"), lead.clone(), 17),
        (format!("/api/teams/{t}/handoffs"), member.clone(), 11),
        (
            format!("/api/teams/{t}/oncall/shifts?from=2026-11-01&to=2026-11-30"),
            lead.clone(),
            9,
        ),
        ("/api/staff".to_string(), app.admin_token.clone(), 3),
    ];
    for (path, token, n) in lists {
        let (status, link, whole) = get_page(&app, &path, &token).await;
        assert_eq!(status, 200, "{path}: {whole}");
        assert!(link.is_none(), "{path}: one page, no Link");
        let whole = whole.as_array().unwrap().clone();
        assert_eq!(whole.len(), n, "{path}");
        let sep = if path.contains('?') { '&' } else { '?' };
        for limit in [1, 2, 5] {
            let (paged, pages) = read_all(&app, &format!("{path}{sep}limit={limit}"), &token).await;
            assert_eq!(
                ids(&paged),
                ids(&whole),
                "{path} limit={limit}: a different order"
            );
            assert_eq!(
                pages,
                n.div_ceil(limit),
                "{path}: a full last page has no Link"
            );
        }
    }
    // The event log: `since` pages, with a Link while events remain.
    let (status, link, page) = get_page(
        &app,
        &format!("/api/teams/{t}/events?since=0&limit=10"),
        &lead,
    )
    .await;
    assert_eq!(status, 200);
    let last = page["events"].as_array().unwrap().last().unwrap()["seq"]
        .as_i64()
        .unwrap();
    assert_eq!(
        next_url(&link.unwrap()),
        format!("/api/teams/{t}/events?limit=10&since={last}")
    );
    let all_seq = page["last_seq"].as_i64().unwrap();
    let (_, link, _) = get_page(
        &app,
        &format!("/api/teams/{t}/events?since={}", all_seq - 3),
        &lead,
    )
    .await;
    assert!(link.is_none(), "the last page has no Link");
}

async fn bad_cursors_and_limits_are_422(app: TestApp) {
    let t = id(&app.create_team("Bad cursors", "act").await);
    let (_, lead) = app.member(&t, "cursorlead", "lead").await;
    for _ in 0..3 {
        refer(&app, &t, &lead, "Cy", "Cursor").await;
    }
    let (_, link, _) = get_page(&app, &format!("/api/teams/{t}/clients?limit=1"), &lead).await;
    let good = next_url(&link.unwrap());
    let clients_cursor = good.split("cursor=").nth(1).unwrap().to_string();
    let lists = [
        format!("/api/teams/{t}/contacts"),
        format!("/api/teams/{t}/clients"),
        format!("/api/teams/{t}/flags"),
        format!("/api/teams/{t}/handoffs"),
        format!("/api/teams/{t}/oncall/shifts"),
        "/api/staff".to_string(),
    ];
    for path in &lists {
        let token = if path == "/api/staff" {
            &app.admin_token
        } else {
            &lead
        };
        for bad in ["nonsense", "bm9wZQ", "W10", "%00", ""] {
            let p = invalid(
                app.get(&format!("{path}?cursor={bad}"), token).await,
                "cursor",
            );
            assert!(p["detail"].as_str().unwrap().contains("cursor"), "{p}");
        }
        if !path.ends_with("/clients") {
            // Another list's cursor.
            invalid(
                app.get(&format!("{path}?cursor={clients_cursor}"), token)
                    .await,
                "cursor",
            );
        }
        for limit in ["0", "1001", "-1"] {
            invalid(
                app.get(&format!("{path}?limit={limit}"), token).await,
                "limit",
            );
        }
    }
    // The clients cursor, unchanged, still works.
    let (status, _, body) = get_page(&app, &good, &lead).await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body.as_array().unwrap().len(), 1);
}
