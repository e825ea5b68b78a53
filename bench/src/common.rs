//! What the live rounds against actboard (`bench_live`) and against the Node `ws` relay
//! (`bench_baseline`) share, so both measure the same way: the paced writer, the subscriber's
//! receive loop, latency percentiles, and the server process's CPU and memory from /proc.

use futures_util::StreamExt;
use serde_json::Value;
use std::future::Future;
use std::time::{Duration, Instant};
use tokio::sync::watch;
use tokio::task::JoinHandle;
use tokio_tungstenite::tungstenite::Message;

pub type WsStream =
    tokio_tungstenite::WebSocketStream<tokio_tungstenite::MaybeTlsStream<tokio::net::TcpStream>>;

pub fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

/// CPU seconds (user + system) and peak RSS (kB) of a process, from /proc.
pub fn proc_usage(pid: u32) -> (f64, u64, u64) {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).unwrap_or_default();
    let after = stat.rsplit_once(')').map(|(_, r)| r).unwrap_or("");
    let f: Vec<&str> = after.split_whitespace().collect();
    let ticks = 100.0; // CLK_TCK on Linux
    let cpu = (f.get(11).and_then(|v| v.parse::<f64>().ok()).unwrap_or(0.0)
        + f.get(12).and_then(|v| v.parse::<f64>().ok()).unwrap_or(0.0))
        / ticks;
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).unwrap_or_default();
    let kb = |key: &str| {
        status
            .lines()
            .find(|l| l.starts_with(key))
            .and_then(|l| l.split_whitespace().nth(1))
            .and_then(|v| v.parse().ok())
            .unwrap_or(0)
    };
    (cpu, kb("VmHWM:"), kb("VmRSS:"))
}

/// This process's own CPU seconds (user + system): the load generator's cost.
pub fn self_cpu() -> f64 {
    proc_usage(std::process::id()).0
}

/// The p-th percentile of sorted microseconds, in milliseconds.
pub fn pct(v: &[i64], p: f64) -> f64 {
    if v.is_empty() {
        return 0.0;
    }
    v[((v.len() as f64 - 1.0) * p).round() as usize] as f64 / 1000.0
}

/// p50, p95, p99 and max of latencies in microseconds, in milliseconds.
pub fn latency_ms(mut lat: Vec<i64>) -> (f64, f64, f64, f64) {
    lat.sort();
    (
        pct(&lat, 0.5),
        pct(&lat, 0.95),
        pct(&lat, 0.99),
        lat.last().copied().unwrap_or(0) as f64 / 1000.0,
    )
}

/// What one subscriber received.
#[derive(Default)]
pub struct SubResult {
    pub team: usize,
    pub latencies_us: Vec<i64>,
    pub seqs: Vec<i64>,
    pub start_seq: i64,
}

/// Read frames until `stop` changes or the socket ends: for each `event` frame its seq and
/// its latency, receive time − `at`.
pub fn spawn_receiver(
    mut sock: WsStream,
    team: usize,
    start_seq: i64,
    mut stop: watch::Receiver<bool>,
) -> JoinHandle<SubResult> {
    tokio::spawn(async move {
        let mut r = SubResult {
            start_seq,
            team,
            ..Default::default()
        };
        loop {
            tokio::select! {
                _ = stop.changed() => break,
                m = sock.next() => match m {
                    Some(Ok(Message::Text(t))) => {
                        let now = chrono::Utc::now();
                        let v: Value = serde_json::from_str(&t).unwrap_or(Value::Null);
                        if v["type"] == "event" {
                            r.seqs.push(v["seq"].as_i64().unwrap_or(-1));
                            if let Some(at) = v["at"].as_str().and_then(|a| chrono::DateTime::parse_from_rfc3339(a).ok()) {
                                r.latencies_us.push((now - at.with_timezone(&chrono::Utc)).num_microseconds().unwrap_or(0));
                            }
                        }
                    }
                    Some(Ok(_)) => {}
                    _ => break,
                }
            }
        }
        r
    })
}

/// The writes of a round.
pub struct Driven {
    /// Per team, the 1-based numbers (1, 2, 3… in the order sent) of its writes that succeeded.
    pub ok: Vec<Vec<i64>>,
    pub errors: u64,
    /// From the first write to the last answer.
    pub secs: f64,
}

/// `rate` writes per second for `seconds`, round-robin over `teams` teams: write k goes to
/// team k % teams as that team's write number k / teams + 1. `write(k, team, n)` sends it and
/// answers whether it succeeded; writes run concurrently, each started on time.
pub async fn drive<F, Fut>(rate: u32, seconds: u64, teams: usize, mut write: F) -> Driven
where
    F: FnMut(u64, usize, i64) -> Fut,
    Fut: Future<Output = bool> + Send + 'static,
{
    let total = rate as u64 * seconds;
    let started = Instant::now();
    let mut set = tokio::task::JoinSet::new();
    for k in 0..total {
        let due = started + Duration::from_secs_f64(k as f64 / rate as f64);
        tokio::time::sleep_until(due.into()).await;
        let t = (k as usize) % teams;
        let n = (k / teams as u64) as i64 + 1;
        let w = write(k, t, n);
        set.spawn(async move { (t, n, w.await) });
    }
    let mut d = Driven {
        ok: vec![vec![]; teams],
        errors: 0,
        secs: 0.0,
    };
    while let Some(res) = set.join_next().await {
        match res {
            Ok((t, n, true)) => d.ok[t].push(n),
            _ => d.errors += 1,
        }
    }
    d.secs = started.elapsed().as_secs_f64();
    for v in &mut d.ok {
        v.sort();
    }
    d
}

/// Let the tail arrive (3 s), stop the receivers and collect what each got.
pub async fn collect(
    stop: watch::Sender<bool>,
    handles: Vec<JoinHandle<SubResult>>,
) -> Vec<SubResult> {
    tokio::time::sleep(Duration::from_secs(3)).await;
    let _ = stop.send(true);
    let mut results = vec![];
    for h in handles {
        if let Ok(r) = h.await {
            results.push(r);
        }
    }
    results
}
