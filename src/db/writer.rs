//! Group commit for SQLite: one writer thread runs every writing transaction of this process.
//!
//! SQLite has one writer at a time for the whole database. With a writing transaction per
//! blocking thread, the others wait in SQLite's busy handler, which sleeps and polls (1 ms,
//! 2 ms, 5 ms, … up to 100 ms): the lock sits idle between holders and the tail grows with
//! the number of writers. Here the writes queue in a channel instead, and the writer takes
//! everything queued at once into one transaction (`BEGIN IMMEDIATE … COMMIT`), each write
//! in a savepoint of its own:
//!
//! * each write is still atomic: one that fails is rolled back to its savepoint (its rows
//!   and its events are gone) and the others of the batch go on;
//! * each is answered only after the batch's COMMIT returned (a failed COMMIT fails every
//!   write of the batch), so an acknowledged write is a committed one;
//! * its events are announced to the hub after that commit, like `tx_blocking` does.
//!
//! A write that panics is answered with a 500 and rolled back; the writer lives on.

use super::{events, revocations, DbConn, DbTarget};
use crate::error::{AppError, AppResult};
use diesel::connection::{AnsiTransactionManager, TransactionManager};
use std::collections::BTreeMap;
use std::panic::AssertUnwindSafe;
use std::sync::mpsc;

/// At most this many writes share one commit (a bound on how long the first one waits).
const MAX_BATCH: usize = 64;

/// Where a commit's results go: the hub's wake-ups (team, last seq), ended sessions, and
/// the kinds for the events metric.
#[derive(Clone)]
pub(super) struct Announce {
    pub commits: tokio::sync::mpsc::UnboundedSender<(String, i64)>,
    pub revoked: tokio::sync::broadcast::Sender<String>,
}

/// One queued write: run it (its result kept inside), then answer it once the batch ended.
trait Write: Send {
    /// Run the use case; true when it succeeded (its savepoint is then released).
    fn run(&mut self, conn: &mut DbConn) -> bool;
    /// Answer the caller: `failed` is why the batch did not commit, if it did not.
    fn answer(self: Box<Self>, failed: Option<&str>);
}

struct Pending<T, F> {
    f: Option<F>,
    result: Option<AppResult<T>>,
    reply: Box<dyn FnOnce(AppResult<T>) + Send>,
}

impl<T, F> Write for Pending<T, F>
where
    F: FnOnce(&mut DbConn) -> AppResult<T> + Send,
    T: Send,
{
    fn run(&mut self, conn: &mut DbConn) -> bool {
        let Some(f) = self.f.take() else {
            return false;
        };
        let r = std::panic::catch_unwind(AssertUnwindSafe(|| f(conn)))
            .unwrap_or_else(|_| Err(AppError::internal("the write failed unexpectedly")));
        let ok = r.is_ok();
        self.result = Some(r);
        ok
    }

    fn answer(self: Box<Self>, failed: Option<&str>) {
        let r = match (self.result, failed) {
            (Some(Err(e)), _) => Err(e),
            (Some(Ok(_)), Some(why)) | (None, Some(why)) => Err(AppError::Unavailable(format!(
                "the write was not stored: {why}"
            ))),
            (Some(Ok(v)), None) => Ok(v),
            (None, None) => Err(AppError::internal("the write did not run")),
        };
        (self.reply)(r);
    }
}

/// The queue into this process's writer thread (SQLite only).
#[derive(Clone)]
pub struct Writer {
    queue: mpsc::Sender<Box<dyn Write>>,
}

impl Writer {
    /// Start the writer thread on its own connection to `target` (opened at the first write,
    /// after the migrations). It ends when the last `Writer` handle is dropped.
    pub(super) fn start(target: DbTarget, announce: Announce) -> Result<Writer, String> {
        let (queue, rx) = mpsc::channel::<Box<dyn Write>>();
        std::thread::Builder::new()
            .name("actboard-writer".into())
            .spawn(move || writer_loop(target, announce, rx))
            .map_err(|e| format!("cannot start the database writer: {e}"))?;
        Ok(Writer { queue })
    }

