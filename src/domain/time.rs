//! Team-local time: days, wall-clock times, DST, and the Monday–Sunday week.

use chrono::{
    DateTime, Datelike, Days, LocalResult, NaiveDate, NaiveDateTime, NaiveTime, TimeZone, Utc,
};
use chrono_tz::Tz;

/// The days the server accepts in any input (a visit's day, a shift's times, an absence, a
/// list filter, a due time): 2000-01-01 to 2099-12-31. Wider than any real schedule, and
/// far from the limits where an instant stops being four-digit-year text (SQLite compares
/// timestamps as text) or a UTC offset pushes a local time past year 9999.
pub const FIRST_YEAR: i32 = 2000;
pub const LAST_YEAR: i32 = 2099;

/// The one range check for dates in requests (see [`FIRST_YEAR`]).
pub fn check_sane(day: NaiveDate) -> Result<NaiveDate, String> {
    if (FIRST_YEAR..=LAST_YEAR).contains(&day.year()) {
        Ok(day)
    } else {
        Err(format!(
            "{day} is outside the dates this server accepts ({FIRST_YEAR}-01-01 to {LAST_YEAR}-12-31)"
        ))
    }
}

/// A team-local day `YYYY-MM-DD` from a request: a real date within [`check_sane`].
pub fn parse_day(s: &str) -> Result<NaiveDate, String> {
    let day = NaiveDate::parse_from_str(s, "%Y-%m-%d")
        .ok()
        .filter(|d| d.format("%Y-%m-%d").to_string() == s)
        .ok_or_else(|| format!("'{s}' is not a real date in the form YYYY-MM-DD"))?;
    check_sane(day)
}

pub fn parse_hhmm(s: &str) -> Result<NaiveTime, String> {
    let ok = s.len() == 5 && s.as_bytes()[2] == b':';
    ok.then(|| NaiveTime::parse_from_str(s, "%H:%M").ok())
        .flatten()
        .ok_or_else(|| format!("'{s}' is not a time in the form HH:MM (00:00–23:59)"))
}

/// A team-local wall-clock time `YYYY-MM-DDTHH:MM` from a request, its day within
/// [`check_sane`].
pub fn parse_local(s: &str) -> Result<NaiveDateTime, String> {
    let t = NaiveDateTime::parse_from_str(s, "%Y-%m-%dT%H:%M")
        .ok()
        .filter(|_| s.len() == 16)
        .ok_or_else(|| format!("'{s}' is not a local time in the form YYYY-MM-DDTHH:MM"))?;
    check_sane(t.date()).map(|_| t)
}

/// An RFC 3339 instant from a request (any offset), in UTC, its UTC day within
/// [`check_sane`].
pub fn parse_instant(s: &str) -> Result<DateTime<Utc>, String> {
    let t = DateTime::parse_from_rfc3339(s)
        .map_err(|_| format!("'{s}' is not an RFC 3339 time such as 2026-11-23T17:00:00Z"))?
        .with_timezone(&Utc);
    check_sane(t.date_naive()).map(|_| t)
}

#[derive(Debug, Clone, PartialEq)]
pub enum LocalToUtc {
    /// The one instant this wall-clock time names.
    Exact(DateTime<Utc>),
    /// A fall-back night's repeated hour: we take the earlier instant (daylight time).
    Ambiguous {
        earlier: DateTime<Utc>,
        later: DateTime<Utc>,
    },
}

impl LocalToUtc {
    pub fn instant(&self) -> DateTime<Utc> {
        match self {
            LocalToUtc::Exact(t) => *t,
            LocalToUtc::Ambiguous { earlier, .. } => *earlier,
        }
    }
}

/// Convert a team-local wall-clock time to UTC. A time inside a spring-forward gap does not
/// exist and is an error; a time in the repeated fall-back hour takes the earlier instant.
pub fn local_to_utc(tz: Tz, local: NaiveDateTime) -> Result<LocalToUtc, String> {
    match tz.from_local_datetime(&local) {
        LocalResult::Single(t) => Ok(LocalToUtc::Exact(t.with_timezone(&Utc))),
        LocalResult::Ambiguous(a, b) => {
            let (a, b) = (a.with_timezone(&Utc), b.with_timezone(&Utc));
            Ok(LocalToUtc::Ambiguous {
                earlier: a.min(b),
                later: a.max(b),
            })
        }
        LocalResult::None => Err(format!(
            "{} does not exist in {} (the clocks skip that hour for daylight saving time)",
            local.format("%Y-%m-%d %H:%M"),
            tz.name()
        )),
    }
}

