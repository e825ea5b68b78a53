//! Recurring visits (`visit-series`): which days a series books. The visits are created at
//! once (materialized), so the range is bounded: every 1 to 90 days, until at most a year
//! after the first day (default twelve weeks).

use crate::domain::{time, FieldError};
use chrono::{NaiveDate, TimeDelta};

pub const MIN_EVERY: i32 = 1;
pub const MAX_EVERY: i32 = 90;
/// Without `until`: twelve weeks after the first day.
pub const DEFAULT_WEEKS: i64 = 12;
/// `until` at most this many days after the first day.
pub const MAX_SPAN_DAYS: i64 = 365;

/// The last day a series may book: `until`, or the default; refused (on its field) when
/// before the first day or more than a year after it.
pub fn last_day(first: NaiveDate, until: Option<NaiveDate>) -> Result<NaiveDate, FieldError> {
    let until = until.unwrap_or(first + TimeDelta::weeks(DEFAULT_WEEKS));
    if until < first {
        return Err(FieldError::new("until", "must not be before first_day"));
    }
    if until > first + TimeDelta::days(MAX_SPAN_DAYS) {
        return Err(FieldError::new(
            "until",
            format!("must be at most {MAX_SPAN_DAYS} days after first_day"),
        ));
    }
    // The default may run past the last accepted date.
    time::check_sane(until).map_err(|m| FieldError::new("until", m))
}

pub fn check_every(every: i32) -> Result<i32, FieldError> {
    if (MIN_EVERY..=MAX_EVERY).contains(&every) {
        Ok(every)
    } else {
        Err(FieldError::new(
            "every_days",
            format!("must be between {MIN_EVERY} and {MAX_EVERY}"),
        ))
    }
}

/// The days a series books: `first`, then every `every` days, up to and including `last`.
pub fn days(first: NaiveDate, every: i32, last: NaiveDate) -> Vec<NaiveDate> {
    let step = TimeDelta::days(i64::from(every.max(1)));
    std::iter::successors(Some(first), |d| d.checked_add_signed(step))
        .take_while(|d| *d <= last)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    #[test]
    fn every_fourteen_days_for_the_default_twelve_weeks() {
        let last = last_day(d("2026-12-01"), None).unwrap();
        assert_eq!(last, d("2027-02-23"));
        let v = days(d("2026-12-01"), 14, last);
        assert_eq!(v.len(), 7, "12 weeks of fortnights, both ends included");
        assert_eq!(v[1], d("2026-12-15"));
        assert_eq!(*v.last().unwrap(), d("2027-02-23"));
    }

    #[test]
    fn until_inclusive_and_bounded() {
        assert_eq!(days(d("2026-12-01"), 7, d("2026-12-14")).len(), 2);
        assert_eq!(days(d("2026-12-01"), 7, d("2026-12-15")).len(), 3);
        assert_eq!(
            days(d("2026-12-01"), 90, d("2026-12-01")),
            vec![d("2026-12-01")]
        );
        assert_eq!(
            last_day(d("2026-12-01"), Some(d("2026-11-30")))
                .unwrap_err()
                .field,
            "until"
        );
        assert!(last_day(d("2026-12-01"), Some(d("2027-12-01"))).is_ok());
        assert!(last_day(d("2026-12-01"), Some(d("2027-12-02"))).is_err());
        assert_eq!(last_day(d("2099-12-01"), None).unwrap_err().field, "until");
        // A year of daily visits is the most a series books.
        assert_eq!(days(d("2026-12-01"), 1, d("2027-12-01")).len(), 366);
    }

    #[test]
    fn every_is_one_to_ninety() {
        assert!(check_every(0).is_err());
        assert!(check_every(91).is_err());
        assert_eq!(check_every(1), Ok(1));
        assert_eq!(check_every(90), Ok(90));
    }
}
