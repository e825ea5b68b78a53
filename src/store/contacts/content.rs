//! A contact's content: what the API's PUT and the demo loader give (`ContactIn`), checked
//! into `Content` (what an idempotent retry must repeat exactly).

use crate::domain::contact::{self as rules, ContactStatus, Kind, Place};
use crate::domain::FieldError;
use crate::error::{AppError, AppResult};
use crate::store::records::contact::ContactOut;
use serde::Deserialize;
use utoipa::ToSchema;
use uuid::Uuid;

/// A contact as recorded by the API's PUT and by the demo loader (checked by `validate_in`).
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ContactIn {
    pub client_id: Uuid,
    #[schema(value_type = Vec<Uuid>, min_items = 1, max_items = 6)]
    pub staff_ids: Vec<String>,
    /// Team-local day, YYYY-MM-DD.
    #[schema(pattern = r"^\d{4}-\d{2}-\d{2}$", format = Date)]
    pub day: String,
    /// Team-local HH:MM.
    #[schema(pattern = r"^([01]\d|2[0-3]):[0-5]\d$")]
    pub start: Option<String>,
    #[schema(pattern = r"^([01]\d|2[0-3]):[0-5]\d$")]
    pub end: Option<String>,
    pub kind: Kind,
    pub place: Place,
    /// What the visit was for, e.g. "medication delivery", "housing", "check-in".
    #[schema(min_length = 1, max_length = 80, pattern = r"\S")]
    pub activity: String,
    pub status: ContactStatus,
    /// 0–1440.
    #[schema(minimum = 0, maximum = 1440)]
    pub minutes: Option<i32>,
    /// Short note (up to 2000 characters).
    #[schema(max_length = 2000)]
    pub note: Option<String>,
    /// Book it even when it overlaps another planned or completed visit of one of its staff
    /// (otherwise 409 `double_booked`). Not part of the contact: a retry may omit it.
    #[serde(default)]
    pub allow_overlap: bool,
}

/// The checked content of a contact (what an idempotent retry must repeat exactly).
#[derive(Debug, Clone, PartialEq)]
pub struct Content {
    pub client_id: String,
    pub staff_ids: Vec<String>,
    pub day: String,
    pub start: Option<String>,
    pub end: Option<String>,
    pub kind: String,
    pub place: String,
    pub activity: String,
    pub status: String,
    pub minutes: Option<i32>,
    pub note: Option<String>,
}

impl Content {
    pub fn of(c: &ContactOut) -> Content {
        Content {
            client_id: c.client_id.clone(),
            staff_ids: c.staff_ids.clone(),
            day: c.day.clone(),
            start: c.start.clone(),
            end: c.end.clone(),
            kind: c.kind.clone(),
            place: c.place.clone(),
            activity: c.activity.clone(),
            status: c.status.clone(),
            minutes: c.minutes,
            note: c.note.clone(),
        }
    }

    pub fn check(&self) -> AppResult<()> {
        let mut errors = vec![];
        rules::check_when(
            &self.day,
            self.start.as_deref(),
            self.end.as_deref(),
            self.minutes,
            &mut errors,
        );
        if !errors.is_empty() {
            return Err(AppError::from_fields(errors));
        }
        Ok(())
    }
}

pub fn validate_in(c: &ContactIn) -> AppResult<Content> {
    let mut errors: Vec<FieldError> = vec![];
    let staff_ids = rules::check_staff_ids(&c.staff_ids, &mut errors);
    rules::check_when(
        &c.day,
        c.start.as_deref(),
        c.end.as_deref(),
        c.minutes,
        &mut errors,
    );
    let activity = rules::check_activity(&c.activity, &mut errors);
    let note = rules::check_note(c.note.as_deref(), &mut errors);
    if !errors.is_empty() {
        return Err(AppError::from_fields(errors));
    }
    Ok(Content {
        client_id: c.client_id.to_string(),
        staff_ids,
        day: c.day.clone(),
        start: c.start.clone(),
        end: c.end.clone(),
        kind: c.kind.as_str().into(),
        place: c.place.as_str().into(),
        activity,
        status: c.status.as_str().into(),
        minutes: c.minutes,
        note,
    })
}