    /// Queue `f` and wait (asynchronously) for its answer after the commit.
    pub async fn write<T, F>(&self, f: F) -> AppResult<T>
    where
        F: FnOnce(&mut DbConn) -> AppResult<T> + Send + 'static,
        T: Send + 'static,
    {
        let (tx, rx) = tokio::sync::oneshot::channel();
        self.queue(f, Box::new(move |r| drop(tx.send(r))))?;
        rx.await
            .map_err(|_| AppError::Unavailable("the database writer stopped".into()))?
    }

    /// Queue `f` and block this thread until its answer (a background job's thread).
    pub fn write_blocking<T, F>(&self, f: F) -> AppResult<T>
    where
        F: FnOnce(&mut DbConn) -> AppResult<T> + Send + 'static,
        T: Send + 'static,
    {
        let (tx, rx) = mpsc::sync_channel(1);
        self.queue(f, Box::new(move |r| drop(tx.send(r))))?;
        rx.recv()
            .map_err(|_| AppError::Unavailable("the database writer stopped".into()))?
    }

    fn queue<T, F>(&self, f: F, reply: Box<dyn FnOnce(AppResult<T>) + Send>) -> AppResult<()>
    where
        F: FnOnce(&mut DbConn) -> AppResult<T> + Send + 'static,
        T: Send + 'static,
    {
        let job = Pending {
            f: Some(f),
            result: None,
            reply,
        };
        self.queue
            .send(Box::new(job))
            .map_err(|_| AppError::Unavailable("the database writer stopped".into()))
    }
}

fn writer_loop(target: DbTarget, announce: Announce, rx: mpsc::Receiver<Box<dyn Write>>) {
    let mut conn: Option<DbConn> = None;
    while let Ok(first) = rx.recv() {
        let mut batch = vec![first];
        while batch.len() < MAX_BATCH {
            match rx.try_recv() {
                Ok(w) => batch.push(w),
                Err(_) => break,
            }
        }
        if conn.is_none() {
            match target.establish() {
                Ok(c) => conn = Some(c),
                Err(e) => {
                    let why = format!("cannot open the database: {e}");
                    tracing::error!(error = %why, "database writer");
                    for w in batch {
                        w.answer(Some(&why));
                    }
                    continue;
                }
            }
        }
        let c = conn.as_mut().expect("opened above");
        if !commit_batch(c, batch, &announce) {
            // A failed BEGIN or COMMIT may leave the connection mid-transaction: start over.
            conn = None;
        }
    }
}

/// Run one batch in one transaction; false when the connection should be reopened.
fn commit_batch(conn: &mut DbConn, mut batch: Vec<Box<dyn Write>>, announce: &Announce) -> bool {
    clear_pending();
    if let Err(e) = AnsiTransactionManager::begin_transaction_sql(sqlite(conn), "BEGIN IMMEDIATE") {
        let why = e.to_string();
        for w in batch {
            w.answer(Some(&why));
        }
        return false;
    }
    // One write alone needs no savepoint: the transaction is its own.
    let alone = batch.len() == 1;
    let mut appended = Vec::new();
    let mut kinds = Vec::new();
    let mut ended = Vec::new();
    let mut kept = 0;
    let mut broken = None;
    for w in batch.iter_mut() {
        match run_one(conn, w.as_mut(), alone) {
            Ok(true) => {
                kept += 1;
                appended.extend(events::take_appended());
                kinds.extend(events::take_kinds());
                ended.extend(revocations::take());
            }
            // Its rows and its events are undone; what it announced is not ours to send.
            Ok(false) => clear_pending(),
            Err(why) => {
                broken = Some(why);
                break;
            }
        }
    }
    let outcome = match broken {
        Some(why) => Err(why),
        // The one write failed and its transaction is already rolled back.
        None if alone && kept == 0 => Ok(()),
        None => AnsiTransactionManager::commit_transaction(sqlite(conn)).map_err(|e| e.to_string()),
    };
    match outcome {
        Ok(()) => {
            let metrics = crate::metrics::global();
            metrics.write_batch(batch.len());
            metrics.events_committed(kinds.iter().map(String::as_str));
            for w in batch {
                w.answer(None);
            }
            // One wake-up per team, at its last seq, after the commit.
            let last: BTreeMap<String, i64> = appended.into_iter().collect();
            for a in last {
                let _ = announce.commits.send(a);
            }
            for staff_id in ended {
                let _ = announce.revoked.send(staff_id);
            }
            true
        }
        Err(why) => {
            // Dropping the connection (false) rolls back whatever is still open.
            tracing::error!(error = %why, writes = batch.len(), "a group commit failed");
            clear_pending();
            for w in batch {
                w.answer(Some(&why));
            }
            false
        }
    }
}

