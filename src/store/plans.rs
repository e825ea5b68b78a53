//! Support plans (issue 14): one per client, written whole with the version last read (so two
//! people editing at once do not overwrite each other), reviewed every 90 days; progress notes
//! are added per goal and never edited. A goal with progress notes cannot be dropped from the
//! plan (its history is part of the record): it is marked completed or cancelled instead.

use crate::auth::{team_access, write_access, AuthUser};
use crate::db::models::{ClientRow, GoalRow, PlanRow, ProgressRow};
use crate::db::schema::{goal_progress as gp, plan_goals as g, support_plans as sp};
use crate::db::{self, DbConn, Pool};
use crate::domain::care::plan::{review_due, Achievement, GoalLifecycle};
use crate::domain::client::Status;
use crate::domain::roles::Role;
use crate::domain::{time, FieldError};
use crate::error::{AppError, AppResult};
use crate::store::audit;
use crate::store::clients::load_client;
use crate::store::events::{append, Event};
use crate::store::members;
use crate::store::oncall::tz_of;
use chrono::NaiveDate;
use diesel::prelude::*;
use std::collections::{HashMap, HashSet};
use uuid::Uuid;

pub use crate::store::records::plan::{GoalOut, InterventionOut, PlanOut, ProgressOut};

/// A checked goal (texts trimmed and bounded, by the handler).
pub struct GoalIn {
    pub id: String,
    pub in_own_words: String,
    pub objective: String,
    pub target_date: NaiveDate,
    pub interventions: Vec<InterventionOut>,
    pub lifecycle: GoalLifecycle,
}

/// A checked plan to store.
pub struct PlanIn {
    /// The version last read; required when the client already has a plan.
    pub version: Option<i32>,
    pub goals: Vec<GoalIn>,
    pub natural_supports: String,
    pub reviewed_on: NaiveDate,
}

fn day(d: NaiveDate) -> String {
    d.format("%Y-%m-%d").to_string()
}

/// A client's plan with its goals (in order) and their progress notes (oldest first).
pub fn load(conn: &mut DbConn, client_id: &str) -> AppResult<Option<PlanOut>> {
    let Some(plan) = sp::table
        .filter(sp::client_id.eq(client_id))
        .select(PlanRow::as_select())
        .first(conn)
        .optional()?
    else {
        return Ok(None);
    };
    let goals = g::table
        .filter(g::client_id.eq(client_id))
        .order(g::position.asc())
        .select(GoalRow::as_select())
        .load(conn)?;
    let mut notes: HashMap<String, Vec<ProgressOut>> = HashMap::new();
    for r in gp::table
        .filter(gp::client_id.eq(client_id))
        .order((gp::recorded_at.asc(), gp::id.asc()))
        .select(ProgressRow::as_select())
        .load::<ProgressRow>(conn)?
    {
        notes
            .entry(r.goal_id.clone())
            .or_default()
            .push(ProgressOut::from(&r));
    }
    let goals = goals
        .iter()
        .map(|row| GoalOut::new(row, notes.remove(&row.id).unwrap_or_default()))
        .collect();
    Ok(Some(PlanOut::new(&plan, goals)))
}

/// The client's plan (readers of the team; an audited read). 404 `not_found` when there is none.
pub async fn get(
    pool: &Pool,
    user: AuthUser,
    team_id: String,
    client_id: String,
) -> AppResult<PlanOut> {
    db::tx(pool, move |conn| {
        team_access(conn, &user, &team_id)?;
        load_client(conn, &team_id, &client_id)?;
        audit::view(conn, Some(&user.id), &team_id, Some(&client_id), "plan")?;
        load(conn, &client_id)?.ok_or_else(|| AppError::not_found("plan"))
    })
    .await
}

fn refuse_discharged(client: &ClientRow) -> AppResult<()> {
    if Status::parse(&client.status) == Some(Status::Discharged) {
        return Err(AppError::Unprocessable {
            code: "invalid_transition",
            detail: "a discharged client has no plan to change: re-admit them first".into(),
        });
    }
    Ok(())
}

