//! What comes due in the care cycle (issue 14): reassessments (six months after the latest
//! assessment), plan reviews (90 days after the last), goals at their target day. Only for
//! clients on the caseload (active or transitioning). The rule deciding what is due and overdue
//! is `domain::care::due`; this gathers the dates in four queries, whatever the caseload size.

use crate::auth::{team_access, AuthUser};
use crate::db::schema::{assessments as a, clients as c, plan_goals as g, support_plans as sp};
use crate::db::{self, Pool};
use crate::domain::care::due::{due_within, DueDate, DueKind};
use crate::domain::care::plan::GoalLifecycle;
use crate::domain::time;
use crate::error::AppResult;
use crate::store::oncall::tz_of;
use crate::store::teams::load_team;
use chrono::NaiveDate;
use diesel::prelude::*;
use serde::Serialize;
use std::collections::HashMap;
use utoipa::ToSchema;

/// One thing due for a client.
#[derive(Serialize, ToSchema, Clone, Debug)]
pub struct DueItemOut {
    #[schema(format = Uuid)]
    pub client_id: String,
    pub kind: DueKind,
    /// YYYY-MM-DD.
    pub due_on: String,
    /// Due before today (team-local).
    pub overdue: bool,
    /// For `goal_target`: the goal.
    #[schema(format = Uuid)]
    pub goal_id: Option<String>,
}

fn parse(d: &str) -> Option<NaiveDate> {
    time::parse_day(d).ok()
}

/// The team's due items within `within_days` of today (overdue ones however old), overdue
/// first, then by day.
pub async fn list(
    pool: &Pool,
    user: AuthUser,
    team_id: String,
    within_days: u32,
) -> AppResult<Vec<DueItemOut>> {
    db::tx(pool, move |conn| {
        team_access(conn, &user, &team_id)?;
        let team = load_team(conn, &team_id)?;
        let today = time::today(tz_of(&team)?, chrono::Utc::now());
        let ids: Vec<String> = c::table
            .filter(c::team_id.eq(&team_id))
            .filter(c::status.eq_any(["active", "transitioning"]))
            .select(c::id)
            .load(conn)?;
        // (client, goal) → due day; the goal is `None` but for goal targets.
        let mut dates: Vec<DueDate<(String, Option<String>)>> = vec![];
        let mut latest: HashMap<String, String> = HashMap::new();
        for (client, next_due) in a::table
            .filter(a::client_id.eq_any(&ids))
            .order((a::client_id, a::assessed_on.asc(), a::created_at.asc()))
            .select((a::client_id, a::next_due))
            .load::<(String, String)>(conn)?
        {
            latest.insert(client, next_due);
        }
        for (client, next_due) in latest {
            if let Some(d) = parse(&next_due) {
                dates.push(DueDate {
                    client: (client, None),
                    kind: DueKind::Reassessment,
                    due_on: d,
                });
            }
        }
        for (client, review_due) in sp::table
            .filter(sp::client_id.eq_any(&ids))
            .select((sp::client_id, sp::review_due))
            .load::<(String, String)>(conn)?
        {
            if let Some(d) = parse(&review_due) {
                dates.push(DueDate {
                    client: (client, None),
                    kind: DueKind::PlanReview,
                    due_on: d,
                });
            }
        }
        for (goal, client, target, lifecycle) in g::table
            .filter(g::client_id.eq_any(&ids))
            .select((g::id, g::client_id, g::target_date, g::lifecycle))
            .load::<(String, String, String, String)>(conn)?
        {
            let open = GoalLifecycle::parse(&lifecycle).is_some_and(GoalLifecycle::is_open);
            if let (true, Some(d)) = (open, parse(&target)) {
                dates.push(DueDate {
                    client: (client, Some(goal)),
                    kind: DueKind::GoalTarget,
                    due_on: d,
                });
            }
        }
        Ok(due_within(&dates, today, within_days)
            .into_iter()
            .map(|i| DueItemOut {
                client_id: i.client.0,
                kind: i.kind,
                due_on: i.due_on.format("%Y-%m-%d").to_string(),
                overdue: i.overdue,
                goal_id: i.client.1,
            })
            .collect())
    })
    .await
}
