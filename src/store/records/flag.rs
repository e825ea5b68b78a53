//! Crisis flags as they leave the server.

use crate::db::models::FlagRow;
use crate::store::Timestamp;
use serde::Serialize;
use utoipa::ToSchema;

/// Someone who said "I'm responding".
#[derive(Serialize, ToSchema, Clone, Debug)]
pub struct ResponderOut {
    #[schema(format = Uuid)]
    pub staff_id: String,
    pub display_name: String,
    /// What a privacy display shows of the responder.
    pub initials: String,
    pub at: Timestamp,
}

#[derive(Serialize, ToSchema, Clone, Debug)]
pub struct FlagOut {
    #[schema(format = Uuid)]
    pub id: String,
    /// The team whose board carries the flag (a transfer moves open flags along).
    #[schema(format = Uuid)]
    pub team_id: String,
    #[schema(format = Uuid)]
    pub client_id: String,
    /// The client's initials (what a privacy display shows).
    pub initials: String,
    /// watch, urgent or emergency.
    pub severity: String,
    /// self_harm, harm_to_others, medical, medication, housing, missing, hospital, legal or
    /// other (flags raised before categories existed read as other).
    pub category: String,
    /// Typed text: never sent to a privacy display.
    pub reason: String,
    #[schema(format = Uuid)]
    pub raised_by: String,
    pub raised_at: Timestamp,
    /// The first responder (see `responders` for everyone).
    pub acknowledged_by: Option<String>,
    pub acknowledged_at: Option<Timestamp>,
    /// Everyone responding, in the order they said so; nobody is ever removed.
    pub responders: Vec<ResponderOut>,
    /// When the unanswered emergency was escalated to the on-call person and the leads.
    pub escalated_at: Option<Timestamp>,
    pub resolved_by: Option<String>,
    pub resolved_at: Option<Timestamp>,
    /// Typed text: never sent to a privacy display.
    pub outcome: Option<String>,
    pub version: i32,
}

impl FlagOut {
    /// The record of a stored flag, with its client's initials and its responders (the
    /// store reads those: `store::flags::outs`).
    pub fn new(r: &FlagRow, initials: String, responders: Vec<ResponderOut>) -> Self {
        FlagOut {
            id: r.id.clone(),
            team_id: r.team_id.clone(),
            client_id: r.client_id.clone(),
            initials,
            severity: r.severity.clone(),
            category: r.category.clone(),
            reason: r.reason.clone(),
            raised_by: r.raised_by.clone(),
            raised_at: r.raised_at.into(),
            acknowledged_by: r.acknowledged_by.clone(),
            acknowledged_at: r.acknowledged_at.map(Into::into),
            responders,
            escalated_at: r.escalated_at.map(Into::into),
            resolved_by: r.resolved_by.clone(),
            resolved_at: r.resolved_at.map(Into::into),
            outcome: r.outcome.clone(),
            version: r.version,
        }
    }
}

/// `flag.escalated`: an emergency nobody answered in the team's `escalate_after_minutes`.
#[derive(Serialize, ToSchema, Clone, Debug)]
pub struct FlagEscalated {
    pub flag: FlagOut,
    /// Who is on call now, if anyone.
    #[schema(format = Uuid)]
    pub on_call_staff_id: Option<String>,
    /// The team's leads.
    pub lead_ids: Vec<String>,
    /// Everyone to alert: the on-call person first, then the leads, each once.
    pub alert_staff_ids: Vec<String>,
}
