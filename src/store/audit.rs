//! The audit trail (HIPAA audit controls): who saw or changed what, when, and proof that the
//! record was not altered afterwards. `docs/AUDIT.md` explains the design.
//!
//! - **Writing** (`record`, `view`): one INSERT of an unchained entry (`seq`, `hash` NULL) in
//!   the caller's transaction: a read commits with its entry or not at all, and no shared lock
//!   is taken, so parallel reads on several instances do not queue behind each other.
//! - **Chaining** (`chain_batch`): under the chain head's lock (`audit_chain`, one row: an
//!   UPDATE takes its row lock on PostgreSQL, and a writing transaction is `BEGIN IMMEDIATE` on
//!   SQLite), the committed unchained entries, oldest first, get the next `seq` and
//!   `hash = SHA-256(prev_hash ‖ canonical(entry))`; the head moves to the last. One chainer
//!   at a time across all instances, so the chain is one total order. Every instance runs it
//!   each second (`spawn`), and the report and `verify` run it first.
//! - **Verifying** (`verify`): recompute the chain from the genesis hash in `seq` order; the
//!   first entry whose seq or hash does not match is `first_bad` (an edited entry, or the one
//!   after a deleted entry); a head beyond the last entry means the tail was deleted.

use crate::auth::AuthUser;
use crate::db::schema::{audit_chain as head, audit_log as a, clients, staff};
use crate::db::{self, DbConn, Pool};
use crate::domain::audit::{self as rules, Action, Bound, Chained, Cursor};
use crate::error::{AppError, AppResult};
use crate::store::Timestamp;
use chrono::NaiveDateTime;
use diesel::prelude::*;
use serde::Serialize;
use std::collections::HashMap;
use std::time::Duration;
use utoipa::ToSchema;

/// How many entries one chaining transaction links.
const CHAIN_BATCH: i64 = 1000;

/// Record one entry in the caller's transaction (unchained until the chainer links it).
pub fn record(
    conn: &mut DbConn,
    staff_id: Option<&str>,
    action: Action,
    team_id: Option<&str>,
    client_id: Option<&str>,
    detail: &str,
) -> AppResult<()> {
    diesel::insert_into(a::table)
        .values((
            a::id.eq(uuid::Uuid::new_v4().to_string()),
            a::at.eq(db::now()),
            a::staff_id.eq(staff_id),
            a::action.eq(action.as_str()),
            a::team_id.eq(team_id),
            a::client_id.eq(client_id),
            a::detail.eq(detail),
        ))
        .execute(conn)?;
    Ok(())
}

/// `user` read client data on `team_id`: one client's (`client_id`) or a team-wide list
/// (`client_id` None). `detail` names what was read: `record`, `card`, `history`,
/// `contacts`, `flags`, `board`, …
pub fn view(
    conn: &mut DbConn,
    staff_id: Option<&str>,
    team_id: &str,
    client_id: Option<&str>,
    detail: &str,
) -> AppResult<()> {
    record(
        conn,
        staff_id,
        Action::View,
        Some(team_id),
        client_id,
        detail,
    )
}

#[derive(Queryable, Selectable, Debug, Clone)]
#[diesel(table_name = a)]
pub struct AuditRow {
    pub id: String,
    pub seq: Option<i64>,
    pub at: NaiveDateTime,
    pub staff_id: Option<String>,
    pub action: String,
    pub team_id: Option<String>,
    pub client_id: Option<String>,
    pub detail: String,
    pub hash: Option<String>,
}

impl AuditRow {
    fn chained(&self, seq: i64) -> Chained<'_> {
        Chained {
            seq,
            id: &self.id,
            at: self.at,
            staff_id: self.staff_id.as_deref(),
            action: &self.action,
            team_id: self.team_id.as_deref(),
            client_id: self.client_id.as_deref(),
            detail: &self.detail,
        }
    }
}

