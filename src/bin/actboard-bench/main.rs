//! actboard-bench: measurements that go into docs/BENCHMARKS.md.
//!
//! `actboard-bench board [--database-url URL] [--weeks 104] [--iterations 300]`
//! loads the demo with two years of history into a fresh database (a temporary SQLite file,
//! or a new database on the PostgreSQL server named by the URL) and times the board of the
//! Riverside ACT team: built in-process (server time) and fetched over HTTP.

use actboard::api::board;
use actboard::config::Config;
use actboard::db::{self, DbTarget};
use actboard::{demo, server};
use clap::{Parser, Subcommand};
use diesel::connection::SimpleConnection;
use diesel::prelude::*;
use std::time::{Duration, Instant};

mod bench_live;

#[derive(Parser)]
#[command(name = "actboard-bench", about = "actboard benchmarks")]
struct Cli {
    #[command(subcommand)]
    command: Cmd,
}

#[derive(Subcommand)]
enum Cmd {
    /// Board snapshot time for the demo ACT team with long history.
    Board {
        /// sqlite (temporary file) or a postgres:// URL of a server to create a database on.
        #[arg(long, default_value = "sqlite")]
        database: String,
        #[arg(long, default_value_t = 104)]
        weeks: u32,
        #[arg(long, default_value_t = 300)]
        iterations: usize,
    },
    /// Live delivery: S websocket subscribers over T teams, W flag writes/s for D seconds.
    Live {
        #[arg(long, default_value = "sqlite")]
        database: String,
        #[arg(long, default_value_t = 1000)]
        sockets: usize,
        #[arg(long, default_value_t = 50)]
        teams: usize,
        #[arg(long, default_value_t = 200)]
        rate: u32,
        #[arg(long, default_value_t = 60)]
        seconds: u64,
    },
    /// Contact writes/s with concurrent writers, then the replay time of a client resuming behind.
    Writes {
        #[arg(long, default_value = "sqlite")]
        database: String,
        #[arg(long, default_value_t = 16)]
        writers: usize,
        #[arg(long, default_value_t = 20)]
        seconds: u64,
        #[arg(long, default_value_t = 1000)]
        behind: i64,
    },
    /// Idle authenticated sockets: server memory per connection.
    Idle {
        #[arg(long, default_value = "sqlite")]
        database: String,
        #[arg(long, default_value_t = 2000)]
        sockets: usize,
    },
}

fn pct(sorted: &[Duration], p: f64) -> f64 {
    let i = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[i].as_secs_f64() * 1000.0
}

fn summary(label: &str, mut v: Vec<Duration>) {
    v.sort();
    println!(
        "{label:<28} n={:<5} median {:>7.2} ms   p95 {:>7.2} ms   p99 {:>7.2} ms   max {:>7.2} ms",
        v.len(),
        pct(&v, 0.5),
        pct(&v, 0.95),
        pct(&v, 0.99),
        v.last().unwrap().as_secs_f64() * 1000.0
    );
}

fn main() {
    let cli = Cli::parse();
    match cli.command {
        Cmd::Board {
            database,
            weeks,
            iterations,
        } => bench_board(&database, weeks, iterations),
        Cmd::Live { database, sockets, teams, rate, seconds } => {
            let rt = tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build().unwrap();
            println!("| engine | sockets | teams | writes | p50 ms | p95 ms | p99 ms | max ms | deliveries/s | write errors | not exactly-once | server CPU s | CPU µs/delivery | server peak RSS MB |");
            println!("|---|---|---|---|---|---|---|---|---|---|---|---|---|---|");
            println!("{}", rt.block_on(bench_live::round(&database, sockets, teams, rate, seconds)));
        }
        Cmd::Writes { database, writers, seconds, behind } => {
            let rt = tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build().unwrap();
            println!("{}", rt.block_on(bench_live::writes_and_replay(&database, writers, seconds, behind)));
        }
        Cmd::Idle { database, sockets } => {
            let rt = tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build().unwrap();
            println!("{}", rt.block_on(bench_live::idle(&database, sockets)));
        }
    }
}

fn bench_board(database: &str, weeks: u32, iterations: usize) {
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
    for _ in 0..10 {
        board::build(&mut conn, &team_id, None, db::now()).unwrap();
    }
    let mut times = Vec::with_capacity(iterations);
    let mut size = 0;
    for _ in 0..iterations {
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
    summary("board build + serialize", times);
    println!("board JSON size: {} KB", size / 1024);

    // Over HTTP, through the real server (auth, routing, JSON).
    let config = Config {
        database: target.clone(),
        bind: "127.0.0.1:0".parse().unwrap(),
        jwt_secret: Some("bench-secret-bench-secret-bench-secret".into()),
        allowed_origins: vec![],
        instance_id: "bench".into(),
        workers: Some(2),
        pool_size: 8,
        replay_window: 10_000,
    };
    actix_web::rt::System::new().block_on(async move {
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
        let url = format!("http://{addr}/api/teams/{team_id}/board");
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
        let mut times = Vec::with_capacity(iterations);
        for _ in 0..iterations {
            let t = Instant::now();
            let r = client.get(&url).bearer_auth(&token).send().await.unwrap();
            assert!(r.status().is_success());
            r.bytes().await.unwrap();
            times.push(t.elapsed());
        }
        summary("GET /board over HTTP", times);
    });
    if let Some((admin, name)) = cleanup {
        if let Ok(mut c) = diesel::PgConnection::establish(&admin) {
            let _ = c.batch_execute(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"));
        }
    }
}
