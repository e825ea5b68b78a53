//! Crisis flags: raised by any member with a category, answered by everyone who responds
//! (nobody is ever removed), resolved with an outcome, escalated when an emergency goes
//! unanswered (`store::escalation`). Open flags stand first on every board, emergency first.

use crate::auth::{team_access, write_access, AuthUser};
use crate::db::models::FlagRow;
use crate::db::schema::{clients, crisis_flag_responders as r, crisis_flags as f, staff};
use crate::db::{self, DbConn, Pool};
use crate::domain::client::Status;
use crate::domain::flag::{Category, Severity};
use crate::domain::page::{self, Page, PageReq};
use crate::domain::roles::Role;
use crate::error::{AppError, AppResult};
use crate::store::audit;
use crate::store::events::{append, Event};
use diesel::dsl::sql;
use diesel::prelude::*;
use diesel::sql_types::Integer;
use std::collections::HashMap;
use uuid::Uuid;

pub use crate::store::records::flag::{FlagEscalated, FlagOut, ResponderOut};

pub fn load(conn: &mut DbConn, team_id: &str, id: &str) -> AppResult<FlagRow> {
    f::table
        .filter(f::team_id.eq(team_id))
        .filter(f::id.eq(id))
        .select(FlagRow::as_select())
        .first(conn)
        .optional()?
        .ok_or_else(|| AppError::not_found("flag"))
}

/// Open flags first (emergency, urgent, watch; newest first within a severity), then resolved.
pub fn sort(rows: &mut [FlagRow]) {
    rows.sort_by(|a, b| {
        (
            a.resolved_at.is_some(),
            Severity::rank(&a.severity),
            std::cmp::Reverse(a.raised_at),
        )
            .cmp(&(
                b.resolved_at.is_some(),
                Severity::rank(&b.severity),
                std::cmp::Reverse(b.raised_at),
            ))
    });
}

/// The records of stored flags, in their order: each with its client's initials and its
/// responders (two queries for any number of flags).
pub fn outs(conn: &mut DbConn, rows: &[FlagRow]) -> AppResult<Vec<FlagOut>> {
    if rows.is_empty() {
        return Ok(vec![]);
    }
    let flag_ids: Vec<&str> = rows.iter().map(|x| x.id.as_str()).collect();
    let mut client_ids: Vec<&str> = rows.iter().map(|x| x.client_id.as_str()).collect();
    client_ids.sort_unstable();
    client_ids.dedup();
    let initials: HashMap<String, String> = clients::table
        .filter(clients::id.eq_any(&client_ids))
        .select((clients::id, clients::initials))
        .load::<(String, String)>(conn)?
        .into_iter()
        .collect();
    let mut responders: HashMap<String, Vec<ResponderOut>> = HashMap::new();
    let rows_r: Vec<(String, String, String, chrono::NaiveDateTime)> = r::table
        .inner_join(staff::table)
        .filter(r::flag_id.eq_any(&flag_ids))
        .select((r::flag_id, r::staff_id, staff::display_name, r::at))
        .order((r::at.asc(), r::staff_id.asc()))
        .load(conn)?;
    for (flag_id, staff_id, display_name, at) in rows_r {
        responders.entry(flag_id).or_default().push(ResponderOut {
            initials: crate::domain::staff::initials(&display_name),
            staff_id,
            display_name,
            at: at.into(),
        });
    }
    Ok(rows
        .iter()
        .map(|x| {
            FlagOut::new(
                x,
                initials.get(&x.client_id).cloned().unwrap_or_default(),
                responders.remove(&x.id).unwrap_or_default(),
            )
        })
        .collect())
}

pub fn out(conn: &mut DbConn, row: &FlagRow) -> AppResult<FlagOut> {
    Ok(outs(conn, std::slice::from_ref(row))?.remove(0))
}

/// The new flag's content.
pub struct NewFlag {
    pub severity: Severity,
    pub category: Category,
    pub reason: String,
}

/// Store a new flag and its event (after `write_access`).
pub fn insert(
    conn: &mut DbConn,
    team_id: &str,
    client_id: &str,
    new: &NewFlag,
    actor: &str,
) -> AppResult<FlagOut> {
    // The client, on this team (not `clients::load_client`: clients imports this module).
    let status: String = clients::table
        .filter(clients::team_id.eq(team_id))
        .filter(clients::id.eq(client_id))
        .select(clients::status)
        .first(conn)
        .optional()?
        .ok_or_else(|| AppError::not_found("client"))?;
    // A discharged or declined client has no row on the board: its flag would stay pinned
    // to nobody.
    if Status::parse(&status).is_some_and(Status::is_closed) {
        return Err(AppError::conflict(format!(
            "the client is {status}; readmit or re-refer them before raising a flag"
        )));
    }
    let id = Uuid::new_v4().to_string();
    diesel::insert_into(f::table)
        .values((
            f::id.eq(&id),
            f::team_id.eq(team_id),
            f::client_id.eq(client_id),
            f::severity.eq(new.severity.as_str()),
            f::category.eq(new.category.as_str()),
            f::reason.eq(&new.reason),
            f::raised_by.eq(actor),
            f::raised_at.eq(db::now()),
            f::version.eq(1),
        ))
        .execute(conn)?;
    announce(conn, team_id, &id, Event::FlagRaised, Some(actor))
}

