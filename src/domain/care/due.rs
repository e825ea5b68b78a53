//! Care-cycle due items (reassessments, plan reviews, goal target dates, check-ins): which are
//! due within a window, and which are overdue. The store gathers the dates; this decides.

use chrono::{Days, NaiveDate};
use serde::{Deserialize, Serialize};

#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize, utoipa::ToSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum DueKind {
    Reassessment,
    PlanReview,
    GoalTarget,
    Checkin,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DueDate<C> {
    pub client: C,
    pub kind: DueKind,
    pub due_on: NaiveDate,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DueItem<C> {
    pub client: C,
    pub kind: DueKind,
    pub due_on: NaiveDate,
    pub overdue: bool,
}

/// Keeps the dates due on or before `today + within_days` (overdue ones however old), marks
/// those before `today` overdue, and orders them overdue first, then by date.
pub fn due_within<C: Ord + Clone>(
    dates: &[DueDate<C>],
    today: NaiveDate,
    within_days: u32,
) -> Vec<DueItem<C>> {
    let horizon = today
        .checked_add_days(Days::new(u64::from(within_days)))
        .unwrap_or(today);
    let mut items: Vec<DueItem<C>> = dates
        .iter()
        .filter(|d| d.due_on <= horizon)
        .map(|d| DueItem {
            client: d.client.clone(),
            kind: d.kind,
            due_on: d.due_on,
            overdue: d.due_on < today,
        })
        .collect();
    items.sort_by(|a, b| {
        b.overdue
            .cmp(&a.overdue)
            .then(a.due_on.cmp(&b.due_on))
            .then(a.kind.cmp(&b.kind))
            .then(a.client.cmp(&b.client))
    });
    items
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    #[test]
    fn window_and_overdue() {
        let today = d("2026-12-01");
        let dates = vec![
            DueDate {
                client: "a",
                kind: DueKind::PlanReview,
                due_on: d("2026-12-15"),
            },
            DueDate {
                client: "b",
                kind: DueKind::Reassessment,
                due_on: d("2026-12-16"),
            },
            DueDate {
                client: "c",
                kind: DueKind::Checkin,
                due_on: d("2026-11-01"),
            },
            DueDate {
                client: "d",
                kind: DueKind::GoalTarget,
                due_on: d("2026-12-01"),
            },
        ];
        let got = due_within(&dates, today, 14);
        let names: Vec<(&str, bool)> = got.iter().map(|i| (i.client, i.overdue)).collect();
        assert_eq!(names, vec![("c", true), ("d", false), ("a", false)]);
    }

    #[test]
    fn zero_window_is_today_and_overdue_only() {
        let today = d("2026-12-01");
        let dates = vec![
            DueDate {
                client: 1,
                kind: DueKind::Checkin,
                due_on: d("2026-12-02"),
            },
            DueDate {
                client: 2,
                kind: DueKind::Checkin,
                due_on: d("2026-12-01"),
            },
        ];
        assert_eq!(due_within(&dates, today, 0).len(), 1);
    }
}