/// Today in the team's time zone.
pub fn today(tz: Tz, now: DateTime<Utc>) -> NaiveDate {
    now.with_timezone(&tz).date_naive()
}

/// The Monday and Sunday of the week holding `day`.
pub fn week_of(day: NaiveDate) -> (NaiveDate, NaiveDate) {
    let monday = day - Days::new(day.weekday().num_days_from_monday() as u64);
    (monday, monday + Days::new(6))
}

/// The UTC instant a contact is placed at (its start, or noon when it has no time), for
/// "last contact" ordering. Skipped or repeated hours resolve to a nearby real instant.
pub fn contact_instant(tz: Tz, day: NaiveDate, start: Option<NaiveTime>) -> DateTime<Utc> {
    let t = start.unwrap_or(NaiveTime::from_hms_opt(12, 0, 0).unwrap_or_default());
    let local = day.and_time(t);
    match local_to_utc(tz, local) {
        Ok(r) => r.instant(),
        Err(_) => {
            let shifted = local + chrono::TimeDelta::hours(1);
            local_to_utc(tz, shifted)
                .map(|r| r.instant())
                .unwrap_or_else(|_| local.and_utc())
        }
    }
}

/// The UTC bounds [start, end) of a team-local day (23 or 25 hours on DST days).
pub fn day_bounds(tz: Tz, day: NaiveDate) -> (DateTime<Utc>, DateTime<Utc>) {
    let start_of = |d: NaiveDate| contact_instant_midnight(tz, d);
    (start_of(day), start_of(day + Days::new(1)))
}

fn contact_instant_midnight(tz: Tz, d: NaiveDate) -> DateTime<Utc> {
    // Midnight may be skipped in a few zones (e.g. America/Santiago).
    first_instant_from(tz, d.and_time(NaiveTime::MIN))
}

/// The instant of a wall-clock time, never refusing: a repeated fall-back time takes the
/// earlier instant, a time skipped by spring-forward the first existing minute after it
/// (what a repeating rota slot starting at 02:30 means on the night the clocks skip it).
pub fn first_instant_from(tz: Tz, local: NaiveDateTime) -> DateTime<Utc> {
    let mut t = local;
    for _ in 0..180 {
        if let Ok(r) = local_to_utc(tz, t) {
            return r.instant();
        }
        t += chrono::TimeDelta::minutes(1);
    }
    local.and_utc()
}

