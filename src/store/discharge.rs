//! Discharge: a discharged client has a reason and a day (outcomes are measured from them),
//! and no open crisis flag is left pinned to a client who is no longer on the board: they are
//! refused (409 `open_flags`) or resolved in the same transaction with the given outcome.

use crate::db::models::{ClientRow, TeamRow};
use crate::db::schema::clients;
use crate::db::{self, DbConn};
use crate::domain::client::{discharge_change, DischargeChange, DischargeInput, Status};
use crate::domain::time;
use crate::error::{AppError, AppResult};
use crate::store::flags;
use crate::store::oncall::tz_of;
use diesel::prelude::*;
use serde_json::{json, Map};

/// Record what a write from `before` to status `after` does to the discharge (after
/// `write_access`, before the client row itself is saved, in the same transaction).
/// `resolve_outcome`: the outcome for open flags (`resolve_open_flags`).
pub fn apply(
    conn: &mut DbConn,
    team: &TeamRow,
    before: &ClientRow,
    after: Status,
    input: DischargeInput,
    resolve_outcome: Option<&str>,
    actor: &str,
) -> AppResult<()> {
    let from =
        Status::parse(&before.status).ok_or_else(|| AppError::internal("bad stored status"))?;
    let now = db::now();
    let today = time::today(tz_of(team)?, now.and_utc());
    let change = discharge_change(from, after, input, today).map_err(AppError::from_fields)?;
    let target = || {
        clients::table
            .filter(clients::team_id.eq(&team.id))
            .filter(clients::id.eq(&before.id))
    };
    match change {
        DischargeChange::Keep => {}
        DischargeChange::Clear => {
            diesel::update(target())
                .set((
                    clients::discharge_reason.eq(None::<String>),
                    clients::discharged_on.eq(None::<String>),
                    clients::discharged_at.eq(None::<chrono::NaiveDateTime>),
                ))
                .execute(conn)?;
        }
        DischargeChange::Record { new, reason, on } => {
            let open = flags::open_of_client(conn, &team.id, &before.id)?;
            match (open.is_empty(), resolve_outcome) {
                (true, _) => {}
                (false, Some(outcome)) => {
                    for f in &open {
                        flags::resolve_row(conn, f, actor, outcome)?;
                    }
                }
                (false, None) => {
                    let ids: Vec<String> = open.iter().map(|f| f.id.clone()).collect();
                    let mut extra = Map::new();
                    extra.insert("flags".into(), json!(ids));
                    return Err(AppError::Conflict {
                        code: "open_flags",
                        detail: format!(
                            "the client has {} open crisis flag(s); resolve them first, or send resolve_open_flags: {{outcome}} to resolve them with the discharge",
                            ids.len()
                        ),
                        extra,
                    });
                }
            }
            let day = |d: chrono::NaiveDate| d.format("%Y-%m-%d").to_string();
            if new {
                diesel::update(target())
                    .set((
                        clients::discharge_reason.eq(reason.map(|r| r.as_str())),
                        clients::discharged_on.eq(day(on.unwrap_or(today))),
                        clients::discharged_at.eq(now),
                    ))
                    .execute(conn)?;
            } else {
                if let Some(r) = reason {
                    diesel::update(target())
                        .set(clients::discharge_reason.eq(r.as_str()))
                        .execute(conn)?;
                }
                if let Some(d) = on {
                    diesel::update(target())
                        .set(clients::discharged_on.eq(day(d)))
                        .execute(conn)?;
                }
            }
        }
    }
    Ok(())
}
