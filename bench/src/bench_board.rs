//! `actboard-bench board`: the board snapshot of the demo ACT team with long history, built
//! in-process (the server's time) and fetched over HTTP through the real server.

use crate::results::{BoardResult, Timing};
use actboard::config::Config;
use actboard::db::{self, DbTarget};
use actboard::store::board;
use actboard::{demo, server};
use diesel::connection::SimpleConnection;
use diesel::prelude::*;
use std::time::{Duration, Instant};

fn timing(mut v: Vec<Duration>) -> Timing {
    v.sort();
    let ms = |d: &Duration| d.as_secs_f64() * 1000.0;
    let at = |p: f64| ms(&v[((v.len() as f64 - 1.0) * p).round() as usize]);
    Timing {
        p50: at(0.5),
        p95: at(0.95),
        p99: at(0.99),
        max: ms(v.last().unwrap()),
    }
}

/// `board`: time the board (built in-process and over HTTP) and the outcome and fidelity pages;
/// without it (the `outcomes` round) only the latter.
pub fn run(database: &str, weeks: u32, iterations: usize, board: bool) -> BoardResult {
    let dir = tempfile::tempdir().expect("temp dir");
    let (url, cleanup): (String, Option<(String, String)>) = if database == "sqlite" {
        (
            format!("sqlite://{}", dir.path().join("bench.db").display()),
            None,
        )
    } else {
        let name = format!("actboard_bench_{}", std::process::id());
        let mut c = diesel::PgConnection::establish(database).expect("postgres reachable");
        c.batch_execute(&format!("DROP DATABASE IF EXISTS {name}"))
            .unwrap();
        c.batch_execute(&format!("CREATE DATABASE {name}")).unwrap();
        let base = database
            .rsplit_once('/')
            .map(|(b, _)| b)
            .unwrap_or(database);
        (format!("{base}/{name}"), Some((database.to_string(), name)))
    };
    let target = DbTarget::parse(&url).expect("url");
    let pool = db::build_pool(&target, 4).expect("pool");
    let mut conn = pool.get().expect("conn");
    db::migrate(&mut conn).expect("migrate");
    let t = Instant::now();
    demo::load(&mut conn, demo::Options { seed: 42, weeks }).expect("demo");
    let load_secs = t.elapsed().as_secs_f64();
    use actboard::db::schema::{contacts, teams};
    let team_id: String = teams::table
        .filter(teams::name.eq("Riverside ACT"))
        .select(teams::id)
        .first(&mut conn)
        .unwrap();
    let n_contacts: i64 = contacts::table
        .filter(contacts::team_id.eq(&team_id))
        .count()
        .get_result(&mut conn)
        .unwrap();
    println!("engine {:?}: demo with {weeks} weeks loaded in {load_secs:.1} s; Riverside ACT has {n_contacts} contacts", target.engine());

    // Warm up, then time the board built in-process (what the server spends).
    for _ in 0..(if board { 10 } else { 0 }) {
        board::build(&mut conn, &team_id, None, db::now()).unwrap();
    }
    let mut times = Vec::with_capacity(iterations);
    let mut size = 0;
    for _ in 0..(if board { iterations } else { 0 }) {
        let t = Instant::now();
        let b = board::build(&mut conn, &team_id, None, db::now()).unwrap();
        let json = serde_json::to_vec(&board::board_json(
            &b,
            actboard::domain::team::Privacy::Names,
        ))
        .unwrap();
        times.push(t.elapsed());
        size = json.len();
    }
    drop(conn);
    let in_process = if board {
        timing(times)
    } else {
        Timing::default()
    };
    if board {
        println!("board build + serialize: {}", in_process.line());
        println!("board JSON size: {} KB", size / 1024);
    }

    // Over HTTP, through the real server (auth, routing, JSON).
    let config = Config {
        jwt_secret: Some("bench-secret-bench-secret-bench-secret".into()),
        instance_id: "bench".into(),
        workers: Some(2),
        pool_size: 8,
        ..Config::with_defaults(target.clone(), "127.0.0.1:0".parse().unwrap())
    };
    let over_http = actix_web::rt::System::new().block_on(async move {
        let state = server::prepare(config).unwrap();
        let running = server::start(state).unwrap();
        let addr = running.addr;
        actix_web::rt::spawn(running.server);
        let client = reqwest::Client::new();
        let login: serde_json::Value = client
            .post(format!("http://{addr}/api/auth/login"))
            .json(&serde_json::json!({"username": "maria.lopez", "password": demo::PASSWORD}))
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        let token = login["access_token"].as_str().unwrap().to_string();
        // 10 warm-up requests, then `n` timed ones.
        let time_get = |url: String, n: usize| {
            let client = client.clone();
            let token = token.clone();
            async move {
                for _ in 0..10 {
                    client
                        .get(&url)
                        .bearer_auth(&token)
                        .send()
                        .await
                        .unwrap()
                        .bytes()
                        .await
                        .unwrap();
                }
                let mut times = Vec::with_capacity(n);
                for _ in 0..n {
                    let t = Instant::now();
                    let r = client.get(&url).bearer_auth(&token).send().await.unwrap();
                    assert!(r.status().is_success(), "{url}: {}", r.status());
                    r.bytes().await.unwrap();
                    times.push(t.elapsed());
                }
                timing(times)
            }
        };
        let base = format!("http://{addr}/api/teams/{team_id}");
        let board_http = if board {
            time_get(format!("{base}/board"), iterations).await
        } else {
            Timing::default()
        };
        let extra = (iterations / 3).max(30);
        let fidelity = time_get(format!("{base}/fidelity"), extra).await;
        let trend = time_get(format!("{base}/fidelity?months=12"), extra).await;
        let outcomes = time_get(format!("{base}/outcomes"), extra).await;
        (board_http, fidelity, trend, outcomes)
    });
    let (over_http, fidelity, fidelity_trend, outcomes) = over_http;
    if board {
        println!("GET /board over HTTP: {}", over_http.line());
    }
    println!("GET /fidelity over HTTP: {}", fidelity.line());
    println!(
        "GET /fidelity?months=12 over HTTP: {}",
        fidelity_trend.line()
    );
    println!("GET /outcomes over HTTP: {}", outcomes.line());
    if let Some((admin, name)) = cleanup {
        if let Ok(mut c) = diesel::PgConnection::establish(&admin) {
            let _ = c.batch_execute(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"));
        }
    }
    BoardResult {
        label: if target.engine() == actboard::db::Engine::Sqlite {
            "SQLite"
        } else {
            "PostgreSQL"
        }
        .into(),
        weeks,
        contacts: n_contacts,
        load_s: load_secs,
        json_kb: size / 1024,
        in_process,
        over_http,
        fidelity,
        fidelity_trend,
        outcomes,
    }
}
