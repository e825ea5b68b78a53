//! The assessment rubric (an open one of our own; proprietary level-of-care instruments may not
//! be stored): biomedical, behavioural and circumstantial factors each rated 0–3, a tier
//! computed by one documented rule, and the next assessment six months on. The board's colour
//! thresholds come from the tier, so they are defined here once.

use crate::domain::client::RiskTier;
use chrono::{Months, NaiveDate};
use serde::{Deserialize, Serialize};

pub const MAX_RATING: u8 = 3;
/// A sum at or above this is high (as is any single factor at the maximum).
pub const HIGH_SUM: u8 = 6;
/// A sum at or above this (and below [`HIGH_SUM`]) is medium.
pub const MEDIUM_SUM: u8 = 3;
pub const REASSESS_MONTHS: u32 = 6;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Factors {
    pub biomedical: u8,
    pub behavioral: u8,
    pub circumstantial: u8,
}

impl Factors {
    fn named(&self) -> [(&'static str, u8); 3] {
        [
            ("biomedical", self.biomedical),
            ("behavioral", self.behavioral),
            ("circumstantial", self.circumstantial),
        ]
    }

    /// Names the factors rated outside 0–3 (the store turns them into field errors).
    pub fn out_of_range(&self) -> Vec<&'static str> {
        self.named()
            .into_iter()
            .filter(|(_, v)| *v > MAX_RATING)
            .map(|(n, _)| n)
            .collect()
    }

    pub fn sum(&self) -> u8 {
        self.biomedical + self.behavioral + self.circumstantial
    }
}

/// The rule: `high` if any factor is 3 or the sum is 6 or more; `medium` if the sum is 3 or
/// more; else `low`. Returns the tier and why, in words.
pub fn computed_tier(f: &Factors) -> (RiskTier, String) {
    let at_max: Vec<&str> = f
        .named()
        .into_iter()
        .filter(|(_, v)| *v == MAX_RATING)
        .map(|(n, _)| n)
        .collect();
    let sum = f.sum();
    if !at_max.is_empty() {
        (
            RiskTier::High,
            format!(
                "High: {} rated {MAX_RATING} (the maximum).",
                at_max.join(" and ")
            ),
        )
    } else if sum >= HIGH_SUM {
        (
            RiskTier::High,
            format!("High: the factors add up to {sum} (6 or more)."),
        )
    } else if sum >= MEDIUM_SUM {
        (
            RiskTier::Medium,
            format!("Medium: the factors add up to {sum} (3 to 5)."),
        )
    } else {
        (
            RiskTier::Low,
            format!("Low: the factors add up to {sum} (under 3)."),
        )
    }
}

/// When the next assessment is due: six calendar months later (the last day of the month when
/// the day does not exist, e.g. 31 August → 28/29 February).
pub fn next_due(assessed_on: NaiveDate) -> NaiveDate {
    assessed_on
        .checked_add_months(Months::new(REASSESS_MONTHS))
        .unwrap_or(assessed_on)
}

/// What the board colours a tier: the one place the thresholds live (the frontend reads them
/// from the client record's tier, never from its own numbers).
pub fn tier_colour(tier: RiskTier) -> &'static str {
    match tier {
        RiskTier::High => "red",
        RiskTier::Medium => "amber",
        RiskTier::Low => "green",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn f(b: u8, h: u8, c: u8) -> Factors {
        Factors {
            biomedical: b,
            behavioral: h,
            circumstantial: c,
        }
    }

    #[test]
    fn tier_band_edges() {
        assert_eq!(computed_tier(&f(0, 0, 0)).0, RiskTier::Low);
        assert_eq!(computed_tier(&f(1, 1, 0)).0, RiskTier::Low);
        assert_eq!(computed_tier(&f(1, 1, 1)).0, RiskTier::Medium);
        assert_eq!(computed_tier(&f(2, 2, 1)).0, RiskTier::Medium);
        assert_eq!(computed_tier(&f(2, 2, 2)).0, RiskTier::High);
        assert_eq!(computed_tier(&f(3, 0, 0)).0, RiskTier::High);
        assert_eq!(computed_tier(&f(0, 0, 3)).0, RiskTier::High);
    }

    #[test]
    fn explanation_names_the_reason() {
        assert!(computed_tier(&f(3, 0, 3))
            .1
            .contains("biomedical and circumstantial rated 3"));
        assert!(computed_tier(&f(2, 2, 2)).1.contains("add up to 6"));
        assert!(computed_tier(&f(0, 1, 0)).1.starts_with("Low"));
    }

    #[test]
    fn ratings_above_three_are_named() {
        assert_eq!(
            f(4, 0, 9).out_of_range(),
            vec!["biomedical", "circumstantial"]
        );
        assert!(f(3, 3, 3).out_of_range().is_empty());
    }

    #[test]
    fn next_due_is_six_months_on() {
        let d = |s: &str| NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap();
        assert_eq!(next_due(d("2026-12-01")), d("2027-06-01"));
        assert_eq!(next_due(d("2026-08-31")), d("2027-02-28"));
        assert_eq!(next_due(d("2027-08-31")), d("2028-02-29"));
    }

    #[test]
    fn colours_once() {
        assert_eq!(tier_colour(RiskTier::High), "red");
        assert_eq!(tier_colour(RiskTier::Medium), "amber");
        assert_eq!(tier_colour(RiskTier::Low), "green");
    }
}
