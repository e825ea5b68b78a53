//! Issue 13, the audit trail: every view of client data, every change, every export and
//! every sign-in is an entry; the report filters and pages; entries are chained by hash and
//! `GET /api/audit/verify` finds an edited or deleted entry; parallel reads and writes leave
//! one unbroken chain with exactly the entries expected.

use crate::common::{TestDb, PASSWORD};
use crate::helpers::*;
use actboard::db::schema::audit_log;
use diesel::connection::SimpleConnection;
use diesel::prelude::*;
use futures_util::FutureExt;
use serde_json::{json, Value};

both_engines!(
    every_read_of_client_data_is_an_entry,
    changes_exports_and_sign_ins_are_entries,
    the_report_filters_sorts_and_pages,
    only_admins_read_the_trail,
    an_edited_entry_fails_verification,
    a_deleted_entry_fails_verification,
    parallel_reads_and_writes_make_one_chain,
);

/// Every entry matching `query` (all pages), newest first unless the query says otherwise.
async fn entries(app: &TestApp, query: &str) -> Vec<Value> {
    let mut out = Vec::new();
    let mut cursor: Option<String> = None;
    loop {
        let mut q = query.to_string();
        if let Some(c) = &cursor {
            q.push_str(&format!("&cursor={c}"));
        }
        let page = app
            .get(&format!("/api/audit?{q}"), &app.admin_token)
            .await
            .expect(200);
        out.extend(page["entries"].as_array().unwrap().iter().cloned());
        match page["next_cursor"].as_str() {
            Some(c) => cursor = Some(c.to_string()),
            None => return out,
        }
    }
}

fn summary(e: &Value) -> (String, Option<String>, String) {
    (
        e["action"].as_str().unwrap().to_string(),
        e["client_id"].as_str().map(str::to_string),
        e["detail"].as_str().unwrap().to_string(),
    )
}

async fn verify(app: &TestApp) -> Value {
    app.get("/api/audit/verify", &app.admin_token)
        .await
        .expect(200)
}

async fn every_read_of_client_data_is_an_entry(app: TestApp) {
    let t = id(&app.create_team("Audit reads", "act").await);
    let (lead_id, lead) = app.member(&t, "aud.lead", "lead").await;
    let c = id(&refer(&app, &t, &lead, "Vera", "Viewed").await);
    let other = id(&refer(&app, &t, &lead, "Olga", "Other").await);
    let base = format!("/api/teams/{t}");
    for path in [
        format!("{base}/clients/{c}"),
        format!("{base}/clients/{c}/card"),
        format!("{base}/clients/{c}/history"),
        format!("{base}/contacts?client_id={c}"),
        format!("{base}/flags?client_id={c}"),
        format!("{base}/flags?open=true"),
        format!("{base}/flags"),
        format!("{base}/contacts?day=2026-12-01"),
        format!("{base}/board"),
    ] {
        app.get(&path, &lead).await.expect(200);
    }
    // A client that does not exist is not an entry (404 before the read).
    app.get(&format!("{base}/clients/{}", new_id()), &lead)
        .await
        .problem(404, "not_found");

    let views = entries(&app, &format!("staff_id={lead_id}&action=view&order=asc")).await;
    let got: Vec<_> = views.iter().map(summary).collect();
    let cv = |d: &str| ("view".to_string(), Some(c.clone()), d.to_string());
    let team = |d: &str| ("view".to_string(), None, d.to_string());
    assert_eq!(
        got,
        vec![
            cv("record"),
            cv("card"),
            cv("history"),
            cv("contacts"),
            cv("flags"),
            team("flags.open"),
            team("flags.all"),
            team("contacts.list"),
            team("board"),
        ]
    );
    for e in &views {
        assert_eq!(e["staff_id"], lead_id.as_str());
        assert_eq!(e["staff_name"], "aud.lead");
        assert_eq!(e["team_id"], t.as_str());
        assert_eq!(e["hash"].as_str().map(str::len), Some(64), "chained: {e}");
    }
    assert_eq!(views[0]["client_name"], "Vera Viewed");
    // The other client was only created, never viewed.
    let about_other = entries(&app, &format!("client_id={other}")).await;
    assert_eq!(
        about_other.iter().map(summary).collect::<Vec<_>>(),
        vec![(
            "change".to_string(),
            Some(other.clone()),
            "client.created".to_string()
        )]
    );
    // A display token's board read is an entry without a person.
    let disp = app
        .post(
            &format!("{base}/display-tokens"),
            &lead,
            json!({"label": "Wall", "privacy": "initials"}),
        )
        .await
        .expect(201);
    let token = disp["token"].as_str().unwrap();
    app.get(&format!("{base}/board"), token).await.expect(200);
    let wall = entries(&app, "action=view&limit=1").await;
    assert_eq!(wall[0]["detail"], "board.display");
    assert_eq!(wall[0]["staff_id"], Value::Null);
    assert_eq!(verify(&app).await["ok"], true);
}

