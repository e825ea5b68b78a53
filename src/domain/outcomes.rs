//! Outcomes before and after enrolment (issue 15): window arithmetic over a client's episodes.
//!
//! The rules (the contract): windows of 12 and 24 months before and after `enrolled_on` (the
//! first day on the caseload). `before` is the m months ending the day before enrolment;
//! `after` starts on the enrolment day and counts up to today (a window not yet complete
//! covers fewer days, and its per-month figure is over the months it covers). A hospital day
//! is a calendar day from an admission's start to its end inclusive (psychiatric and medical
//! admissions; an open one lasts until today) inside the window; a day of two admissions (a
//! move between wards) counts once. Jail, homeless and crisis-bed days are counted the same
//! way; admissions and emergency visits by the day they start.

use crate::domain::episode::{EpisodeKind, Span};
use chrono::{Days, Months, NaiveDate};
use serde::Serialize;
use utoipa::ToSchema;

pub const WINDOWS: [u32; 2] = [12, 24];

fn r2(x: f64) -> f64 {
    (x * 100.0).round() / 100.0
}

/// One side (before or after) of one window.
#[derive(Serialize, ToSchema, Clone, Debug, PartialEq, Default)]
pub struct Side {
    /// First and last day counted (YYYY-MM-DD); null when the side has not begun.
    pub from: Option<String>,
    pub to: Option<String>,
    /// Days counted, and the months they make (the whole window: exactly 12 or 24).
    pub days: i64,
    pub months: f64,
    /// The whole window is in the past (`after` may still be running).
    pub complete: bool,
    pub hospital_days: i64,
    /// Psychiatric and medical admissions starting in the window.
    pub admissions: i64,
    pub psychiatric_admissions: i64,
    pub ed_visits: i64,
    pub jail_days: i64,
    pub homeless_days: i64,
    pub crisis_bed_days: i64,
    /// `hospital_days / months` (two decimals); null when the side covers no day yet.
    pub hospital_days_per_month: Option<f64>,
}

/// One window of a client: before and after enrolment.
#[derive(Serialize, ToSchema, Clone, Debug, PartialEq)]
pub struct ClientWindow {
    /// 12 or 24.
    pub months: u32,
    pub before: Side,
    pub after: Side,
}

/// Days `a..=b` as a count (0 when empty).
fn span_days(a: NaiveDate, b: NaiveDate) -> i64 {
    if b < a {
        0
    } else {
        (b - a).num_days() + 1
    }
}

/// Days of the union of `spans` (each `start..=end`) inside `from..=to`.
fn union_days(mut spans: Vec<(NaiveDate, NaiveDate)>, from: NaiveDate, to: NaiveDate) -> i64 {
    spans.retain(|(s, e)| s <= &to && e >= &from);
    let mut clipped: Vec<(NaiveDate, NaiveDate)> = spans
        .into_iter()
        .map(|(s, e)| (s.max(from), e.min(to)))
        .collect();
    clipped.sort();
    let mut total = 0;
    let mut cur: Option<(NaiveDate, NaiveDate)> = None;
    for (s, e) in clipped {
        match cur {
            Some((cs, ce)) if s <= ce + Days::new(1) => cur = Some((cs, ce.max(e))),
            Some((cs, ce)) => {
                total += span_days(cs, ce);
                cur = Some((s, e));
            }
            None => cur = Some((s, e)),
        }
    }
    if let Some((cs, ce)) = cur {
        total += span_days(cs, ce);
    }
    total
}

