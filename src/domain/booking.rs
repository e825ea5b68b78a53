//! No double booking: which visits of one staff member overlap.
//!
//! Two visits overlap when they are on the same team-local day, both planned or completed,
//! both timed (a start and an end), different contacts, and their times intersect:
//! `a.start < b.end && b.start < a.end`, so a visit ending at 10:00 and one starting at
//! 10:00 do not overlap. Untimed visits (no start, or a start without an end) and missed or
//! cancelled ones never conflict.

use chrono::{NaiveDate, NaiveTime};

/// A visit as the rule sees it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Booking {
    pub contact_id: String,
    pub day: NaiveDate,
    pub start: Option<NaiveTime>,
    pub end: Option<NaiveTime>,
    pub status: String,
}

impl Booking {
    /// Planned and completed visits hold the person's time; missed and cancelled do not.
    pub fn holds_time(&self) -> bool {
        self.status == "planned" || self.status == "completed"
    }

    /// The time the visit takes, when it is timed and holds it.
    pub fn window(&self) -> Option<(NaiveTime, NaiveTime)> {
        match (self.holds_time(), self.start, self.end) {
            (true, Some(s), Some(e)) if s < e => Some((s, e)),
            _ => None,
        }
    }
}

/// Do two visits (of the same person) overlap?
pub fn overlap(a: &Booking, b: &Booking) -> bool {
    if a.contact_id == b.contact_id || a.day != b.day {
        return false;
    }
    match (a.window(), b.window()) {
        (Some((s1, e1)), Some((s2, e2))) => s1 < e2 && s2 < e1,
        _ => false,
    }
}

/// The visits among `others` that `candidate` overlaps, in their order.
pub fn conflicts<'a>(candidate: &Booking, others: &'a [Booking]) -> Vec<&'a Booking> {
    others.iter().filter(|o| overlap(candidate, o)).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn b(id: &str, day: &str, start: Option<&str>, end: Option<&str>, status: &str) -> Booking {
        let t = |s: &str| NaiveTime::parse_from_str(s, "%H:%M").unwrap();
        Booking {
            contact_id: id.into(),
            day: NaiveDate::parse_from_str(day, "%Y-%m-%d").unwrap(),
            start: start.map(t),
            end: end.map(t),
            status: status.into(),
        }
    }

    const D: &str = "2026-12-03";

    #[test]
    fn intersecting_times_overlap() {
        let a = b("a", D, Some("09:00"), Some("10:00"), "planned");
        assert!(overlap(
            &a,
            &b("x", D, Some("09:30"), Some("10:30"), "planned")
        ));
        assert!(overlap(
            &a,
            &b("x", D, Some("08:00"), Some("09:01"), "completed")
        ));
        assert!(
            overlap(&a, &b("x", D, Some("09:15"), Some("09:45"), "planned")),
            "inside"
        );
        assert!(
            overlap(&a, &b("x", D, Some("08:00"), Some("11:00"), "planned")),
            "around"
        );
        assert!(
            overlap(&a, &b("x", D, Some("09:00"), Some("10:00"), "planned")),
            "same times"
        );
        assert!(
            overlap(&b("x", D, Some("09:30"), Some("10:30"), "planned"), &a),
            "symmetric"
        );
    }

    #[test]
    fn touching_end_to_start_is_not_an_overlap() {
        let a = b("a", D, Some("09:00"), Some("10:00"), "planned");
        assert!(!overlap(
            &a,
            &b("x", D, Some("10:00"), Some("11:00"), "planned")
        ));
        assert!(!overlap(
            &a,
            &b("x", D, Some("08:00"), Some("09:00"), "planned")
        ));
    }

    #[test]
    fn untimed_visits_never_conflict() {
        let a = b("a", D, Some("09:00"), Some("10:00"), "planned");
        assert!(!overlap(&a, &b("x", D, None, None, "planned")));
        assert!(
            !overlap(&a, &b("x", D, Some("09:30"), None, "planned")),
            "start only"
        );
        assert!(!overlap(
            &b("y", D, None, None, "planned"),
            &b("x", D, None, None, "planned")
        ));
    }

    #[test]
    fn a_contact_does_not_conflict_with_itself() {
        let a = b("a", D, Some("09:00"), Some("10:00"), "planned");
        assert!(!overlap(&a, &a.clone()));
        let moved = b("a", D, Some("09:30"), Some("10:30"), "planned");
        assert!(!overlap(&moved, &a), "its own stored version");
    }

    #[test]
    fn cancelled_and_missed_do_not_count() {
        let a = b("a", D, Some("09:00"), Some("10:00"), "planned");
        for s in ["cancelled", "missed"] {
            assert!(
                !overlap(&a, &b("x", D, Some("09:30"), Some("10:30"), s)),
                "{s}"
            );
            assert!(
                !overlap(&b("x", D, Some("09:30"), Some("10:30"), s), &a),
                "{s}"
            );
        }
    }

    #[test]
    fn other_days_do_not_conflict() {
        let a = b("a", D, Some("09:00"), Some("10:00"), "planned");
        assert!(!overlap(
            &a,
            &b("x", "2026-12-04", Some("09:00"), Some("10:00"), "planned")
        ));
    }

    #[test]
    fn conflicts_lists_only_the_overlapping() {
        let a = b("a", D, Some("09:00"), Some("10:00"), "planned");
        let others = vec![
            b("x", D, Some("09:30"), Some("10:30"), "planned"),
            b("y", D, Some("10:00"), Some("11:00"), "planned"),
            b("z", D, Some("08:00"), Some("09:30"), "completed"),
            b("a", D, Some("09:00"), Some("10:00"), "planned"),
        ];
        let ids: Vec<&str> = conflicts(&a, &others)
            .iter()
            .map(|o| o.contact_id.as_str())
            .collect();
        assert_eq!(ids, vec!["x", "z"]);
    }
}
