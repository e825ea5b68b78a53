//! Contacts (visits): the enums and field rules.

use crate::domain::time::{parse_day, parse_hhmm};
use crate::domain::FieldError;
use chrono::{NaiveDate, NaiveTime};
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Kind {
    FaceToFace,
    Phone,
    Video,
    Collateral,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Place {
    Community,
    Home,
    Office,
    Hospital,
    Other,
}

/// planned (ahead), completed (the person was reached), attempted (tried, no answer: not a
/// completed contact for counts or last seen), missed (the person did not turn up), cancelled.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum ContactStatus {
    Planned,
    Completed,
    /// Tried, did not reach the person (no answer, not home): not a completed contact.
    Attempted,
    Missed,
    Cancelled,
}

macro_rules! str_enum {
    ($t:ty { $($v:ident => $s:literal),* $(,)? }) => {
        impl $t {
            pub fn as_str(self) -> &'static str { match self { $(Self::$v => $s),* } }
            pub fn parse(s: &str) -> Option<Self> { match s { $($s => Some(Self::$v),)* _ => None } }
        }
    };
}
str_enum!(Kind { FaceToFace => "face_to_face", Phone => "phone", Video => "video", Collateral => "collateral" });
str_enum!(Place { Community => "community", Home => "home", Office => "office", Hospital => "hospital", Other => "other" });
str_enum!(ContactStatus { Planned => "planned", Completed => "completed", Attempted => "attempted", Missed => "missed", Cancelled => "cancelled" });

pub const MAX_NOTE: usize = 2000;
pub const MAX_ACTIVITY: usize = 80;
pub const MAX_STAFF: usize = 6;

/// The checked time fields of a contact.
#[derive(Debug, Clone, PartialEq)]
pub struct When {
    pub day: NaiveDate,
    pub start: Option<NaiveTime>,
    pub end: Option<NaiveTime>,
}

/// Check day, start/end and minutes together; every problem is reported.
pub fn check_when(
    day: &str,
    start: Option<&str>,
    end: Option<&str>,
    minutes: Option<i32>,
    errors: &mut Vec<FieldError>,
) -> Option<When> {
    let day = parse_day(day)
        .map_err(|m| errors.push(FieldError::new("day", m)))
        .ok();
    let start = start
        .map(parse_hhmm)
        .transpose()
        .map_err(|m| errors.push(FieldError::new("start", m)))
        .ok()
        .flatten();
    let end = end
        .map(parse_hhmm)
        .transpose()
        .map_err(|m| errors.push(FieldError::new("end", m)))
        .ok()
        .flatten();
    if let (Some(s), Some(e)) = (start, end) {
        if e <= s {
            errors.push(FieldError::new("end", "must be after start"));
        }
    }
    if end.is_some() && start.is_none() {
        errors.push(FieldError::new("start", "is required when end is given"));
    }
    if let Some(m) = minutes {
        if !(0..=1440).contains(&m) {
            errors.push(FieldError::new("minutes", "must be between 0 and 1440"));
        }
    }
    Some(When {
        day: day?,
        start,
        end,
    })
}

pub fn check_activity(a: &str, errors: &mut Vec<FieldError>) -> String {
    super::text::required("activity", a, MAX_ACTIVITY).unwrap_or_else(|e| {
        errors.push(e);
        a.trim().to_string()
    })
}

pub fn check_note(n: Option<&str>, errors: &mut Vec<FieldError>) -> Option<String> {
    super::text::optional("note", n, MAX_NOTE).unwrap_or_else(|e| {
        errors.push(e);
        None
    })
}

pub fn check_staff_ids(ids: &[String], errors: &mut Vec<FieldError>) -> Vec<String> {
    let mut v: Vec<String> = ids.iter().map(|s| s.to_lowercase()).collect();
    v.sort();
    v.dedup();
    if v.is_empty() || v.len() > MAX_STAFF {
        errors.push(FieldError::new(
            "staff_ids",
            format!("name 1 to {MAX_STAFF} staff members"),
        ));
    }
    if v.iter().any(|s| uuid::Uuid::parse_str(s).is_err()) {
        errors.push(FieldError::new(
            "staff_ids",
            "every entry must be a staff id (UUID)",
        ));
    }
    v
}

/// A visit can be planned for any day, but not recorded as done (or missed) on a day that
/// has not come yet in the team's time zone.
pub fn check_not_future(status: &str, day: NaiveDate, today: NaiveDate) -> Result<(), FieldError> {
    if status != "planned" && status != "cancelled" && day > today {
        return Err(FieldError::new(
            "status",
            format!("a contact on {day} has not happened yet; record it as planned"),
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn future_only_planned() {
        let d = |s| parse_day(s).unwrap();
        assert!(check_not_future("completed", d("2026-11-24"), d("2026-11-23")).is_err());
        assert!(check_not_future("missed", d("2026-11-24"), d("2026-11-23")).is_err());
        assert!(check_not_future("attempted", d("2026-11-24"), d("2026-11-23")).is_err());
        assert!(check_not_future("attempted", d("2026-11-23"), d("2026-11-23")).is_ok());
        assert!(check_not_future("cancelled", d("2026-11-24"), d("2026-11-23")).is_ok());
        assert!(check_not_future("planned", d("2026-11-24"), d("2026-11-23")).is_ok());
        assert!(check_not_future("completed", d("2026-11-23"), d("2026-11-23")).is_ok());
    }

    #[test]
    fn when_rules() {
        let mut e = vec![];
        let w = check_when("2026-11-23", Some("09:00"), Some("10:00"), Some(60), &mut e).unwrap();
        assert!(e.is_empty());
        assert_eq!(w.day.to_string(), "2026-11-23");
        let mut e = vec![];
        check_when(
            "2026-11-31",
            Some("10:00"),
            Some("09:00"),
            Some(2000),
            &mut e,
        );
        let fields: Vec<_> = e.iter().map(|x| x.field.as_str()).collect();
        assert_eq!(fields, vec!["day", "end", "minutes"]);
        let mut e = vec![];
        check_when("2026-11-23", None, Some("09:00"), None, &mut e);
        assert_eq!(e[0].field, "start");
        let mut e = vec![];
        check_when("2026-11-23", Some("9am"), None, Some(-1), &mut e);
        assert_eq!(e.len(), 2);
    }

    #[test]
    fn staff_and_text() {
        let mut e = vec![];
        let id = uuid::Uuid::new_v4().to_string();
        assert_eq!(
            check_staff_ids(&[id.clone(), id.to_uppercase()], &mut e),
            vec![id]
        );
        assert!(e.is_empty());
        check_staff_ids(&[], &mut e);
        check_staff_ids(&["nope".into()], &mut e);
        assert_eq!(e.len(), 2);
        let mut e = vec![];
        check_activity("  ", &mut e);
        check_note(Some(&"x".repeat(MAX_NOTE + 1)), &mut e);
        assert_eq!(e.len(), 2);
        assert_eq!(check_note(Some("   "), &mut vec![]), None);
        assert_eq!(Kind::parse("face_to_face"), Some(Kind::FaceToFace));
        assert_eq!(ContactStatus::Planned.as_str(), "planned");
    }
}