/// One write in its savepoint (or alone in the transaction): whether it was kept, or why the
/// transaction can no longer go on.
fn run_one(conn: &mut DbConn, w: &mut dyn Write, alone: bool) -> Result<bool, String> {
    if !alone {
        AnsiTransactionManager::begin_transaction(sqlite(conn)).map_err(|e| e.to_string())?;
    }
    if w.run(conn) {
        if !alone {
            AnsiTransactionManager::commit_transaction(sqlite(conn)).map_err(|e| e.to_string())?;
        }
        Ok(true)
    } else {
        // ROLLBACK TO its savepoint, or ROLLBACK when alone.
        AnsiTransactionManager::rollback_transaction(sqlite(conn)).map_err(|e| e.to_string())?;
        Ok(false)
    }
}

fn sqlite(conn: &mut DbConn) -> &mut diesel::sqlite::SqliteConnection {
    match conn {
        DbConn::Sqlite(c) => c,
        DbConn::Postgres(_) => unreachable!("the writer opens SQLite only"),
    }
}

/// Forget what a write on this thread appended or ended (it was rolled back).
fn clear_pending() {
    events::take_appended();
    events::take_kinds();
    revocations::take();
}

#[cfg(test)]
mod tests {
    use super::*;
    use diesel::connection::SimpleConnection;
    use diesel::prelude::*;
    use diesel::sql_types::{BigInt, Text};

    #[derive(QueryableByName)]
    struct Count {
        #[diesel(sql_type = BigInt)]
        n: i64,
    }

    /// A writer on a scratch database with one table `t(x TEXT UNIQUE)`.
    fn setup() -> (tempfile::TempDir, Writer, DbTarget) {
        let dir = tempfile::tempdir().unwrap();
        let target = DbTarget::Sqlite(dir.path().join("w.db"));
        let mut c = target.establish().unwrap();
        c.batch_execute("CREATE TABLE t (x TEXT NOT NULL UNIQUE)")
            .unwrap();
        let (commits, _) = tokio::sync::mpsc::unbounded_channel();
        let (revoked, _) = tokio::sync::broadcast::channel(8);
        let w = Writer::start(target.clone(), Announce { commits, revoked }).unwrap();
        (dir, w, target)
    }

    fn insert(conn: &mut DbConn, x: &str) -> AppResult<()> {
        diesel::sql_query("INSERT INTO t (x) VALUES (?)")
            .bind::<Text, _>(x)
            .execute(conn)?;
        Ok(())
    }

    fn rows(target: &DbTarget) -> Vec<String> {
        #[derive(QueryableByName)]
        struct X {
            #[diesel(sql_type = Text)]
            x: String,
        }
        let mut c = target.establish().unwrap();
        let mut v: Vec<String> = diesel::sql_query("SELECT x FROM t")
            .load::<X>(&mut c)
            .unwrap()
            .into_iter()
            .map(|r| r.x)
            .collect();
        v.sort();
        v
    }

