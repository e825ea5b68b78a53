//! `actboard-bench live`: write-to-receive latency and exactly-once delivery with many
//! websocket subscribers, against a real `actboard serve` child process (so its CPU time
//! and memory can be read from /proc). Also: idle memory per connection.

use crate::common::{collect, drive, free_port, pct, proc_usage, spawn_receiver, WsStream};
use crate::results::{IdleResult, LiveResult, Measured, Workload, WritesResult};
use futures_util::{SinkExt, StreamExt};
use serde_json::{json, Value};
use std::process::{Child, Command, Stdio};
use std::sync::Arc;
use std::time::{Duration, Instant};
use tokio_tungstenite::tungstenite::Message;

pub struct Server {
    pub child: Child,
    pub base: String,
    pub ws: String,
    _dir: tempfile::TempDir,
    pub drop_db: Option<(String, String)>,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
        if let Some((admin, name)) = &self.drop_db {
            use diesel::connection::SimpleConnection;
            use diesel::Connection;
            if let Ok(mut c) = diesel::PgConnection::establish(admin) {
                let _ = c.batch_execute(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"));
            }
        }
    }
}

/// Start `actboard serve` (the release binary next to this one) on a fresh database.
pub fn start_server(database: &str) -> Server {
    let dir = tempfile::tempdir().unwrap();
    let exe = std::env::current_exe().unwrap().with_file_name("actboard");
    let (url, drop_db) = if database == "sqlite" {
        (
            format!("sqlite://{}", dir.path().join("live.db").display()),
            None,
        )
    } else {
        use diesel::connection::SimpleConnection;
        use diesel::Connection;
        let name = format!("actboard_live_{}", std::process::id());
        let mut c = diesel::PgConnection::establish(database).expect("postgres");
        c.batch_execute(&format!("DROP DATABASE IF EXISTS {name}"))
            .unwrap();
        c.batch_execute(&format!("CREATE DATABASE {name}")).unwrap();
        let base = database
            .rsplit_once('/')
            .map(|(b, _)| b)
            .unwrap_or(database);
        (format!("{base}/{name}"), Some((database.to_string(), name)))
    };
    let port = free_port();
    let env = [
        ("ACTBOARD_DATABASE_URL", url.clone()),
        ("ACTBOARD_BIND", format!("127.0.0.1:{port}")),
        (
            "ACTBOARD_JWT_SECRET",
            "bench-secret-bench-secret-bench-secret".to_string(),
        ),
        ("ACTBOARD_LOG", "warn".to_string()),
    ];
    let mut add = Command::new(&exe);
    add.args([
        "user",
        "add",
        "bench",
        "--display-name",
        "Bench Admin",
        "--admin",
        "--password-stdin",
    ])
    .envs(env.iter().cloned())
    .stdin(Stdio::piped())
    .stdout(Stdio::null());
    let mut p = add
        .spawn()
        .expect("actboard binary next to actboard-bench (cargo build --release)");
    use std::io::Write;
    p.stdin
        .take()
        .unwrap()
        .write_all(b"bench-password\n")
        .unwrap();
    assert!(p.wait().unwrap().success());
    let child = Command::new(&exe)
        .arg("serve")
        .envs(env.iter().cloned())
        .stdout(Stdio::null())
        .spawn()
        .unwrap();
    let base = format!("http://127.0.0.1:{port}");
    for _ in 0..100 {
        if std::net::TcpStream::connect(("127.0.0.1", port)).is_ok() {
            break;
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    Server {
        child,
        ws: format!("ws://127.0.0.1:{port}"),
        base,
        _dir: dir,
        drop_db,
    }
}

async fn post(client: &reqwest::Client, url: &str, token: &str, body: Value) -> Value {
    let r = client
        .post(url)
        .bearer_auth(token)
        .json(&body)
        .send()
        .await
        .expect("request");
    let status = r.status();
    let v: Value = r.json().await.unwrap_or(Value::Null);
    assert!(status.is_success(), "{url}: {status} {v}");
    v
}

pub struct Team {
    pub id: String,
    pub client_id: String,
    pub token: String,
}

/// T teams with one lead and one client each, through the API.
pub async fn setup_teams(client: &reqwest::Client, base: &str, n: usize) -> Vec<Team> {
    let login: Value = client
        .post(format!("{base}/api/auth/login"))
        .json(&json!({"username": "bench", "password": "bench-password"}))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let admin = login["access_token"].as_str().unwrap().to_string();
    let mut teams = vec![];
    for i in 0..n {
        let t = post(
            client,
            &format!("{base}/api/teams"),
            &admin,
            json!({"name": format!("Team {i}"), "mode": "act", "timezone": "America/New_York"}),
        )
        .await;
        let id = t["id"].as_str().unwrap().to_string();
        let s = post(client, &format!("{base}/api/staff"), &admin, json!({"username": format!("lead{i}"), "display_name": format!("Lead {i}"), "discipline": "team_lead", "password": "bench-password"})).await;
        let sid = s["id"].as_str().unwrap();
        let r = client
            .put(format!("{base}/api/teams/{id}/members/{sid}"))
            .bearer_auth(&admin)
            .json(&json!({"role": "lead"}))
            .send()
            .await
            .unwrap();
        assert!(r.status().is_success());
        let c = post(
            client,
            &format!("{base}/api/teams/{id}/clients"),
            &admin,
            json!({"given_name": "Bench", "family_name": format!("Client{i}"), "status": "active"}),
        )
        .await;
        teams.push(Team {
            id,
            client_id: c["id"].as_str().unwrap().to_string(),
            token: String::new(),
        });
    }
    for (i, t) in teams.iter_mut().enumerate() {
        let l: Value = client
            .post(format!("{base}/api/auth/login"))
            .json(&json!({"username": format!("lead{i}"), "password": "bench-password"}))
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        t.token = l["access_token"].as_str().unwrap().to_string();
    }
    teams
}

/// Open a subscriber: hello with since=null, wait for the snapshot; returns the stream.
pub async fn subscribe(ws: &str, team: &Team) -> (WsStream, i64) {
    let (mut sock, _) =
        tokio_tungstenite::connect_async(format!("{ws}/api/teams/{}/live", team.id))
            .await
            .expect("ws connect");
    sock.send(Message::text(
        json!({"type": "hello", "token": team.token, "since": null, "device": "desktop"})
            .to_string(),
    ))
    .await
    .unwrap();
    loop {
        match sock.next().await {
            Some(Ok(Message::Text(t))) => {
                let v: Value = serde_json::from_str(&t).unwrap();
                if v["type"] == "snapshot" {
                    return (sock, v["seq"].as_i64().unwrap());
                }
            }
            Some(Ok(_)) => {}
            other => panic!("no snapshot: {other:?}"),
        }
    }
}

fn label(database: &str) -> String {
    if database == "sqlite" {
        "SQLite"
    } else {
        "PostgreSQL"
    }
    .to_string()
}

/// The standard round: S subscribers over T teams, W writes/s for D seconds.
pub async fn round(database: &str, w: Workload) -> LiveResult {
    let Workload {
        sockets,
        teams: teams_n,
        rate,
        seconds,
    } = w;
    let server = start_server(database);
    let pid = server.child.id();
    let http = reqwest::Client::new();
    let teams = setup_teams(&http, &server.base, teams_n).await;
    let (cpu0, _, _) = proc_usage(pid);
    let client0 = crate::common::self_cpu();
    // Subscribers, spread over the teams.
    let (stop_tx, stop_rx) = tokio::sync::watch::channel(false);
    let mut handles = vec![];
    let connect_started = Instant::now();
    for i in 0..sockets {
        let team = &teams[i % teams_n];
        let (sock, start_seq) = subscribe(&server.ws, team).await;
        handles.push(spawn_receiver(
            sock,
            i % teams_n,
            start_seq,
            stop_rx.clone(),
        ));
    }
    let connect_secs = connect_started.elapsed().as_secs_f64();
    // Writers: W flags per second, round-robin over the teams.
    let driven = drive(rate, seconds, teams_n, |k, t, _| {
        let team = &teams[t];
        let url = format!(
            "{}/api/teams/{}/clients/{}/flags",
            server.base, team.id, team.client_id
        );
        let req = http.post(url).bearer_auth(&team.token).json(
            &json!({"severity": "watch", "category": "other", "reason": format!("bench {k}")}),
        );
        async move {
            req.send()
                .await
                .map(|r| r.status().is_success())
                .unwrap_or(false)
        }
    })
    .await;
    let results = collect(stop_tx, handles).await;
    let (cpu1, hwm, _) = proc_usage(pid);
    let client_cpu_s = crate::common::self_cpu() - client0;
    // A refused write appends no event: expect only the successful ones.
    // Exactly once, in order: each subscriber got start_seq+1 ..= start_seq + writes to its team.
    let mut bad = 0;
    let mut lat: Vec<i64> = vec![];
    let mut deliveries = 0u64;
    for r in results.iter() {
        // Exactly the team's writes, each once, in seq order, continuing from the snapshot.
        let expected: Vec<i64> = (1..=driven.ok[r.team].len() as i64)
            .map(|k| r.start_seq + k)
            .collect();
        if r.seqs != expected {
            bad += 1;
        }
        deliveries += r.seqs.len() as u64;
        lat.extend(&r.latencies_us);
    }
    let measured = Measured {
        latencies_us: lat,
        deliveries,
        driven_secs: driven.secs,
        write_errors: driven.errors,
        not_exactly_once: bad,
        cpu_s: cpu1 - cpu0,
        client_cpu_s,
        peak_rss_kb: hwm,
        connect_s: connect_secs,
    };
    LiveResult::new(label(database), w, measured)
}

/// Idle authenticated sockets: server RSS growth per connection.
pub async fn idle(database: &str, sockets: usize) -> IdleResult {
    let server = start_server(database);
    let pid = server.child.id();
    let http = reqwest::Client::new();
    let teams = setup_teams(&http, &server.base, 10).await;
    tokio::time::sleep(Duration::from_secs(1)).await;
    let (_, _, rss0) = proc_usage(pid);
    let mut socks = vec![];
    for i in 0..sockets {
        let (s, _) = subscribe(&server.ws, &teams[i % teams.len()]).await;
        socks.push(s);
    }
    tokio::time::sleep(Duration::from_secs(2)).await;
    let (_, _, rss1) = proc_usage(pid);
    drop(socks);
    IdleResult {
        label: label(database),
        sockets,
        rss_before_kb: rss0,
        rss_after_kb: rss1,
    }
}

/// Contact writes per second with `writers` concurrent writers (PUT with fresh UUIDs), and
/// the time a client resuming `behind` events back takes to receive them all.
pub async fn writes_and_replay(
    database: &str,
    writers: usize,
    seconds: u64,
    behind: i64,
) -> WritesResult {
    let server = start_server(database);
    let http = reqwest::Client::new();
    let teams = Arc::new(setup_teams(&http, &server.base, writers).await);
    // Each writer needs its own staff id for the contact: the lead's, from /api/me.
    let mut staff = vec![];
    for t in teams.iter() {
        let me: Value = http
            .get(format!("{}/api/me", server.base))
            .bearer_auth(&t.token)
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        staff.push(me["user"]["id"].as_str().unwrap().to_string());
    }
    let day = chrono::Utc::now().format("%Y-%m-%d").to_string();
    let deadline = Instant::now() + Duration::from_secs(seconds);
    let mut set = tokio::task::JoinSet::new();
    for w in 0..writers {
        let (http, base, teams, me, day) = (
            http.clone(),
            server.base.clone(),
            teams.clone(),
            staff[w].clone(),
            day.clone(),
        );
        set.spawn(async move {
            let t = &teams[w];
            let (mut ok, mut lat) = (0u64, vec![]);
            while Instant::now() < deadline {
                let id = uuid::Uuid::new_v4();
                let started = Instant::now();
                let r = http.put(format!("{base}/api/teams/{}/contacts/{id}", t.id)).bearer_auth(&t.token)
                    .json(&json!({"client_id": t.client_id, "staff_ids": [me], "day": day, "kind": "phone", "place": "office", "activity": "bench", "status": "planned"}))
                    .send().await;
                if r.map(|r| r.status().as_u16() == 201).unwrap_or(false) {
                    ok += 1;
                    lat.push(started.elapsed().as_micros() as i64);
                }
            }
            (ok, lat)
        });
    }
    let (mut total, mut lat) = (0u64, vec![]);
    while let Some(Ok((ok, l))) = set.join_next().await {
        total += ok;
        lat.extend(l);
    }
    lat.sort();
    let (write_p50, write_p99) = (pct(&lat, 0.5), pct(&lat, 0.99));
    // Replay: resume team 0 exactly `behind` events back (topped up with more contacts first
    // if the writers left it fewer).
    let t = &teams[0];
    let events_url = format!("{}/api/teams/{}/events?since=0&limit=1", server.base, t.id);
    let last_seq = || async {
        let page: Value = http
            .get(&events_url)
            .bearer_auth(&t.token)
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        page["last_seq"].as_i64().unwrap()
    };
    let mut last = last_seq().await;
    while last < behind {
        let id = uuid::Uuid::new_v4();
        let r = http.put(format!("{}/api/teams/{}/contacts/{id}", server.base, t.id)).bearer_auth(&t.token)
            .json(&json!({"client_id": t.client_id, "staff_ids": [staff[0]], "day": day, "kind": "phone", "place": "office", "activity": "bench", "status": "planned"}))
            .send().await.unwrap();
        assert_eq!(r.status().as_u16(), 201);
        last = last_seq().await;
    }
    let since = last - behind;
    let started = Instant::now();
    let (mut sock, _) =
        tokio_tungstenite::connect_async(format!("{}/api/teams/{}/live", server.ws, t.id))
            .await
            .unwrap();
    sock.send(Message::text(
        json!({"type": "hello", "token": t.token, "since": since}).to_string(),
    ))
    .await
    .unwrap();
    let mut got = 0i64;
    while let Some(Ok(m)) = sock.next().await {
        if let Message::Text(txt) = m {
            let v: Value = serde_json::from_str(&txt).unwrap_or(Value::Null);
            if v["type"] == "event" {
                got += 1;
                if v["seq"].as_i64() == Some(last) {
                    break;
                }
            }
        }
    }
    let replay_ms = started.elapsed().as_secs_f64() * 1000.0;
    WritesResult {
        label: if database == "sqlite" {
            "SQLite"
        } else {
            "PostgreSQL"
        }
        .into(),
        writers,
        seconds,
        written: total,
        write_p50,
        write_p99,
        behind,
        replayed: got,
        replay_ms,
    }
}
