//! Storage: one diesel `MultiConnection` over SQLite (embedded default) and PostgreSQL
//! (several instances), an r2d2 pool that opens the engine named by the URL scheme, and the
//! embedded migrations of both engines.

pub mod backup;
pub mod caseload;
pub mod events;
pub mod models;
pub mod revocations;
pub mod schema;
pub mod writer;

use diesel::connection::SimpleConnection;
use diesel::pg::PgConnection;
use diesel::r2d2::R2D2Connection;
use diesel::sqlite::SqliteConnection;
use diesel::Connection;
use diesel_migrations::{embed_migrations, EmbeddedMigrations, MigrationHarness};
use std::path::PathBuf;
use std::time::Duration;

pub const SQLITE_MIGRATIONS: EmbeddedMigrations = embed_migrations!("migrations/sqlite");
pub const POSTGRES_MIGRATIONS: EmbeddedMigrations = embed_migrations!("migrations/postgres");

#[derive(diesel::MultiConnection)]
pub enum DbConn {
    Postgres(PgConnection),
    Sqlite(SqliteConnection),
}

/// Run one query on whichever engine `conn` is: for what the multi-connection cannot
/// express (RETURNING a whole row, one INSERT of many rows), each arm type-checks alone.
#[macro_export]
macro_rules! on_engine {
    ($conn:expr, |$c:ident| $body:expr) => {
        match $conn {
            $crate::db::DbConn::Postgres($c) => $body,
            $crate::db::DbConn::Sqlite($c) => $body,
        }
    };
}

pub type PooledConn = r2d2::PooledConnection<Manager>;

/// Where the hub takes the commit announcements from (once).
type CommitsRx =
    std::sync::Arc<std::sync::Mutex<Option<tokio::sync::mpsc::UnboundedReceiver<(String, i64)>>>>;

/// The connection pool, plus where committed events are announced (the live hub listens).
#[derive(Clone)]
pub struct Pool {
    inner: r2d2::Pool<Manager>,
    commits: tokio::sync::mpsc::UnboundedSender<(String, i64)>,
    commits_rx: CommitsRx,
    /// Staff ids whose sessions ended (`db::revocations`): every live connection listens.
    revoked: tokio::sync::broadcast::Sender<String>,
    /// SQLite: the one thread that runs every writing transaction (group commit).
    writer: Option<writer::Writer>,
}

impl Pool {
    pub fn get(&self) -> Result<PooledConn, r2d2::Error> {
        self.inner.get()
    }

    /// The stream of (team_id, seq) committed through this pool; taken once, by the hub.
    pub fn take_commits(&self) -> Option<tokio::sync::mpsc::UnboundedReceiver<(String, i64)>> {
        self.commits_rx.lock().ok()?.take()
    }

    pub fn state(&self) -> r2d2::State {
        self.inner.state()
    }

    /// Which people's sessions ended from now on (this process's commits, and on
    /// PostgreSQL every instance's, through the LISTEN connection).
    pub fn revocations(&self) -> tokio::sync::broadcast::Receiver<String> {
        self.revoked.subscribe()
    }

    /// Tell this process's live connections that this person's sessions ended.
    pub fn announce_revoked(&self, staff_id: String) {
        // No receiver (no live connection) is not an error.
        let _ = self.revoked.send(staff_id);
    }
}

/// Where the data lives, decided once from the URL scheme. Anything else is refused:
/// a typo must never silently create a new, empty SQLite file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DbTarget {
    Sqlite(PathBuf),
    Postgres(String),
}

pub const ACCEPTED_URLS: &str =
    "sqlite://<path> (e.g. sqlite://actboard.db) or postgres://user@host:port/dbname";

