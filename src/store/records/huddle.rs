//! Huddle reviews and focus as they leave the server.

use crate::store::Timestamp;
use serde::Serialize;
use utoipa::ToSchema;

#[derive(Serialize, ToSchema, Clone, Debug)]
pub struct ReviewOut {
    pub day: String,
    #[schema(format = Uuid)]
    pub client_id: String,
    #[schema(format = Uuid)]
    pub reviewed_by: String,
    pub reviewed_at: Timestamp,
}

/// `review.unmarked`: a review mark was undone.
#[derive(Serialize, ToSchema, Clone, Debug)]
pub struct ReviewUnmarked {
    pub day: String,
    #[schema(format = Uuid)]
    pub client_id: String,
}

/// Where the team's huddle is: the client every screen of the team shows, or none (ended).
#[derive(Serialize, ToSchema, Clone, Debug, PartialEq)]
pub struct HuddleFocus {
    /// Team-local day of the huddle.
    pub day: String,
    /// The client on screen; null when the huddle has ended.
    #[schema(format = Uuid)]
    pub client_id: Option<String>,
    /// Who stepped there.
    #[schema(format = Uuid)]
    pub staff_id: String,
    pub at: Timestamp,
}