/// The start of acknowledge and resolve: a member's write access, then the flag, which must
/// still be open.
fn open_flag(
    conn: &mut DbConn,
    user: &AuthUser,
    team_id: &str,
    flag_id: &str,
) -> AppResult<FlagRow> {
    write_access(conn, user, team_id, Role::Member)?;
    let cur = load(conn, team_id, flag_id)?;
    if cur.resolved_at.is_some() {
        return Err(AppError::conflict("this flag is already resolved"));
    }
    Ok(cur)
}

/// The end of every flag change: the stored flag, appended as `event` for every screen.
pub fn announce(
    conn: &mut DbConn,
    team_id: &str,
    flag_id: &str,
    event: fn(FlagOut) -> Event,
    actor: Option<&str>,
) -> AppResult<FlagOut> {
    let row = load(conn, team_id, flag_id)?;
    let out = out(conn, &row)?;
    append(conn, team_id, event(out.clone()), actor)?;
    Ok(out)
}

/// Add `staff_id` to the flag's responders (the first one is also `acknowledged_by`).
/// Returns false when they already respond (nothing written).
pub fn add_responder(conn: &mut DbConn, cur: &FlagRow, staff_id: &str) -> AppResult<bool> {
    let already: i64 = r::table
        .filter(r::flag_id.eq(&cur.id))
        .filter(r::staff_id.eq(staff_id))
        .count()
        .get_result(conn)?;
    if already > 0 {
        return Ok(false);
    }
    let now = db::now();
    diesel::insert_into(r::table)
        .values((
            r::flag_id.eq(&cur.id),
            r::staff_id.eq(staff_id),
            r::team_id.eq(&cur.team_id),
            r::at.eq(now),
        ))
        .execute(conn)?;
    if cur.acknowledged_by.is_none() {
        diesel::update(f::table.filter(f::id.eq(&cur.id)))
            .set((f::acknowledged_by.eq(staff_id), f::acknowledged_at.eq(now)))
            .execute(conn)?;
    }
    Ok(true)
}

/// Raise a crisis flag on a client (any member).
pub async fn raise(
    pool: &Pool,
    user: AuthUser,
    team_id: String,
    client_id: String,
    new: NewFlag,
) -> AppResult<FlagOut> {
    db::tx(pool, move |conn| {
        write_access(conn, &user, &team_id, Role::Member)?;
        insert(conn, &team_id, &client_id, &new, &user.id)
    })
    .await
}

/// Say "I am responding" (any member): the caller joins the responders. Saying it again
/// changes nothing (no event); a resolved flag cannot be acknowledged.
pub async fn acknowledge(
    pool: &Pool,
    user: AuthUser,
    team_id: String,
    flag_id: String,
) -> AppResult<FlagOut> {
    db::tx(pool, move |conn| {
        let cur = open_flag(conn, &user, &team_id, &flag_id)?;
        if !add_responder(conn, &cur, &user.id)? {
            return out(conn, &cur);
        }
        diesel::update(f::table.filter(f::id.eq(&flag_id)))
            .set(f::version.eq(cur.version + 1))
            .execute(conn)?;
        announce(
            conn,
            &team_id,
            &flag_id,
            Event::FlagAcknowledged,
            Some(&user.id),
        )
    })
    .await
}

/// Close an open flag with its outcome (after `write_access`). Nobody responding yet: the
/// one who resolves it counts as the responder.
pub fn resolve_row(
    conn: &mut DbConn,
    cur: &FlagRow,
    actor: &str,
    outcome: &str,
) -> AppResult<FlagOut> {
    if cur.acknowledged_by.is_none() {
        add_responder(conn, cur, actor)?;
    }
    diesel::update(f::table.filter(f::id.eq(&cur.id)))
        .set((
            f::resolved_by.eq(actor),
            f::resolved_at.eq(db::now()),
            f::outcome.eq(outcome),
            f::version.eq(cur.version + 1),
        ))
        .execute(conn)?;
    announce(
        conn,
        &cur.team_id,
        &cur.id,
        Event::FlagResolved,
        Some(actor),
    )
}

/// Close a flag with its outcome (any member).
pub async fn resolve(
    pool: &Pool,
    user: AuthUser,
    team_id: String,
    flag_id: String,
    outcome: String,
) -> AppResult<FlagOut> {
    db::tx(pool, move |conn| {
        let cur = open_flag(conn, &user, &team_id, &flag_id)?;
        resolve_row(conn, &cur, &user.id, &outcome)
    })
    .await
}

