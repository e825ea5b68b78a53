//! Team members as they leave the server.

use serde::Serialize;
use utoipa::ToSchema;

#[derive(Serialize, ToSchema, Clone, Debug)]
pub struct MemberOut {
    #[schema(format = Uuid)]
    pub staff_id: String,
    pub username: String,
    pub display_name: String,
    pub discipline: String,
    pub role: String,
}

/// `member.removed`: the person's access to the team ended.
#[derive(Serialize, ToSchema, Clone, Debug)]
pub struct MemberRemoved {
    #[schema(format = Uuid)]
    pub staff_id: String,
}
