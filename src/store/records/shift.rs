//! On-call shifts as they leave the server.

use crate::domain::board_rules::ShiftTimes;
use crate::store::Timestamp;
use chrono::{DateTime, Utc};
use serde::Serialize;
use utoipa::ToSchema;

#[derive(Serialize, ToSchema, Clone, Debug)]
pub struct ShiftOut {
    #[schema(format = Uuid)]
    pub id: String,
    #[schema(format = Uuid)]
    pub staff_id: String,
    pub staff_name: String,
    pub starts_at: Timestamp,
    pub ends_at: Timestamp,
    /// As entered, team-local YYYY-MM-DDTHH:MM.
    pub starts_local: String,
    pub ends_local: String,
    /// Remarks about the conversion, e.g. a repeated fall-back hour resolved to its first occurrence.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub notes: Vec<String>,
}

/// `shift.deleted`: a shift was removed.
#[derive(Serialize, ToSchema, Clone, Debug)]
pub struct ShiftDeleted {
    #[schema(format = Uuid)]
    pub id: String,
}

impl ShiftTimes for ShiftOut {
    fn id(&self) -> &str {
        &self.id
    }
    fn starts_at(&self) -> DateTime<Utc> {
        self.starts_at.0
    }
    fn ends_at(&self) -> DateTime<Utc> {
        self.ends_at.0
    }
}