/// Link up to `CHAIN_BATCH` committed unchained entries, in the caller's writing transaction;
/// how many were linked.
pub fn chain_batch(conn: &mut DbConn) -> AppResult<usize> {
    // The head's row lock (PostgreSQL; SQLite's writing transaction already excludes others):
    // one chainer at a time on every instance. Under READ COMMITTED the reads below then see
    // what the previous chainer committed.
    diesel::update(head::table.filter(head::id.eq(1)))
        .set(head::seq.eq(head::seq))
        .execute(conn)?;
    let (mut seq, mut prev): (i64, String) = head::table
        .filter(head::id.eq(1))
        .select((head::seq, head::hash))
        .first(conn)?;
    let pending: Vec<AuditRow> = a::table
        .filter(a::seq.is_null())
        .order((a::at.asc(), a::id.asc()))
        .limit(CHAIN_BATCH)
        .select(AuditRow::as_select())
        .load(conn)?;
    let mut linked: Vec<(&str, i64, String)> = Vec::with_capacity(pending.len());
    for row in &pending {
        seq += 1;
        let hash = rules::hash(&prev, &row.chained(seq));
        prev = hash.clone();
        linked.push((&row.id, seq, hash));
    }
    for chunk in linked.chunks(UPDATE_CHUNK) {
        link(conn, chunk)?;
    }
    if !pending.is_empty() {
        diesel::update(head::table.filter(head::id.eq(1)))
            .set((head::seq.eq(seq), head::hash.eq(&prev)))
            .execute(conn)?;
    }
    Ok(pending.len())
}

/// Rows set per UPDATE statement (3 parameters each, well below SQLite's limit).
const UPDATE_CHUNK: usize = 250;

/// Give these entries their seq and hash in one statement (one round trip per chunk instead
/// of one per entry): `UPDATE … SET seq = CASE id WHEN $1 THEN $2 … END, hash = CASE …`.
fn link(conn: &mut DbConn, rows: &[(&str, i64, String)]) -> AppResult<()> {
    use diesel::sql_types::{BigInt, Text};
    type Backend = <DbConn as diesel::Connection>::Backend;
    // Numbered parameters: `$n` on PostgreSQL, `?n` on SQLite.
    let mark = if matches!(conn, DbConn::Postgres(_)) {
        '$'
    } else {
        '?'
    };
    let mut n = 0;
    let mut next = || {
        n += 1;
        format!("{mark}{n}")
    };
    let mut seqs = String::new();
    for _ in rows {
        seqs.push_str(&format!(" WHEN {} THEN CAST({} AS BIGINT)", next(), next()));
    }
    let mut hashes = String::new();
    for _ in rows {
        hashes.push_str(&format!(" WHEN {} THEN {}", next(), next()));
    }
    let ids: Vec<String> = rows.iter().map(|_| next()).collect();
    let sql = format!(
        "UPDATE audit_log SET seq = CASE id{seqs} END, hash = CASE id{hashes} END WHERE id IN ({})",
        ids.join(", ")
    );
    let mut q = diesel::sql_query(sql).into_boxed::<Backend>();
    for (id, seq, _) in rows {
        q = q.bind::<Text, _>(*id).bind::<BigInt, _>(*seq);
    }
    for (id, _, hash) in rows {
        q = q.bind::<Text, _>(*id).bind::<Text, _>(hash.as_str());
    }
    for (id, _, _) in rows {
        q = q.bind::<Text, _>(*id);
    }
    let n = q.execute(conn)?;
    if n != rows.len() {
        return Err(AppError::internal(format!(
            "chaining set {n} audit entries of {}",
            rows.len()
        )));
    }
    Ok(())
}

/// Is anything waiting to be chained? (a cheap read, outside any writing transaction)
fn pending(conn: &mut DbConn) -> AppResult<bool> {
    Ok(a::table
        .filter(a::seq.is_null())
        .select(a::id)
        .first::<String>(conn)
        .optional()?
        .is_some())
}

