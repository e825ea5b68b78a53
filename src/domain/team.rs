//! Team settings: mode, IANA timezone, ICM caseload cap, display privacy.

use crate::domain::FieldError;
use serde::{Deserialize, Serialize};

/// The seed articles' limit for intensive case management: at most 15 clients per case manager.
pub const MAX_CASELOAD_CAP: i32 = 15;

/// Minutes an unanswered emergency waits before it escalates, unless the team says otherwise.
pub const DEFAULT_ESCALATE_AFTER: i32 = 10;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Mode {
    /// Assertive Community Treatment: one shared caseload.
    Act,
    /// Intensive Case Management: individual caseloads within the cap.
    Icm,
}

impl Mode {
    pub fn as_str(self) -> &'static str {
        match self {
            Mode::Act => "act",
            Mode::Icm => "icm",
        }
    }
    pub fn parse(s: &str) -> Option<Mode> {
        match s {
            "act" => Some(Mode::Act),
            "icm" => Some(Mode::Icm),
            _ => None,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Privacy {
    Names,
    Initials,
}

impl Privacy {
    pub fn as_str(self) -> &'static str {
        match self {
            Privacy::Names => "names",
            Privacy::Initials => "initials",
        }
    }
    pub fn parse(s: &str) -> Option<Privacy> {
        match s {
            "names" => Some(Privacy::Names),
            "initials" => Some(Privacy::Initials),
            _ => None,
        }
    }
}

pub fn check_name(name: &str) -> Result<String, FieldError> {
    super::text::required("name", name, 100)
}

pub fn check_timezone(tz: &str) -> Result<chrono_tz::Tz, FieldError> {
    tz.parse::<chrono_tz::Tz>().map_err(|_| {
        FieldError::new(
            "timezone",
            format!("'{tz}' is not an IANA time zone name such as America/New_York"),
        )
    })
}

pub fn check_cap(cap: i32) -> Result<i32, FieldError> {
    if (1..=MAX_CASELOAD_CAP).contains(&cap) {
        Ok(cap)
    } else {
        Err(FieldError::new(
            "caseload_cap",
            format!("must be between 1 and {MAX_CASELOAD_CAP} clients per case manager"),
        ))
    }
}

/// Minutes an unanswered emergency flag waits before it escalates (1–240).
pub fn check_escalate_after(minutes: i32) -> Result<i32, FieldError> {
    let range = crate::domain::flag::ESCALATE_AFTER_RANGE;
    if range.contains(&minutes) {
        Ok(minutes)
    } else {
        Err(FieldError::new(
            "escalate_after_minutes",
            format!(
                "must be between {} and {} minutes",
                range.start(),
                range.end()
            ),
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escalation_minutes() {
        assert_eq!(check_escalate_after(1).unwrap(), 1);
        assert_eq!(check_escalate_after(240).unwrap(), 240);
        assert!(check_escalate_after(0).is_err());
        assert!(check_escalate_after(241).is_err());
    }

    #[test]
    fn timezones() {
        assert!(check_timezone("America/New_York").is_ok());
        assert!(check_timezone("Australia/Sydney").is_ok());
        assert!(check_timezone("Mars/Olympus").is_err());
        assert!(check_timezone("").is_err());
    }

    #[test]
    fn caps() {
        assert_eq!(check_cap(15).unwrap(), 15);
        assert_eq!(check_cap(1).unwrap(), 1);
        assert!(check_cap(0).is_err());
        assert!(check_cap(16).is_err());
        assert!(check_cap(-3).is_err());
    }

    #[test]
    fn names() {
        assert_eq!(check_name("  Riverside ACT ").unwrap(), "Riverside ACT");
        assert!(check_name("   ").is_err());
        assert!(check_name(&"x".repeat(101)).is_err());
    }
}
