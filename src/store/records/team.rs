//! Teams as they leave the server.

use crate::db::models::TeamRow;
use crate::domain::care::screening::Diagnosis;
use crate::store::Timestamp;
use serde::Serialize;
use utoipa::ToSchema;

#[derive(Serialize, ToSchema, Clone, Debug)]
pub struct TeamOut {
    #[schema(format = Uuid)]
    pub id: String,
    pub name: String,
    /// `act` or `icm`.
    pub mode: String,
    /// IANA time zone; "today" on this team means today here.
    pub timezone: String,
    /// ICM: most active clients one case manager may hold (1–15).
    pub caseload_cap: i32,
    /// What a display token shows by default: `names` or `initials`.
    pub privacy: String,
    pub version: i32,
    pub created_at: Timestamp,
    /// Minutes an emergency flag may go unanswered before it escalates to the on-call person
    /// and the leads (1–240, default 10).
    pub escalate_after_minutes: i32,
    /// The diagnoses that qualify at screening (the contract's default unless narrowed).
    pub qualifying_diagnoses: Vec<Diagnosis>,
    /// Whether the team narrowed them.
    pub qualifying_diagnoses_narrowed: bool,
}

impl From<&TeamRow> for TeamOut {
    fn from(t: &TeamRow) -> Self {
        TeamOut {
            id: t.id.clone(),
            name: t.name.clone(),
            mode: t.mode.clone(),
            timezone: t.timezone.clone(),
            caseload_cap: t.caseload_cap,
            privacy: t.privacy.clone(),
            version: t.version,
            created_at: t.created_at.into(),
            escalate_after_minutes: t.escalate_after_minutes,
            qualifying_diagnoses: t
                .qualifying_diagnoses
                .as_deref()
                .and_then(|j| serde_json::from_str(j).ok())
                .unwrap_or_else(|| Diagnosis::DEFAULT_QUALIFYING.to_vec()),
            qualifying_diagnoses_narrowed: t.qualifying_diagnoses.is_some(),
        }
    }
}
