//! The ICM caseload counter: the one place a case manager's count changes.
//!
//! Every client write (admission, case-manager assignment, PATCH, reactivation, transfer,
//! any bulk path) computes whose slot it releases and who must take one
//! (`domain::client::slot_change`) and calls `apply` inside its transaction. Taking a slot
//! is a conditional UPDATE (`… WHERE caseload_count < cap`), so two concurrent requests can
//! never both take the last slot; the column's CHECK (≤ 15) is the database's backstop.

use crate::db::models::TeamRow;
use crate::db::schema::{clients, memberships, staff};
use crate::db::DbConn;
use crate::domain::caseload::over_new_cap;
use crate::error::{AppError, AppResult};
use diesel::dsl::count_star;
use diesel::prelude::*;
use serde_json::{json, Map};

pub fn apply(
    conn: &mut DbConn,
    team: &TeamRow,
    release: Option<&str>,
    take: Option<&str>,
) -> AppResult<()> {
    if team.mode != "icm" {
        return Ok(());
    }
    if let Some(s) = release {
        diesel::update(
            memberships::table
                .filter(memberships::team_id.eq(&team.id))
                .filter(memberships::staff_id.eq(s))
                .filter(memberships::caseload_count.gt(0)),
        )
        .set(memberships::caseload_count.eq(memberships::caseload_count - 1))
        .execute(conn)?;
    }
    if let Some(s) = take {
        let taken = diesel::update(
            memberships::table
                .filter(memberships::team_id.eq(&team.id))
                .filter(memberships::staff_id.eq(s))
                .filter(memberships::caseload_count.lt(team.caseload_cap)),
        )
        .set(memberships::caseload_count.eq(memberships::caseload_count + 1))
        .execute(conn)?;
        if taken == 0 {
            let current: Option<(i32, String)> = memberships::table
                .inner_join(staff::table)
                .filter(memberships::team_id.eq(&team.id))
                .filter(memberships::staff_id.eq(s))
                .select((memberships::caseload_count, staff::display_name))
                .first(conn)
                .optional()?;
            return Err(match current {
                None => AppError::validation("case_manager_id", "is not a member of this team"),
                Some((current, name)) => caseload_full(s, &name, current, team.caseload_cap),
            });
        }
    }
    Ok(())
}

pub fn caseload_full(staff_id: &str, name: &str, current: i32, cap: i32) -> AppError {
    let mut extra = Map::new();
    extra.insert("cap".into(), json!(cap));
    extra.insert("current".into(), json!(current));
    extra.insert("staff_id".into(), json!(staff_id));
    AppError::Conflict {
        code: "caseload_full",
        detail: format!(
            "{name} already holds {current} of {cap} clients, the most one case manager may carry in this ICM team; \
             assign another case manager or discharge or transfer one of {name}'s clients first"
        ),
        extra,
    }
}

/// The real per-person counts of slot-holding clients, from the clients table.
pub fn recount(conn: &mut DbConn, team_id: &str) -> AppResult<Vec<(String, String, i32)>> {
    let rows: Vec<(Option<String>, i64)> = clients::table
        .filter(clients::team_id.eq(team_id))
        .filter(clients::status.eq_any(["active", "transitioning"]))
        .filter(clients::case_manager_id.is_not_null())
        .group_by(clients::case_manager_id)
        .select((clients::case_manager_id, count_star()))
        .load(conn)?;
    let names: Vec<(String, String)> = memberships::table
        .inner_join(staff::table)
        .filter(memberships::team_id.eq(team_id))
        .select((staff::id, staff::display_name))
        .load(conn)?;
    Ok(rows
        .into_iter()
        .filter_map(|(id, n)| {
            let id = id?;
            let name = names
                .iter()
                .find(|(s, _)| *s == id)
                .map(|(_, n)| n.clone())
                .unwrap_or_default();
            Some((id, name, n as i32))
        })
        .collect())
}

/// Refuse a cap (or a switch to ICM) that someone's caseload already exceeds, naming them.
pub fn check_cap(counts: &[(String, String, i32)], cap: i32) -> AppResult<()> {
    let over = over_new_cap(counts, cap);
    if over.is_empty() {
        return Ok(());
    }
    let names: Vec<String> = over.iter().map(|(_, n, c)| format!("{n} ({c})")).collect();
    let mut extra = Map::new();
    extra.insert("cap".into(), json!(cap));
    extra.insert(
        "over".into(),
        json!(over
            .iter()
            .map(|(id, n, c)| json!({"staff_id": id, "display_name": n, "current": c}))
            .collect::<Vec<_>>()),
    );
    Err(AppError::Conflict {
        code: "caseload_full",
        detail: format!(
            "a cap of {cap} is below the caseload of {}; move clients first",
            names.join(", ")
        ),
        extra,
    })
}

/// Set every member's counter from the clients table (switching a team to ICM).
pub fn reset_counters(
    conn: &mut DbConn,
    team_id: &str,
    counts: &[(String, String, i32)],
) -> AppResult<()> {
    diesel::update(memberships::table.filter(memberships::team_id.eq(team_id)))
        .set(memberships::caseload_count.eq(0))
        .execute(conn)?;
    for (id, _, n) in counts {
        diesel::update(
            memberships::table
                .filter(memberships::team_id.eq(team_id))
                .filter(memberships::staff_id.eq(id)),
        )
        .set(memberships::caseload_count.eq(n))
        .execute(conn)?;
    }
    Ok(())
}