/// An instant as team-local wall-clock text `YYYY-MM-DDTHH:MM`.
pub fn format_local(tz: Tz, t: DateTime<Utc>) -> String {
    t.with_timezone(&tz).format("%Y-%m-%dT%H:%M").to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn l(s: &str) -> NaiveDateTime {
        parse_local(s).unwrap()
    }
    fn utc(s: &str) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339(s).unwrap().with_timezone(&Utc)
    }

    #[test]
    fn parsing() {
        assert!(parse_day("2026-02-28").is_ok());
        assert!(parse_day("2026-02-30").is_err());
        assert!(parse_day("2026-2-3").is_err());
        assert!(parse_day("yesterday").is_err());
        assert!(parse_hhmm("09:30").is_ok());
        assert!(parse_hhmm("9:30").is_err());
        assert!(parse_hhmm("24:00").is_err());
        assert!(parse_hhmm("12:60").is_err());
        assert!(parse_local("2026-03-08T02:30").is_ok());
        assert!(parse_local("2026-03-08 02:30").is_err());
        assert!(parse_local("2026-03-08T02:30:00").is_err());
        assert!(parse_instant("2026-11-23T17:00:00-05:00").is_ok());
        assert!(parse_instant("2026-11-23 17:00").is_err());
    }

    #[test]
    fn dates_outside_the_sane_range_are_refused() {
        for ok in ["2000-01-01", "2099-12-31", "2026-11-23"] {
            assert!(parse_day(ok).is_ok(), "{ok}");
        }
        for bad in ["1999-12-31", "2100-01-01", "0000-01-01", "9999-12-31"] {
            let e = parse_day(bad).unwrap_err();
            assert!(e.contains("2000-01-01 to 2099-12-31"), "{bad}: {e}");
        }
        assert!(parse_local("2099-12-31T23:59").is_ok());
        assert!(parse_local("9999-12-31T23:00").is_err());
        assert!(parse_local("0000-01-01T00:00").is_err());
        assert!(parse_instant("2100-01-01T00:00:00Z").is_err());
        assert!(parse_instant("1999-12-31T23:59:59Z").is_err());
        // The UTC day decides: 2099-12-31T20:00-05:00 is already 2100 in UTC.
        assert!(parse_instant("2099-12-31T20:00:00-05:00").is_err());
    }

    #[test]
    fn new_york_spring_forward_gap() {
        // 2026-03-08: 02:00 → 03:00 in America/New_York.
        let tz: Tz = "America/New_York".parse().unwrap();
        let err = local_to_utc(tz, l("2026-03-08T02:30")).unwrap_err();
        assert!(err.contains("does not exist"), "{err}");
        assert_eq!(
            local_to_utc(tz, l("2026-03-08T01:59")).unwrap(),
            LocalToUtc::Exact(utc("2026-03-08T06:59:00Z"))
        );
        assert_eq!(
            local_to_utc(tz, l("2026-03-08T03:00")).unwrap(),
            LocalToUtc::Exact(utc("2026-03-08T07:00:00Z"))
        );
        let (s, e) = day_bounds(tz, parse_day("2026-03-08").unwrap());
        assert_eq!((e - s).num_hours(), 23);
    }

    #[test]
    fn new_york_fall_back_takes_the_earlier_instant() {
        // 2026-11-01: 02:00 → 01:00; 01:30 happens twice (EDT then EST).
        let tz: Tz = "America/New_York".parse().unwrap();
        let r = local_to_utc(tz, l("2026-11-01T01:30")).unwrap();
        assert_eq!(
            r,
            LocalToUtc::Ambiguous {
                earlier: utc("2026-11-01T05:30:00Z"),
                later: utc("2026-11-01T06:30:00Z")
            }
        );
        assert_eq!(r.instant(), utc("2026-11-01T05:30:00Z"));
        let (s, e) = day_bounds(tz, parse_day("2026-11-01").unwrap());
        assert_eq!((e - s).num_hours(), 25);
    }

    #[test]
    fn southern_hemisphere() {
        // Australia/Sydney: clocks go forward 2026-10-04 02:00 → 03:00, back 2026-04-05 03:00 → 02:00.
        let tz: Tz = "Australia/Sydney".parse().unwrap();
        assert!(local_to_utc(tz, l("2026-10-04T02:15")).is_err());
        let r = local_to_utc(tz, l("2026-04-05T02:30")).unwrap();
        assert_eq!(
            r.instant(),
            utc("2026-04-04T15:30:00Z"),
            "earlier = AEDT (+11)"
        );
        assert_eq!(
            local_to_utc(tz, l("2026-07-01T09:00")).unwrap(),
            LocalToUtc::Exact(utc("2026-06-30T23:00:00Z"))
        );
    }

    #[test]
    fn weeks_run_monday_to_sunday() {
        let d = |s| parse_day(s).unwrap();
        assert_eq!(week_of(d("2026-11-23")), (d("2026-11-23"), d("2026-11-29"))); // a Monday
        assert_eq!(week_of(d("2026-11-29")), (d("2026-11-23"), d("2026-11-29"))); // a Sunday
        assert_eq!(week_of(d("2026-01-01")), (d("2025-12-29"), d("2026-01-04")));
        // across a year
    }

    #[test]
    fn today_is_team_local() {
        let ny: Tz = "America/New_York".parse().unwrap();
        let syd: Tz = "Australia/Sydney".parse().unwrap();
        let now = utc("2026-11-24T03:00:00Z");
        assert_eq!(today(ny, now), parse_day("2026-11-23").unwrap());
        assert_eq!(today(syd, now), parse_day("2026-11-24").unwrap());
    }

    #[test]
    fn rota_times_never_fail_on_dst_nights() {
        let tz: Tz = "America/New_York".parse().unwrap();
        // Skipped 02:30 → 03:00 EDT; repeated 01:30 → the first (EDT) one.
        let t = first_instant_from(tz, l("2026-03-08T02:30"));
        assert_eq!(t, utc("2026-03-08T07:00:00Z"));
        assert_eq!(format_local(tz, t), "2026-03-08T03:00");
        let t = first_instant_from(tz, l("2026-11-01T01:30"));
        assert_eq!(t, utc("2026-11-01T05:30:00Z"));
        assert_eq!(format_local(tz, t), "2026-11-01T01:30");
    }

    #[test]
    fn contact_instant_survives_gaps() {
        let tz: Tz = "America/New_York".parse().unwrap();
        let t = contact_instant(
            tz,
            parse_day("2026-03-08").unwrap(),
            Some(parse_hhmm("02:30").unwrap()),
        );
        assert_eq!(t, utc("2026-03-08T07:30:00Z"));
    }
}
