//! The individual support plan: goals in the client's own words with a measurable objective and
//! a target date, reviewed every 90 days; progress per goal uses HL7 FHIR Goal's achievement
//! statuses, goals FHIR's lifecycle statuses (the subset a team uses).

use crate::domain::FieldError;
use chrono::{Days, NaiveDate};
use serde::{Deserialize, Serialize};

pub const REVIEW_DAYS: u64 = 90;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum GoalLifecycle {
    Proposed,
    Active,
    OnHold,
    Completed,
    Cancelled,
}

impl GoalLifecycle {
    /// A goal still being worked on: its target date can come due.
    pub fn is_open(self) -> bool {
        matches!(
            self,
            GoalLifecycle::Proposed | GoalLifecycle::Active | GoalLifecycle::OnHold
        )
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Achievement {
    InProgress,
    Improving,
    Worsening,
    NoChange,
    Achieved,
    Sustaining,
    NotAchieved,
    NoProgress,
    NotAttainable,
}

/// The fields a goal needs (the store passes the trimmed texts and the parsed date).
pub struct GoalText<'a> {
    pub in_own_words: &'a str,
    pub objective: &'a str,
    pub target_date: Option<NaiveDate>,
}

/// Field errors for goal `index` of the plan (`goals[i].in_own_words`, …).
pub fn check_goal(index: usize, g: &GoalText) -> Vec<FieldError> {
    let mut errors = Vec::new();
    let field = |name: &str| format!("goals[{index}].{name}");
    if g.in_own_words.trim().is_empty() {
        errors.push(FieldError::new(
            field("in_own_words"),
            "the goal in the client's own words is required",
        ));
    }
    if g.objective.trim().is_empty() {
        errors.push(FieldError::new(
            field("objective"),
            "a measurable objective is required",
        ));
    }
    if g.target_date.is_none() {
        errors.push(FieldError::new(
            field("target_date"),
            "a target date is required",
        ));
    }
    errors
}

/// The plan's next review: 90 days after it was last reviewed.
pub fn review_due(reviewed_on: NaiveDate) -> NaiveDate {
    reviewed_on
        .checked_add_days(Days::new(REVIEW_DAYS))
        .unwrap_or(reviewed_on)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_goal_needs_its_three_fields() {
        let ok = GoalText {
            in_own_words: "Keep my flat",
            objective: "Rent paid 6 months",
            target_date: NaiveDate::from_ymd_opt(2027, 6, 1),
        };
        assert!(check_goal(0, &ok).is_empty());
        let bad = GoalText {
            in_own_words: "  ",
            objective: "",
            target_date: None,
        };
        let fields: Vec<String> = check_goal(2, &bad).into_iter().map(|e| e.field).collect();
        assert_eq!(
            fields,
            vec![
                "goals[2].in_own_words",
                "goals[2].objective",
                "goals[2].target_date"
            ]
        );
    }

    #[test]
    fn review_every_90_days() {
        let d = NaiveDate::from_ymd_opt(2026, 12, 1).unwrap();
        assert_eq!(review_due(d), NaiveDate::from_ymd_opt(2027, 3, 1).unwrap());
    }

    #[test]
    fn open_goals() {
        assert!(GoalLifecycle::Active.is_open());
        assert!(GoalLifecycle::OnHold.is_open());
        assert!(!GoalLifecycle::Completed.is_open());
        assert!(!GoalLifecycle::Cancelled.is_open());
    }
}
