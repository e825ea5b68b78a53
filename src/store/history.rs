//! A client's history across teams: every contact and crisis flag recorded for the client,
//! by whichever team recorded them. Records stay with the team that wrote them (a transfer
//! moves only open flags); the client's current team reads the rest here.
//!
//! This is the one team read that is not filtered by the caller's team: it is filtered by the
//! client, and only readers of the client's current team get it (the sending team of a
//! transfer gets 404, like any team the client is not on).

use crate::auth::{team_access, AuthUser};
use crate::db::models::{ContactRow, FlagRow};
use crate::db::schema::{contacts, crisis_flags, teams};
use crate::db::{self, Pool};
use crate::error::AppResult;
use crate::store::audit;
use crate::store::clients::load_client;
use crate::store::contacts::{with_staff, ContactOut};
use crate::store::flags::{self, FlagOut};
use diesel::prelude::*;
use serde::Serialize;
use utoipa::ToSchema;

/// At most this many contacts (the latest) and flags come back.
pub const MAX_ITEMS: i64 = 1000;

#[derive(Serialize, ToSchema)]
pub struct HistoryTeam {
    #[schema(format = Uuid)]
    pub id: String,
    pub name: String,
}

#[derive(Serialize, ToSchema)]
pub struct ClientHistory {
    #[schema(format = Uuid)]
    pub client_id: String,
    /// The client's contacts on every team, latest first (each names its `team_id`).
    pub contacts: Vec<ContactOut>,
    /// The client's crisis flags on every team: open first, then resolved, each by severity
    /// and newest first (each names its `team_id`).
    pub flags: Vec<FlagOut>,
    /// The teams that recorded any of them (names for the page).
    pub teams: Vec<HistoryTeam>,
    /// True when there were more contacts or flags than returned (`MAX_ITEMS` each).
    pub truncated: bool,
}

/// The client's history (any reader of the client's current team). The read is written to the
/// access log.
pub async fn get(
    pool: &Pool,
    user: AuthUser,
    team_id: String,
    client_id: String,
) -> AppResult<ClientHistory> {
    db::tx(pool, move |conn| {
        team_access(conn, &user, &team_id)?;
        load_client(conn, &team_id, &client_id)?;
        let contact_rows: Vec<ContactRow> = contacts::table
            .filter(contacts::client_id.eq(&client_id))
            .select(ContactRow::as_select())
            .order((contacts::occurred_at.desc(), contacts::id.asc()))
            .limit(MAX_ITEMS + 1)
            .load(conn)?;
        let mut flag_rows: Vec<FlagRow> = crisis_flags::table
            .filter(crisis_flags::client_id.eq(&client_id))
            .select(FlagRow::as_select())
            .order(crisis_flags::raised_at.desc())
            .limit(MAX_ITEMS + 1)
            .load(conn)?;
        let truncated = contact_rows.len() as i64 > MAX_ITEMS || flag_rows.len() as i64 > MAX_ITEMS;
        let contact_rows = &contact_rows[..contact_rows.len().min(MAX_ITEMS as usize)];
        flag_rows.truncate(MAX_ITEMS as usize);
        flags::sort(&mut flag_rows);
        let mut team_ids: Vec<String> = contact_rows
            .iter()
            .map(|c| c.team_id.clone())
            .chain(flag_rows.iter().map(|f| f.team_id.clone()))
            .chain(std::iter::once(team_id.clone()))
            .collect();
        team_ids.sort();
        team_ids.dedup();
        let teams = teams::table
            .filter(teams::id.eq_any(&team_ids))
            .select((teams::id, teams::name))
            .order(teams::name.asc())
            .load::<(String, String)>(conn)?
            .into_iter()
            .map(|(id, name)| HistoryTeam { id, name })
            .collect();
        audit::view(conn, Some(&user.id), &team_id, Some(&client_id), "history")?;
        Ok(ClientHistory {
            contacts: with_staff(conn, contact_rows)?,
            flags: flags::outs(conn, &flag_rows)?,
            teams,
            truncated,
            client_id,
        })
    })
    .await
}
