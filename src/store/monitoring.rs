//! What the metrics endpoint reads from the database at scrape time.

use crate::db::schema::{crisis_flags as f, teams};
use crate::db::{self, Pool};
use crate::error::AppResult;
use crate::metrics::UnacknowledgedFlags;
use diesel::dsl::{count_star, min};
use diesel::prelude::*;
use std::collections::HashMap;

/// Open flags nobody acknowledged, per team and severity, with the age of the oldest: one
/// grouped read over the open flags (few; resolved ones are skipped by the filter), then the
/// names of the teams that have any.
pub async fn unacknowledged_flags(pool: &Pool) -> AppResult<Vec<UnacknowledgedFlags>> {
    db::run(pool, |conn| {
        let rows: Vec<(String, String, i64, Option<chrono::NaiveDateTime>)> = f::table
            .filter(f::resolved_at.is_null())
            .filter(f::acknowledged_at.is_null())
            .group_by((f::team_id, f::severity))
            .select((f::team_id, f::severity, count_star(), min(f::raised_at)))
            .load(conn)?;
        let ids: Vec<&String> = rows.iter().map(|r| &r.0).collect();
        let names: HashMap<String, String> = teams::table
            .filter(teams::id.eq_any(ids))
            .select((teams::id, teams::name))
            .load::<(String, String)>(conn)?
            .into_iter()
            .collect();
        let now = db::now();
        Ok(rows
            .into_iter()
            .map(|(team_id, severity, count, oldest)| UnacknowledgedFlags {
                team_name: names.get(&team_id).cloned().unwrap_or_default(),
                team_id,
                severity,
                count,
                oldest_seconds: oldest.map_or(0, |t| (now - t).num_seconds().max(0)),
            })
            .collect())
    })
    .await
}
