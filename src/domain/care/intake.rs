//! The intake rate (issue 14, DACTS O2 "intake rate"): per team-local month, how many people
//! were referred, accepted (became active: their `enrolled_on`) and declined. Fidelity asks for
//! a gradual intake: O2 scores the most admissions in one month over the last six, ≤ 6 scoring 5.

use crate::domain::fidelity;
use chrono::{Datelike, NaiveDate};
use serde::Serialize;

/// Months shown at most (and the default of `GET …/intake?months=`).
pub const MAX_MONTHS: u32 = 24;
pub const DEFAULT_MONTHS: u32 = 12;
/// The window O2 looks at: the last six months, this one included.
pub const O2_WINDOW_MONTHS: u32 = 6;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct MonthIntake {
    /// `YYYY-MM`, team-local.
    pub month: String,
    pub referred: u32,
    pub accepted: u32,
    pub declined: u32,
}

#[derive(Debug, Clone, PartialEq, Serialize, utoipa::ToSchema)]
pub struct Intake {
    /// Oldest first, ending with the current month.
    pub months: Vec<MonthIntake>,
    /// The most clients accepted in one month over the last six (this month included).
    pub max_accepted_6m: u32,
    /// DACTS O2 for that figure (1–5): >15 → 1, 13–15 → 2, 10–12 → 3, 7–9 → 4, ≤6 → 5.
    pub o2_score: u8,
    /// The rule in words, for the screen.
    pub note: String,
}

/// DACTS O2 (intake rate) from the most admissions in one month over the last six, by the
/// fidelity page's band table (one table for both screens).
pub fn o2_score(max_per_month: u32) -> u8 {
    fidelity::O2.score(f64::from(max_per_month))
}

/// The first day of the month `back` months before `day`'s month.
fn month_start(day: NaiveDate, back: u32) -> NaiveDate {
    let total = day.year() * 12 + day.month0() as i32 - back as i32;
    NaiveDate::from_ymd_opt(total.div_euclid(12), total.rem_euclid(12) as u32 + 1, 1)
        .expect("the first of a month exists")
}

fn key(d: NaiveDate) -> (i32, u32) {
    (d.year(), d.month())
}

/// Count the days into `months` team-local months ending with `today`'s month. Days outside
/// the window (or in the future) are ignored.
pub fn intake(
    months: u32,
    today: NaiveDate,
    referred: &[NaiveDate],
    accepted: &[NaiveDate],
    declined: &[NaiveDate],
) -> Intake {
    let months = months.clamp(1, MAX_MONTHS);
    let mut rows: Vec<MonthIntake> = (0..months)
        .rev()
        .map(|back| MonthIntake {
            month: month_start(today, back).format("%Y-%m").to_string(),
            referred: 0,
            accepted: 0,
            declined: 0,
        })
        .collect();
    let first = month_start(today, months - 1);
    let slot = |d: &NaiveDate| -> Option<usize> {
        if *d < first || *d > today {
            return None;
        }
        let (y0, m0) = key(first);
        let (y, m) = key(*d);
        Some(((y - y0) * 12 + m as i32 - m0 as i32) as usize)
    };
    for d in referred {
        if let Some(i) = slot(d) {
            rows[i].referred += 1;
        }
    }
    for d in accepted {
        if let Some(i) = slot(d) {
            rows[i].accepted += 1;
        }
    }
    for d in declined {
        if let Some(i) = slot(d) {
            rows[i].declined += 1;
        }
    }
    // O2 always looks at six months, whatever the window shown.
    let o2_first = month_start(today, O2_WINDOW_MONTHS - 1);
    let mut per_month = [0u32; O2_WINDOW_MONTHS as usize];
    for d in accepted {
        if *d >= o2_first && *d <= today {
            let (y0, m0) = key(o2_first);
            let (y, m) = key(*d);
            per_month[((y - y0) * 12 + m as i32 - m0 as i32) as usize] += 1;
        }
    }
    let max_accepted_6m = per_month.iter().copied().max().unwrap_or(0);
    let o2 = o2_score(max_accepted_6m);
    let note = format!(
        "At most {max_accepted_6m} admitted in one month over the last 6 months: DACTS O2 scores {o2} of 5 \
         (6 or fewer a month scores 5; a gradual intake keeps the team able to serve everyone)."
    );
    Intake {
        months: rows,
        max_accepted_6m,
        o2_score: o2,
        note,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    #[test]
    fn months_end_with_this_one_and_cross_the_year() {
        let r = intake(3, d("2027-01-15"), &[], &[], &[]);
        let names: Vec<&str> = r.months.iter().map(|m| m.month.as_str()).collect();
        assert_eq!(names, ["2026-11", "2026-12", "2027-01"]);
        assert_eq!(r.max_accepted_6m, 0);
        assert_eq!(r.o2_score, 5);
    }

    #[test]
    fn counts_fall_in_their_month_and_outside_days_are_ignored() {
        let r = intake(
            2,
            d("2026-12-10"),
            &[
                d("2026-11-01"),
                d("2026-11-30"),
                d("2026-12-10"),
                d("2026-10-31"),
            ],
            &[d("2026-12-01"), d("2026-12-11")],
            &[d("2026-11-15")],
        );
        assert_eq!(r.months[0].referred, 2);
        assert_eq!(r.months[1].referred, 1);
        assert_eq!(r.months[1].accepted, 1, "a future day is not counted");
        assert_eq!(r.months[0].declined, 1);
    }

    #[test]
    fn o2_looks_at_six_months_whatever_is_shown() {
        let today = d("2026-12-10");
        let mut accepted = vec![d("2026-07-03"); 7]; // month 6 back: inside
        accepted.extend(vec![d("2026-06-30"); 20]); // 7 back: outside
        let r = intake(1, today, &[], &accepted, &[]);
        assert_eq!(r.max_accepted_6m, 7);
        assert_eq!(r.o2_score, 4);
        assert_eq!(r.months.len(), 1);
    }

    #[test]
    fn o2_bands() {
        assert_eq!(
            [0, 6, 7, 9, 10, 12, 13, 15, 16].map(o2_score),
            [5, 5, 4, 4, 3, 3, 2, 2, 1]
        );
    }

    #[test]
    fn months_are_clamped() {
        assert_eq!(intake(0, d("2026-12-01"), &[], &[], &[]).months.len(), 1);
        assert_eq!(intake(99, d("2026-12-01"), &[], &[], &[]).months.len(), 24);
    }
}