    /// Hold the writer inside a write until the returned sender is used, so the next writes
    /// queue up and share one commit.
    fn hold(w: &Writer) -> (mpsc::Sender<()>, std::thread::JoinHandle<AppResult<()>>) {
        let (go, wait) = mpsc::channel::<()>();
        let (started, is_started) = mpsc::channel::<()>();
        let w = w.clone();
        let h = std::thread::spawn(move || {
            w.write_blocking(move |conn| {
                started.send(()).unwrap();
                wait.recv().unwrap();
                insert(conn, "held")
            })
        });
        is_started.recv().unwrap();
        (go, h)
    }

    #[test]
    fn a_failing_write_is_undone_alone_and_the_batch_commits() {
        let (_dir, w, target) = setup();
        let (go, held) = hold(&w);
        let mut threads = Vec::new();
        for x in ["a", "b", "c"] {
            let w = w.clone();
            threads.push(std::thread::spawn(move || {
                w.write_blocking(move |conn| {
                    insert(conn, x)?;
                    if x == "b" {
                        // Written, then refused: its row must not survive.
                        return Err(AppError::conflict("b refused"));
                    }
                    Ok(x.to_string())
                })
            }));
        }
        // Let the three queue behind the held write, then release it.
        std::thread::sleep(std::time::Duration::from_millis(100));
        go.send(()).unwrap();
        held.join().unwrap().unwrap();
        let answers: Vec<_> = threads.into_iter().map(|t| t.join().unwrap()).collect();
        assert_eq!(answers[0].as_deref().unwrap(), "a");
        assert_eq!(answers[1].as_ref().unwrap_err().code(), "conflict");
        assert_eq!(answers[2].as_deref().unwrap(), "c");
        assert_eq!(rows(&target), ["a", "c", "held"]);
    }

    #[test]
    fn a_write_that_panics_is_answered_and_the_writer_goes_on() {
        let (_dir, w, target) = setup();
        let r: AppResult<()> = w.write_blocking(|conn| {
            insert(conn, "before-panic")?;
            panic!("a bug in a use case");
        });
        assert_eq!(r.unwrap_err().code(), "internal");
        w.write_blocking(|conn| insert(conn, "after")).unwrap();
        assert_eq!(rows(&target), ["after"]);
    }

    #[test]
    fn a_failed_commit_fails_every_write_of_the_batch() {
        let (_dir, w, target) = setup();
        let (go, held) = hold(&w);
        let w2 = w.clone();
        let other = std::thread::spawn(move || w2.write_blocking(|conn| insert(conn, "other")));
        std::thread::sleep(std::time::Duration::from_millis(100));
        // A write that ends the transaction under the writer makes the COMMIT fail.
        let w3 = w.clone();
        let breaker = std::thread::spawn(move || {
            w3.write_blocking(|conn| {
                conn.batch_execute("ROLLBACK")?;
                Ok(())
            })
        });
        std::thread::sleep(std::time::Duration::from_millis(100));
        go.send(()).unwrap();
        // The held write committed alone; the next two shared the commit that failed.
        held.join().unwrap().unwrap();
        let other = other.join().unwrap();
        assert!(breaker.join().unwrap().is_err());
        assert_eq!(other.unwrap_err().code(), "unavailable");
        assert_eq!(rows(&target), ["held"]);
        // The writer reopened its connection and writes again.
        w.write_blocking(|conn| insert(conn, "later")).unwrap();
        assert_eq!(rows(&target), ["held", "later"]);
    }

    #[test]
    fn many_writers_all_commit_each_once() {
        let (_dir, w, target) = setup();
        let threads: Vec<_> = (0..16)
            .map(|i| {
                let w = w.clone();
                std::thread::spawn(move || {
                    for j in 0..50 {
                        let x = format!("{i}-{j}");
                        w.write_blocking(move |conn| insert(conn, &x)).unwrap();
                    }
                })
            })
            .collect();
        for t in threads {
            t.join().unwrap();
        }
        let mut c = target.establish().unwrap();
        let n: Count = diesel::sql_query("SELECT count(*) AS n FROM t")
            .get_result(&mut c)
            .unwrap();
        assert_eq!(n.n, 800);
    }
}
