//! The on-call rota: a team's repeating week of slots, its occurrences on real days, and the
//! uncovered intervals (gaps) of a range.

use crate::domain::time;
use crate::domain::FieldError;
use chrono::{DateTime, Datelike, Days, NaiveDate, NaiveDateTime, NaiveTime, Timelike, Utc};

/// Minutes in a week: slots are compared on a cyclic week (Sunday night runs into Monday).
const WEEK_MINUTES: i64 = 7 * 24 * 60;

/// At most this many slots in a week (a rota with more is a mistake, not a schedule).
pub const MAX_SLOTS: usize = 200;

/// One slot of the week, checked: ISO weekday (Monday 1), team-local start and end (an end at
/// or before the start runs past midnight into the next day; equal means 24 hours).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Slot {
    pub weekday: u32,
    pub start: NaiveTime,
    pub end: NaiveTime,
    pub staff_id: String,
}

/// A slot as a request gives it (strings not yet checked).
#[derive(Debug, Clone)]
pub struct SlotInput<'a> {
    pub weekday: i64,
    pub start: &'a str,
    pub end: &'a str,
    pub staff_id: &'a str,
}

impl Slot {
    /// Minutes after the start of its day it starts at, and how long it runs.
    fn span(&self) -> (i64, i64) {
        let m = |t: NaiveTime| i64::from(t.num_seconds_from_midnight() / 60);
        let (a, z) = (m(self.start), m(self.end));
        let len = if z > a { z - a } else { z + 24 * 60 - a };
        (a, len)
    }

    /// [start, end) in minutes of the week (Monday 00:00 is 0); end may pass the week's end.
    fn week_interval(&self) -> (i64, i64) {
        let (a, len) = self.span();
        let s = i64::from(self.weekday - 1) * 24 * 60 + a;
        (s, s + len)
    }

    /// The team-local wall-clock start and end of this slot on `day` (which must be its
    /// weekday).
    pub fn on(&self, day: NaiveDate) -> (NaiveDateTime, NaiveDateTime) {
        let start = day.and_time(self.start);
        let end_day = if self.end > self.start {
            day
        } else {
            day + Days::new(1)
        };
        (start, end_day.and_time(self.end))
    }
}

/// Do two intervals of the cyclic week overlap?
fn cyclic_overlap((a0, a1): (i64, i64), (b0, b1): (i64, i64)) -> bool {
    [-WEEK_MINUTES, 0, WEEK_MINUTES]
        .iter()
        .any(|k| a0 < b1 + k && b0 + k < a1)
}