/// Chain everything committed so far (batch after batch), on a thread that may block.
pub fn chain_blocking(pool: &Pool) -> AppResult<usize> {
    let mut total = 0;
    loop {
        {
            let mut conn = pool.get()?;
            if !pending(&mut conn)? {
                return Ok(total);
            }
        }
        let n = db::tx_blocking(pool, chain_batch)?;
        total += n;
        if n < CHAIN_BATCH as usize {
            return Ok(total);
        }
    }
}

pub async fn chain(pool: &Pool) -> AppResult<usize> {
    let pool = pool.clone();
    actix_web::web::block(move || chain_blocking(&pool)).await?
}

/// Chain every `every` on a thread of its own until `alive` can no longer be upgraded.
pub fn spawn(pool: Pool, every: Duration, alive: std::sync::Weak<()>) {
    let started = std::thread::Builder::new()
        .name("actboard-audit-chain".into())
        .spawn(move || loop {
            std::thread::sleep(every);
            if alive.upgrade().is_none() {
                return;
            }
            if let Err(e) = chain_blocking(&pool) {
                tracing::warn!(error = %e, "chaining audit entries failed");
            }
        });
    if let Err(e) = started {
        tracing::error!(error = %e, "cannot start the audit chainer");
    }
}

/// One entry of the report.
#[derive(Serialize, ToSchema, Debug, Clone)]
pub struct AuditEntryOut {
    pub id: String,
    /// Its place in the chain (null for the moment between its write and its chaining).
    pub seq: Option<i64>,
    pub at: Timestamp,
    /// Who (null for a failed sign-in of an unknown user, or the server itself).
    pub staff_id: Option<String>,
    pub staff_name: Option<String>,
    /// `view`, `change`, `export`, `sign_in` or `sign_in_failed`.
    pub action: String,
    pub team_id: Option<String>,
    pub client_id: Option<String>,
    pub client_name: Option<String>,
    /// What was read (`record`, `card`, `history`, `contacts`, `flags`, `flags.open`,
    /// `board`, …), the event kind of a change, the export's file, or the username of a
    /// sign-in.
    pub detail: String,
    /// hex SHA-256 over the previous entry's hash and this entry (null until chained).
    pub hash: Option<String>,
}

#[derive(Serialize, ToSchema)]
pub struct AuditPage {
    pub entries: Vec<AuditEntryOut>,
    /// Pass as `cursor` for the next page; null on the last page.
    pub next_cursor: Option<String>,
}

/// The report's filters, checked.
#[derive(Debug, Clone, Default)]
pub struct AuditFilter {
    pub client_id: Option<String>,
    pub staff_id: Option<String>,
    pub action: Option<Action>,
    /// Inclusive.
    pub from: Option<NaiveDateTime>,
    /// Exclusive.
    pub to: Option<NaiveDateTime>,
    pub ascending: bool,
    pub limit: i64,
    pub cursor: Option<Cursor>,
}

impl AuditFilter {
    /// From the request's values; 422 naming the field.
    #[allow(clippy::too_many_arguments)]
    pub fn parse(
        client_id: Option<String>,
        staff_id: Option<String>,
        action: Option<Action>,
        from: Option<&str>,
        to: Option<&str>,
        ascending: bool,
        limit: Option<i64>,
        cursor: Option<&str>,
    ) -> AppResult<AuditFilter> {
        Ok(AuditFilter {
            client_id,
            staff_id,
            action,
            from: from
                .map(|s| rules::parse_bound(s, Bound::From))
                .transpose()
                .map_err(|m| AppError::validation("from", m))?,
            to: to
                .map(|s| rules::parse_bound(s, Bound::To))
                .transpose()
                .map_err(|m| AppError::validation("to", m))?,
            ascending,
            limit: rules::check_limit(limit).map_err(|m| AppError::validation("limit", m))?,
            cursor: cursor
                .map(Cursor::decode)
                .transpose()
                .map_err(|m| AppError::validation("cursor", m))?,
        })
    }
}

