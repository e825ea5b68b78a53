//! Absences: a staff member out from one team-local day to another, both included.

use crate::domain::time::parse_day;
use crate::domain::FieldError;
use chrono::NaiveDate;

/// The longest absence one request records (about a quarter); a longer one is recorded in
/// parts, so a typo in a year cannot move a year of visits.
pub const MAX_DAYS: i64 = 92;
pub const MAX_REASON: usize = 500;

/// `from` and `to` (YYYY-MM-DD, within the server's dates), `to` not before `from` and at
/// most [`MAX_DAYS`] days in all. Every problem is reported.
pub fn check_range(
    from: &str,
    to: &str,
    errors: &mut Vec<FieldError>,
) -> Option<(NaiveDate, NaiveDate)> {
    let a = parse_day(from)
        .map_err(|m| errors.push(FieldError::new("from", m)))
        .ok();
    let z = parse_day(to)
        .map_err(|m| errors.push(FieldError::new("to", m)))
        .ok();
    let (a, z) = (a?, z?);
    if z < a {
        errors.push(FieldError::new("to", "must be on or after from"));
        return None;
    }
    if days(a, z) > MAX_DAYS {
        errors.push(FieldError::new(
            "to",
            format!("an absence lasts at most {MAX_DAYS} days; record a longer one in parts"),
        ));
        return None;
    }
    Some((a, z))
}

/// Days from `from` to `to`, both included.
pub fn days(from: NaiveDate, to: NaiveDate) -> i64 {
    (to - from).num_days() + 1
}

/// Does the absence `from..=to` include `day`?
pub fn covers(from: NaiveDate, to: NaiveDate, day: NaiveDate) -> bool {
    from <= day && day <= to
}

/// Do two ranges share a day?
pub fn overlaps(a: (NaiveDate, NaiveDate), b: (NaiveDate, NaiveDate)) -> bool {
    a.0 <= b.1 && b.0 <= a.1
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        parse_day(s).unwrap()
    }

    #[test]
    fn ranges() {
        let mut e = vec![];
        assert_eq!(
            check_range("2026-12-01", "2026-12-01", &mut e),
            Some((d("2026-12-01"), d("2026-12-01")))
        );
        assert!(e.is_empty());
        check_range("2026-12-02", "2026-12-01", &mut e);
        assert_eq!(e[0].field, "to");
        let mut e = vec![];
        // 92 days in all is fine, 93 is not.
        assert!(check_range("2026-01-01", "2026-04-02", &mut e).is_some());
        assert!(check_range("2026-01-01", "2026-04-03", &mut e).is_none());
        assert_eq!(e.len(), 1);
        let mut e = vec![];
        check_range("0000-01-01", "9999-12-31", &mut e);
        let fields: Vec<_> = e.iter().map(|x| x.field.as_str()).collect();
        assert_eq!(fields, vec!["from", "to"]);
    }

    #[test]
    fn covering_and_overlapping() {
        let (a, z) = (d("2026-12-01"), d("2026-12-03"));
        assert_eq!(days(a, z), 3);
        assert!(covers(a, z, d("2026-12-01")));
        assert!(covers(a, z, d("2026-12-03")));
        assert!(!covers(a, z, d("2026-12-04")));
        assert!(overlaps((a, z), (d("2026-12-03"), d("2026-12-09"))));
        assert!(!overlaps((a, z), (d("2026-12-04"), d("2026-12-09"))));
        assert!(overlaps((a, z), (d("2026-11-01"), d("2026-12-31"))));
    }
}
