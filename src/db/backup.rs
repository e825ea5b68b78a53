//! `actboard backup --out FILE`: a consistent copy of a live SQLite database.
//!
//! `VACUUM INTO` reads the database in one read transaction (a snapshot: with WAL the server
//! keeps writing meanwhile, and the copy holds exactly the transactions committed before the
//! read began) and writes a compact, self-contained file (no `-wal` beside it). It goes to a
//! temporary name first, is synced and checked (`PRAGMA integrity_check`), and only then
//! linked to FILE, which must not exist: an existing backup is never overwritten and a
//! half-written one never carries the final name. PostgreSQL has its own tools (`pg_dump`).

use crate::db::DbTarget;
use diesel::connection::SimpleConnection;
use diesel::prelude::*;
use diesel::sql_types::Text;
use diesel::sqlite::SqliteConnection;
use std::path::{Path, PathBuf};

/// What a backup wrote.
#[derive(Debug)]
pub struct BackupReport {
    pub path: PathBuf,
    pub bytes: u64,
    /// Events in the copy (the log's rows, a quick measure of what it holds).
    pub events: i64,
}

pub const PG_ADVICE: &str = "actboard backup copies SQLite databases only; on PostgreSQL use \
     pg_dump (e.g. pg_dump --format=custom --file=actboard.dump \"$ACTBOARD_DATABASE_URL\") and \
     pg_restore to restore (see README, Backup and restore)";

#[derive(QueryableByName)]
struct Line {
    #[diesel(sql_type = Text)]
    integrity_check: String,
}

#[derive(QueryableByName)]
struct Count {
    #[diesel(sql_type = diesel::sql_types::BigInt)]
    n: i64,
}

pub fn backup(target: &DbTarget, out: &Path) -> Result<BackupReport, String> {
    let source = match target {
        DbTarget::Sqlite(p) => p,
        DbTarget::Postgres(_) => return Err(PG_ADVICE.into()),
    };
    if !source.is_file() {
        return Err(format!("there is no database at {}", source.display()));
    }
    if out.exists() || out.symlink_metadata().is_ok() {
        return Err(format!(
            "{} already exists; choose a new file name (a backup never overwrites one)",
            out.display()
        ));
    }
    let dir = match out.parent() {
        Some(d) if !d.as_os_str().is_empty() => d.to_path_buf(),
        _ => PathBuf::from("."),
    };
    if !dir.is_dir() {
        return Err(format!("the folder {} does not exist", dir.display()));
    }
    let name = out
        .file_name()
        .ok_or_else(|| format!("{} is not a file name", out.display()))?;
    let partial = dir.join(format!(
        ".{}.partial-{}",
        name.to_string_lossy(),
        std::process::id()
    ));
    let _ = std::fs::remove_file(&partial);
    let result = copy_and_check(source, &partial).and_then(|events| {
        // A hard link fails when `out` exists (even if created meanwhile): never overwrites.
        std::fs::hard_link(&partial, out)
            .map_err(|e| format!("cannot create {}: {e}", out.display()))?;
        Ok(events)
    });
    let _ = std::fs::remove_file(&partial);
    let events = result?;
    sync_dir(&dir);
    let bytes = std::fs::metadata(out).map(|m| m.len()).unwrap_or(0);
    Ok(BackupReport {
        path: out.to_path_buf(),
        bytes,
        events,
    })
}

fn copy_and_check(source: &Path, partial: &Path) -> Result<i64, String> {
    let mut conn = SqliteConnection::establish(&source.to_string_lossy())
        .map_err(|e| format!("cannot open {}: {e}", source.display()))?;
    // Wait for the server's writers instead of failing (VACUUM INTO only reads).
    conn.batch_execute("PRAGMA busy_timeout = 10000;")
        .map_err(|e| e.to_string())?;
    diesel::sql_query("VACUUM INTO ?")
        .bind::<Text, _>(partial.to_string_lossy().to_string())
        .execute(&mut conn)
        .map_err(|e| format!("the copy failed: {e}"))?;
    drop(conn);
    std::fs::File::open(partial)
        .and_then(|f| f.sync_all())
        .map_err(|e| format!("cannot sync the copy: {e}"))?;
    let mut copy = SqliteConnection::establish(&partial.to_string_lossy())
        .map_err(|e| format!("cannot open the copy: {e}"))?;
    let lines: Vec<Line> = diesel::sql_query("SELECT integrity_check FROM pragma_integrity_check")
        .load::<Line>(&mut copy)
        .map_err(|e| format!("cannot check the copy: {e}"))?;
    let verdict: Vec<String> = lines.into_iter().map(|l| l.integrity_check).collect();
    if verdict != ["ok"] {
        return Err(format!(
            "the copy failed its integrity check: {}",
            verdict.join("; ")
        ));
    }
    let events = diesel::sql_query("SELECT count(*) AS n FROM events")
        .get_result::<Count>(&mut copy)
        .map(|c| c.n)
        .unwrap_or(0);
    Ok(events)
}

#[cfg(unix)]
fn sync_dir(dir: &Path) {
    if let Ok(d) = std::fs::File::open(dir) {
        let _ = d.sync_all();
    }
}

#[cfg(not(unix))]
fn sync_dir(_: &Path) {}
