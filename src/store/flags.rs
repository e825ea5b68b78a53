//! Crisis flags: raised by any member, acknowledged by whoever responds, resolved with an
//! outcome. Open flags stand first on every board, emergency first.

use crate::auth::{team_access, write_access, AuthUser};
use crate::db::models::FlagRow;
use crate::db::schema::crisis_flags as f;
use crate::db::{self, DbConn, Pool};
use crate::domain::flag::Severity;
use crate::domain::roles::Role;
use crate::error::{AppError, AppResult};
use crate::store::clients::load_client;
use crate::store::events::{append, Event};
use diesel::prelude::*;
use uuid::Uuid;

pub use crate::store::records::flag::FlagOut;

fn load(conn: &mut DbConn, team_id: &str, id: &str) -> AppResult<FlagRow> {
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

/// Store a new flag and its event (after `write_access`).
pub fn insert(
    conn: &mut DbConn,
    team_id: &str,
    client_id: &str,
    severity: Severity,
    reason: &str,
    actor: &str,
) -> AppResult<FlagRow> {
    load_client(conn, team_id, client_id)?;
    let id = Uuid::new_v4().to_string();
    diesel::insert_into(f::table)
        .values((
            f::id.eq(&id),
            f::team_id.eq(team_id),
            f::client_id.eq(client_id),
            f::severity.eq(severity.as_str()),
            f::reason.eq(reason),
            f::raised_by.eq(actor),
            f::raised_at.eq(db::now()),
            f::version.eq(1),
        ))
        .execute(conn)?;
    let row = load(conn, team_id, &id)?;
    append(
        conn,
        team_id,
        Event::FlagRaised(FlagOut::from(&row)),
        Some(actor),
    )?;
    Ok(row)
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

/// The end of every flag change: the stored row, appended as `kind` for every screen.
fn announce(
    conn: &mut DbConn,
    team_id: &str,
    flag_id: &str,
    event: fn(FlagOut) -> Event,
    actor: &str,
) -> AppResult<FlagRow> {
    let row = load(conn, team_id, flag_id)?;
    append(conn, team_id, event(FlagOut::from(&row)), Some(actor))?;
    Ok(row)
}

/// Raise a crisis flag on a client (any member).
pub async fn raise(
    pool: &Pool,
    user: AuthUser,
    team_id: String,
    client_id: String,
    severity: Severity,
    reason: String,
) -> AppResult<FlagOut> {
    let row = db::tx(pool, move |conn| {
        write_access(conn, &user, &team_id, Role::Member)?;
        insert(conn, &team_id, &client_id, severity, &reason, &user.id)
    })
    .await?;
    Ok(FlagOut::from(&row))
}

/// Say "I am responding" (any member). A second responder takes the flag over; a resolved
/// flag cannot be acknowledged.
pub async fn acknowledge(
    pool: &Pool,
    user: AuthUser,
    team_id: String,
    flag_id: String,
) -> AppResult<FlagOut> {
    let row = db::tx(pool, move |conn| {
        let cur = open_flag(conn, &user, &team_id, &flag_id)?;
        if cur.acknowledged_by.as_deref() == Some(user.id.as_str()) {
            return Ok(cur);
        }
        diesel::update(f::table.filter(f::id.eq(&flag_id)))
            .set((
                f::acknowledged_by.eq(&user.id),
                f::acknowledged_at.eq(db::now()),
                f::version.eq(cur.version + 1),
            ))
            .execute(conn)?;
        announce(conn, &team_id, &flag_id, Event::FlagAcknowledged, &user.id)
    })
    .await?;
    Ok(FlagOut::from(&row))
}

/// Close a flag with its outcome (any member).
pub async fn resolve(
    pool: &Pool,
    user: AuthUser,
    team_id: String,
    flag_id: String,
    outcome: String,
) -> AppResult<FlagOut> {
    let row = db::tx(pool, move |conn| {
        let cur = open_flag(conn, &user, &team_id, &flag_id)?;
        let now = db::now();
        diesel::update(f::table.filter(f::id.eq(&flag_id)))
            .set((
                f::resolved_by.eq(&user.id),
                f::resolved_at.eq(now),
                f::outcome.eq(&outcome),
                f::acknowledged_by.eq(cur.acknowledged_by.clone().unwrap_or(user.id.clone())),
                f::acknowledged_at.eq(cur.acknowledged_at.unwrap_or(now)),
                f::version.eq(cur.version + 1),
            ))
            .execute(conn)?;
        announce(conn, &team_id, &flag_id, Event::FlagResolved, &user.id)
    })
    .await?;
    Ok(FlagOut::from(&row))
}

/// The team's flags (`open`: only open or only resolved; optionally one client's): open
/// first, emergency first.
pub async fn list(
    pool: &Pool,
    user: AuthUser,
    team_id: String,
    open: Option<bool>,
    client_id: Option<String>,
) -> AppResult<Vec<FlagOut>> {
    let mut rows = db::run(pool, move |conn| {
        team_access(conn, &user, &team_id)?;
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
        Ok(query
            .order(f::raised_at.desc())
            .limit(1000)
            .load::<FlagRow>(conn)?)
    })
    .await?;
    sort(&mut rows);
    Ok(rows.iter().map(FlagOut::from).collect())
}
