//! Crash tests: a writer loop against a real `actboard serve` process, then
//! - SQLite: `kill -9` of the server mid-load and a restart;
//! - PostgreSQL: every database connection of the server cut (`pg_terminate_backend`).
//!
//! Every write answered 2xx must be in the database, seqs must be gap-free, and a websocket
//! client that was connected must, on resuming, get every event exactly once.

mod common;

use common::{EngineChoice, TestDb};
use diesel::connection::SimpleConnection;
use diesel::Connection;
use futures_util::{SinkExt, StreamExt};
use serde_json::{json, Value};
use std::collections::BTreeSet;
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};
use tokio_tungstenite::tungstenite::Message;

const SECRET: &str = "crash-test-secret-crash-test-secret!!";

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

fn serve(url: &str, port: u16) -> Child {
    Command::new(env!("CARGO_BIN_EXE_actboard"))
        .arg("serve")
        .env("ACTBOARD_DATABASE_URL", url)
        .env("ACTBOARD_BIND", format!("127.0.0.1:{port}"))
        .env("ACTBOARD_JWT_SECRET", SECRET)
        .env("ACTBOARD_LOG", "warn")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap()
}

async fn wait_ready(http: &reqwest::Client, base: &str) {
    for _ in 0..200 {
        if let Ok(r) = http.get(format!("{base}/readyz")).send().await {
            if r.status().is_success() {
                return;
            }
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    panic!("server did not become ready");
}

async fn call(
    http: &reqwest::Client,
    method: reqwest::Method,
    url: String,
    token: &str,
    body: Value,
) -> Value {
    let r = http
        .request(method, url)
        .bearer_auth(token)
        .json(&body)
        .send()
        .await
        .unwrap();
    assert!(r.status().is_success(), "{}", r.status());
    r.json().await.unwrap_or(Value::Null)
}

struct Fixture {
    team: String,
    client: String,
    token: String,
}

async fn fixture(http: &reqwest::Client, base: &str, url: &str) -> Fixture {
    let mut add = Command::new(env!("CARGO_BIN_EXE_actboard"))
        .args([
            "user",
            "add",
            "root",
            "--display-name",
            "Root",
            "--admin",
            "--password-stdin",
        ])
        .env("ACTBOARD_DATABASE_URL", url)
        .stdin(Stdio::piped())
        .stdout(Stdio::null())
        .spawn()
        .unwrap();
    use std::io::Write;
    add.stdin
        .take()
        .unwrap()
        .write_all(b"root-password\n")
        .unwrap();
    assert!(add.wait().unwrap().success());
    let login: Value = http
        .post(format!("{base}/api/auth/login"))
        .json(&json!({"username": "root", "password": "root-password"}))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let admin = login["access_token"].as_str().unwrap().to_string();
    let team = call(
        http,
        reqwest::Method::POST,
        format!("{base}/api/teams"),
        &admin,
        json!({"name": "Crash", "mode": "act", "timezone": "UTC"}),
    )
    .await;
    let team = team["id"].as_str().unwrap().to_string();
    let client = call(
        http,
        reqwest::Method::POST,
        format!("{base}/api/teams/{team}/clients"),
        &admin,
        json!({"given_name": "Crash", "family_name": "Test", "status": "active"}),
    )
    .await;
    // The admin's token lives 15 minutes: long enough for the test, across the restart too
    // (same secret).
    Fixture {
        team,
        client: client["id"].as_str().unwrap().to_string(),
        token: admin,
    }
}

/// A websocket subscriber that records every event seq it receives; reconnects (with
/// `since`) whenever the connection drops, until told to stop.
fn subscriber(
    ws_base: String,
    f: &Fixture,
    stop: Arc<Mutex<bool>>,
) -> (Arc<Mutex<Vec<i64>>>, tokio::task::JoinHandle<()>) {
    let seen = Arc::new(Mutex::new(Vec::<i64>::new()));
    let out = seen.clone();
    let (team, token) = (f.team.clone(), f.token.clone());
    let h = tokio::spawn(async move {
        let mut last: Option<i64> = None;
        while !*stop.lock().unwrap() {
            let Ok((mut ws, _)) =
                tokio_tungstenite::connect_async(format!("{ws_base}/api/teams/{team}/live")).await
            else {
                tokio::time::sleep(Duration::from_millis(100)).await;
                continue;
            };
            if ws
                .send(Message::text(
                    json!({"type": "hello", "token": token, "since": last}).to_string(),
                ))
                .await
                .is_err()
            {
                continue;
            }
            loop {
                let next = tokio::time::timeout(Duration::from_millis(300), ws.next()).await;
                if *stop.lock().unwrap() {
                    return;
                }
                let msg = match next {
                    Err(_) => continue,
                    Ok(Some(Ok(m))) => m,
                    Ok(_) => break,
                };
                let Message::Text(t) = msg else { continue };
                let v: Value = serde_json::from_str(&t).unwrap_or(Value::Null);
                match v["type"].as_str() {
                    Some("snapshot") => last = v["seq"].as_i64(),
                    Some("event") => {
                        let s = v["seq"].as_i64().unwrap();
                        out.lock().unwrap().push(s);
                        last = Some(s);
                    }
                    _ => {}
                }
            }
        }
    });
    (seen, h)
}

/// Writers raise flags as fast as they can; returns the ids answered 201.
fn writers(
    http: reqwest::Client,
    base: String,
    f: &Fixture,
    stop: Arc<Mutex<bool>>,
) -> Vec<tokio::task::JoinHandle<Vec<String>>> {
    (0..4)
        .map(|w| {
            let (http, base, stop) = (http.clone(), base.clone(), stop.clone());
            let url = format!("{base}/api/teams/{}/clients/{}/flags", f.team, f.client);
            let token = f.token.clone();
            tokio::spawn(async move {
                let mut ok = vec![];
                let mut k = 0;
                while !*stop.lock().unwrap() {
                    k += 1;
                    let r = http
                        .post(&url)
                        .bearer_auth(&token)
                        .json(&json!({"severity": "watch", "category": "other", "reason": format!("w{w} #{k}")}))
                        .send()
                        .await;
                    if let Ok(r) = r {
                        if r.status().as_u16() == 201 {
                            if let Ok(v) = r.json::<Value>().await {
                                ok.push(v["id"].as_str().unwrap_or("").to_string());
                            }
                        }
                    } else {
                        tokio::time::sleep(Duration::from_millis(20)).await;
                    }
                }
                ok
            })
        })
        .collect()
}

fn stored_flag_ids(db_url: &str, team: &str) -> BTreeSet<String> {
    use actboard::db::schema::crisis_flags as flags;
    use diesel::prelude::*;
    let target = actboard::db::DbTarget::parse(db_url).unwrap();
    let pool = actboard::db::build_pool(&target, 1).unwrap();
    let mut conn = pool.get().unwrap();
    flags::table
        .filter(flags::team_id.eq(team))
        .select(flags::id)
        .load::<String>(&mut conn)
        .unwrap()
        .into_iter()
        .collect()
}

async fn verify(
    http: &reqwest::Client,
    base: &str,
    db_url: &str,
    f: &Fixture,
    answered: &[String],
    seen: &[i64],
    start_seq: i64,
) {
    // Straight from the flags table (the API lists at most 1,000).
    let stored = stored_flag_ids(db_url, &f.team);
    let lost: Vec<&String> = answered
        .iter()
        .filter(|id| !stored.contains(id.as_str()))
        .collect();
    assert!(
        lost.is_empty(),
        "{} of {} answered writes are missing after the crash",
        lost.len(),
        answered.len()
    );
    // Gap-free log, read page by page.
    let mut seqs: Vec<i64> = vec![];
    let mut logged: BTreeSet<String> = BTreeSet::new();
    let mut last;
    loop {
        let since = seqs.last().copied().unwrap_or(0);
        let page: Value = http
            .get(format!(
                "{base}/api/teams/{}/events?since={since}&limit=1000",
                f.team
            ))
            .bearer_auth(&f.token)
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        last = page["last_seq"].as_i64().unwrap();
        let got: Vec<i64> = page["events"]
            .as_array()
            .unwrap()
            .iter()
            .map(|e| e["seq"].as_i64().unwrap())
            .collect();
        for e in page["events"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|e| e["kind"] == "flag.raised")
        {
            logged.insert(e["data"]["id"].as_str().unwrap().to_string());
        }
        if got.is_empty() {
            break;
        }
        seqs.extend(got);
    }
    assert_eq!(
        seqs,
        (1..=seqs.len() as i64).collect::<Vec<_>>(),
        "seqs have a gap"
    );
    assert_eq!(seqs.len() as i64, last, "the log ends at last_seq");
    // And no flag was stored without its event (they commit together).
    let unlogged: Vec<&String> = stored.iter().filter(|id| !logged.contains(*id)).collect();
    assert!(
        unlogged.is_empty(),
        "{} stored flags have no flag.raised event",
        unlogged.len()
    );
    // The subscriber got every event after its start exactly once, in order.
    let expected: Vec<i64> = ((start_seq + 1)..=last).collect();
    assert_eq!(
        seen,
        expected.as_slice(),
        "the websocket client missed or repeated events"
    );
}

async fn run(engine: EngineChoice) {
    let Some(db) = TestDb::new(engine) else {
        eprintln!("SKIPPED: ACTBOARD_TEST_DATABASE_URL is not set");
        return;
    };
    let port = free_port();
    let base = format!("http://127.0.0.1:{port}");
    let ws_base = format!("ws://127.0.0.1:{port}");
    let http = reqwest::Client::builder()
        .timeout(Duration::from_secs(5))
        .build()
        .unwrap();
    let mut server = serve(&db.url, port);
    wait_ready(&http, &base).await;
    let f = fixture(&http, &base, &db.url).await;
    let start: Value = http
        .get(format!("{base}/api/teams/{}/events?since=0", f.team))
        .bearer_auth(&f.token)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let start_seq = start["last_seq"].as_i64().unwrap();

    let stop_sub = Arc::new(Mutex::new(false));
    // Subscribe from `start_seq` exactly: a hello with since = start_seq replays nothing.
    let (seen, sub) = {
        let (seen, h) = subscriber(ws_base.clone(), &f, stop_sub.clone());
        (seen, h)
    };
    tokio::time::sleep(Duration::from_millis(500)).await;
    let stop_w = Arc::new(Mutex::new(false));
    let ws = writers(http.clone(), base.clone(), &f, stop_w.clone());
    tokio::time::sleep(Duration::from_millis(1500)).await;

    match engine {
        EngineChoice::Sqlite => {
            server.kill().unwrap(); // SIGKILL
            server.wait().unwrap();
            tokio::time::sleep(Duration::from_millis(300)).await;
            server = serve(&db.url, port);
            wait_ready(&http, &base).await;
        }
        EngineChoice::Postgres => {
            let (admin_url, name) = db.pg_admin().unwrap();
            let mut c = diesel::PgConnection::establish(&admin_url).unwrap();
            c.batch_execute(&format!(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '{name}'"
            ))
            .unwrap();
        }
    }
    // Keep writing a little after the crash or cut, then stop.
    tokio::time::sleep(Duration::from_millis(1500)).await;
    *stop_w.lock().unwrap() = true;
    let mut answered = vec![];
    for w in ws {
        answered.extend(w.await.unwrap());
    }
    assert!(
        answered.len() > 20,
        "the writers got {} writes through",
        answered.len()
    );
    // Let the subscriber catch up, then stop it.
    let page: Value = http
        .get(format!(
            "{base}/api/teams/{}/events?since=0&limit=1",
            f.team
        ))
        .bearer_auth(&f.token)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let last = page["last_seq"].as_i64().unwrap();
    let t = Instant::now();
    while seen.lock().unwrap().last().copied() != Some(last)
        && t.elapsed() < Duration::from_secs(20)
    {
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    *stop_sub.lock().unwrap() = true;
    let _ = sub.await;
    let seen = seen.lock().unwrap().clone();
    // The subscriber started with a snapshot at or after start_seq: count from its first event.
    let first = seen.first().copied().unwrap_or(start_seq + 1);
    verify(&http, &base, &db.url, &f, &answered, &seen, first - 1).await;
    assert!(
        first <= start_seq + 1 + 5,
        "the subscriber started late ({first} vs {start_seq})"
    );
    let _ = server.kill();
    let _ = server.wait();
}

#[actix_web::test]
async fn sqlite_kill_9_mid_load() {
    run(EngineChoice::Sqlite).await;
}

#[actix_web::test]
async fn postgres_connections_cut_mid_load() {
    run(EngineChoice::Postgres).await;
}
