//! Recurring visits (`visit-series`) as they leave the server, and their events' payloads.

use crate::db::models::SeriesRow;
use crate::store::records::contact::ContactOut;
use crate::store::Timestamp;
use serde::Serialize;
use utoipa::ToSchema;

/// A recurring visit: the recipe its planned visits (contacts with its `series_id`) were
/// created from.
#[derive(Serialize, ToSchema, Clone, Debug, PartialEq)]
pub struct SeriesOut {
    #[schema(format = Uuid)]
    pub id: String,
    #[schema(format = Uuid)]
    pub team_id: String,
    #[schema(format = Uuid)]
    pub client_id: String,
    pub staff_ids: Vec<String>,
    /// Team-local day of the first visit, YYYY-MM-DD.
    pub first_day: String,
    /// Days between visits (1–90).
    pub every_days: i32,
    /// Team-local day of the last possible visit (inclusive).
    pub until: String,
    /// Team-local HH:MM.
    pub start: String,
    pub end: String,
    pub kind: String,
    pub place: String,
    pub activity: String,
    #[schema(format = Uuid)]
    pub created_by: String,
    pub created_at: Timestamp,
    /// When the series was ended (its future planned visits cancelled); null while running.
    pub ended_at: Option<Timestamp>,
    #[schema(format = Uuid)]
    pub ended_by: Option<String>,
}

impl From<&SeriesRow> for SeriesOut {
    fn from(r: &SeriesRow) -> Self {
        SeriesOut {
            id: r.id.clone(),
            team_id: r.team_id.clone(),
            client_id: r.client_id.clone(),
            staff_ids: r
                .staff_ids
                .split(',')
                .filter(|s| !s.is_empty())
                .map(str::to_string)
                .collect(),
            first_day: r.first_day.clone(),
            every_days: r.every_days,
            until: r.until_day.clone(),
            start: r.start_time.clone(),
            end: r.end_time.clone(),
            kind: r.kind.clone(),
            place: r.place.clone(),
            activity: r.activity.clone(),
            created_by: r.created_by.clone(),
            created_at: r.created_at.into(),
            ended_at: r.ended_at.map(Into::into),
            ended_by: r.ended_by.clone(),
        }
    }
}

/// `contacts.series_created` (and the 201 answer): the series and every planned visit it
/// booked, in day order. `contacts.series_ended` (and the DELETE answer): the ended series
/// and the planned visits that were cancelled (now `cancelled`); past ones stay.
#[derive(Serialize, ToSchema, Clone, Debug)]
pub struct SeriesContacts {
    pub series: SeriesOut,
    pub contacts: Vec<ContactOut>,
}
