//! Episodes and reviewer ratings as they leave the server.

use crate::db::models::{EpisodeRow, RatingRow};
use crate::domain::episode::EpisodeKind;
use crate::store::Timestamp;
use serde::Serialize;
use utoipa::ToSchema;

/// An admission, emergency visit, crisis bed, jail or homeless period of a client.
#[derive(Serialize, ToSchema, Clone, Debug)]
pub struct EpisodeOut {
    #[schema(format = Uuid)]
    pub id: String,
    /// The team that recorded it.
    #[schema(format = Uuid)]
    pub team_id: String,
    #[schema(format = Uuid)]
    pub client_id: String,
    pub kind: EpisodeKind,
    /// First day (team-local, YYYY-MM-DD).
    pub start: String,
    /// Last day, inclusive; null while it lasts.
    pub end: Option<String>,
    pub team_involved: bool,
    pub note: String,
    /// Open and of a kind that takes the client away (an admission, a crisis bed, jail):
    /// the board shows the client as away.
    pub away: bool,
    pub version: i32,
    #[schema(format = Uuid)]
    pub recorded_by: String,
    pub recorded_at: Timestamp,
    pub updated_at: Timestamp,
}

impl From<&EpisodeRow> for EpisodeOut {
    fn from(r: &EpisodeRow) -> Self {
        let kind = EpisodeKind::parse(&r.kind).unwrap_or(EpisodeKind::PsychiatricAdmission);
        EpisodeOut {
            id: r.id.clone(),
            team_id: r.team_id.clone(),
            client_id: r.client_id.clone(),
            kind,
            start: r.start_on.clone(),
            end: r.end_on.clone(),
            team_involved: r.team_involved,
            note: r.note.clone(),
            away: r.end_on.is_none() && kind.takes_away(),
            version: r.version,
            recorded_by: r.recorded_by.clone(),
            recorded_at: r.recorded_at.into(),
            updated_at: r.updated_at.into(),
        }
    }
}

/// A reviewer's rating of a DACTS item for the period ending `period_to`.
#[derive(Serialize, ToSchema, Clone, Debug)]
pub struct FidelityRatingOut {
    #[schema(format = Uuid)]
    pub id: String,
    #[schema(format = Uuid)]
    pub team_id: String,
    pub item: String,
    pub period_to: String,
    pub score: i32,
    pub note: String,
    #[schema(format = Uuid)]
    pub rated_by: String,
    pub rated_at: Timestamp,
}

impl From<&RatingRow> for FidelityRatingOut {
    fn from(r: &RatingRow) -> Self {
        FidelityRatingOut {
            id: r.id.clone(),
            team_id: r.team_id.clone(),
            item: r.item.clone(),
            period_to: r.period_to.clone(),
            score: r.score,
            note: r.note.clone(),
            rated_by: r.rated_by.clone(),
            rated_at: r.rated_at.into(),
        }
    }
}
