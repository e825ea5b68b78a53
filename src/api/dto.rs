//! Response shapes shared by several resources.

use crate::db::models::{StaffRow, TeamRow};
use chrono::{DateTime, NaiveDateTime, Utc};
use serde::Serialize;
use utoipa::ToSchema;

pub fn utc(t: NaiveDateTime) -> DateTime<Utc> {
    t.and_utc()
}

#[derive(Serialize, ToSchema, Clone, Debug)]
pub struct UserOut {
    #[schema(format = Uuid)]
    pub id: String,
    pub username: String,
    pub display_name: String,
    pub is_admin: bool,
}

impl From<&StaffRow> for UserOut {
    fn from(s: &StaffRow) -> Self {
        UserOut {
            id: s.id.clone(),
            username: s.username.clone(),
            display_name: s.display_name.clone(),
            is_admin: s.is_admin,
        }
    }
}

#[derive(Serialize, ToSchema, Clone, Debug)]
pub struct StaffOut {
    #[schema(format = Uuid)]
    pub id: String,
    pub username: String,
    pub display_name: String,
    pub discipline: String,
    pub is_admin: bool,
    pub active: bool,
}

impl From<&StaffRow> for StaffOut {
    fn from(s: &StaffRow) -> Self {
        StaffOut {
            id: s.id.clone(),
            username: s.username.clone(),
            display_name: s.display_name.clone(),
            discipline: s.discipline.clone(),
            is_admin: s.is_admin,
            active: s.active,
        }
    }
}

#[derive(Serialize, ToSchema, Clone, Debug)]
pub struct TeamOut {
    #[schema(format = Uuid)]
    pub id: String,
    pub name: String,
    /// `act` or `icm`.
    pub mode: String,
    /// IANA time zone; "today" on this team means today here.
    pub timezone: String,
    /// ICM: most active clients one case manager may hold (1–15).
    pub caseload_cap: i32,
    /// What a display token shows by default: `names` or `initials`.
    pub privacy: String,
    pub version: i32,
    pub created_at: DateTime<Utc>,
}

impl From<&TeamRow> for TeamOut {
    fn from(t: &TeamRow) -> Self {
        TeamOut {
            id: t.id.clone(),
            name: t.name.clone(),
            mode: t.mode.clone(),
            timezone: t.timezone.clone(),
            caseload_cap: t.caseload_cap,
            privacy: t.privacy.clone(),
            version: t.version,
            created_at: utc(t.created_at),
        }
    }
}
