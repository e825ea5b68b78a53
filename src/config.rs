//! Typed configuration from flags and environment, validated once and passed in (never global).

use crate::db::DbTarget;
use ipnet::IpNet;
use std::net::{IpAddr, SocketAddr};

#[derive(clap::Args, Debug, Clone)]
pub struct ConfigArgs {
    /// Database URL: sqlite://<path> (embedded, default) or postgres://user@host/db.
    #[arg(
        long,
        env = "ACTBOARD_DATABASE_URL",
        default_value = "sqlite://actboard.db",
        global = true
    )]
    pub database_url: String,
    /// Address to listen on.
    #[arg(
        long,
        env = "ACTBOARD_BIND",
        default_value = "127.0.0.1:8080",
        global = true
    )]
    pub bind: String,
    /// Secret for signing access tokens (at least 32 characters). Required with PostgreSQL;
    /// with SQLite one is generated beside the database file when unset.
    #[arg(
        long,
        env = "ACTBOARD_JWT_SECRET",
        hide_env_values = true,
        global = true
    )]
    pub jwt_secret: Option<String>,
    /// Comma-separated origins allowed to open the live websocket
    /// (default: the server's own address).
    #[arg(
        long,
        env = "ACTBOARD_ALLOWED_ORIGINS",
        value_delimiter = ',',
        global = true
    )]
    pub allowed_origins: Vec<String>,
    /// Name of this instance in logs and /readyz (default: actboard-<pid>).
    #[arg(long, env = "ACTBOARD_INSTANCE_ID", global = true)]
    pub instance_id: Option<String>,
    /// Failed logins allowed from one client address in 5 minutes before it must wait; 0
    /// turns the per-address limit off (a clinic behind one NAT address). The per-username
    /// limit (10) always applies.
    #[arg(
        long,
        env = "ACTBOARD_LOGIN_FAILURES_PER_ADDRESS",
        default_value_t = 10,
        global = true
    )]
    pub login_failures_per_address: i64,
    /// Comma-separated addresses or networks (10.0.0.5, 10.0.0.0/8) of the reverse proxies
    /// or load balancers in front of actboard: from these, the client address is read from
    /// X-Forwarded-For. Empty (default): the header is ignored.
    #[arg(
        long,
        env = "ACTBOARD_TRUSTED_PROXIES",
        value_delimiter = ',',
        global = true
    )]
    pub trusted_proxies: Vec<String>,
    /// Seconds a rotated refresh token still works (a second tab or a retrying phone that
    /// refreshed with it at the same time gets its own pair); a use after that ends the
    /// session. 0 to 300.
    #[arg(
        long,
        env = "ACTBOARD_REFRESH_GRACE_SECS",
        default_value_t = 30,
        global = true
    )]
    pub refresh_grace_secs: u64,
    /// How often this instance looks for emergency flags nobody answered in their team's
    /// `escalate_after_minutes` (milliseconds, 100–60000). Every instance scans; each flag
    /// escalates once.
    #[arg(
        long,
        env = "ACTBOARD_ESCALATION_SCAN_MS",
        default_value_t = 5000,
        global = true
    )]
    pub escalation_scan_ms: u64,
    /// Comma-separated addresses or networks (10.0.0.0/8) besides loopback that may read
    /// GET /metrics (a Prometheus server elsewhere). Empty (default): loopback only.
    #[arg(
        long,
        env = "ACTBOARD_METRICS_ALLOW",
        value_delimiter = ',',
        global = true
    )]
    pub metrics_allow: Vec<String>,
}

#[derive(Debug, Clone)]
pub struct Config {
    pub database: DbTarget,
    pub bind: SocketAddr,
    pub jwt_secret: Option<String>,
    pub allowed_origins: Vec<String>,
    pub instance_id: String,
    /// HTTP worker threads; `None` means one per core.
    pub workers: Option<usize>,
    /// Database pool size.
    pub pool_size: u32,
    /// A live client further behind than this many events gets a snapshot, not a replay.
    pub replay_window: i64,
    /// Failed logins per client address in the throttle window (0: no per-address limit).
    pub login_failures_per_address: i64,
    /// Proxies whose X-Forwarded-For is believed (`auth::client_ip`).
    pub trusted_proxies: Vec<ipnet::IpNet>,
    /// How long a rotated refresh token still works (racing refreshes both succeed).
    pub refresh_grace: std::time::Duration,
    /// Heartbeat, idle close and access recheck of live connections (the protocol's defaults).
    pub live_timing: LiveTiming,
    /// The interval of the escalation scan (`store::escalation`).
    pub escalation_scan: std::time::Duration,
    /// Who may read GET /metrics: loopback, plus these networks (`ACTBOARD_METRICS_ALLOW`).
    pub metrics_allow: Vec<ipnet::IpNet>,
}

