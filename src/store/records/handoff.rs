//! Handoffs as they leave the server (and their items as they arrive).

use crate::domain::handoff::IllnessSeverity;
use crate::store::Timestamp;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

#[derive(Serialize, Deserialize, ToSchema, Clone, Debug)]
pub struct HandoffItem {
    #[schema(format = Uuid)]
    pub client_id: String,
    /// Illness severity: stable, watcher or unstable.
    pub severity: IllnessSeverity,
    /// Patient summary.
    #[schema(min_length = 1, max_length = 1000, pattern = r"\S")]
    pub summary: String,
    /// Action list (to-dos for the receiver).
    #[serde(default)]
    #[schema(max_items = 20)]
    pub actions: Vec<String>,
    /// Situation awareness and contingency plans ("if … then …").
    #[serde(default)]
    #[schema(max_length = 1000)]
    pub contingency: String,
}

/// A handoff item as read back (the input's limits do not apply): on a privacy display its
/// text fields are empty.
#[derive(ToSchema)]
#[allow(dead_code)] // documents the output shape; the value is a `HandoffItem`
pub struct HandoffItemOut {
    #[schema(format = Uuid)]
    client_id: String,
    severity: IllnessSeverity,
    summary: String,
    actions: Vec<String>,
    contingency: String,
}

#[derive(Serialize, ToSchema, Clone, Debug)]
pub struct HandoffOut {
    #[schema(format = Uuid)]
    pub id: String,
    #[schema(format = Uuid)]
    pub from_staff_id: String,
    #[schema(format = Uuid)]
    pub to_staff_id: String,
    pub shift_id: Option<String>,
    pub created_at: Timestamp,
    /// Unacknowledged after this instant, the handoff is overdue.
    pub due_at: Timestamp,
    pub acknowledged_at: Option<Timestamp>,
    /// The receiver's read-back.
    pub synthesis: Option<String>,
    /// Computed when this document was produced.
    pub overdue: bool,
    #[schema(value_type = Vec<HandoffItemOut>)]
    pub items: Vec<HandoffItem>,
}
