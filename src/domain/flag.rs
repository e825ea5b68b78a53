//! Crisis flags: severities, and the order flags stand in on every board.

use serde::{Deserialize, Serialize};

#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize, utoipa::ToSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum Severity {
    Watch,
    Urgent,
    Emergency,
}

impl Severity {
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Watch => "watch",
            Severity::Urgent => "urgent",
            Severity::Emergency => "emergency",
        }
    }
    pub fn parse(s: &str) -> Option<Severity> {
        match s {
            "watch" => Some(Severity::Watch),
            "urgent" => Some(Severity::Urgent),
            "emergency" => Some(Severity::Emergency),
            _ => None,
        }
    }
    /// Sort key: emergency first.
    pub fn rank(s: &str) -> u8 {
        match Severity::parse(s) {
            Some(Severity::Emergency) => 0,
            Some(Severity::Urgent) => 1,
            Some(Severity::Watch) => 2,
            None => 3,
        }
    }
}

pub const MAX_TEXT: usize = 1000;

pub fn check_text(field: &str, s: &str) -> Result<String, crate::domain::FieldError> {
    super::text::required(field, s, MAX_TEXT)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn emergency_first() {
        let mut v = vec!["watch", "emergency", "urgent"];
        v.sort_by_key(|s| Severity::rank(s));
        assert_eq!(v, vec!["emergency", "urgent", "watch"]);
        assert!(Severity::Emergency > Severity::Watch);
        assert!(check_text("reason", " ").is_err());
        assert_eq!(check_text("reason", " ok ").unwrap(), "ok");
    }
}