/// A live connection's clocks. The defaults are the protocol's (docs/PROTOCOL.md); tests
/// shorten them to see the idle close and the periodic access check happen.
#[derive(Debug, Clone, Copy)]
pub struct LiveTiming {
    /// A websocket ping this often.
    pub heartbeat: std::time::Duration,
    /// Closed with 4010 when nothing (not even a pong) was heard for this long.
    pub idle: std::time::Duration,
    /// How often a connection's access (account, membership, display token) is checked again.
    pub recheck: std::time::Duration,
}

impl Default for LiveTiming {
    fn default() -> Self {
        use std::time::Duration;
        LiveTiming {
            heartbeat: Duration::from_secs(15),
            idle: Duration::from_secs(45),
            recheck: Duration::from_secs(60),
        }
    }
}

pub const MIN_SECRET_LEN: usize = 32;
pub const DEFAULT_REFRESH_GRACE_SECS: u64 = 30;
/// A longer grace would let a stolen refresh token go unnoticed for longer.
pub const MAX_REFRESH_GRACE_SECS: u64 = 300;

impl Config {
    /// Every setting at its default for this database and address; the CLI, the tests and the
    /// bench override what they need, so a new setting is defaulted in one place.
    pub fn with_defaults(database: DbTarget, bind: SocketAddr) -> Config {
        Config {
            database,
            bind,
            jwt_secret: None,
            allowed_origins: default_origins(bind),
            instance_id: format!("actboard-{}", std::process::id()),
            workers: None,
            pool_size: 16,
            replay_window: 10_000,
            login_failures_per_address: 10,
            trusted_proxies: vec![],
            refresh_grace: std::time::Duration::from_secs(DEFAULT_REFRESH_GRACE_SECS),
            live_timing: Default::default(),
            escalation_scan: std::time::Duration::from_secs(5),
            metrics_allow: loopback_nets(),
        }
    }
}

impl ConfigArgs {
    pub fn validate(&self) -> Result<Config, String> {
        let database = DbTarget::parse(&self.database_url)?;
        let bind: SocketAddr = self.bind.parse().map_err(|_| {
            format!(
                "ACTBOARD_BIND '{}' is not an address like 127.0.0.1:8080",
                self.bind
            )
        })?;
        let jwt_secret = match self.jwt_secret.as_deref().map(str::trim) {
            None | Some("") => None,
            Some(s) if s.len() < MIN_SECRET_LEN => {
                return Err(format!(
                    "ACTBOARD_JWT_SECRET is too short: use at least {MIN_SECRET_LEN} characters"
                ))
            }
            Some(s) => Some(s.to_string()),
        };
        let mut config = Config::with_defaults(database, bind);
        let origins: Vec<String> = self
            .allowed_origins
            .iter()
            .map(|o| o.trim().trim_end_matches('/').to_string())
            .filter(|o| !o.is_empty())
            .collect();
        if !origins.is_empty() {
            config.allowed_origins = origins;
        }
        if let Some(id) = self.instance_id.as_deref().filter(|s| !s.trim().is_empty()) {
            config.instance_id = id.to_string();
        }
        config.jwt_secret = jwt_secret;
        config.login_failures_per_address = self.login_failures_per_address;
        if self.refresh_grace_secs > MAX_REFRESH_GRACE_SECS {
            return Err(format!(
                "ACTBOARD_REFRESH_GRACE_SECS must be 0 to {MAX_REFRESH_GRACE_SECS} seconds"
            ));
        }
        config.refresh_grace = std::time::Duration::from_secs(self.refresh_grace_secs);
        if !(100..=60_000).contains(&self.escalation_scan_ms) {
            return Err(format!(
                "ACTBOARD_ESCALATION_SCAN_MS {} is outside 100–60000",
                self.escalation_scan_ms
            ));
        }
        config.escalation_scan = std::time::Duration::from_millis(self.escalation_scan_ms);
        config.trusted_proxies = self
            .trusted_proxies
            .iter()
            .filter(|s| !s.trim().is_empty())
            .map(|s| parse_proxy(s))
            .collect::<Result<_, _>>()?;
        for s in self.metrics_allow.iter().filter(|s| !s.trim().is_empty()) {
            let net = parse_network(s).map_err(|e| format!("ACTBOARD_METRICS_ALLOW: {e}"))?;
            config.metrics_allow.push(net);
        }
        Ok(config)
    }
}