/// The figures of `episodes` in `from..=to` (`to` already cut at today), a side of a window
/// whose full length is `full_days` days making `months` months.
pub fn side(
    episodes: &[Span],
    from: NaiveDate,
    to: NaiveDate,
    today: NaiveDate,
    months: u32,
    full_days: i64,
    complete: bool,
) -> Side {
    let days = span_days(from, to);
    if days == 0 {
        return Side {
            complete,
            ..Side::default()
        };
    }
    let spans_of = |pred: &dyn Fn(EpisodeKind) -> bool| -> Vec<(NaiveDate, NaiveDate)> {
        episodes
            .iter()
            .filter(|e| pred(e.kind))
            .map(|e| (e.start, e.end.unwrap_or(today).max(e.start)))
            .collect()
    };
    let starts = |pred: &dyn Fn(EpisodeKind) -> bool| -> i64 {
        episodes
            .iter()
            .filter(|e| pred(e.kind) && e.start >= from && e.start <= to)
            .count() as i64
    };
    let hospital_days = union_days(spans_of(&|k| k.is_hospital()), from, to);
    let covered = months as f64 * days as f64 / full_days as f64;
    Side {
        from: Some(from.to_string()),
        to: Some(to.to_string()),
        days,
        months: r2(covered),
        complete,
        hospital_days,
        admissions: starts(&|k| k.is_hospital()),
        psychiatric_admissions: starts(&|k| k == EpisodeKind::PsychiatricAdmission),
        ed_visits: starts(&|k| k == EpisodeKind::EdVisit),
        jail_days: union_days(spans_of(&|k| k == EpisodeKind::Jail), from, to),
        homeless_days: union_days(spans_of(&|k| k == EpisodeKind::Homeless), from, to),
        crisis_bed_days: union_days(spans_of(&|k| k == EpisodeKind::CrisisBed), from, to),
        hospital_days_per_month: Some(r2(hospital_days as f64 / covered)),
    }
}

/// The windows of a client enrolled on `enrolled`, counted up to `today`.
pub fn client_windows(
    enrolled: NaiveDate,
    today: NaiveDate,
    episodes: &[Span],
) -> Vec<ClientWindow> {
    WINDOWS
        .iter()
        .map(|&m| {
            let b_from = enrolled - Months::new(m);
            let b_to = enrolled - Days::new(1);
            let full_before = span_days(b_from, b_to);
            let a_full_to = enrolled + Months::new(m) - Days::new(1);
            let full_after = span_days(enrolled, a_full_to);
            let before = side(
                episodes,
                b_from,
                b_to.min(today),
                today,
                m,
                full_before,
                b_to <= today,
            );
            let after = side(
                episodes,
                enrolled,
                a_full_to.min(today),
                today,
                m,
                full_after,
                a_full_to <= today,
            );
            ClientWindow {
                months: m,
                before,
                after,
            }
        })
        .collect()
}

/// One side of a team's window: the clients' figures summed, with how many clients are
/// behind them and the means per client.
#[derive(Serialize, ToSchema, Clone, Debug, PartialEq, Default)]
pub struct TeamSide {
    /// Clients whose side has begun (covers at least one day).
    pub clients: i64,
    /// Of which the whole window is in the past.
    pub clients_complete: i64,
    /// Client-months covered.
    pub months: f64,
    pub hospital_days: i64,
    pub admissions: i64,
    pub psychiatric_admissions: i64,
    pub ed_visits: i64,
    pub jail_days: i64,
    pub homeless_days: i64,
    pub crisis_bed_days: i64,
    /// Hospital days per client-month: the sum of hospital days over the sum of months covered.
    pub hospital_days_per_month: Option<f64>,
    /// Means per client (over `clients`).
    pub hospital_days_mean: Option<f64>,
    pub admissions_mean: Option<f64>,
    pub ed_visits_mean: Option<f64>,
    pub jail_days_mean: Option<f64>,
    pub homeless_days_mean: Option<f64>,
}

#[derive(Serialize, ToSchema, Clone, Debug, PartialEq)]
pub struct TeamWindow {
    pub months: u32,
    /// Enrolled clients behind this window (those whose `after` side has begun; `before`
    /// counts every enrolled client).
    pub clients: i64,
    pub before: TeamSide,
    pub after: TeamSide,
}

fn add(t: &mut TeamSide, s: &Side) {
    if s.days == 0 {
        return;
    }
    t.clients += 1;
    t.clients_complete += i64::from(s.complete);
    t.months += s.months;
    t.hospital_days += s.hospital_days;
    t.admissions += s.admissions;
    t.psychiatric_admissions += s.psychiatric_admissions;
    t.ed_visits += s.ed_visits;
    t.jail_days += s.jail_days;
    t.homeless_days += s.homeless_days;
    t.crisis_bed_days += s.crisis_bed_days;
}

