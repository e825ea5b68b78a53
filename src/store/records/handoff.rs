//! Handoffs as they leave the server (and their items as they arrive).

use crate::domain::handoff::IllnessSeverity;
use crate::store::Timestamp;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// One client in a handoff, as a request gives it.
#[derive(Deserialize, ToSchema, Clone, Debug)]
pub struct HandoffItem {
    #[schema(format = Uuid)]
    pub client_id: String,
    /// Illness severity: stable, watcher or unstable.
    pub severity: IllnessSeverity,
    /// Patient summary.
    #[schema(min_length = 1, max_length = 1000, pattern = r"\S")]
    pub summary: String,
    /// Action list (to-dos for the receiver): each a bare string (its text, as older clients
    /// send it) or `{text, owner_id?, due_at?}`. Always read back as objects.
    #[serde(default)]
    #[schema(max_items = 20)]
    pub actions: Vec<ActionIn>,
    /// Situation awareness and contingency plans ("if … then …"); required for an
    /// `unstable` client.
    #[serde(default)]
    #[schema(max_length = 1000)]
    pub contingency: String,
}

/// An action as a request gives it: its text alone, or with an owner and a due time.
#[derive(Deserialize, ToSchema, Clone, Debug)]
#[serde(untagged)]
pub enum ActionIn {
    /// The text alone (1 to 300 characters).
    Text(String),
    Item(ActionItemIn),
}

impl From<&str> for ActionIn {
    fn from(s: &str) -> Self {
        ActionIn::Text(s.to_string())
    }
}

#[derive(Deserialize, ToSchema, Clone, Debug)]
#[serde(deny_unknown_fields)]
pub struct ActionItemIn {
    /// What to do (1 to 300 characters).
    #[schema(min_length = 1, max_length = 300, pattern = r"\S")]
    pub text: String,
    /// Who does it: a working member of the team (default: the receiver).
    #[schema(format = Uuid)]
    pub owner_id: Option<String>,
    /// By when: an RFC 3339 instant (any offset; read back in UTC), 2000–2099.
    #[schema(format = DateTime)]
    pub due_at: Option<String>,
}

/// An action as read back: always this shape, whatever the request sent.
#[derive(Serialize, ToSchema, Clone, Debug, PartialEq)]
pub struct ActionOut {
    pub text: String,
    pub owner_id: Option<String>,
    pub due_at: Option<Timestamp>,
}

/// A handoff item as read back (the input's limits do not apply): on a privacy display its
/// text fields are empty and its actions absent.
#[derive(Serialize, ToSchema, Clone, Debug)]
pub struct HandoffItemOut {
    #[schema(format = Uuid)]
    pub client_id: String,
    pub severity: IllnessSeverity,
    pub summary: String,
    pub actions: Vec<ActionOut>,
    pub contingency: String,
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
    pub items: Vec<HandoffItemOut>,
}