/// The server's own address, plus `localhost` when bound to loopback.
fn default_origins(bind: SocketAddr) -> Vec<String> {
    let port = bind.port();
    let mut v = vec![format!("http://{bind}")];
    if bind.ip().is_loopback() {
        v.push(format!("http://localhost:{port}"));
        v.push(format!("http://127.0.0.1:{port}"));
    }
    v.dedup();
    v
}

/// Loopback, which may always read /metrics.
pub fn loopback_nets() -> Vec<IpNet> {
    ["127.0.0.0/8", "::1/128"]
        .iter()
        .filter_map(|s| s.parse().ok())
        .collect()
}

/// An address or a network (`10.0.0.5`, `10.0.0.0/8`, `fd00::/8`).
pub fn parse_network(s: &str) -> Result<IpNet, String> {
    let s = s.trim();
    s.parse::<IpNet>()
        .or_else(|_| s.parse::<IpAddr>().map(IpNet::from))
        .map_err(|_| format!("'{s}' is not an address or a network like 10.0.0.0/8"))
}

/// Parse one `ACTBOARD_TRUSTED_PROXIES` entry: an address (`10.0.0.5`) or a network
/// (`10.0.0.0/8`, `fd00::/8`).
pub fn parse_proxy(s: &str) -> Result<IpNet, String> {
    let s = s.trim();
    s.parse::<IpNet>()
        .or_else(|_| s.parse::<IpAddr>().map(IpNet::from))
        .map_err(|_| {
            format!(
                "ACTBOARD_TRUSTED_PROXIES: '{s}' is not an address or a network like 10.0.0.0/8"
            )
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn args(url: &str) -> ConfigArgs {
        ConfigArgs {
            database_url: url.into(),
            bind: "127.0.0.1:8080".into(),
            jwt_secret: None,
            allowed_origins: vec![],
            instance_id: None,
            login_failures_per_address: 10,
            trusted_proxies: vec![],
            refresh_grace_secs: 30,
            escalation_scan_ms: 5000,
            metrics_allow: vec![],
        }
    }

    #[test]
    fn defaults() {
        let c = args("sqlite://actboard.db").validate().unwrap();
        assert!(c
            .allowed_origins
            .contains(&"http://localhost:8080".to_string()));
        assert!(c.instance_id.starts_with("actboard-"));
    }

    #[test]
    fn rejects_bad_values() {
        assert!(args("mysql://x").validate().is_err());
        let mut a = args("sqlite://x.db");
        a.bind = "nope".into();
        assert!(a.validate().is_err());
        let mut a = args("sqlite://x.db");
        a.jwt_secret = Some("short".into());
        assert!(a.validate().unwrap_err().contains("too short"));
        let mut a = args("sqlite://x.db");
        a.trusted_proxies = vec!["10.0.0.0/8".into(), "lb.internal".into()];
        assert!(a.validate().unwrap_err().contains("lb.internal"));
        a.trusted_proxies = vec!["10.0.0.0/8".into(), " 192.0.2.1 ".into(), "".into()];
        assert_eq!(a.validate().unwrap().trusted_proxies.len(), 2);
        let mut a = args("sqlite://x.db");
        a.refresh_grace_secs = 301;
        assert!(a.validate().unwrap_err().contains("GRACE"));
        a.refresh_grace_secs = 0;
        assert!(a.validate().unwrap().refresh_grace.is_zero());
        a.escalation_scan_ms = 0;
        assert!(a.validate().unwrap_err().contains("ESCALATION_SCAN"));
        let mut a = args("sqlite://x.db");
        assert_eq!(a.validate().unwrap().metrics_allow, loopback_nets());
        a.metrics_allow = vec!["10.0.0.0/8".into(), "192.0.2.7".into()];
        assert_eq!(a.validate().unwrap().metrics_allow.len(), 4);
        a.metrics_allow = vec!["prometheus.internal".into()];
        assert!(a.validate().unwrap_err().contains("METRICS_ALLOW"));
    }
}
