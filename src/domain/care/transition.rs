//! Transition (step-down) readiness over six areas, the summary rule of the contract, the
//! check-ins after a completed transition, and the return-within-a-year rule.

use chrono::{Days, Months, NaiveDate};
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Readiness {
    Ready,
    Unclear,
    NotReady,
}

/// The six areas (the New York transition readiness work uses the same).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct ReadinessAreas {
    pub housing: Readiness,
    pub hospitalization: Readiness,
    pub emergency_use: Readiness,
    pub engagement: Readiness,
    pub medication: Readiness,
    pub justice: Readiness,
}

impl ReadinessAreas {
    fn all(&self) -> [Readiness; 6] {
        [
            self.housing,
            self.hospitalization,
            self.emergency_use,
            self.engagement,
            self.medication,
            self.justice,
        ]
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum ReadinessSummary {
    Consider,
    Unclear,
    NotReady,
}

/// `consider` when none is not ready and at least five are ready; `not_ready` when two or
/// more are not ready; else `unclear`.
pub fn summary(a: &ReadinessAreas) -> ReadinessSummary {
    let ready = a.all().iter().filter(|r| **r == Readiness::Ready).count();
    let not_ready = a
        .all()
        .iter()
        .filter(|r| **r == Readiness::NotReady)
        .count();
    if not_ready == 0 && ready >= 5 {
        ReadinessSummary::Consider
    } else if not_ready >= 2 {
        ReadinessSummary::NotReady
    } else {
        ReadinessSummary::Unclear
    }
}

pub const CHECKIN_DAYS: [u64; 3] = [30, 60, 90];

/// The check-ins a completed transfer or discharge schedules.
pub fn checkins(completed_on: NaiveDate) -> Vec<NaiveDate> {
    CHECKIN_DAYS
        .iter()
        .filter_map(|d| completed_on.checked_add_days(Days::new(*d)))
        .collect()
}

/// A client discharged within the last year may return without new screening.
pub fn may_return_without_screening(discharged_on: NaiveDate, today: NaiveDate) -> bool {
    discharged_on <= today
        && discharged_on
            .checked_add_months(Months::new(12))
            .is_some_and(|limit| today <= limit)
}

#[cfg(test)]
mod tests {
    use super::*;
    use Readiness::*;

    fn areas(v: [Readiness; 6]) -> ReadinessAreas {
        ReadinessAreas {
            housing: v[0],
            hospitalization: v[1],
            emergency_use: v[2],
            engagement: v[3],
            medication: v[4],
            justice: v[5],
        }
    }

    #[test]
    fn summary_rule_edges() {
        assert_eq!(summary(&areas([Ready; 6])), ReadinessSummary::Consider);
        assert_eq!(
            summary(&areas([Ready, Ready, Ready, Ready, Ready, Unclear])),
            ReadinessSummary::Consider
        );
        assert_eq!(
            summary(&areas([Ready, Ready, Ready, Ready, Unclear, Unclear])),
            ReadinessSummary::Unclear
        );
        assert_eq!(
            summary(&areas([Ready, Ready, Ready, Ready, Ready, NotReady])),
            ReadinessSummary::Unclear
        );
        assert_eq!(
            summary(&areas([Ready, Ready, Ready, Ready, NotReady, NotReady])),
            ReadinessSummary::NotReady
        );
        assert_eq!(summary(&areas([NotReady; 6])), ReadinessSummary::NotReady);
        assert_eq!(summary(&areas([Unclear; 6])), ReadinessSummary::Unclear);
    }

    #[test]
    fn checkins_at_30_60_90() {
        let d = |s: &str| NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap();
        assert_eq!(
            checkins(d("2026-12-01")),
            vec![d("2026-12-31"), d("2027-01-30"), d("2027-03-01")]
        );
    }

    #[test]
    fn return_within_a_year() {
        let d = |s: &str| NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap();
        assert!(may_return_without_screening(
            d("2026-01-15"),
            d("2027-01-15")
        ));
        assert!(!may_return_without_screening(
            d("2026-01-15"),
            d("2027-01-16")
        ));
        assert!(!may_return_without_screening(
            d("2027-01-15"),
            d("2026-01-15")
        ));
    }
}
