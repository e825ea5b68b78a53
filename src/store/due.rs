//! What comes due in the care cycle (issue 14): reassessments (six months after the latest
//! assessment), plan reviews (90 days after the last), goals at their target day — for
//! clients on the caseload (active or transitioning) — and the check-ins this team owes
//! clients who left it (discharged or moved on; 30, 60 and 90 days after). The rule deciding
//! what is due and overdue is `domain::care::due`; this gathers the dates in a few queries,
//! whatever the caseload size. The board snapshot carries the same list (`store::board`).

use crate::auth::{team_access, AuthUser};
use crate::db::models::TeamRow;
use crate::db::schema::{
    assessments as a, checkins as ck, clients as c, plan_goals as g, support_plans as sp,
};
use crate::db::{self, DbConn, Pool};
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
    /// For `checkin`: the check-in to record.
    #[schema(format = Uuid)]
    pub checkin_id: Option<String>,
    /// The client's name ("preferred-or-given family"), for a list that also names clients
    /// no longer on the board (check-ins).
    pub display_name: String,
    pub initials: String,
    /// The client's status now (a check-in's client is usually discharged or on another team).
    pub status: String,
    /// The client is on this team's caseload (else: a check-in after they left).
    pub on_team: bool,
    /// The client's record is on this team (on the caseload, or discharged from it): its page
    /// opens here.
    pub record_here: bool,
}

/// How many items are due, and how many of them overdue (what a privacy display sees).
#[derive(Serialize, ToSchema, Clone, Debug, Default)]
pub struct DueCounts {
    pub due: usize,
    pub overdue: usize,
}

impl DueCounts {
    pub fn of(items: &[DueItemOut]) -> Self {
        DueCounts {
            due: items.len(),
            overdue: items.iter().filter(|i| i.overdue).count(),
        }
    }
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
        items(conn, &team, today, within_days)
    })
    .await
}

/// The due items of `team` as of `today` (inside the caller's transaction).
pub fn items(
    conn: &mut DbConn,
    team: &TeamRow,
    today: NaiveDate,
    within_days: u32,
) -> AppResult<Vec<DueItemOut>> {
    let team_id = &team.id;
    let ids: Vec<String> = c::table
        .filter(c::team_id.eq(team_id))
        .filter(c::status.eq_any(["active", "transitioning"]))
        .select(c::id)
        .load(conn)?;
    // (client, goal or check-in) → due day; the second is `None` for reassessments and reviews.
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
    // Check-ins this team owes, whatever the client's status or team now.
    for (checkin, client, due_on) in ck::table
        .filter(ck::team_id.eq(team_id))
        .filter(ck::outcome.is_null())
        .select((ck::id, ck::client_id, ck::due_on))
        .load::<(String, String, String)>(conn)?
    {
        if let Some(d) = parse(&due_on) {
            dates.push(DueDate {
                client: (client, Some(checkin)),
                kind: DueKind::Checkin,
                due_on: d,
            });
        }
    }
    let due = due_within(&dates, today, within_days);
    let named: Vec<String> = due.iter().map(|i| i.client.0.clone()).collect();
    type Who = (
        String,
        String,
        Option<String>,
        String,
        String,
        String,
        String,
    );
    let who: HashMap<String, Who> = c::table
        .filter(c::id.eq_any(&named))
        .select((
            c::id,
            c::given_name,
            c::preferred_name,
            c::family_name,
            c::initials,
            c::status,
            c::team_id,
        ))
        .load::<Who>(conn)?
        .into_iter()
        .map(|w| (w.0.clone(), w))
        .collect();
    Ok(due
        .into_iter()
        .map(|i| {
            let w = who.get(&i.client.0);
            let (goal_id, checkin_id) = match i.kind {
                DueKind::Checkin => (None, i.client.1),
                _ => (i.client.1, None),
            };
            DueItemOut {
                kind: i.kind,
                due_on: i.due_on.format("%Y-%m-%d").to_string(),
                overdue: i.overdue,
                goal_id,
                checkin_id,
                display_name: w.map_or(String::new(), |w| {
                    format!("{} {}", w.2.as_deref().unwrap_or(&w.1), w.3)
                }),
                initials: w.map_or(String::new(), |w| w.4.clone()),
                status: w.map_or(String::new(), |w| w.5.clone()),
                record_here: w.is_some_and(|w| &w.6 == team_id),
                on_team: w.is_some_and(|w| {
                    &w.6 == team_id && (w.5 == "active" || w.5 == "transitioning")
                }),
                client_id: i.client.0,
            }
        })
        .collect())
}
