//! `actboard-bench baseline-live` / `baseline-idle`: the same workload as `live` / `idle`,
//! against a bare websocket relay on Node's `ws` (bench/baseline/relay.js) that only pushes
//! each published frame to the team's sockets — no auth, storage or ordering. It is the floor
//! of what delivery costs, to read actboard's figures against.
//!
//! The relay runs as a child process (`node`), so its CPU time and memory come from /proc as
//! actboard's do. The frames are actboard's `flag.raised` event frames, byte for byte but for
//! `at`, which the relay stamps when the publish request has arrived (as actboard stamps it in
//! the writing transaction); latency is receive time − `at`, as in `live`.

use crate::common::{collect, drive, free_port, proc_usage, spawn_receiver, WsStream};
use crate::results::{IdleResult, LiveResult, Measured, Workload};
use actboard::store::flags::FlagOut;
use serde_json::json;
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

const LABEL: &str = "Node ws relay (baseline)";

struct Relay {
    child: Child,
    base: String,
    ws: String,
}

impl Drop for Relay {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn fail(msg: &str) -> ! {
    eprintln!("actboard-bench: {msg}");
    std::process::exit(1)
}

/// Start `node bench/baseline/relay.js PORT` (or the relay.js named by ACTBOARD_BENCH_RELAY)
/// and wait until it answers /health.
async fn start_relay() -> Relay {
    let script = PathBuf::from(
        std::env::var("ACTBOARD_BENCH_RELAY").unwrap_or_else(|_| "bench/baseline/relay.js".into()),
    );
    if !script.is_file() {
        fail(&format!("{} not found: run from the repository root, or set ACTBOARD_BENCH_RELAY to the relay's path", script.display()));
    }
    let dir = script
        .parent()
        .filter(|d| !d.as_os_str().is_empty())
        .unwrap_or(std::path::Path::new("."));
    if !dir.join("node_modules").join("ws").is_dir() {
        fail(&format!(
            "{} is missing: run `npm ci --prefix {}` first",
            dir.join("node_modules").display(),
            dir.display()
        ));
    }
    let port = free_port();
    let mut child = Command::new("node")
        .arg(&script)
        .arg(port.to_string())
        .stdout(Stdio::null())
        .spawn()
        .unwrap_or_else(|e| {
            fail(&format!(
                "cannot start node (Node.js 20 or later is needed): {e}"
            ))
        });
    let base = format!("http://127.0.0.1:{port}");
    // A client of its own: its idle keep-alive connection must not be reused later.
    let http = reqwest::Client::new();
    for _ in 0..100 {
        if let Ok(Some(status)) = child.try_wait() {
            fail(&format!("the relay exited at start ({status})"));
        }
        if http
            .get(format!("{base}/health"))
            .send()
            .await
            .is_ok_and(|r| r.status().is_success())
        {
            return Relay {
                child,
                base,
                ws: format!("ws://127.0.0.1:{port}"),
            };
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    let _ = child.kill();
    fail("the relay did not answer /health within 10 s")
}

async fn connect(relay: &Relay, team: &str) -> WsStream {
    tokio_tungstenite::connect_async(format!("{}/teams/{team}", relay.ws))
        .await
        .expect("ws connect")
        .0
}

/// The ids a team's flag events carry: the team, its client and the raising lead.
struct Team {
    id: String,
    client_id: String,
    lead_id: String,
}

fn uuid() -> String {
    uuid::Uuid::new_v4().to_string()
}

/// Actboard's `flag.raised` frame (src/live/hub.rs), with `"at":null` for the relay to fill.
fn flag_raised(team: &Team, seq: i64, reason: String) -> String {
    let flag = FlagOut {
        id: uuid(),
        team_id: team.id.clone(),
        client_id: team.client_id.clone(),
        initials: "BT".into(),
        severity: "watch".into(),
        category: "other".into(),
        reason,
        raised_by: team.lead_id.clone(),
        raised_at: actboard::db::now().into(),
        acknowledged_by: None,
        acknowledged_at: None,
        responders: vec![],
        escalated_at: None,
        resolved_by: None,
        resolved_at: None,
        outcome: None,
        version: 1,
    };
    let data = serde_json::to_value(&flag).unwrap();
    json!({"type": "event", "seq": seq, "kind": "flag.raised", "data": data, "actor": team.lead_id, "at": null}).to_string()
}

/// S subscribers over T teams, W publishes/s for D seconds: the `live` round against the relay.
pub async fn live(w: Workload) -> LiveResult {
    let Workload {
        sockets,
        teams: teams_n,
        rate,
        seconds,
    } = w;
    let relay = start_relay().await;
    let pid = relay.child.id();
    let teams: Vec<Team> = (0..teams_n)
        .map(|_| Team {
            id: uuid(),
            client_id: uuid(),
            lead_id: uuid(),
        })
        .collect();
    let (cpu0, _, _) = proc_usage(pid);
    let client0 = crate::common::self_cpu();
    // Subscribers, spread over the teams.
    let (stop_tx, stop_rx) = tokio::sync::watch::channel(false);
    let mut handles = vec![];
    let connect_started = Instant::now();
    for i in 0..sockets {
        let sock = connect(&relay, &teams[i % teams_n].id).await;
        handles.push(spawn_receiver(sock, i % teams_n, 0, stop_rx.clone()));
    }
    let connect_secs = connect_started.elapsed().as_secs_f64();
    // Publishers: W frames per second, round-robin over the teams; seq 1, 2, 3… per team.
    let http = reqwest::Client::new();
    let driven = drive(rate, seconds, teams_n, |k, t, seq| {
        let team = &teams[t];
        let req = http
            .post(format!("{}/publish/{}", relay.base, team.id))
            .header("content-type", "application/json")
            .body(flag_raised(team, seq, format!("bench {k}")));
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
    // Exactly once, in any order (the relay promises no order): each subscriber got every
    // seq successfully published to its team, each once.
    let mut bad = 0;
    let mut lat: Vec<i64> = vec![];
    let mut deliveries = 0u64;
    for r in results {
        let mut got = r.seqs;
        got.sort();
        if got != driven.ok[r.team] {
            bad += 1;
        }
        deliveries += got.len() as u64;
        lat.extend(r.latencies_us);
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
    LiveResult::new(LABEL.into(), w, measured)
}

/// Idle sockets: relay RSS growth per connection (10 teams, as in `idle`).
pub async fn idle(sockets: usize) -> IdleResult {
    let relay = start_relay().await;
    let pid = relay.child.id();
    let teams: Vec<String> = (0..10).map(|_| uuid()).collect();
    tokio::time::sleep(Duration::from_secs(1)).await;
    let (_, _, rss0) = proc_usage(pid);
    let mut socks = vec![];
    for i in 0..sockets {
        socks.push(connect(&relay, &teams[i % teams.len()]).await);
    }
    tokio::time::sleep(Duration::from_secs(2)).await;
    let (_, _, rss1) = proc_usage(pid);
    drop(socks);
    IdleResult {
        label: LABEL.into(),
        sockets,
        rss_before_kb: rss0,
        rss_after_kb: rss1,
    }
}
