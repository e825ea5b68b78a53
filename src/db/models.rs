//! Row types read from the tables (one per table, fields in column order).

use crate::db::schema::*;
use chrono::NaiveDateTime;
use diesel::prelude::*;

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = teams)]
pub struct TeamRow {
    pub id: String,
    pub name: String,
    pub mode: String,
    pub timezone: String,
    pub caseload_cap: i32,
    pub privacy: String,
    pub last_seq: i64,
    pub version: i32,
    pub created_at: NaiveDateTime,
    pub escalate_after_minutes: i32,
    pub qualifying_diagnoses: Option<String>,
}

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = staff)]
pub struct StaffRow {
    pub id: String,
    pub username: String,
    pub display_name: String,
    pub discipline: String,
    pub password_hash: String,
    pub is_admin: bool,
    pub active: bool,
    pub created_at: NaiveDateTime,
    pub must_change_password: bool,
}

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = memberships)]
pub struct MembershipRow {
    pub team_id: String,
    pub staff_id: String,
    pub role: String,
    pub created_at: NaiveDateTime,
}

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = refresh_tokens)]
pub struct RefreshTokenRow {
    pub id: String,
    pub staff_id: String,
    pub family_id: String,
    pub token_hash: String,
    pub created_at: NaiveDateTime,
    pub expires_at: NaiveDateTime,
    pub revoked_at: Option<NaiveDateTime>,
}

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = events)]
pub struct EventRow {
    pub team_id: String,
    pub seq: i64,
    pub kind: String,
    pub payload: String,
    pub actor: Option<String>,
    pub at: NaiveDateTime,
}

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = clients)]
pub struct ClientRow {
    pub id: String,
    pub team_id: String,
    pub given_name: String,
    pub family_name: String,
    pub preferred_name: Option<String>,
    pub initials: String,
    pub external_id: Option<String>,
    pub status: String,
    pub risk_tier: String,
    pub case_manager_id: Option<String>,
    pub version: i32,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
    pub discharge_reason: Option<String>,
    pub discharged_on: Option<String>,
    pub discharged_at: Option<NaiveDateTime>,
    pub phone: Option<String>,
    pub address: Option<String>,
    pub crisis_plan: Option<String>,
    pub emergency_contact: Option<String>,
    pub referral_source: Option<String>,
    pub referral_received_on: Option<String>,
    pub referral_reason: Option<String>,
    pub enrolled_on: Option<String>,
}

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = contacts)]
pub struct ContactRow {
    pub id: String,
    pub team_id: String,
    pub client_id: String,
    pub day: String,
    pub start_time: Option<String>,
    pub end_time: Option<String>,
    pub occurred_at: NaiveDateTime,
    pub kind: String,
    pub place: String,
    pub activity: String,
    pub status: String,
    pub minutes: Option<i32>,
    pub note: Option<String>,
    pub version: i32,
    pub created_by: String,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
    pub series_id: Option<String>,
}

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = visit_series)]
pub struct SeriesRow {
    pub id: String,
    pub team_id: String,
    pub client_id: String,
    pub staff_ids: String,
    pub first_day: String,
    pub every_days: i32,
    pub until_day: String,
    pub start_time: String,
    pub end_time: String,
    pub kind: String,
    pub place: String,
    pub activity: String,
    pub created_by: String,
    pub created_at: NaiveDateTime,
    pub ended_at: Option<NaiveDateTime>,
    pub ended_by: Option<String>,
}

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = crisis_flags)]
pub struct FlagRow {
    pub id: String,
    pub team_id: String,
    pub client_id: String,
    pub severity: String,
    pub reason: String,
    pub raised_by: String,
    pub raised_at: NaiveDateTime,
    pub acknowledged_by: Option<String>,
    pub acknowledged_at: Option<NaiveDateTime>,
    pub resolved_by: Option<String>,
    pub resolved_at: Option<NaiveDateTime>,
    pub outcome: Option<String>,
    pub version: i32,
    pub category: String,
    pub escalated_at: Option<NaiveDateTime>,
}

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = crisis_flag_responders)]
pub struct FlagResponderRow {
    pub flag_id: String,
    pub staff_id: String,
    pub team_id: String,
    pub at: NaiveDateTime,
}

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = oncall_shifts)]
pub struct ShiftRow {
    pub id: String,
    pub team_id: String,
    pub staff_id: String,
    pub starts_at: NaiveDateTime,
    pub ends_at: NaiveDateTime,
    pub starts_local: String,
    pub ends_local: String,
    pub created_by: String,
    pub created_at: NaiveDateTime,
}

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = handoffs)]
pub struct HandoffRow {
    pub id: String,
    pub team_id: String,
    pub from_staff_id: String,
    pub to_staff_id: String,
    pub shift_id: Option<String>,
    pub due_at: NaiveDateTime,
    pub created_at: NaiveDateTime,
    pub acknowledged_at: Option<NaiveDateTime>,
    pub synthesis: Option<String>,
}

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = handoff_items)]
pub struct HandoffItemRow {
    pub handoff_id: String,
    pub position: i32,
    pub team_id: String,
    pub client_id: String,
    pub severity: String,
    pub summary: String,
    pub actions: String,
    pub contingency: String,
}

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = absences)]
pub struct AbsenceRow {
    pub id: String,
    pub team_id: String,
    pub staff_id: String,
    pub from_day: String,
    pub to_day: String,
    pub covered_by: Option<String>,
    pub reason: Option<String>,
    pub created_by: String,
    pub created_at: NaiveDateTime,
}