/// The entries matching `f`, one page, in time order (then id).
fn query(conn: &mut DbConn, f: &AuditFilter) -> AppResult<Vec<AuditRow>> {
    let mut q = a::table.select(AuditRow::as_select()).into_boxed();
    if let Some(c) = &f.client_id {
        q = q.filter(a::client_id.eq(c.clone()));
    }
    if let Some(s) = &f.staff_id {
        q = q.filter(a::staff_id.eq(s.clone()));
    }
    if let Some(act) = f.action {
        q = q.filter(a::action.eq(act.as_str()));
    }
    if let Some(t) = f.from {
        q = q.filter(a::at.ge(t));
    }
    if let Some(t) = f.to {
        q = q.filter(a::at.lt(t));
    }
    if let Some(c) = &f.cursor {
        q = if f.ascending {
            q.filter(
                a::at
                    .gt(c.at)
                    .or(a::at.eq(c.at).and(a::id.gt(c.id.clone()))),
            )
        } else {
            q.filter(
                a::at
                    .lt(c.at)
                    .or(a::at.eq(c.at).and(a::id.lt(c.id.clone()))),
            )
        };
    }
    q = if f.ascending {
        q.order((a::at.asc(), a::id.asc()))
    } else {
        q.order((a::at.desc(), a::id.desc()))
    };
    Ok(q.limit(f.limit).load(conn)?)
}

/// The rows as the report shows them, with the names of the people and clients named.
fn outs(conn: &mut DbConn, rows: Vec<AuditRow>) -> AppResult<Vec<AuditEntryOut>> {
    let staff_ids: Vec<&String> = rows.iter().filter_map(|r| r.staff_id.as_ref()).collect();
    let client_ids: Vec<&String> = rows.iter().filter_map(|r| r.client_id.as_ref()).collect();
    let staff_names: HashMap<String, String> = staff::table
        .filter(staff::id.eq_any(staff_ids))
        .select((staff::id, staff::display_name))
        .load::<(String, String)>(conn)?
        .into_iter()
        .collect();
    let client_names: HashMap<String, String> = clients::table
        .filter(clients::id.eq_any(client_ids))
        .select((clients::id, clients::given_name, clients::family_name))
        .load::<(String, String, String)>(conn)?
        .into_iter()
        .map(|(id, g, f)| (id, format!("{g} {f}")))
        .collect();
    Ok(rows
        .into_iter()
        .map(|r| AuditEntryOut {
            staff_name: r
                .staff_id
                .as_ref()
                .and_then(|s| staff_names.get(s).cloned()),
            client_name: r
                .client_id
                .as_ref()
                .and_then(|c| client_names.get(c).cloned()),
            id: r.id,
            seq: r.seq,
            at: r.at.into(),
            staff_id: r.staff_id,
            action: r.action,
            team_id: r.team_id,
            client_id: r.client_id,
            detail: r.detail,
            hash: r.hash,
        })
        .collect())
}

fn page(conn: &mut DbConn, f: &AuditFilter) -> AppResult<AuditPage> {
    // One more than asked: a next page exists only when it is there.
    let mut rows = query(
        conn,
        &AuditFilter {
            limit: f.limit + 1,
            ..f.clone()
        },
    )?;
    let more = rows.len() as i64 > f.limit;
    rows.truncate(f.limit as usize);
    let next_cursor = more.then(|| rows.last()).flatten().map(|r| {
        Cursor {
            at: r.at,
            id: r.id.clone(),
        }
        .encode()
    });
    Ok(AuditPage {
        entries: outs(conn, rows)?,
        next_cursor,
    })
}

/// The report (admins only): one page of entries matching `f`, chained first so every
/// committed entry shows its hash.
pub async fn list(pool: &Pool, user: AuthUser, f: AuditFilter) -> AppResult<AuditPage> {
    user.require_admin("read the audit trail")?;
    chain(pool).await?;
    db::run(pool, move |conn| page(conn, &f)).await
}

/// The largest export (rows): a report beyond it is refused with a word on narrowing it.
pub const EXPORT_MAX: i64 = 100_000;