/// Write the whole plan (members).
pub async fn put(
    pool: &Pool,
    user: AuthUser,
    team_id: String,
    client_id: String,
    p: PlanIn,
) -> AppResult<PlanOut> {
    db::tx(pool, move |conn| {
        let team = write_access(conn, &user, &team_id, Role::Member)?;
        let client = load_client(conn, &team_id, &client_id)?;
        refuse_discharged(&client)?;
        let today = time::today(tz_of(&team)?, chrono::Utc::now());
        if p.reviewed_on > today {
            return Err(AppError::validation(
                "reviewed_on",
                "must not be in the future",
            ));
        }
        let before = load(conn, &client_id)?;
        match (&before, p.version) {
            (Some(b), Some(v)) if b.version != v => {
                return Err(AppError::VersionConflict {
                    current: serde_json::to_value(b).unwrap_or_default(),
                })
            }
            (Some(_), None) => {
                return Err(AppError::validation(
                    "version",
                    "the client has a plan: send the version you last read",
                ))
            }
            _ => {}
        }
        check_goals(conn, &team_id, &client_id, &p.goals, before.as_ref())?;

        let kept: HashSet<&str> = p.goals.iter().map(|x| x.id.as_str()).collect();
        let dropped: Vec<String> = before
            .iter()
            .flat_map(|b| b.goals.iter())
            .filter(|x| !kept.contains(x.id.as_str()))
            .map(|x| x.id.clone())
            .collect();
        diesel::delete(g::table.filter(g::id.eq_any(&dropped))).execute(conn)?;
        let now = db::now();
        let version = before.as_ref().map_or(1, |b| b.version + 1);
        let values = (
            sp::team_id.eq(&team_id),
            sp::natural_supports.eq(&p.natural_supports),
            sp::reviewed_on.eq(day(p.reviewed_on)),
            sp::review_due.eq(day(review_due(p.reviewed_on))),
            sp::version.eq(version),
            sp::updated_by.eq(&user.id),
            sp::updated_at.eq(now),
        );
        if before.is_some() {
            diesel::update(sp::table.filter(sp::client_id.eq(&client_id)))
                .set(values)
                .execute(conn)?;
        } else {
            diesel::insert_into(sp::table)
                .values((sp::client_id.eq(&client_id), values))
                .execute(conn)?;
        }
        let existing: HashSet<String> = before
            .iter()
            .flat_map(|b| b.goals.iter().map(|x| x.id.clone()))
            .collect();
        for (i, goal) in p.goals.iter().enumerate() {
            let interventions =
                serde_json::to_string(&goal.interventions).map_err(AppError::internal)?;
            let row = (
                g::position.eq(i as i32),
                g::in_own_words.eq(&goal.in_own_words),
                g::objective.eq(&goal.objective),
                g::target_date.eq(day(goal.target_date)),
                g::lifecycle.eq(goal.lifecycle.as_str()),
                g::interventions.eq(interventions),
            );
            if existing.contains(&goal.id) {
                diesel::update(g::table.filter(g::id.eq(&goal.id)))
                    .set(row)
                    .execute(conn)?;
            } else {
                diesel::insert_into(g::table)
                    .values((g::id.eq(&goal.id), g::client_id.eq(&client_id), row))
                    .execute(conn)?;
            }
        }
        let out = load(conn, &client_id)?.ok_or_else(|| AppError::internal("plan vanished"))?;
        append(
            conn,
            &team_id,
            Event::PlanUpdated(out.clone()),
            Some(&user.id),
        )?;
        Ok(out)
    })
    .await
}

/// Goal ids unique and not another client's; interventions' people working on the team; no
/// goal with progress notes dropped.
fn check_goals(
    conn: &mut DbConn,
    team_id: &str,
    client_id: &str,
    goals: &[GoalIn],
    before: Option<&PlanOut>,
) -> AppResult<()> {
    let mut errors = vec![];
    let ids: Vec<String> = goals.iter().map(|x| x.id.clone()).collect();
    let elsewhere: HashSet<String> = g::table
        .filter(g::id.eq_any(&ids))
        .filter(g::client_id.ne(client_id))
        .select(g::id)
        .load::<String>(conn)?
        .into_iter()
        .collect();
    let mut seen = HashSet::new();
    for (i, goal) in goals.iter().enumerate() {
        if !seen.insert(goal.id.as_str()) {
            errors.push(FieldError::new(
                format!("goals[{i}].id"),
                "appears twice in the plan",
            ));
        } else if elsewhere.contains(&goal.id) {
            errors.push(FieldError::new(
                format!("goals[{i}].id"),
                "is a goal of another client's plan",
            ));
        }
    }
    let named: Vec<String> = goals
        .iter()
        .flat_map(|x| x.interventions.iter().filter_map(|v| v.staff_id.clone()))
        .collect();
    let working = members::working_ids(conn, team_id, &named)?;
    for (i, goal) in goals.iter().enumerate() {
        for (j, v) in goal.interventions.iter().enumerate() {
            if v.staff_id.as_ref().is_some_and(|s| !working.contains(s)) {
                errors.push(FieldError::new(
                    format!("goals[{i}].interventions[{j}].staff_id"),
                    "is not a working member of this team",
                ));
            }
        }
    }
    let kept: HashSet<&str> = ids.iter().map(String::as_str).collect();
    for goal in before.iter().flat_map(|b| b.goals.iter()) {
        if !kept.contains(goal.id.as_str()) && !goal.progress.is_empty() {
            errors.push(FieldError::new(
                "goals",
                format!(
                    "the goal \"{}\" has progress notes: keep it in the plan, marked completed or cancelled",
                    goal.in_own_words
                ),
            ));
        }
    }
    if errors.is_empty() {
        Ok(())
    } else {
        Err(AppError::from_fields(errors))
    }
}

/// Add a progress note to a goal of the client's plan (members).
pub async fn add_progress(
    pool: &Pool,
    user: AuthUser,
    team_id: String,
    client_id: String,
    goal_id: String,
    achievement: Achievement,
    note: String,
) -> AppResult<ProgressOut> {
    db::tx(pool, move |conn| {
        write_access(conn, &user, &team_id, Role::Member)?;
        let client = load_client(conn, &team_id, &client_id)?;
        refuse_discharged(&client)?;
        let found: i64 = g::table
            .filter(g::id.eq(&goal_id))
            .filter(g::client_id.eq(&client_id))
            .count()
            .get_result(conn)?;
        if found == 0 {
            return Err(AppError::not_found("goal"));
        }
        let id = Uuid::new_v4().to_string();
        diesel::insert_into(gp::table)
            .values((
                gp::id.eq(&id),
                gp::goal_id.eq(&goal_id),
                gp::client_id.eq(&client_id),
                gp::team_id.eq(&team_id),
                gp::achievement.eq(achievement.as_str()),
                gp::note.eq(&note),
                gp::recorded_by.eq(&user.id),
                gp::recorded_at.eq(db::now()),
            ))
            .execute(conn)?;
        let row = gp::table
            .filter(gp::id.eq(&id))
            .select(ProgressRow::as_select())
            .first(conn)?;
        let out = ProgressOut::from(&row);
        append(
            conn,
            &team_id,
            Event::GoalProgressRecorded(out.clone()),
            Some(&user.id),
        )?;
        Ok(out)
    })
    .await
}