/// A team's repeating on-call week; `slots` is the JSON list of `domain::rota::Slot`.
#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = oncall_patterns)]
pub struct PatternRow {
    pub team_id: String,
    pub slots: String,
    pub version: i32,
    pub updated_by: String,
    pub updated_at: NaiveDateTime,
}

/// One assessment of a client (`domain::care::assessment`).
#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = assessments)]
pub struct AssessmentRow {
    pub id: String,
    pub team_id: String,
    pub client_id: String,
    pub biomedical: i32,
    pub behavioral: i32,
    pub circumstantial: i32,
    pub biomedical_evidence: String,
    pub behavioral_evidence: String,
    pub circumstantial_evidence: String,
    pub computed_tier: String,
    pub tier: String,
    pub override_reason: Option<String>,
    pub assessed_on: String,
    pub next_due: String,
    pub assessed_by: String,
    pub created_at: NaiveDateTime,
}

/// One screening of a referred client, with the decision taken on it
/// (`domain::care::screening`).
#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = screenings)]
pub struct ScreeningRow {
    pub id: String,
    pub team_id: String,
    pub client_id: String,
    pub diagnosis: String,
    pub illness_years: i32,
    pub impairments: String,
    pub psychiatric_admissions_12m: i32,
    pub hospital_days_24m: i32,
    pub ed_visits_12m: i32,
    pub homeless: bool,
    pub justice_involved: bool,
    pub co_occurring_sud: bool,
    pub not_engaging_office: bool,
    pub smi: bool,
    pub high_need: bool,
    pub recommendation: String,
    pub result: String,
    pub screened_on: String,
    pub screened_by: String,
    pub created_at: NaiveDateTime,
    pub decision: Option<String>,
    pub decision_reason: Option<String>,
    pub decided_by: Option<String>,
    pub decided_at: Option<NaiveDateTime>,
}

/// A client's support plan (one per client; goals in `plan_goals`).
#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = support_plans)]
pub struct PlanRow {
    pub client_id: String,
    pub team_id: String,
    pub natural_supports: String,
    pub reviewed_on: String,
    pub review_due: String,
    pub version: i32,
    pub updated_by: String,
    pub updated_at: NaiveDateTime,
}

/// A goal of a support plan; `interventions` is the JSON list of `InterventionOut`.
#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = plan_goals)]
pub struct GoalRow {
    pub id: String,
    pub client_id: String,
    pub position: i32,
    pub in_own_words: String,
    pub objective: String,
    pub target_date: String,
    pub lifecycle: String,
    pub interventions: String,
}

/// A progress note on a goal.
#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = goal_progress)]
pub struct ProgressRow {
    pub id: String,
    pub goal_id: String,
    pub client_id: String,
    pub team_id: String,
    pub achievement: String,
    pub note: String,
    pub recorded_by: String,
    pub recorded_at: NaiveDateTime,
}

/// A client's transition (step down, transfer or discharge): the readiness review (JSON of
/// `ReadinessAreas`), the plan, and the warm hand-off's I-PASS fields (JSON, optional).
#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = transitions)]
pub struct TransitionRow {
    pub id: String,
    pub team_id: String,
    pub client_id: String,
    pub readiness: String,
    pub readiness_summary: String,
    pub plan: String,
    pub to_team_id: Option<String>,
    pub to_case_manager_id: Option<String>,
    pub note: String,
    pub handoff: Option<String>,
    pub state: String,
    pub started_by: String,
    pub started_at: NaiveDateTime,
    pub closed_by: Option<String>,
    pub closed_at: Option<NaiveDateTime>,
    pub completed_on: Option<String>,
    pub handoff_id: Option<String>,
    pub version: i32,
}

/// A check-in after a completed transition, done by the sending team (`team_id`).
#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = checkins)]
pub struct CheckinRow {
    pub id: String,
    pub team_id: String,
    pub client_id: String,
    pub transition_id: Option<String>,
    pub after_days: i32,
    pub due_on: String,
    pub outcome: Option<String>,
    pub note: Option<String>,
    pub recorded_by: Option<String>,
    pub recorded_at: Option<NaiveDateTime>,
}

/// An episode of a client's (issue 15): an admission, an emergency visit, a crisis bed, a jail
/// or homeless period; days team-local and inclusive, `end_on` null while it lasts.
#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = episodes)]
pub struct EpisodeRow {
    pub id: String,
    pub team_id: String,
    pub client_id: String,
    pub kind: String,
    pub start_on: String,
    pub end_on: Option<String>,
    pub team_involved: bool,
    pub note: String,
    pub version: i32,
    pub recorded_by: String,
    pub recorded_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
}

/// A reviewer's rating of a DACTS item the data cannot compute (issue 15).
#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = fidelity_ratings)]
pub struct RatingRow {
    pub id: String,
    pub team_id: String,
    pub item: String,
    pub period_to: String,
    pub score: i32,
    pub note: String,
    pub rated_by: String,
    pub rated_at: NaiveDateTime,
}
