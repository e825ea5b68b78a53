//! Display-token events.

use serde::Serialize;
use utoipa::ToSchema;

/// `display_token.revoked`: screens using this token lose access at once.
#[derive(Serialize, ToSchema, Clone, Debug)]
pub struct DisplayTokenRevoked {
    #[schema(format = Uuid)]
    pub id: String,
}
