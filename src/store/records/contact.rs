//! Contacts (visits) as they leave the server.

use crate::db::models::ContactRow;
use crate::store::Timestamp;
use serde::Serialize;
use utoipa::ToSchema;

#[derive(Serialize, ToSchema, Clone, Debug, PartialEq)]
pub struct ContactOut {
    #[schema(format = Uuid)]
    pub id: String,
    #[schema(format = Uuid)]
    pub team_id: String,
    #[schema(format = Uuid)]
    pub client_id: String,
    pub staff_ids: Vec<String>,
    /// Team-local day, YYYY-MM-DD.
    pub day: String,
    /// Team-local HH:MM.
    pub start: Option<String>,
    pub end: Option<String>,
    /// The UTC instant of the start (noon when no time was given).
    pub occurred_at: Timestamp,
    pub kind: String,
    pub place: String,
    pub activity: String,
    pub status: String,
    pub minutes: Option<i32>,
    pub note: Option<String>,
    pub version: i32,
    #[schema(format = Uuid)]
    pub created_by: String,
    pub created_at: Timestamp,
    pub updated_at: Timestamp,
    /// The recurring series this planned visit came from (`visit-series`), if any.
    #[schema(format = Uuid)]
    pub series_id: Option<String>,
}

pub fn out(c: &ContactRow, staff_ids: Vec<String>) -> ContactOut {
    ContactOut {
        id: c.id.clone(),
        team_id: c.team_id.clone(),
        client_id: c.client_id.clone(),
        staff_ids,
        day: c.day.clone(),
        start: c.start_time.clone(),
        end: c.end_time.clone(),
        occurred_at: c.occurred_at.into(),
        kind: c.kind.clone(),
        place: c.place.clone(),
        activity: c.activity.clone(),
        status: c.status.clone(),
        minutes: c.minutes,
        note: c.note.clone(),
        version: c.version,
        created_by: c.created_by.clone(),
        created_at: c.created_at.into(),
        updated_at: c.updated_at.into(),
        series_id: c.series_id.clone(),
    }
}

/// `contacts.reassigned`: one person's planned visits of a day moved to another.
#[derive(Serialize, ToSchema, Clone, Debug)]
pub struct ContactsReassigned {
    /// Team-local day, YYYY-MM-DD.
    pub day: String,
    #[schema(format = Uuid)]
    pub from_staff_id: String,
    #[schema(format = Uuid)]
    pub to_staff_id: String,
    pub contacts: Vec<ContactOut>,
}