/// Check a week's slots: field errors name `slots[i].weekday|start|end`; two slots that
/// overlap anywhere in the repeating week (also Sunday night into Monday) are refused on the
/// later one's `start`. Whether the staff work on the team is the caller's check.
pub fn check_slots(input: &[SlotInput<'_>]) -> Result<Vec<Slot>, Vec<FieldError>> {
    let mut errors = vec![];
    if input.len() > MAX_SLOTS {
        errors.push(FieldError::new(
            "slots",
            format!("at most {MAX_SLOTS} slots in a week"),
        ));
        return Err(errors);
    }
    let mut slots: Vec<(usize, Slot)> = vec![];
    for (i, s) in input.iter().enumerate() {
        let f = |name: &str| format!("slots[{i}].{name}");
        let weekday = (1..=7).contains(&s.weekday).then_some(s.weekday as u32);
        if weekday.is_none() {
            errors.push(FieldError::new(
                f("weekday"),
                "must be 1 (Monday) to 7 (Sunday)",
            ));
        }
        let start = time::parse_hhmm(s.start)
            .map_err(|m| errors.push(FieldError::new(f("start"), m)))
            .ok();
        let end = time::parse_hhmm(s.end)
            .map_err(|m| errors.push(FieldError::new(f("end"), m)))
            .ok();
        if let (Some(weekday), Some(start), Some(end)) = (weekday, start, end) {
            slots.push((
                i,
                Slot {
                    weekday,
                    start,
                    end,
                    staff_id: s.staff_id.to_string(),
                },
            ));
        }
    }
    for (j, (i, b)) in slots.iter().enumerate() {
        if let Some((k, _)) = slots[..j]
            .iter()
            .find(|(_, a)| cyclic_overlap(a.week_interval(), b.week_interval()))
        {
            errors.push(FieldError::new(
                format!("slots[{i}].start"),
                format!("overlaps slots[{k}]: a rota's slots may not overlap"),
            ));
        }
    }
    if errors.is_empty() {
        Ok(slots.into_iter().map(|(_, s)| s).collect())
    } else {
        Err(errors)
    }
}

/// Every occurrence of the slots on the days `from` .. `from + 7 * weeks` (exclusive), in
/// team-local wall-clock time, by start: (slot index, day, start, end).
pub fn occurrences(
    slots: &[Slot],
    from: NaiveDate,
    weeks: u32,
) -> Vec<(usize, NaiveDate, NaiveDateTime, NaiveDateTime)> {
    let mut out = vec![];
    for d in 0..u64::from(weeks) * 7 {
        let day = from + Days::new(d);
        for (i, s) in slots.iter().enumerate() {
            if s.weekday == day.weekday().number_from_monday() {
                let (a, z) = s.on(day);
                out.push((i, day, a, z));
            }
        }
    }
    out.sort_by_key(|o| (o.2, o.0));
    out
}

/// An uncovered interval [starts_at, ends_at).
pub type Gap = (DateTime<Utc>, DateTime<Utc>);

/// The parts of [from, to) that no shift covers (each shift covers [start, end)), in order.
/// Shifts may overlap each other, cross the range's edges, or be empty; two shifts back to
/// back leave no gap.
pub fn gaps(
    from: DateTime<Utc>,
    to: DateTime<Utc>,
    shifts: &[(DateTime<Utc>, DateTime<Utc>)],
) -> Vec<Gap> {
    let mut spans: Vec<_> = shifts
        .iter()
        .map(|&(a, z)| (a.max(from), z.min(to)))
        .filter(|(a, z)| a < z)
        .collect();
    spans.sort();
    let mut out = vec![];
    let mut cursor = from;
    for (a, z) in spans {
        if a > cursor {
            out.push((cursor, a));
        }
        cursor = cursor.max(z);
    }
    if cursor < to {
        out.push((cursor, to));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono_tz::Tz;

    fn t(s: &str) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339(s).unwrap().with_timezone(&Utc)
    }
    fn slot(weekday: i64, start: &'static str, end: &'static str) -> SlotInput<'static> {
        SlotInput {
            weekday,
            start,
            end,
            staff_id: "s1",
        }
    }
    fn d(s: &str) -> NaiveDate {
        time::parse_day(s).unwrap()
    }

    #[test]
    fn slots_are_checked_by_field() {
        let e = check_slots(&[slot(0, "09:00", "17:00"), slot(8, "24:00", "9:00")]).unwrap_err();
        let fields: Vec<&str> = e.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(
            fields,
            [
                "slots[0].weekday",
                "slots[1].weekday",
                "slots[1].start",
                "slots[1].end"
            ]
        );
        assert!(check_slots(&[]).unwrap().is_empty());
    }

    #[test]
    fn overlapping_slots_are_refused_also_across_midnight_and_the_week_end() {
        // Monday 17:00 → Tuesday 09:00 and Tuesday 08:00 → 12:00 overlap.
        let e = check_slots(&[slot(1, "17:00", "09:00"), slot(2, "08:00", "12:00")]).unwrap_err();
        assert_eq!(e[0].field, "slots[1].start");
        // Sunday 20:00 → Monday 08:00 and Monday 07:00 → 09:00 overlap across the week's end.
        let e = check_slots(&[slot(1, "07:00", "09:00"), slot(7, "20:00", "08:00")]).unwrap_err();
        assert_eq!(e[0].field, "slots[1].start");
        // Back to back is fine, also around the week.
        let ok = check_slots(&[
            slot(1, "09:00", "17:00"),
            slot(1, "17:00", "09:00"),
            slot(7, "09:00", "09:00"),
        ])
        .unwrap();
        assert_eq!(ok.len(), 3);
        // A 24-hour slot (end = start) overlaps anything on its day.
        assert!(check_slots(&[slot(3, "09:00", "09:00"), slot(3, "12:00", "13:00")]).is_err());
    }

    #[test]
    fn occurrences_follow_weekdays_and_run_past_midnight() {
        let s = check_slots(&[slot(1, "17:00", "09:00"), slot(3, "09:00", "17:00")]).unwrap();
        // 2026-11-30 is a Monday; two weeks from Wednesday 2026-12-02.
        let o = occurrences(&s, d("2026-12-02"), 2);
        let got: Vec<String> = o
            .iter()
            .map(|(i, _, a, z)| format!("{i} {a} {z}"))
            .collect();
        assert_eq!(
            got,
            [
                "1 2026-12-02 09:00:00 2026-12-02 17:00:00",
                "0 2026-12-07 17:00:00 2026-12-08 09:00:00",
                "1 2026-12-09 09:00:00 2026-12-09 17:00:00",
                "0 2026-12-14 17:00:00 2026-12-15 09:00:00",
            ]
        );
    }

    #[test]
    fn gaps_of_overlapping_and_edge_crossing_shifts() {
        let (from, to) = (t("2026-12-01T00:00:00Z"), t("2026-12-02T00:00:00Z"));
        assert_eq!(gaps(from, to, &[]), [(from, to)]);
        let shifts = [
            // Crosses the start edge.
            (t("2026-11-30T20:00:00Z"), t("2026-12-01T06:00:00Z")),
            // Two overlapping shifts, one inside the other.
            (t("2026-12-01T08:00:00Z"), t("2026-12-01T16:00:00Z")),
            (t("2026-12-01T09:00:00Z"), t("2026-12-01T10:00:00Z")),
            // Back to back with the one before: no gap.
            (t("2026-12-01T16:00:00Z"), t("2026-12-01T18:00:00Z")),
            // Outside the range: ignored.
            (t("2026-12-03T00:00:00Z"), t("2026-12-03T06:00:00Z")),
            // Crosses the end edge.
            (t("2026-12-01T22:00:00Z"), t("2026-12-02T08:00:00Z")),
        ];
        assert_eq!(
            gaps(from, to, &shifts),
            [
                (t("2026-12-01T06:00:00Z"), t("2026-12-01T08:00:00Z")),
                (t("2026-12-01T18:00:00Z"), t("2026-12-01T22:00:00Z")),
            ]
        );
        // Fully covered.
        assert!(gaps(
            from,
            to,
            &[(t("2026-11-01T00:00:00Z"), t("2026-12-05T00:00:00Z"))]
        )
        .is_empty());
    }

    #[test]
    fn gaps_on_dst_days_follow_real_instants() {
        // New York falls back on 2026-11-01: the day has 25 hours. A 17:00 → 09:00 night
        // before it ends at 14:00Z (EST), and the day after 09:00 is uncovered until 17:00 EST.
        let tz: Tz = "America/New_York".parse().unwrap();
        let (from, _) = time::day_bounds(tz, d("2026-11-01"));
        let (_, to) = time::day_bounds(tz, d("2026-11-01"));
        assert_eq!((to - from).num_hours(), 25);
        let local = |s: &str| {
            time::local_to_utc(tz, time::parse_local(s).unwrap())
                .unwrap()
                .instant()
        };
        let shifts = [
            (local("2026-10-31T17:00"), local("2026-11-01T09:00")),
            (local("2026-11-01T17:00"), local("2026-11-02T09:00")),
        ];
        let g = gaps(from, to, &shifts);
        assert_eq!(g, [(t("2026-11-01T14:00:00Z"), t("2026-11-01T22:00:00Z"))]);
        // Spring forward (2026-03-08, 23 hours): midnight to midnight fully covered by two
        // wall-clock shifts leaves no gap.
        let (from, to) = time::day_bounds(tz, d("2026-03-08"));
        let shifts = [
            (local("2026-03-08T00:00"), local("2026-03-08T12:00")),
            (local("2026-03-08T12:00"), local("2026-03-09T00:00")),
        ];
        assert!(gaps(from, to, &shifts).is_empty());
        assert_eq!((shifts[0].1 - shifts[0].0).num_hours(), 11);
    }
}
