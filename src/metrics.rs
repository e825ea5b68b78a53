//! Prometheus metrics (`GET /metrics`, docs/OPERATIONS.md).
//!
//! Two kinds:
//! * counted where they happen, in this process's registry (`global()`): HTTP requests by
//!   route pattern and status, events committed by kind, and the fan-out lag of every event
//!   frame written to a websocket. Each update is a few atomic operations (no lock on the
//!   hot path: the histogram has no labels; the labelled counters take a read lock on their
//!   label map, never a write lock after the first request of a route).
//! * read at scrape time (`Scrape`): live connections, pool connections, unacknowledged
//!   flags. They cost nothing between scrapes.
//!
//! Nothing here imports from above (like `error.rs`); the text format is the `prometheus`
//! crate's encoder.

use prometheus::{
    Encoder, Histogram, HistogramOpts, IntCounter, IntCounterVec, IntGauge, IntGaugeVec, Opts,
    Registry, TextEncoder,
};
use std::sync::LazyLock;

pub struct Metrics {
    registry: Registry,
    http_requests: IntCounterVec,
    events: IntCounterVec,
    fanout_lag: Histogram,
    write_batch: Histogram,
}

static METRICS: LazyLock<Metrics> = LazyLock::new(Metrics::new);

/// This process's counters (one per process, like the hub).
pub fn global() -> &'static Metrics {
    &METRICS
}

/// Fan-out lag buckets (seconds): the design promises "within a second"; the tail above it
/// is what an alert watches.
const LAG_BUCKETS: &[f64] = &[
    0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0,
];

impl Metrics {
    fn new() -> Metrics {
        let registry = Registry::new();
        let http_requests = IntCounterVec::new(
            Opts::new(
                "actboard_http_requests_total",
                "HTTP requests answered, by route pattern (never the raw path), method and status",
            ),
            &["route", "method", "status"],
        )
        .expect("metric");
        let events = IntCounterVec::new(
            Opts::new(
                "actboard_events_total",
                "Events committed to the event log by this process, by kind",
            ),
            &["kind"],
        )
        .expect("metric");
        let fanout_lag = Histogram::with_opts(
            HistogramOpts::new(
                "actboard_fanout_lag_seconds",
                "From an event's append (its `at`, in the writing transaction) to its frame \
                 written to a websocket, per frame and connection",
            )
            .buckets(LAG_BUCKETS.to_vec()),
        )
        .expect("metric");
        let write_batch = Histogram::with_opts(
            HistogramOpts::new(
                "actboard_write_batch_size",
                "SQLite group commit: writing transactions committed together, per commit",
            )
            .buckets(vec![1.0, 2.0, 4.0, 8.0, 16.0, 32.0, 64.0]),
        )
        .expect("metric");
        for c in [
            Box::new(http_requests.clone()) as Box<dyn prometheus::core::Collector>,
            Box::new(events.clone()),
            Box::new(fanout_lag.clone()),
            Box::new(write_batch.clone()),
        ] {
            registry.register(c).expect("metric names are unique");
        }
        Metrics {
            registry,
            http_requests,
            events,
            fanout_lag,
            write_batch,
        }
    }

    /// One answered request. `route` is the matched pattern (`/api/teams/{team_id}/board`),
    /// or a fixed word for what no route matched, so ids never become labels.
    pub fn http_request(&self, route: &str, method: &str, status: u16) {
        let mut buf = itoa_buf();
        let status = fmt_status(status, &mut buf);
        self.http_requests
            .with_label_values(&[route, method, status])
            .inc();
    }

    /// Events a transaction committed (kinds, one per event).
    pub fn events_committed<'a>(&self, kinds: impl IntoIterator<Item = &'a str>) {
        for k in kinds {
            self.events.with_label_values(&[k]).inc();
        }
    }

    /// An event frame was written to a socket `seconds` after the event was appended.
    pub fn fanout_lag(&self, seconds: f64) {
        self.fanout_lag.observe(seconds.max(0.0));
    }

    /// One SQLite group commit of `writes` writing transactions.
    pub fn write_batch(&self, writes: usize) {
        self.write_batch.observe(writes as f64);
    }

    pub fn registry(&self) -> &Registry {
        &self.registry
    }
}

fn itoa_buf() -> [u8; 3] {
    [b'0'; 3]
}

/// A status code as text without allocating (100–999).
fn fmt_status(status: u16, buf: &mut [u8; 3]) -> &str {
    let s = status.clamp(100, 999);
    buf[0] = b'0' + (s / 100) as u8;
    buf[1] = b'0' + (s / 10 % 10) as u8;
    buf[2] = b'0' + (s % 10) as u8;
    std::str::from_utf8(buf).unwrap_or("500")
}

/// The values read at scrape time, for one server (its hub, its pool).
#[derive(Debug, Default, Clone)]
pub struct Scrape {
    /// Live websocket connections subscribed to a team on this server.
    pub ws_connections: i64,
    /// Connections closed for being too slow, since start.
    pub ws_slow_closed: u64,
    /// Event frames the hub fanned out (once per event, whatever the number of sockets).
    pub events_fanned_out: u64,
    pub pool_in_use: i64,
    pub pool_idle: i64,
    pub pool_max: i64,
    /// Open, unacknowledged flags: (team id, team name, severity, count, oldest age in s).
    pub unacknowledged: Vec<UnacknowledgedFlags>,
}

