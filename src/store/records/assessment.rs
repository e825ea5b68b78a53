//! Assessments as they leave the server.

use crate::db::models::AssessmentRow;
use crate::store::Timestamp;
use serde::Serialize;
use utoipa::ToSchema;

/// The three ratings (0–3 each).
#[derive(Serialize, ToSchema, Clone, Debug)]
pub struct FactorsOut {
    pub biomedical: i32,
    pub behavioral: i32,
    pub circumstantial: i32,
}

/// The evidence behind each rating, as typed (never sent to a privacy display).
#[derive(Serialize, ToSchema, Clone, Debug)]
pub struct EvidenceOut {
    pub biomedical: String,
    pub behavioral: String,
    pub circumstantial: String,
}

/// One assessment: the ratings, the tier the rule computed, the tier in force (a lead's
/// override, with its reason, or the computed one), and when the next one is due.
#[derive(Serialize, ToSchema, Clone, Debug)]
pub struct AssessmentOut {
    #[schema(format = Uuid)]
    pub id: String,
    #[schema(format = Uuid)]
    pub team_id: String,
    #[schema(format = Uuid)]
    pub client_id: String,
    pub factors: FactorsOut,
    pub evidence: EvidenceOut,
    /// `low`, `medium` or `high`, by the documented rule.
    pub computed_tier: String,
    /// The tier in force: `computed_tier` unless a lead overrode it.
    pub tier: String,
    pub override_reason: Option<String>,
    /// The rule, in words ("High: behavioral rated 3 (the maximum).").
    pub explanation: String,
    /// Team-local day, YYYY-MM-DD.
    pub assessed_on: String,
    /// Six months after `assessed_on`.
    pub next_due: String,
    #[schema(format = Uuid)]
    pub assessed_by: String,
    pub created_at: Timestamp,
}

impl AssessmentOut {
    pub fn new(r: &AssessmentRow, explanation: String) -> Self {
        AssessmentOut {
            id: r.id.clone(),
            team_id: r.team_id.clone(),
            client_id: r.client_id.clone(),
            factors: FactorsOut {
                biomedical: r.biomedical,
                behavioral: r.behavioral,
                circumstantial: r.circumstantial,
            },
            evidence: EvidenceOut {
                biomedical: r.biomedical_evidence.clone(),
                behavioral: r.behavioral_evidence.clone(),
                circumstantial: r.circumstantial_evidence.clone(),
            },
            computed_tier: r.computed_tier.clone(),
            tier: r.tier.clone(),
            override_reason: r.override_reason.clone(),
            explanation,
            assessed_on: r.assessed_on.clone(),
            next_due: r.next_due.clone(),
            assessed_by: r.assessed_by.clone(),
            created_at: r.created_at.into(),
        }
    }
}
