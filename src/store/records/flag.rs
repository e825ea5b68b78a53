//! Crisis flags as they leave the server.

use crate::db::models::FlagRow;
use crate::store::Timestamp;
use serde::Serialize;
use utoipa::ToSchema;

#[derive(Serialize, ToSchema, Clone, Debug)]
pub struct FlagOut {
    #[schema(format = Uuid)]
    pub id: String,
    #[schema(format = Uuid)]
    pub client_id: String,
    /// watch, urgent or emergency.
    pub severity: String,
    pub reason: String,
    #[schema(format = Uuid)]
    pub raised_by: String,
    pub raised_at: Timestamp,
    /// Who is responding.
    pub acknowledged_by: Option<String>,
    pub acknowledged_at: Option<Timestamp>,
    pub resolved_by: Option<String>,
    pub resolved_at: Option<Timestamp>,
    pub outcome: Option<String>,
    pub version: i32,
}

impl From<&FlagRow> for FlagOut {
    fn from(r: &FlagRow) -> Self {
        FlagOut {
            id: r.id.clone(),
            client_id: r.client_id.clone(),
            severity: r.severity.clone(),
            reason: r.reason.clone(),
            raised_by: r.raised_by.clone(),
            raised_at: r.raised_at.into(),
            acknowledged_by: r.acknowledged_by.clone(),
            acknowledged_at: r.acknowledged_at.map(Into::into),
            resolved_by: r.resolved_by.clone(),
            resolved_at: r.resolved_at.map(Into::into),
            outcome: r.outcome.clone(),
            version: r.version,
        }
    }
}
