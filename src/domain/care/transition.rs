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

impl ReadinessSummary {
    pub fn as_str(self) -> &'static str {
        match self {
            ReadinessSummary::Consider => "consider",
            ReadinessSummary::Unclear => "unclear",
            ReadinessSummary::NotReady => "not_ready",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Some(match s {
            "consider" => ReadinessSummary::Consider,
            "unclear" => ReadinessSummary::Unclear,
            "not_ready" => ReadinessSummary::NotReady,
            _ => return None,
        })
    }
}

/// The summary in words, naming the areas that are not ready or unclear.
pub fn summary_words(a: &ReadinessAreas) -> String {
    let names = [
        ("housing", a.housing),
        ("hospitalization", a.hospitalization),
        ("emergency use", a.emergency_use),
        ("engagement", a.engagement),
        ("medication", a.medication),
        ("justice", a.justice),
    ];
    let list = |want: Readiness| -> Vec<&str> {
        names
            .iter()
            .filter(|(_, r)| *r == want)
            .map(|(n, _)| *n)
            .collect()
    };
    let not_ready = list(Readiness::NotReady);
    let unclear = list(Readiness::Unclear);
    let ready = 6 - not_ready.len() - unclear.len();
    let mut s = match summary(a) {
        ReadinessSummary::Consider => format!(
            "Consider a transition: {ready} of 6 areas ready and none not ready."
        ),
        ReadinessSummary::NotReady => format!(
            "Not ready: {} areas not ready (two or more).",
            not_ready.len()
        ),
        ReadinessSummary::Unclear => format!(
            "Unclear: {ready} of 6 areas ready; a transition is considered at 5 ready with none not ready."
        ),
    };
    if !not_ready.is_empty() {
        s.push_str(&format!(" Not ready: {}.", not_ready.join(", ")));
    }
    if !unclear.is_empty() {
        s.push_str(&format!(" Unclear: {}.", unclear.join(", ")));
    }
    s
}

/// What the transition leads to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum TransitionPlan {
    /// To a less intensive team (ICM or standard case management): a move to that team.
    StepDown,
    /// To another team of the same kind.
    Transfer,
    /// Out of the service (to primary care, or no further care).
    Discharge,
}

impl TransitionPlan {
    pub fn as_str(self) -> &'static str {
        match self {
            TransitionPlan::StepDown => "step_down",
            TransitionPlan::Transfer => "transfer",
            TransitionPlan::Discharge => "discharge",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Some(match s {
            "step_down" => TransitionPlan::StepDown,
            "transfer" => TransitionPlan::Transfer,
            "discharge" => TransitionPlan::Discharge,
            _ => return None,
        })
    }

    /// Step-down and transfer move the client to another team; discharge does not.
    pub fn moves_team(self) -> bool {
        !matches!(self, TransitionPlan::Discharge)
    }
}

/// The state of a transition: open (the client is `transitioning`), completed or cancelled.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum TransitionState {
    Open,
    Completed,
    Cancelled,
}

impl TransitionState {
    pub fn as_str(self) -> &'static str {
        match self {
            TransitionState::Open => "open",
            TransitionState::Completed => "completed",
            TransitionState::Cancelled => "cancelled",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Some(match s {
            "open" => TransitionState::Open,
            "completed" => TransitionState::Completed,
            "cancelled" => TransitionState::Cancelled,
            _ => return None,
        })
    }
}

/// What a check-in found.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum CheckinOutcome {
    /// Reached the client (or their new team) and things hold.
    Reached,
    /// Could not reach them.
    NotReached,
    /// Reached, and they need support (consider a return).
    NeedsSupport,
}

impl CheckinOutcome {
    pub fn as_str(self) -> &'static str {
        match self {
            CheckinOutcome::Reached => "reached",
            CheckinOutcome::NotReached => "not_reached",
            CheckinOutcome::NeedsSupport => "needs_support",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Some(match s {
            "reached" => CheckinOutcome::Reached,
            "not_reached" => CheckinOutcome::NotReached,
            "needs_support" => CheckinOutcome::NeedsSupport,
            _ => return None,
        })
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
    fn words_name_the_areas() {
        let w = summary_words(&areas([Ready, Ready, Ready, Ready, NotReady, Unclear]));
        assert!(w.starts_with("Unclear: 4 of 6"), "{w}");
        assert!(w.contains("Not ready: medication."), "{w}");
        assert!(w.contains("Unclear: justice."), "{w}");
        assert!(summary_words(&areas([Ready; 6])).starts_with("Consider"));
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