impl DbTarget {
    pub fn parse(url: &str) -> Result<Self, String> {
        if let Some(path) = url.strip_prefix("sqlite://") {
            if path.is_empty() || path.starts_with(':') {
                return Err(format!(
                    "database URL '{url}' names no file; use {ACCEPTED_URLS}"
                ));
            }
            return Ok(DbTarget::Sqlite(PathBuf::from(path)));
        }
        if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            return Ok(DbTarget::Postgres(url.to_string()));
        }
        Err(format!(
            "unsupported database URL '{}'; use {ACCEPTED_URLS}",
            redact(url)
        ))
    }

    pub fn engine(&self) -> Engine {
        match self {
            DbTarget::Sqlite(_) => Engine::Sqlite,
            DbTarget::Postgres(_) => Engine::Postgres,
        }
    }

    pub fn establish(&self) -> Result<DbConn, diesel::ConnectionError> {
        match self {
            DbTarget::Sqlite(path) => {
                let mut conn = SqliteConnection::establish(&path.to_string_lossy())?;
                // busy_timeout first: setting the journal mode needs the lock for a moment,
                // and a connection opened while another writes must wait, not fail. WAL lets
                // readers run beside the one writer; NORMAL is durable at checkpoints and
                // safe with WAL.
                conn.batch_execute(
                    "PRAGMA busy_timeout = 10000; PRAGMA journal_mode = WAL; \
                     PRAGMA foreign_keys = ON; PRAGMA synchronous = NORMAL;",
                )
                .map_err(|e| diesel::ConnectionError::BadConnection(e.to_string()))?;
                Ok(DbConn::Sqlite(conn))
            }
            DbTarget::Postgres(url) => Ok(DbConn::Postgres(PgConnection::establish(url)?)),
        }
    }
}

