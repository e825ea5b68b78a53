//! How many days without a completed contact make a client's "last seen" stand out on the
//! board, per risk tier (the one definition; the board snapshot carries it to the browser).
//! High risk: 2 days, medium: 4, low: 7 — at that many days or more the age is shown as late.

use serde::Serialize;
use utoipa::ToSchema;

/// Days since the last completed contact at which the board shows it as late, per tier.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, ToSchema)]
pub struct ContactAgeThresholds {
    pub high: i64,
    pub medium: i64,
    pub low: i64,
}

pub const THRESHOLDS: ContactAgeThresholds = ContactAgeThresholds {
    high: 2,
    medium: 4,
    low: 7,
};

/// The threshold of a stored tier; an unknown tier is treated as high (fail toward attention).
pub fn limit_days(tier: &str) -> i64 {
    match tier {
        "low" => THRESHOLDS.low,
        "medium" => THRESHOLDS.medium,
        _ => THRESHOLDS.high,
    }
}

/// A client never seen, or not seen for the tier's threshold or longer, is late.
pub fn is_late(tier: &str, days_since_contact: Option<i64>) -> bool {
    days_since_contact.is_none_or(|d| d >= limit_days(tier))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_tier_at_its_edge() {
        assert!(!is_late("high", Some(1)));
        assert!(is_late("high", Some(2)));
        assert!(!is_late("medium", Some(3)));
        assert!(is_late("medium", Some(4)));
        assert!(!is_late("low", Some(6)));
        assert!(is_late("low", Some(7)));
    }

    #[test]
    fn never_seen_and_unknown_tiers() {
        assert!(is_late("low", None));
        assert!(is_late("nonsense", Some(2)));
        assert!(!is_late("nonsense", Some(1)));
        assert!(!is_late("high", Some(0)));
    }
}
