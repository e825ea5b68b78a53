//! Transitions and check-ins as they leave the server.

use crate::db::models::{CheckinRow, TransitionRow};
use crate::domain::care::transition::{
    summary_words, CheckinOutcome, ReadinessAreas, ReadinessSummary, TransitionPlan,
    TransitionState,
};
use crate::domain::handoff::IllnessSeverity;
use crate::error::{AppError, AppResult};
use crate::store::Timestamp;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// The warm hand-off's I-PASS fields, filled in on the transition form; completing a
/// step-down or transfer writes them as a handoff on the receiving team.
#[derive(Serialize, Deserialize, ToSchema, Clone, Debug, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct WarmHandoff {
    /// Who receives it on the receiving team (default: the receiving case manager).
    #[schema(format = Uuid)]
    #[serde(default)]
    pub to_staff_id: Option<String>,
    pub severity: IllnessSeverity,
    /// Patient summary.
    #[schema(max_length = 1000)]
    pub summary: String,
    /// Action list for the receiver.
    #[serde(default)]
    #[schema(max_items = 20)]
    pub actions: Vec<String>,
    /// Situation awareness and contingencies ("if … then …"); required when unstable.
    #[serde(default)]
    #[schema(max_length = 1000)]
    pub contingency: String,
}

/// A check-in after a completed transition (the sending team does it).
#[derive(Serialize, ToSchema, Clone, Debug)]
pub struct CheckinOut {
    #[schema(format = Uuid)]
    pub id: String,
    /// The team that does it (the sending team).
    #[schema(format = Uuid)]
    pub team_id: String,
    #[schema(format = Uuid)]
    pub client_id: String,
    #[schema(format = Uuid)]
    pub transition_id: Option<String>,
    /// 30, 60 or 90.
    pub after_days: i32,
    /// YYYY-MM-DD.
    pub due_on: String,
    /// Null until recorded.
    pub outcome: Option<CheckinOutcome>,
    pub note: Option<String>,
    #[schema(format = Uuid)]
    pub recorded_by: Option<String>,
    pub recorded_at: Option<Timestamp>,
}

impl From<&CheckinRow> for CheckinOut {
    fn from(r: &CheckinRow) -> Self {
        CheckinOut {
            id: r.id.clone(),
            team_id: r.team_id.clone(),
            client_id: r.client_id.clone(),
            transition_id: r.transition_id.clone(),
            after_days: r.after_days,
            due_on: r.due_on.clone(),
            outcome: r.outcome.as_deref().and_then(CheckinOutcome::parse),
            note: r.note.clone(),
            recorded_by: r.recorded_by.clone(),
            recorded_at: r.recorded_at.map(Into::into),
        }
    }
}

/// A transition: the readiness review, its summary (rule and words), the plan and its
/// target, the hand-off fields, who started it and when, and how it ended.
#[derive(Serialize, ToSchema, Clone, Debug)]
pub struct TransitionOut {
    #[schema(format = Uuid)]
    pub id: String,
    /// The sending team.
    #[schema(format = Uuid)]
    pub team_id: String,
    #[schema(format = Uuid)]
    pub client_id: String,
    /// The client's status now (`transitioning` while the transition is open).
    pub status: String,
    pub readiness: ReadinessAreas,
    pub readiness_summary: ReadinessSummary,
    /// The summary in words, naming the areas not ready and unclear.
    pub readiness_words: String,
    pub plan: TransitionPlan,
    #[schema(format = Uuid)]
    pub to_team_id: Option<String>,
    #[schema(format = Uuid)]
    pub to_case_manager_id: Option<String>,
    /// Why, in words (may be empty).
    pub note: String,
    pub handoff: Option<WarmHandoff>,
    pub state: TransitionState,
    #[schema(format = Uuid)]
    pub started_by: String,
    pub started_at: Timestamp,
    #[schema(format = Uuid)]
    pub closed_by: Option<String>,
    pub closed_at: Option<Timestamp>,
    /// The day it was completed (check-ins count from it), YYYY-MM-DD.
    pub completed_on: Option<String>,
    /// The warm hand-off written on the receiving team.
    #[schema(format = Uuid)]
    pub handoff_id: Option<String>,
    pub version: i32,
    /// The check-ins it scheduled (oldest first).
    pub checkins: Vec<CheckinOut>,
}

impl TransitionOut {
    pub fn new(r: &TransitionRow, checkins: Vec<CheckinOut>) -> AppResult<Self> {
        let readiness: ReadinessAreas =
            serde_json::from_str(&r.readiness).map_err(AppError::internal)?;
        Ok(TransitionOut {
            id: r.id.clone(),
            team_id: r.team_id.clone(),
            client_id: r.client_id.clone(),
            status: String::new(),
            readiness_summary: ReadinessSummary::parse(&r.readiness_summary)
                .ok_or_else(|| AppError::internal("bad stored summary"))?,
            readiness_words: summary_words(&readiness),
            readiness,
            plan: TransitionPlan::parse(&r.plan)
                .ok_or_else(|| AppError::internal("bad stored plan"))?,
            to_team_id: r.to_team_id.clone(),
            to_case_manager_id: r.to_case_manager_id.clone(),
            note: r.note.clone(),
            handoff: r
                .handoff
                .as_deref()
                .and_then(|h| serde_json::from_str(h).ok()),
            state: TransitionState::parse(&r.state)
                .ok_or_else(|| AppError::internal("bad stored state"))?,
            started_by: r.started_by.clone(),
            started_at: r.started_at.into(),
            closed_by: r.closed_by.clone(),
            closed_at: r.closed_at.map(Into::into),
            completed_on: r.completed_on.clone(),
            handoff_id: r.handoff_id.clone(),
            version: r.version,
            checkins,
        })
    }
}

/// Check-ins scheduled for a client (a completed transition, or a transitioning client
/// discharged or transferred by the client endpoints).
#[derive(Serialize, ToSchema, Clone, Debug)]
pub struct CheckinsScheduled {
    #[schema(format = Uuid)]
    pub client_id: String,
    pub checkins: Vec<CheckinOut>,
}