#[derive(Debug, Clone)]
pub struct UnacknowledgedFlags {
    pub team_id: String,
    pub team_name: String,
    pub severity: String,
    pub count: i64,
    pub oldest_seconds: i64,
}

/// The whole exposition: this process's counters, then the scrape-time values.
pub fn render(scrape: &Scrape) -> Result<String, String> {
    let local = Registry::new();
    let add =
        |c: Box<dyn prometheus::core::Collector>| local.register(c).map_err(|e| e.to_string());
    let ws = IntGauge::new(
        "actboard_ws_connections",
        "Live websocket connections subscribed to a team's stream on this instance",
    )
    .map_err(|e| e.to_string())?;
    ws.set(scrape.ws_connections);
    add(Box::new(ws))?;
    let slow = IntCounter::new(
        "actboard_ws_slow_closed_total",
        "Live connections closed because their queue filled (they resume with since)",
    )
    .map_err(|e| e.to_string())?;
    slow.inc_by(scrape.ws_slow_closed);
    add(Box::new(slow))?;
    let fanned = IntCounter::new(
        "actboard_events_fanned_out_total",
        "Events the live hub of this instance read from the log and fanned out",
    )
    .map_err(|e| e.to_string())?;
    fanned.inc_by(scrape.events_fanned_out);
    add(Box::new(fanned))?;
    let pool = IntGaugeVec::new(
        Opts::new(
            "actboard_db_pool_connections",
            "Database pool connections of this instance: in_use, idle, and the pool's max",
        ),
        &["state"],
    )
    .map_err(|e| e.to_string())?;
    pool.with_label_values(&["in_use"]).set(scrape.pool_in_use);
    pool.with_label_values(&["idle"]).set(scrape.pool_idle);
    pool.with_label_values(&["max"]).set(scrape.pool_max);
    add(Box::new(pool))?;
    let unacked = IntGaugeVec::new(
        Opts::new(
            "actboard_flags_unacknowledged",
            "Open crisis flags nobody acknowledged, by team and severity (the same on every \
             instance of one database)",
        ),
        &["team", "team_name", "severity"],
    )
    .map_err(|e| e.to_string())?;
    let oldest = IntGaugeVec::new(
        Opts::new(
            "actboard_flags_unacknowledged_oldest_seconds",
            "Age of the oldest open, unacknowledged crisis flag, by team and severity",
        ),
        &["team", "team_name", "severity"],
    )
    .map_err(|e| e.to_string())?;
    for u in &scrape.unacknowledged {
        let labels = [
            u.team_id.as_str(),
            u.team_name.as_str(),
            u.severity.as_str(),
        ];
        unacked.with_label_values(&labels).set(u.count);
        oldest.with_label_values(&labels).set(u.oldest_seconds);
    }
    add(Box::new(unacked))?;
    add(Box::new(oldest))?;
    let mut families = global().registry().gather();
    families.extend(local.gather());
    let mut out = Vec::new();
    TextEncoder::new()
        .encode(&families, &mut out)
        .map_err(|e| e.to_string())?;
    String::from_utf8(out).map_err(|e| e.to_string())
}

pub const CONTENT_TYPE: &str = "text/plain; version=0.0.4; charset=utf-8";

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn status_text() {
        let mut b = itoa_buf();
        assert_eq!(fmt_status(200, &mut b), "200");
        assert_eq!(fmt_status(404, &mut b), "404");
        assert_eq!(fmt_status(101, &mut b), "101");
        assert_eq!(fmt_status(5, &mut b), "100");
    }

    #[test]
    fn renders_every_family_in_the_text_format() {
        global().http_request("/api/teams/{team_id}/board", "GET", 200);
        global().events_committed(["flag.raised", "flag.raised"]);
        global().fanout_lag(0.003);
        let text = render(&Scrape {
            ws_connections: 3,
            pool_in_use: 1,
            pool_idle: 4,
            pool_max: 16,
            unacknowledged: vec![UnacknowledgedFlags {
                team_id: "t1".into(),
                team_name: "Riverside \"ACT\"".into(),
                severity: "emergency".into(),
                count: 2,
                oldest_seconds: 700,
            }],
            ..Default::default()
        })
        .unwrap();
        for needle in [
            "# TYPE actboard_http_requests_total counter",
            "actboard_http_requests_total{method=\"GET\",route=\"/api/teams/{team_id}/board\",status=\"200\"}",
            "actboard_events_total{kind=\"flag.raised\"}",
            "# TYPE actboard_fanout_lag_seconds histogram",
            "actboard_fanout_lag_seconds_bucket{le=\"0.005\"}",
            "actboard_ws_connections 3",
            "actboard_db_pool_connections{state=\"idle\"} 4",
            "actboard_flags_unacknowledged{severity=\"emergency\",team=\"t1\",team_name=\"Riverside \\\"ACT\\\"\"} 2",
            "actboard_flags_unacknowledged_oldest_seconds{severity=\"emergency\",team=\"t1\",team_name=\"Riverside \\\"ACT\\\"\"} 700",
        ] {
            assert!(text.contains(needle), "{needle} missing from\n{text}");
        }
    }
}