async fn changes_exports_and_sign_ins_are_entries(app: TestApp) {
    let t = id(&app.create_team("Audit changes", "act").await);
    let (lead_id, lead) = app.member(&t, "chg.lead", "lead").await;
    let c = id(&refer(&app, &t, &lead, "Cara", "Changed").await);
    app.post(
        &format!("/api/teams/{t}/clients/{c}/flags"),
        &lead,
        json!({"severity": "watch", "category": "medical", "reason": "cough"}),
    )
    .await
    .expect(201);
    let changes = entries(&app, &format!("client_id={c}&action=change&order=asc")).await;
    assert_eq!(
        changes
            .iter()
            .map(|e| e["detail"].as_str().unwrap())
            .collect::<Vec<_>>(),
        vec!["client.created", "flag.raised"]
    );
    assert!(changes.iter().all(|e| e["staff_id"] == lead_id.as_str()));
    // Every event of the team's log is a change entry (team and member events too).
    let events = app
        .get(&format!("/api/teams/{t}/events?since=0"), &lead)
        .await
        .expect(200);
    let kinds: Vec<String> = events["events"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["kind"].as_str().unwrap().to_string())
        .collect();
    let team_changes: Vec<String> = entries(&app, "action=change&order=asc&limit=7")
        .await
        .iter()
        .filter(|e| e["team_id"] == t.as_str())
        .map(|e| e["detail"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(team_changes, kinds);

    // Sign-ins: success with the person, failure with the attempted name and no password.
    app.login("chg.lead", PASSWORD).await;
    app.login_full("chg.lead", "not-the-password-at-all")
        .await
        .problem(401, "invalid_credentials");
    app.login_full("nobody.here", "secret-typed-here")
        .await
        .problem(401, "invalid_credentials");
    let ok = entries(&app, &format!("action=sign_in&staff_id={lead_id}")).await;
    assert_eq!(
        ok.len(),
        2,
        "member() signed in once, then once more: {ok:?}"
    );
    assert_eq!(ok[0]["detail"], "chg.lead");
    let failed = entries(&app, "action=sign_in_failed").await;
    let details: Vec<&str> = failed
        .iter()
        .map(|e| e["detail"].as_str().unwrap())
        .collect();
    assert_eq!(
        details,
        vec![
            "nobody.here: wrong password or unknown user",
            "chg.lead: wrong password or unknown user"
        ]
    );
    assert_eq!(failed[0]["staff_id"], Value::Null);
    assert_eq!(failed[1]["staff_id"], lead_id.as_str());
    let all = serde_json::to_string(&entries(&app, "").await).unwrap();
    assert!(!all.contains("not-the-password") && !all.contains("secret-typed"));

    // The CSV export: text/csv with a header, the client's entries, and itself an entry.
    let res = app
        .client
        .get(format!("{}/api/audit/export.csv?client_id={c}", app.base))
        .bearer_auth(&app.admin_token)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
    assert_eq!(
        res.headers()["content-type"].to_str().unwrap(),
        "text/csv; charset=utf-8"
    );
    assert!(res.headers()["content-disposition"]
        .to_str()
        .unwrap()
        .starts_with("attachment; filename=\"audit-"));
    let text = res.text().await.unwrap();
    let mut rows = csv::Reader::from_reader(text.as_bytes());
    assert_eq!(
        rows.headers().unwrap().iter().collect::<Vec<_>>(),
        vec![
            "at",
            "action",
            "staff_id",
            "staff_name",
            "team_id",
            "client_id",
            "client_name",
            "detail",
            "id",
            "seq",
            "hash"
        ]
    );
    let records: Vec<csv::StringRecord> = rows.records().map(Result::unwrap).collect();
    assert_eq!(records.len(), 2, "{text}");
    assert_eq!(&records[0][7], "flag.raised");
    assert_eq!(&records[0][6], "Cara Changed");
    let exports = entries(&app, "action=export").await;
    assert_eq!(exports.len(), 1);
    assert_eq!(exports[0]["staff_id"], app.admin_id.as_str());
    assert_eq!(exports[0]["client_id"], c.as_str());
    assert_eq!(
        exports[0]["detail"],
        format!("audit.csv?client_id={c}").as_str()
    );
    assert_eq!(verify(&app).await["ok"], true);
}

async fn the_report_filters_sorts_and_pages(app: TestApp) {
    let t = id(&app.create_team("Audit pages", "act").await);
    let (m_id, m) = app.member(&t, "pg.m", "member").await;
    let c = id(&refer(&app, &t, &app.admin_token, "Paula", "Paged").await);
    for _ in 0..7 {
        app.get(&format!("/api/teams/{t}/clients/{c}"), &m)
            .await
            .expect(200);
    }
    let q = format!("client_id={c}&staff_id={m_id}");
    // Pages of 3: 3, 3, 1, with a Link header while more remain.
    let res = app
        .client
        .get(format!("{}/api/audit?{q}&limit=3", app.base))
        .bearer_auth(&app.admin_token)
        .send()
        .await
        .unwrap();
    let link = res.headers()["link"].to_str().unwrap().to_string();
    let first: Value = res.json().await.unwrap();
    let cursor = first["next_cursor"].as_str().unwrap();
    assert_eq!(
        link,
        format!("</api/audit?{q}&limit=3&cursor={cursor}>; rel=\"next\"")
    );
    let desc = entries(&app, &format!("{q}&limit=3")).await;
    assert_eq!(desc.len(), 7);
    let at: Vec<&str> = desc.iter().map(|e| e["at"].as_str().unwrap()).collect();
    let mut sorted = at.clone();
    sorted.sort();
    sorted.reverse();
    assert_eq!(at, sorted, "newest first");
    let asc = entries(&app, &format!("{q}&limit=2&order=asc")).await;
    let mut reversed = asc.clone();
    reversed.reverse();
    assert_eq!(reversed, desc, "asc is the same entries the other way");
    let last_page = app
        .get(&format!("/api/audit?{q}&limit=7"), &app.admin_token)
        .await
        .expect(200);
    assert_eq!(last_page["next_cursor"], Value::Null);

    // Dates: a day, an instant, and an empty range.
    let today = &at[0][..10];
    assert_eq!(
        entries(&app, &format!("{q}&from={today}&to={today}"))
            .await
            .len(),
        7
    );
    let mid = at[3];
    let newer = entries(&app, &format!("{q}&from={mid}")).await;
    assert_eq!(newer.len(), 4, "from is inclusive");
    let older = entries(&app, &format!("{q}&to={mid}")).await;
    assert_eq!(older.len(), 4, "to is inclusive");
    assert!(entries(&app, &format!("{q}&to=2020-01-01"))
        .await
        .is_empty());

    // Bad input names its field.
    for (query, field) in [
        ("from=yesterday", "from"),
        ("to=2026-02-30", "to"),
        ("limit=0", "limit"),
        ("limit=1001", "limit"),
        ("cursor=nonsense", "cursor"),
    ] {
        invalid(
            app.get(&format!("/api/audit?{query}"), &app.admin_token)
                .await,
            field,
        );
    }
    for query in ["order=sideways", "action=delete", "client_id=42"] {
        let r = app
            .get(&format!("/api/audit?{query}"), &app.admin_token)
            .await;
        assert!(r.status.is_client_error(), "{query}: {r:?}");
    }
}

async fn only_admins_read_the_trail(app: TestApp) {
    let t = id(&app.create_team("Audit admins", "act").await);
    let (_, lead) = app.member(&t, "adm.lead", "lead").await;
    for path in ["/api/audit", "/api/audit/export.csv", "/api/audit/verify"] {
        app.get(path, &lead).await.problem(403, "forbidden");
    }
    // The refused export left no entry.
    assert!(entries(&app, "action=export").await.is_empty());
}

/// The entries' ids in chain order, after chaining everything.
async fn chain_ids(app: &TestApp) -> Vec<String> {
    assert_eq!(verify(app).await["ok"], true);
    db(app, |c| {
        audit_log::table
            .filter(audit_log::seq.is_not_null())
            .order(audit_log::seq.asc())
            .select(audit_log::id)
            .load(c)
            .unwrap()
    })
    .await
}

async fn raw_sql(app: &TestApp, sql: String) {
    db(app, move |c| c.batch_execute(&sql).unwrap()).await
}

async fn an_edited_entry_fails_verification(app: TestApp) {
    let t = id(&app.create_team("Audit edit", "act").await);
    let (_, m) = app.member(&t, "ed.m", "member").await;
    let c = id(&refer(&app, &t, &app.admin_token, "Eve", "Edited").await);
    for _ in 0..5 {
        app.get(&format!("/api/teams/{t}/clients/{c}"), &m)
            .await
            .expect(200);
    }
    let ids = chain_ids(&app).await;
    let n = ids.len();
    assert!(n >= 8, "{n}");
    // Someone hides who read the record: the detail of one entry in the middle is changed.
    let victim = ids[n - 3].clone();
    let original: String = {
        let victim = victim.clone();
        db(&app, move |c| {
            audit_log::table
                .filter(audit_log::id.eq(victim))
                .select(audit_log::detail)
                .first(c)
                .unwrap()
        })
        .await
    };
    raw_sql(
        &app,
        format!("UPDATE audit_log SET detail = 'nothing to see' WHERE id = '{victim}'"),
    )
    .await;
    let v = verify(&app).await;
    assert_eq!(v["ok"], false, "{v}");
    assert_eq!(v["first_bad"], victim.as_str(), "{v}");
    assert_eq!(
        v["entries"],
        (n - 3) as i64,
        "the entries before it check: {v}"
    );
    // Put back, it verifies again; a forged hash on another entry is caught as well.
    raw_sql(
        &app,
        format!("UPDATE audit_log SET detail = '{original}' WHERE id = '{victim}'"),
    )
    .await;
    assert_eq!(verify(&app).await["ok"], true);
    let forged = ids[2].clone();
    raw_sql(
        &app,
        format!(
            "UPDATE audit_log SET staff_id = NULL, hash = '{}' WHERE id = '{forged}'",
            "f".repeat(64)
        ),
    )
    .await;
    assert_eq!(verify(&app).await["first_bad"], forged.as_str());
}

async fn a_deleted_entry_fails_verification(app: TestApp) {
    let t = id(&app.create_team("Audit delete", "act").await);
    let (_, m) = app.member(&t, "del.m", "member").await;
    let c = id(&refer(&app, &t, &app.admin_token, "Dee", "Deleted").await);
    for _ in 0..4 {
        app.get(&format!("/api/teams/{t}/clients/{c}"), &m)
            .await
            .expect(200);
    }
    let ids = chain_ids(&app).await;
    let n = ids.len();
    // A row in the middle: the entry after it is the first bad one.
    raw_sql(
        &app,
        format!("DELETE FROM audit_log WHERE id = '{}'", ids[n - 3]),
    )
    .await;
    let v = verify(&app).await;
    assert_eq!(v["ok"], false, "{v}");
    assert_eq!(v["first_bad"], ids[n - 2].as_str(), "{v}");
    assert!(v["detail"].as_str().unwrap().contains("missing"), "{v}");

    // The last row only (on a fresh trail of its own): the head still names it.
    let app2 = TestApp::start_on(TestDb::new(engine_of(&app)).unwrap()).await;
    let ids = chain_ids(&app2).await;
    raw_sql(
        &app2,
        format!("DELETE FROM audit_log WHERE id = '{}'", ids.last().unwrap()),
    )
    .await;
    let v = verify(&app2).await;
    assert_eq!(v["ok"], false, "{v}");
    assert_eq!(v["first_bad"], Value::Null, "{v}");
    assert!(v["detail"].as_str().unwrap().contains("deleted"), "{v}");
}

fn engine_of(app: &TestApp) -> crate::common::EngineChoice {
    match app.engine {
        actboard::db::Engine::Sqlite => crate::common::EngineChoice::Sqlite,
        actboard::db::Engine::Postgres => crate::common::EngineChoice::Postgres,
    }
}

/// 32 reads and 32 writes at once (on two instances on PostgreSQL), while chainers run:
/// one chain, every entry in it once, and verification passes.
async fn parallel_reads_and_writes_make_one_chain(app: TestApp) {
    let t = id(&app.create_team("Audit race", "act").await);
    let (_, m) = app.member(&t, "race.m", "member").await;
    let c = id(&refer(&app, &t, &app.admin_token, "Rita", "Raced").await);
    let other = match app.engine {
        actboard::db::Engine::Postgres => Some(app.second_instance().await),
        actboard::db::Engine::Sqlite => None,
    };
    let before = db(&app, |c| {
        audit_log::table.count().get_result::<i64>(c).unwrap()
    })
    .await;
    let mut calls = Vec::new();
    for i in 0..32 {
        let server = match (&other, i % 2) {
            (Some(o), 1) => o,
            _ => &app,
        };
        calls.push(
            server
                .get(&format!("/api/teams/{t}/clients/{c}"), &m)
                .boxed_local(),
        );
        calls.push(
            server
                .post(
                    &format!("/api/teams/{t}/clients/{c}/flags"),
                    &m,
                    json!({"severity": "watch", "category": "medical", "reason": format!("r{i}")}),
                )
                .boxed_local(),
        );
    }
    let results = futures_util::future::join_all(calls).await;
    for r in results {
        assert!(r.status.is_success(), "{r:?}");
    }
    let v = verify(&app).await;
    assert_eq!(v["ok"], true, "{v}");
    let (total, chained, distinct): (i64, i64, i64) = db(&app, |c| {
        let total = audit_log::table.count().get_result::<i64>(c).unwrap();
        let chained = audit_log::table
            .filter(audit_log::seq.is_not_null())
            .count()
            .get_result::<i64>(c)
            .unwrap();
        let seqs: Vec<Option<i64>> = audit_log::table.select(audit_log::seq).load(c).unwrap();
        let distinct = seqs
            .into_iter()
            .collect::<std::collections::HashSet<_>>()
            .len() as i64;
        (total, chained, distinct)
    })
    .await;
    assert_eq!(total, before + 64, "32 views and 32 changes");
    assert_eq!(chained, total, "every entry chained");
    assert_eq!(distinct, total, "each in its own place");
    assert_eq!(v["entries"], total);
    let max_seq: Option<i64> = db(&app, |c| {
        audit_log::table
            .select(diesel::dsl::max(audit_log::seq))
            .get_result(c)
            .unwrap()
    })
    .await;
    assert_eq!(max_seq, Some(total), "seqs run 1..n");
}