/// Hide a password in a URL before it reaches a message or a log.
pub fn redact(url: &str) -> String {
    match (url.find("://"), url.rfind('@')) {
        (Some(s), Some(at)) if at > s => {
            let creds = &url[s + 3..at];
            match creds.find(':') {
                Some(c) => format!("{}{}:***{}", &url[..s + 3], &creds[..c], &url[at..]),
                None => url.to_string(),
            }
        }
        _ => url.to_string(),
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Engine {
    Sqlite,
    Postgres,
}

pub struct Manager {
    target: DbTarget,
}

impl r2d2::ManageConnection for Manager {
    type Connection = DbConn;
    type Error = diesel::r2d2::Error;

    fn connect(&self) -> Result<DbConn, Self::Error> {
        self.target
            .establish()
            .map_err(diesel::r2d2::Error::ConnectionError)
    }

    fn is_valid(&self, conn: &mut DbConn) -> Result<(), Self::Error> {
        conn.ping().map_err(diesel::r2d2::Error::QueryError)
    }

    fn has_broken(&self, conn: &mut DbConn) -> bool {
        conn.is_broken()
    }
}

pub fn build_pool(target: &DbTarget, max_size: u32) -> Result<Pool, String> {
    let inner = r2d2::Pool::builder()
        .max_size(max_size)
        .min_idle(Some(1))
        .connection_timeout(Duration::from_secs(10))
        .build(Manager {
            target: target.clone(),
        })
        .map_err(|e| format!("cannot open database {}: {e}", describe(target)))?;
    let (commits, rx) = tokio::sync::mpsc::unbounded_channel();
    // A connection that falls this far behind (it cannot, in practice) rechecks at once.
    let (revoked, _) = tokio::sync::broadcast::channel(1024);
    let writer = match target {
        DbTarget::Sqlite(_) => Some(writer::Writer::start(
            target.clone(),
            writer::Announce {
                commits: commits.clone(),
                revoked: revoked.clone(),
            },
        )?),
        DbTarget::Postgres(_) => None,
    };
    Ok(Pool {
        inner,
        commits,
        commits_rx: std::sync::Arc::new(std::sync::Mutex::new(Some(rx))),
        revoked,
        writer,
    })
}

/// A pool on `target`, one of its connections, and every migration applied (how many were
/// applied now): how `serve`, `migrate`, `demo` and `user add` all start.
pub fn open_migrated(
    target: &DbTarget,
    max_size: u32,
) -> Result<(Pool, PooledConn, usize), String> {
    let pool = build_pool(target, max_size)?;
    let mut conn = pool
        .get()
        .map_err(|e| format!("cannot connect to {}: {e}", describe(target)))?;
    let applied = migrate(&mut conn)?;
    Ok((pool, conn, applied))
}

pub fn describe(target: &DbTarget) -> String {
    match target {
        DbTarget::Sqlite(p) => format!("sqlite file {}", p.display()),
        DbTarget::Postgres(url) => redact(url),
    }
}

/// Apply pending migrations. On PostgreSQL an advisory lock keeps two instances that start
/// together from migrating at once.
pub fn migrate(conn: &mut DbConn) -> Result<usize, String> {
    let run = |conn: &mut DbConn| -> Result<usize, String> {
        let applied = match conn {
            DbConn::Sqlite(c) => c.run_pending_migrations(SQLITE_MIGRATIONS).map(|v| v.len()),
            DbConn::Postgres(c) => c
                .run_pending_migrations(POSTGRES_MIGRATIONS)
                .map(|v| v.len()),
        };
        applied.map_err(|e| format!("migration failed: {e}"))
    };
    match conn {
        DbConn::Postgres(c) => {
            c.batch_execute("SELECT pg_advisory_lock(7263001)")
                .map_err(|e| e.to_string())?;
        }
        DbConn::Sqlite(_) => {}
    }
    let result = run(conn);
    if let DbConn::Postgres(c) = conn {
        let _ = c.batch_execute("SELECT pg_advisory_unlock(7263001)");
    }
    result
}

/// Current UTC time at microsecond precision, the precision both engines store.
pub fn now() -> chrono::NaiveDateTime {
    let t = chrono::Utc::now().naive_utc();
    chrono::DurationRound::duration_trunc(t, chrono::TimeDelta::microseconds(1)).unwrap_or(t)
}

/// Run blocking diesel work on actix's blocking pool with one pooled connection.
pub async fn run<T, F>(pool: &Pool, f: F) -> crate::error::AppResult<T>
where
    F: FnOnce(&mut DbConn) -> crate::error::AppResult<T> + Send + 'static,
    T: Send + 'static,
{
    let pool = pool.clone();
    actix_web::web::block(move || {
        let mut conn = pool.get()?;
        f(&mut conn)
    })
    .await?
}

/// Does the database answer? (readiness)
pub async fn ping(pool: &Pool) -> crate::error::AppResult<()> {
    run(pool, |conn| {
        conn.ping().map_err(crate::error::AppError::from)
    })
    .await
}

/// Run CPU-heavy work (password hashing) on the blocking pool, holding no connection.
pub async fn blocking<T, F>(f: F) -> crate::error::AppResult<T>
where
    F: FnOnce() -> crate::error::AppResult<T> + Send + 'static,
    T: Send + 'static,
{
    actix_web::web::block(f).await?
}

/// Run one use case in one transaction (validate → write → append event → commit). On
/// SQLite it joins the writer thread's next group commit (`writer`); on PostgreSQL it runs on
/// the blocking pool with a pooled connection (writers there wait per team, not per database).
pub async fn tx<T, F>(pool: &Pool, f: F) -> crate::error::AppResult<T>
where
    F: FnOnce(&mut DbConn) -> crate::error::AppResult<T> + Send + 'static,
    T: Send + 'static,
{
    if let Some(w) = &pool.writer {
        return w.write(f).await;
    }
    let p = pool.clone();
    actix_web::web::block(move || pooled_tx(&p, f)).await?
}

/// `tx` for a thread that may block (a background job): one writing transaction, and its
/// events and ended sessions announced to this process after the commit.
pub fn tx_blocking<T, F>(pool: &Pool, f: F) -> crate::error::AppResult<T>
where
    F: FnOnce(&mut DbConn) -> crate::error::AppResult<T> + Send + 'static,
    T: Send + 'static,
{
    match &pool.writer {
        Some(w) => w.write_blocking(f),
        None => pooled_tx(pool, f),
    }
}

/// One writing transaction on a pooled connection, announced after its commit.
fn pooled_tx<T, F>(pool: &Pool, f: F) -> crate::error::AppResult<T>
where
    F: FnOnce(&mut DbConn) -> crate::error::AppResult<T>,
{
    let mut conn = pool.get()?;
    let result = write_tx(&mut conn, f);
    // Announced only after the commit, so a reader never looks for an uncommitted row.
    let appended = events::take_appended();
    let kinds = events::take_kinds();
    let ended = revocations::take();
    if result.is_ok() {
        crate::metrics::global().events_committed(kinds.iter().map(String::as_str));
        // One wake-up per team, at its last seq: the hub reads the rest in one go.
        let last: std::collections::BTreeMap<String, i64> = appended.into_iter().collect();
        for a in last {
            let _ = pool.commits.send(a);
        }
        for staff_id in ended {
            let _ = pool.revoked.send(staff_id);
        }
    }
    result
}

/// A read-only transaction that sees one snapshot across all its queries (the board reads
/// its data and its `seq` together). PostgreSQL needs REPEATABLE READ for that; an SQLite
/// transaction is a snapshot from its first read.
pub fn read_tx<T, F>(conn: &mut DbConn, f: F) -> crate::error::AppResult<T>
where
    F: FnOnce(&mut DbConn) -> crate::error::AppResult<T>,
{
    conn.transaction(|conn| {
        if let DbConn::Postgres(c) = conn {
            c.batch_execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")?;
        }
        f(conn)
    })
}

/// A writing transaction. On SQLite it is `BEGIN IMMEDIATE`: a deferred transaction that
/// reads first and then writes fails at once with SQLITE_BUSY when another writer got in
/// between (busy_timeout does not apply to that upgrade), so writers queue from the start.
pub fn write_tx<T, F>(conn: &mut DbConn, f: F) -> crate::error::AppResult<T>
where
    F: FnOnce(&mut DbConn) -> crate::error::AppResult<T>,
{
    use diesel::connection::{AnsiTransactionManager, TransactionManager};
    // What an earlier transaction on this thread appended is not ours to announce.
    events::take_appended();
    events::take_kinds();
    revocations::take();
    if let DbConn::Sqlite(c) = conn {
        AnsiTransactionManager::begin_transaction_sql(c, "BEGIN IMMEDIATE")?;
    } else {
        return conn.transaction(|conn| {
            let v = f(conn)?;
            events::notify_appended(conn)?;
            revocations::notify_pending(conn)?;
            Ok(v)
        });
    }
    let result = f(conn);
    let DbConn::Sqlite(c) = conn else {
        unreachable!("checked above")
    };
    match result {
        Ok(v) => {
            AnsiTransactionManager::commit_transaction(c)?;
            Ok(v)
        }
        Err(e) => {
            AnsiTransactionManager::rollback_transaction(c)?;
            Err(e)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn url_schemes() {
        assert_eq!(
            DbTarget::parse("sqlite://actboard.db").unwrap(),
            DbTarget::Sqlite("actboard.db".into())
        );
        assert_eq!(
            DbTarget::parse("sqlite:///var/lib/a.db").unwrap(),
            DbTarget::Sqlite("/var/lib/a.db".into())
        );
        assert!(matches!(
            DbTarget::parse("postgres://u@h/db"),
            Ok(DbTarget::Postgres(_))
        ));
        assert!(matches!(
            DbTarget::parse("postgresql://u@h/db"),
            Ok(DbTarget::Postgres(_))
        ));
        for bad in [
            "mysql://x",
            "actboard.db",
            "sqlite:",
            "sqlite://",
            "sqlite://:memory:",
            "",
        ] {
            let err = DbTarget::parse(bad).unwrap_err();
            assert!(
                err.contains("sqlite://") && err.contains("postgres://"),
                "{err}"
            );
        }
    }

    #[test]
    fn redacts_passwords() {
        assert_eq!(redact("postgres://u:secret@h/db"), "postgres://u:***@h/db");
        assert_eq!(redact("postgres://u@h/db"), "postgres://u@h/db");
    }
}
