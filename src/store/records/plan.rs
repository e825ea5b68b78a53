//! Support plans as they leave the server.

use crate::db::models::{GoalRow, PlanRow, ProgressRow};
use crate::domain::care::plan::{Achievement, GoalLifecycle};
use crate::store::Timestamp;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// What the team does toward a goal, who (a member of the team, or nobody named) and how often.
#[derive(Serialize, Deserialize, ToSchema, Clone, Debug, PartialEq)]
pub struct InterventionOut {
    pub what: String,
    #[schema(format = Uuid)]
    pub staff_id: Option<String>,
    /// In words: "weekly", "every 14 days", "as needed".
    pub frequency: String,
}

/// A progress note on a goal (HL7 FHIR Goal achievement status and words).
#[derive(Serialize, ToSchema, Clone, Debug)]
pub struct ProgressOut {
    #[schema(format = Uuid)]
    pub id: String,
    #[schema(format = Uuid)]
    pub goal_id: String,
    #[schema(format = Uuid)]
    pub client_id: String,
    pub achievement: Achievement,
    pub note: String,
    #[schema(format = Uuid)]
    pub recorded_by: String,
    pub recorded_at: Timestamp,
}

/// A goal: the client's own words, a measurable objective, a target day, the interventions,
/// its lifecycle, and its progress notes (oldest first).
#[derive(Serialize, ToSchema, Clone, Debug)]
pub struct GoalOut {
    #[schema(format = Uuid)]
    pub id: String,
    pub in_own_words: String,
    pub objective: String,
    /// YYYY-MM-DD.
    pub target_date: String,
    pub interventions: Vec<InterventionOut>,
    pub lifecycle: GoalLifecycle,
    pub progress: Vec<ProgressOut>,
}

/// A client's support plan.
#[derive(Serialize, ToSchema, Clone, Debug)]
pub struct PlanOut {
    #[schema(format = Uuid)]
    pub client_id: String,
    #[schema(format = Uuid)]
    pub team_id: String,
    pub goals: Vec<GoalOut>,
    /// Family, friends, peers and others who support the client (in words).
    pub natural_supports: String,
    /// The day the plan was last reviewed with the client.
    pub reviewed_on: String,
    /// `reviewed_on` + 90 days.
    pub review_due: String,
    pub version: i32,
    #[schema(format = Uuid)]
    pub updated_by: String,
    pub updated_at: Timestamp,
}

impl From<&ProgressRow> for ProgressOut {
    fn from(r: &ProgressRow) -> Self {
        ProgressOut {
            id: r.id.clone(),
            goal_id: r.goal_id.clone(),
            client_id: r.client_id.clone(),
            achievement: Achievement::parse(&r.achievement).unwrap_or(Achievement::InProgress),
            note: r.note.clone(),
            recorded_by: r.recorded_by.clone(),
            recorded_at: r.recorded_at.into(),
        }
    }
}

impl GoalOut {
    pub fn new(g: &GoalRow, progress: Vec<ProgressOut>) -> Self {
        GoalOut {
            id: g.id.clone(),
            in_own_words: g.in_own_words.clone(),
            objective: g.objective.clone(),
            target_date: g.target_date.clone(),
            interventions: serde_json::from_str(&g.interventions).unwrap_or_default(),
            lifecycle: GoalLifecycle::parse(&g.lifecycle).unwrap_or(GoalLifecycle::Active),
            progress,
        }
    }
}

impl PlanOut {
    pub fn new(p: &PlanRow, goals: Vec<GoalOut>) -> Self {
        PlanOut {
            client_id: p.client_id.clone(),
            team_id: p.team_id.clone(),
            goals,
            natural_supports: p.natural_supports.clone(),
            reviewed_on: p.reviewed_on.clone(),
            review_due: p.review_due.clone(),
            version: p.version,
            updated_by: p.updated_by.clone(),
            updated_at: p.updated_at.into(),
        }
    }
}