fn finish(t: &mut TeamSide) {
    t.months = r2(t.months);
    if t.clients == 0 {
        return;
    }
    let n = t.clients as f64;
    if t.months > 0.0 {
        t.hospital_days_per_month = Some(r2(t.hospital_days as f64 / t.months));
    }
    t.hospital_days_mean = Some(r2(t.hospital_days as f64 / n));
    t.admissions_mean = Some(r2(t.admissions as f64 / n));
    t.ed_visits_mean = Some(r2(t.ed_visits as f64 / n));
    t.jail_days_mean = Some(r2(t.jail_days as f64 / n));
    t.homeless_days_mean = Some(r2(t.homeless_days as f64 / n));
}

/// The team's windows from its clients' windows.
pub fn team_windows(clients: &[Vec<ClientWindow>]) -> Vec<TeamWindow> {
    WINDOWS
        .iter()
        .enumerate()
        .map(|(i, &m)| {
            let mut before = TeamSide::default();
            let mut after = TeamSide::default();
            for c in clients {
                if let Some(w) = c.get(i) {
                    add(&mut before, &w.before);
                    add(&mut after, &w.after);
                }
            }
            finish(&mut before);
            finish(&mut after);
            TeamWindow {
                months: m,
                clients: after.clients,
                before,
                after,
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use EpisodeKind::*;

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }
    fn ep(kind: EpisodeKind, a: &str, b: Option<&str>) -> Span {
        Span {
            kind,
            start: d(a),
            end: b.map(d),
        }
    }

    #[test]
    fn union_counts_shared_days_once() {
        let f = d("2026-01-01");
        let t = d("2026-01-31");
        assert_eq!(union_days(vec![], f, t), 0);
        assert_eq!(
            union_days(vec![(d("2026-01-05"), d("2026-01-05"))], f, t),
            1
        );
        // A ward move on the 10th: 5th..10th and 10th..12th = 8 days.
        assert_eq!(
            union_days(
                vec![
                    (d("2026-01-10"), d("2026-01-12")),
                    (d("2026-01-05"), d("2026-01-10"))
                ],
                f,
                t
            ),
            8
        );
        // Clipped at both ends: Dec 30..Jan 2 gives 2 days; Jan 30..Feb 3 gives 2.
        assert_eq!(
            union_days(vec![(d("2025-12-30"), d("2026-01-02"))], f, t),
            2
        );
        assert_eq!(
            union_days(vec![(d("2026-01-30"), d("2026-02-03"))], f, t),
            2
        );
        // Adjacent spans merge (no double count, no gap).
        assert_eq!(
            union_days(
                vec![
                    (d("2026-01-01"), d("2026-01-03")),
                    (d("2026-01-04"), d("2026-01-06"))
                ],
                f,
                t
            ),
            6
        );
    }

    /// Enrolled 2025-01-01, today 2026-12-01. 12-month before window: 2024-01-01..2024-12-31
    /// (366 days, 2024 is a leap year); after: 2025-01-01..2025-12-31 (complete).
    #[test]
    fn hand_computed_client() {
        let enrolled = d("2025-01-01");
        let today = d("2026-12-01");
        let episodes = vec![
            // 10 days before, fully inside (Mar 1..10 2024).
            ep(PsychiatricAdmission, "2024-03-01", Some("2024-03-10")),
            // Straddles enrolment: Dec 28 2024..Jan 3 2025 = 4 days before, 3 after; an
            // admission of the before side (it started then).
            ep(MedicalAdmission, "2024-12-28", Some("2025-01-03")),
            // Straddles the start of the 12-month before window: Dec 30 2023..Jan 2 2024 = 2
            // days inside; it started outside the window, so no admission counted in 12 m.
            ep(PsychiatricAdmission, "2023-12-30", Some("2024-01-02")),
            ep(EdVisit, "2024-06-01", Some("2024-06-01")),
            ep(EdVisit, "2025-06-01", Some("2025-06-01")),
            ep(Jail, "2024-07-01", Some("2024-07-05")),
            ep(Homeless, "2024-09-01", Some("2024-09-30")),
            ep(CrisisBed, "2025-02-01", Some("2025-02-02")),
        ];
        let w = client_windows(enrolled, today, &episodes);
        assert_eq!(w.len(), 2);
        let w12 = &w[0];
        assert_eq!(w12.months, 12);
        let b = &w12.before;
        assert_eq!(b.from.as_deref(), Some("2024-01-01"));
        assert_eq!(b.to.as_deref(), Some("2024-12-31"));
        assert_eq!(b.days, 366);
        assert_eq!(b.months, 12.0);
        assert_eq!(b.hospital_days, 10 + 4 + 2);
        assert_eq!(b.admissions, 2);
        assert_eq!(b.psychiatric_admissions, 1);
        assert_eq!(b.ed_visits, 1);
        assert_eq!(b.jail_days, 5);
        assert_eq!(b.homeless_days, 30);
        assert_eq!(b.hospital_days_per_month, Some(1.33));
        let a = &w12.after;
        assert!(a.complete);
        assert_eq!(a.days, 365);
        assert_eq!(a.hospital_days, 3);
        assert_eq!(a.admissions, 0);
        assert_eq!(a.ed_visits, 1);
        assert_eq!(a.crisis_bed_days, 2);
        assert_eq!(a.hospital_days_per_month, Some(0.25));
        // 24 months: before 2023-01-01..2024-12-31 takes the whole Dec 30 admission (4 days)
        // and its admission; after runs to today, not complete: 2025-01-01..2026-12-01 = 700
        // days of 730, 23.01 months.
        let w24 = &w[1];
        assert_eq!(w24.before.hospital_days, 10 + 4 + 4);
        assert_eq!(w24.before.admissions, 3);
        assert!(!w24.after.complete);
        assert_eq!(w24.after.days, 700);
        assert_eq!(w24.after.months, 23.01);
        assert_eq!(w24.after.hospital_days, 3);
    }

    #[test]
    fn an_open_admission_counts_to_today() {
        let enrolled = d("2026-06-01");
        let today = d("2026-12-01");
        let w = client_windows(
            enrolled,
            today,
            &[ep(PsychiatricAdmission, "2026-11-22", None)],
        );
        // Nov 22..Dec 1 = 10 days, all after; after covers Jun 1..Dec 1 = 184 days of 365.
        let a = &w[0].after;
        assert_eq!(a.hospital_days, 10);
        assert_eq!(a.admissions, 1);
        assert_eq!(a.days, 184);
        assert!(!a.complete);
        assert_eq!(a.months, r2(12.0 * 184.0 / 365.0));
        assert_eq!(
            a.hospital_days_per_month,
            Some(r2(10.0 / (12.0 * 184.0 / 365.0)))
        );
        assert_eq!(w[0].before.hospital_days, 0);
        assert_eq!(w[0].before.hospital_days_per_month, Some(0.0));
    }

    #[test]
    fn enrolled_today_and_in_the_future() {
        let today = d("2026-12-01");
        let w = client_windows(today, today, &[]);
        assert_eq!(w[0].after.days, 1);
        let w = client_windows(d("2026-12-05"), today, &[]);
        assert_eq!(w[0].after.days, 0);
        assert_eq!(w[0].after.hospital_days_per_month, None);
        // Before still counts up to today only.
        assert_eq!(w[0].before.to.as_deref(), Some("2026-12-01"));
        assert!(!w[0].before.complete);
    }

    #[test]
    fn team_sums_and_means() {
        let today = d("2026-12-01");
        let a = client_windows(
            d("2025-01-01"),
            today,
            &[ep(PsychiatricAdmission, "2024-03-01", Some("2024-03-12"))],
        );
        let b = client_windows(
            d("2025-01-01"),
            today,
            &[ep(PsychiatricAdmission, "2025-03-01", Some("2025-03-06"))],
        );
        let c = client_windows(d("2026-12-05"), today, &[]);
        let t = team_windows(&[a, b, c]);
        let w = &t[0];
        assert_eq!(w.before.clients, 3);
        assert_eq!(w.after.clients, 2);
        assert_eq!(w.clients, 2);
        assert_eq!(w.before.hospital_days, 12);
        assert_eq!(w.after.hospital_days, 6);
        assert_eq!(w.after.hospital_days_mean, Some(3.0));
        assert_eq!(w.after.months, 24.0);
        assert_eq!(w.after.hospital_days_per_month, Some(0.25));
        assert_eq!(w.after.clients_complete, 2);
    }
}