/// Every entry matching `f` (no paging) for the CSV export; the export itself is recorded
/// (an `export` entry, detail `audit.csv` and the filters) in the same transaction.
pub async fn export(
    pool: &Pool,
    user: AuthUser,
    mut f: AuditFilter,
    described: String,
) -> AppResult<Vec<AuditEntryOut>> {
    user.require_admin("export the audit trail")?;
    chain(pool).await?;
    f.limit = EXPORT_MAX + 1;
    f.cursor = None;
    db::tx(pool, move |conn| {
        let rows = query(conn, &f)?;
        if rows.len() as i64 > EXPORT_MAX {
            return Err(AppError::validation(
                "to",
                format!("more than {EXPORT_MAX} entries: narrow the dates"),
            ));
        }
        record(
            conn,
            Some(&user.id),
            Action::Export,
            None,
            f.client_id.as_deref(),
            &described,
        )?;
        outs(conn, rows)
    })
    .await
}

/// The chain's verification.
#[derive(Serialize, ToSchema, Debug)]
pub struct Verification {
    /// Every chained entry's hash matches, seqs run 1..n without a gap, and the head is the
    /// last entry.
    pub ok: bool,
    /// How many chained entries were checked.
    pub entries: i64,
    /// The id of the first entry whose seq or hash does not match (an edited entry, or the
    /// one after a deleted entry); null when ok, or when only the tail was deleted.
    pub first_bad: Option<String>,
    /// What was found, in words.
    pub detail: String,
    /// The hash of the last entry: write it down elsewhere to detect a rewritten chain.
    pub head_hash: String,
}

/// Recompute the chain in `seq` order, in one snapshot.
pub fn verify_conn(conn: &mut DbConn) -> AppResult<Verification> {
    db::read_tx(conn, |conn| {
        let (head_seq, head_hash): (i64, String) = head::table
            .filter(head::id.eq(1))
            .select((head::seq, head::hash))
            .first(conn)?;
        let mut prev = rules::GENESIS.to_string();
        let mut expected = 1i64;
        let mut checked = 0i64;
        let mut after = 0i64;
        loop {
            let rows: Vec<AuditRow> = a::table
                .filter(a::seq.gt(after))
                .order(a::seq.asc())
                .limit(CHAIN_BATCH)
                .select(AuditRow::as_select())
                .load(conn)?;
            let Some(last) = rows.last() else { break };
            after = last.seq.unwrap_or(after);
            for row in &rows {
                let seq = row.seq.unwrap_or_default();
                let bad = |detail: String| Verification {
                    ok: false,
                    entries: checked,
                    first_bad: Some(row.id.clone()),
                    detail,
                    head_hash: head_hash.clone(),
                };
                if seq != expected {
                    return Ok(bad(format!(
                        "entry {} has seq {seq} where {expected} was expected: entries are missing before it",
                        row.id
                    )));
                }
                let hash = rules::hash(&prev, &row.chained(seq));
                if row.hash.as_deref() != Some(hash.as_str()) {
                    return Ok(bad(format!(
                        "entry {} (seq {seq}) does not match its hash: it was changed, or one before it was",
                        row.id
                    )));
                }
                checked += 1;
                expected += 1;
                prev = hash;
            }
        }
        let last_seq = expected - 1;
        if last_seq != head_seq || prev != head_hash {
            return Ok(Verification {
                ok: false,
                entries: checked,
                first_bad: None,
                detail: format!(
                    "the chain ends at seq {last_seq} but its head says {head_seq}: the last entries were deleted or the head was changed"
                ),
                head_hash,
            });
        }
        Ok(Verification {
            ok: true,
            entries: checked,
            first_bad: None,
            detail: format!("{checked} entries, every hash matches"),
            head_hash,
        })
    })
}

/// Verify the whole chain (admins only), after chaining what is committed.
pub async fn verify(pool: &Pool, user: AuthUser) -> AppResult<Verification> {
    user.require_admin("verify the audit trail")?;
    chain(pool).await?;
    db::run(pool, verify_conn).await
}