/// A client's open flags on a team, in board order.
pub fn open_of_client(
    conn: &mut DbConn,
    team_id: &str,
    client_id: &str,
) -> AppResult<Vec<FlagRow>> {
    let mut rows: Vec<FlagRow> = f::table
        .filter(f::team_id.eq(team_id))
        .filter(f::client_id.eq(client_id))
        .filter(f::resolved_at.is_null())
        .select(FlagRow::as_select())
        .load(conn)?;
    sort(&mut rows);
    Ok(rows)
}

/// Move open flags (`ids`, of a client transferred from `from` to `to`) to the receiving
/// team, responders included, and announce each there (after both teams are locked).
pub fn move_in(
    conn: &mut DbConn,
    from: &str,
    to: &str,
    ids: &[String],
    actor: &str,
) -> AppResult<()> {
    if ids.is_empty() {
        return Ok(());
    }
    diesel::update(
        f::table
            .filter(f::team_id.eq(from))
            .filter(f::id.eq_any(ids)),
    )
    .set((f::team_id.eq(to), f::version.eq(f::version + 1)))
    .execute(conn)?;
    diesel::update(
        r::table
            .filter(r::team_id.eq(from))
            .filter(r::flag_id.eq_any(ids)),
    )
    .set(r::team_id.eq(to))
    .execute(conn)?;
    for id in ids {
        announce(conn, to, id, Event::FlagTransferredIn, Some(actor))?;
    }
    Ok(())
}

/// The team's flags (`open`: only open or only resolved; optionally one client's): open
/// first, emergency first. The read is audited.
pub async fn list(
    pool: &Pool,
    user: AuthUser,
    team_id: String,
    open: Option<bool>,
    client_id: Option<String>,
    page: PageReq,
) -> AppResult<Page<FlagOut>> {
    // The order of `sort`, in SQL: open first, then severity, newest first, then id.
    let resolved =
        || sql::<Integer>("(CASE WHEN crisis_flags.resolved_at IS NULL THEN 0 ELSE 1 END)");
    let rank = || {
        sql::<Integer>(
            "(CASE crisis_flags.severity WHEN 'emergency' THEN 0 WHEN 'urgent' THEN 1 \
             WHEN 'watch' THEN 2 ELSE 3 END)",
        )
    };
    let after = match page.after.as_deref() {
        Some([o, r, at, id]) => Some((
            page::number(o).map_err(AppError::from_field)?,
            page::number(r).map_err(AppError::from_field)?,
            page::instant(at).map_err(AppError::from_field)?,
            id.clone(),
        )),
        _ => None,
    };
    db::tx(pool, move |conn| {
        team_access(conn, &user, &team_id)?;
        // Audited in the read's transaction: one client's flags, or a team-wide list named.
        let detail = match (&client_id, open) {
            (Some(_), _) => "flags",
            (None, Some(true)) => "flags.open",
            (None, Some(false)) => "flags.resolved",
            (None, None) => "flags.all",
        };
        audit::view(conn, Some(&user.id), &team_id, client_id.as_deref(), detail)?;
        let mut query = f::table
            .filter(f::team_id.eq(&team_id))
            .select(FlagRow::as_select())
            .into_boxed();
        match open {
            Some(true) => query = query.filter(f::resolved_at.is_null()),
            Some(false) => query = query.filter(f::resolved_at.is_not_null()),
            None => {}
        }
        if let Some(c) = client_id {
            query = query.filter(f::client_id.eq(c));
        }
        if let Some((o, r, at, id)) = after {
            query = query.filter(
                resolved()
                    .gt(o)
                    .or(resolved().eq(o).and(rank().gt(r)))
                    .or(resolved().eq(o).and(rank().eq(r)).and(f::raised_at.lt(at)))
                    .or(resolved()
                        .eq(o)
                        .and(rank().eq(r))
                        .and(f::raised_at.eq(at))
                        .and(f::id.gt(id))),
            );
        }
        let mut rows = query
            .order((
                resolved().asc(),
                rank().asc(),
                f::raised_at.desc(),
                f::id.asc(),
            ))
            .limit(page.limit + 1)
            .load::<FlagRow>(conn)?;
        sort(&mut rows);
        let (rows, next) = page::split(rows, page.limit, LIST, |r| {
            vec![
                i32::from(r.resolved_at.is_some()).to_string(),
                Severity::rank(&r.severity).to_string(),
                page::instant_key(r.raised_at),
                r.id.clone(),
            ]
        });
        Ok(Page {
            items: outs(conn, &rows)?,
            next,
        })
    })
    .await
}

/// The name of the flags list in its cursors (resolved 0/1, severity rank, raised at, id).
pub const LIST: &str = "flags";
