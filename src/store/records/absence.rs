//! Absences as they leave the server.

use crate::db::models::AbsenceRow;
use crate::store::records::contact::ContactOut;
use crate::store::Timestamp;
use serde::Serialize;
use utoipa::ToSchema;

/// A staff member out from `from` to `to` (team-local days, both included).
#[derive(Serialize, ToSchema, Clone, Debug)]
pub struct AbsenceOut {
    #[schema(format = Uuid)]
    pub id: String,
    #[schema(format = Uuid)]
    pub team_id: String,
    /// Who is out.
    #[schema(format = Uuid)]
    pub staff_id: String,
    /// First day out, YYYY-MM-DD.
    pub from: String,
    /// Last day out, YYYY-MM-DD (included).
    pub to: String,
    /// Who took over the planned visits in the range when the absence was recorded.
    pub covered_by: Option<String>,
    /// Free text; never sent to a privacy display.
    pub reason: Option<String>,
    #[schema(format = Uuid)]
    pub created_by: String,
    pub created_at: Timestamp,
}

impl From<&AbsenceRow> for AbsenceOut {
    fn from(r: &AbsenceRow) -> Self {
        AbsenceOut {
            id: r.id.clone(),
            team_id: r.team_id.clone(),
            staff_id: r.staff_id.clone(),
            from: r.from_day.clone(),
            to: r.to_day.clone(),
            covered_by: r.covered_by.clone(),
            reason: r.reason.clone(),
            created_by: r.created_by.clone(),
            created_at: r.created_at.into(),
        }
    }
}

/// The answer to recording an absence: the absence and the visits moved to `covered_by`.
#[derive(Serialize, ToSchema, Clone, Debug)]
pub struct AbsenceCreated {
    pub absence: AbsenceOut,
    pub moved: usize,
    pub contacts: Vec<ContactOut>,
}

/// `absence.deleted`: an absence was cancelled (its moved visits stay where they are).
#[derive(Serialize, ToSchema, Clone, Debug)]
pub struct AbsenceDeleted {
    #[schema(format = Uuid)]
    pub id: String,
    #[schema(format = Uuid)]
    pub staff_id: String,
}

/// On a board's staff row: out on the board's day.
#[derive(Serialize, ToSchema, Clone, Debug, PartialEq)]
pub struct AbsentToday {
    #[schema(format = Uuid)]
    pub absence_id: String,
    /// First day out, YYYY-MM-DD.
    pub from: String,
    /// Last day out, YYYY-MM-DD (included).
    pub until: String,
    pub covered_by: Option<String>,
}
