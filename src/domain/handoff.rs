//! Handoffs after I-PASS: illness severity per client, and when a handoff is overdue.

use chrono::{NaiveDateTime, TimeDelta};
use serde::{Deserialize, Serialize};

/// How long after its shift starts a handoff may stay unacknowledged.
pub const GRACE_MINUTES: i64 = 15;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum IllnessSeverity {
    Stable,
    Watcher,
    Unstable,
}

impl IllnessSeverity {
    pub fn as_str(self) -> &'static str {
        match self {
            IllnessSeverity::Stable => "stable",
            IllnessSeverity::Watcher => "watcher",
            IllnessSeverity::Unstable => "unstable",
        }
    }
}

/// Actions per item, and characters per action.
pub const MAX_ACTIONS: usize = 20;
pub const MAX_ACTION_TEXT: usize = 300;

/// An unstable client (I-PASS: may deteriorate during the shift) needs a contingency plan:
/// what the receiver does if it happens.
pub fn check_contingency(severity: IllnessSeverity, contingency: &str) -> Result<(), String> {
    if severity == IllnessSeverity::Unstable && contingency.trim().is_empty() {
        return Err(
            "an unstable client needs a contingency plan (\"if … then …\") for the receiver".into(),
        );
    }
    Ok(())
}

/// When the handoff becomes overdue: 15 minutes after its shift starts, or after it was
/// written when it names no shift (or the shift had already started).
pub fn due_at(created_at: NaiveDateTime, shift_start: Option<NaiveDateTime>) -> NaiveDateTime {
    shift_start.unwrap_or(created_at).max(created_at) + TimeDelta::minutes(GRACE_MINUTES)
}

pub fn is_overdue(due_at: NaiveDateTime, acknowledged: bool, now: NaiveDateTime) -> bool {
    !acknowledged && now > due_at
}

#[cfg(test)]
mod tests {
    use super::*;

    fn t(s: &str) -> NaiveDateTime {
        NaiveDateTime::parse_from_str(s, "%Y-%m-%d %H:%M").unwrap()
    }

    #[test]
    fn unstable_needs_a_contingency() {
        use IllnessSeverity::*;
        assert!(check_contingency(Unstable, "  ").is_err());
        assert!(check_contingency(Unstable, "").is_err());
        assert!(check_contingency(Unstable, "if he refuses entry, call crisis").is_ok());
        assert!(check_contingency(Watcher, "").is_ok());
        assert!(check_contingency(Stable, "").is_ok());
    }

    #[test]
    fn overdue_after_grace() {
        let due = due_at(t("2026-11-23 16:00"), Some(t("2026-11-23 17:00")));
        assert_eq!(due, t("2026-11-23 17:15"));
        assert!(!is_overdue(due, false, t("2026-11-23 17:14")));
        assert!(is_overdue(due, false, t("2026-11-23 17:16")));
        assert!(!is_overdue(due, true, t("2026-11-23 18:00")));
        // Written after the shift began: the grace runs from the writing.
        assert_eq!(
            due_at(t("2026-11-23 18:00"), Some(t("2026-11-23 17:00"))),
            t("2026-11-23 18:15")
        );
        assert_eq!(due_at(t("2026-11-23 18:00"), None), t("2026-11-23 18:15"));
    }
}
