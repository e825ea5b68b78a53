//! Screenings as they leave the server.

use crate::db::models::ScreeningRow;
use crate::domain::care::screening::{Diagnosis, Impairment, ScreeningAnswers, ScreeningResult};
use crate::store::Timestamp;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// One screening: the answers as recorded, the result the rule gave (each reason in words),
/// and the lead's decision on it once taken.
#[derive(Serialize, ToSchema, Clone, Debug)]
pub struct ScreeningOut {
    #[schema(format = Uuid)]
    pub id: String,
    #[schema(format = Uuid)]
    pub team_id: String,
    #[schema(format = Uuid)]
    pub client_id: String,
    pub answers: ScreeningAnswers,
    /// All three tests of serious mental illness met (a qualifying diagnosis, at least two
    /// years of illness, an impairment in a life area).
    pub smi: bool,
    /// One sentence per test, met or not.
    pub smi_reasons: Vec<String>,
    pub high_need: bool,
    /// One sentence per high-need indicator present.
    pub high_need_reasons: Vec<String>,
    /// `act`, `icm`, `standard` or `refer_elsewhere`.
    pub recommendation: String,
    pub explanation: String,
    /// Hospital days a month over the two years (`hospital_days_24m / 24`); 4 is the line.
    pub hospital_days_per_month: f64,
    /// Team-local day of the screening, YYYY-MM-DD.
    pub screened_on: String,
    #[schema(format = Uuid)]
    pub screened_by: String,
    pub created_at: Timestamp,
    /// `accept` or `decline`, once a lead decided; null before.
    pub decision: Option<String>,
    /// Why (required when the decision went against the recommendation).
    pub decision_reason: Option<String>,
    /// Whether the decision went against the recommendation.
    pub against_recommendation: Option<bool>,
    #[schema(format = Uuid)]
    pub decided_by: Option<String>,
    pub decided_at: Option<Timestamp>,
}

/// The result as stored with the row (`screenings.result`).
#[derive(Serialize, Deserialize)]
pub struct StoredResult {
    pub smi_reasons: Vec<String>,
    pub high_need_reasons: Vec<String>,
    pub explanation: String,
}

impl StoredResult {
    pub fn of(r: &ScreeningResult) -> StoredResult {
        StoredResult {
            smi_reasons: r.smi_reasons.clone(),
            high_need_reasons: r.high_need_reasons.clone(),
            explanation: r.explanation.clone(),
        }
    }
}

/// A snake_case enum value as text (the names of the contract).
pub fn name_of<T: Serialize>(v: &T) -> String {
    serde_json::to_value(v)
        .ok()
        .and_then(|x| x.as_str().map(str::to_string))
        .unwrap_or_default()
}

/// Parse a stored snake_case name.
pub fn parse_name<T: for<'a> Deserialize<'a>>(s: &str) -> Option<T> {
    serde_json::from_value(serde_json::Value::String(s.to_string())).ok()
}

impl ScreeningOut {
    pub fn of(r: &ScreeningRow) -> ScreeningOut {
        let stored: StoredResult = serde_json::from_str(&r.result).unwrap_or(StoredResult {
            smi_reasons: vec![],
            high_need_reasons: vec![],
            explanation: String::new(),
        });
        let impairments: Vec<Impairment> = r
            .impairments
            .split(',')
            .filter(|s| !s.is_empty())
            .filter_map(parse_name)
            .collect();
        let answers = ScreeningAnswers {
            diagnosis: parse_name(&r.diagnosis).unwrap_or(Diagnosis::Other),
            illness_years: r.illness_years.max(0) as u32,
            impairments,
            psychiatric_admissions_12m: r.psychiatric_admissions_12m.max(0) as u32,
            hospital_days_24m: r.hospital_days_24m.max(0) as u32,
            ed_visits_12m: r.ed_visits_12m.max(0) as u32,
            homeless: r.homeless,
            justice_involved: r.justice_involved,
            co_occurring_sud: r.co_occurring_sud,
            not_engaging_office: r.not_engaging_office,
        };
        let against = r.decision.as_deref().and_then(|d| {
            let decision = parse_name(d)?;
            let rec = parse_name(&r.recommendation)?;
            Some(crate::domain::care::screening::against_recommendation(
                decision, rec,
            ))
        });
        ScreeningOut {
            id: r.id.clone(),
            team_id: r.team_id.clone(),
            client_id: r.client_id.clone(),
            hospital_days_per_month: (f64::from(r.hospital_days_24m) / 24.0 * 10.0).round() / 10.0,
            answers,
            smi: r.smi,
            smi_reasons: stored.smi_reasons,
            high_need: r.high_need,
            high_need_reasons: stored.high_need_reasons,
            recommendation: r.recommendation.clone(),
            explanation: stored.explanation,
            screened_on: r.screened_on.clone(),
            screened_by: r.screened_by.clone(),
            created_at: r.created_at.into(),
            decision: r.decision.clone(),
            decision_reason: r.decision_reason.clone(),
            against_recommendation: against,
            decided_by: r.decided_by.clone(),
            decided_at: r.decided_at.map(Into::into),
        }
    }
}
