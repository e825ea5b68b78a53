//! What each measurement returns, so `actboard-bench report` can write docs/BENCHMARKS.md.

/// The shape of a live round: S sockets over T teams, W writes/s for D seconds.
#[derive(Debug, Clone, Copy, clap::Args)]
pub struct Workload {
    #[arg(long, default_value_t = 1000)]
    pub sockets: usize,
    #[arg(long, default_value_t = 50)]
    pub teams: usize,
    #[arg(long, default_value_t = 200)]
    pub rate: u32,
    #[arg(long, default_value_t = 60)]
    pub seconds: u64,
}

/// What a live round saw, before it becomes a `LiveResult` (actboard and the relay alike).
pub struct Measured {
    pub latencies_us: Vec<i64>,
    pub deliveries: u64,
    pub driven_secs: f64,
    pub write_errors: u64,
    pub not_exactly_once: u64,
    pub cpu_s: f64,
    pub peak_rss_kb: u64,
    pub connect_s: f64,
    /// The bench process's own user+system CPU seconds over the same interval (the load
    /// generator: subscribers and writers), so a saturated client is visible.
    pub client_cpu_s: f64,
}

impl LiveResult {
    pub fn new(label: String, w: Workload, m: Measured) -> Self {
        let (p50, p95, p99, max) = crate::common::latency_ms(m.latencies_us);
        LiveResult {
            label,
            sockets: w.sockets,
            teams: w.teams,
            rate: w.rate,
            seconds: w.seconds,
            p50,
            p95,
            p99,
            max,
            deliveries: m.deliveries,
            deliveries_per_s: m.deliveries as f64 / m.driven_secs,
            write_errors: m.write_errors,
            not_exactly_once: m.not_exactly_once,
            cpu_s: m.cpu_s,
            peak_rss_mb: m.peak_rss_kb / 1024,
            connect_s: m.connect_s,
            client_cpu_s: m.client_cpu_s,
        }
    }
}

/// One live-delivery round (actboard or the Node `ws` baseline relay).
#[derive(Debug, Clone, Default)]
pub struct LiveResult {
    /// "SQLite", "PostgreSQL" or "Node ws relay (baseline)".
    pub label: String,
    pub sockets: usize,
    pub teams: usize,
    pub rate: u32,
    pub seconds: u64,
    /// Latency percentiles, from the event's `at` (stamped just before commit) to receipt, ms.
    pub p50: f64,
    pub p95: f64,
    pub p99: f64,
    pub max: f64,
    pub deliveries: u64,
    pub deliveries_per_s: f64,
    pub write_errors: u64,
    /// Subscribers that did not get exactly their team's events once each (in seq order for
    /// actboard; in any order for the baseline, which promises no ordering).
    pub not_exactly_once: u64,
    /// The server process's user+system CPU seconds during the round, from /proc.
    pub cpu_s: f64,
    pub peak_rss_mb: u64,
    pub connect_s: f64,
    /// The load generator's own CPU seconds during the round (subscribers + writers).
    pub client_cpu_s: f64,
}

impl LiveResult {
    pub fn cpu_us_per_delivery(&self) -> f64 {
        if self.deliveries == 0 {
            0.0
        } else {
            self.cpu_s * 1e6 / self.deliveries as f64
        }
    }

    pub const HEADER: &'static str = "| server | sockets | teams | writes | p50 ms | p95 ms | p99 ms | max ms | deliveries/s | write errors | not exactly-once | server CPU s | CPU µs/delivery | server peak RSS MB | load generator CPU s |\n|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|";

    pub fn row(&self) -> String {
        format!(
            "| {} | {} | {} | {}/s × {}s | {:.1} | {:.1} | {:.1} | {:.1} | {:.0} | {} | {} | {:.1} | {:.1} | {} | {:.1} |",
            self.label, self.sockets, self.teams, self.rate, self.seconds, self.p50, self.p95, self.p99, self.max,
            self.deliveries_per_s, self.write_errors, self.not_exactly_once, self.cpu_s, self.cpu_us_per_delivery(), self.peak_rss_mb,
            self.client_cpu_s
        )
    }
}

/// Idle connections: server RSS growth per connection.
#[derive(Debug, Clone, Default)]
pub struct IdleResult {
    pub label: String,
    pub sockets: usize,
    pub rss_before_kb: u64,
    pub rss_after_kb: u64,
}

impl IdleResult {
    pub fn per_connection_kb(&self) -> f64 {
        self.rss_after_kb.saturating_sub(self.rss_before_kb) as f64 / self.sockets.max(1) as f64
    }

    pub fn line(&self) -> String {
        format!(
            "{}: {} idle sockets: server RSS {} MB → {} MB, {:.1} KB per connection",
            self.label,
            self.sockets,
            self.rss_before_kb / 1024,
            self.rss_after_kb / 1024,
            self.per_connection_kb()
        )
    }
}

/// Latency percentiles, milliseconds.
#[derive(Debug, Clone, Copy, Default)]
pub struct Timing {
    pub p50: f64,
    pub p95: f64,
    pub p99: f64,
    pub max: f64,
}

impl Timing {
    pub fn line(&self) -> String {
        format!(
            "median {:.2} ms, p95 {:.2} ms, p99 {:.2} ms, max {:.2} ms",
            self.p50, self.p95, self.p99, self.max
        )
    }

    pub fn cells(&self) -> String {
        format!(
            "{:.2} ms | {:.2} ms | {:.2} ms | {:.2} ms",
            self.p50, self.p95, self.p99, self.max
        )
    }
}

/// The board of the demo ACT team with long history.
#[derive(Debug, Clone, Default)]
pub struct BoardResult {
    pub label: String,
    pub weeks: u32,
    pub contacts: i64,
    pub load_s: f64,
    pub json_kb: usize,
    pub in_process: Timing,
    pub over_http: Timing,
    /// Issue 15, over HTTP: `GET /fidelity` (this month and the last), `GET /fidelity?months=12`
    /// (the fidelity page: a 12-month trend), `GET /outcomes` (the team's outcomes).
    pub fidelity: Timing,
    pub fidelity_trend: Timing,
    pub outcomes: Timing,
}

/// Contact writes with concurrent writers, then a resuming client's replay.
#[derive(Debug, Clone, Default)]
pub struct WritesResult {
    pub label: String,
    pub writers: usize,
    pub seconds: u64,
    pub written: u64,
    pub write_p50: f64,
    pub write_p99: f64,
    pub behind: i64,
    pub replayed: i64,
    pub replay_ms: f64,
}

impl WritesResult {
    pub fn per_s(&self) -> f64 {
        self.written as f64 / self.seconds.max(1) as f64
    }

    pub fn line(&self) -> String {
        format!(
            "{}: {} concurrent writers, {} s: {} contacts written, {:.0} writes/s; write latency p50 {:.1} ms, p99 {:.1} ms\nreplay of {} events to a client resuming {} behind: {:.1} ms from connect to the last event",
            self.label, self.writers, self.seconds, self.written, self.per_s(), self.write_p50, self.write_p99, self.replayed, self.behind, self.replay_ms
        )
    }
}
