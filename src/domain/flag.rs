//! Crisis flags: severities, categories, the order flags stand in on every board, and when
//! an unanswered emergency escalates.

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

/// What a flag is about: chosen from a list, so a privacy display can show it (a reason is
/// typed text and never can).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Category {
    SelfHarm,
    HarmToOthers,
    Medical,
    Medication,
    Housing,
    Missing,
    Hospital,
    Legal,
    Other,
}

impl Category {
    pub fn as_str(self) -> &'static str {
        match self {
            Category::SelfHarm => "self_harm",
            Category::HarmToOthers => "harm_to_others",
            Category::Medical => "medical",
            Category::Medication => "medication",
            Category::Housing => "housing",
            Category::Missing => "missing",
            Category::Hospital => "hospital",
            Category::Legal => "legal",
            Category::Other => "other",
        }
    }
}

/// Minutes an emergency may go unanswered before it escalates: a team's setting, 1–240.
pub const ESCALATE_AFTER_DEFAULT: i32 = 10;
pub const ESCALATE_AFTER_RANGE: std::ops::RangeInclusive<i32> = 1..=240;

/// Is this flag due to escalate at `now`: an open emergency nobody has answered, not yet
/// escalated, raised at least `after_minutes` ago.
pub fn escalation_due(
    severity: &str,
    open: bool,
    answered: bool,
    escalated: bool,
    raised_at: chrono::NaiveDateTime,
    after_minutes: i32,
    now: chrono::NaiveDateTime,
) -> bool {
    severity == Severity::Emergency.as_str()
        && open
        && !answered
        && !escalated
        && raised_at + chrono::TimeDelta::minutes(after_minutes.into()) <= now
}

/// Who is alerted when a flag escalates: whoever is on call now, then the team's leads,
/// each once.
pub fn alert_list(on_call: Option<&str>, leads: &[String]) -> Vec<String> {
    let mut out: Vec<String> = on_call.map(str::to_string).into_iter().collect();
    for l in leads {
        if !out.contains(l) {
            out.push(l.clone());
        }
    }
    out
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

    #[test]
    fn categories_serialize_as_stored() {
        for c in [
            Category::SelfHarm,
            Category::HarmToOthers,
            Category::Medical,
            Category::Medication,
            Category::Housing,
            Category::Missing,
            Category::Hospital,
            Category::Legal,
            Category::Other,
        ] {
            assert_eq!(serde_json::to_value(c).unwrap(), c.as_str());
        }
    }

    #[test]
    fn escalation() {
        let t0 = chrono::NaiveDate::from_ymd_opt(2026, 11, 1)
            .unwrap()
            .and_hms_opt(3, 0, 0)
            .unwrap();
        let at = |m: i64| t0 + chrono::TimeDelta::minutes(m);
        let due = |sev, open, answered, escalated, now| {
            escalation_due(sev, open, answered, escalated, t0, 10, now)
        };
        assert!(
            due("emergency", true, false, false, at(10)),
            "exactly at the limit"
        );
        assert!(!due("emergency", true, false, false, at(9)));
        assert!(
            !due("urgent", true, false, false, at(60)),
            "only emergencies"
        );
        assert!(!due("emergency", false, false, false, at(60)), "resolved");
        assert!(
            !due("emergency", true, true, false, at(60)),
            "someone responds"
        );
        assert!(!due("emergency", true, false, true, at(60)), "once");
        assert_eq!(
            alert_list(Some("oc"), &["l1".into(), "oc".into(), "l2".into()]),
            vec!["oc", "l1", "l2"]
        );
        assert_eq!(alert_list(None, &["l1".into()]), vec!["l1"]);
    }
}
