//! The on-call rota as it leaves the server: the repeating week, what applying it did, and
//! the coverage of a range.

use crate::store::records::shift::ShiftOut;
use crate::store::Timestamp;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// One slot of the team's repeating on-call week.
#[derive(Serialize, Deserialize, ToSchema, Clone, Debug, PartialEq)]
pub struct SlotOut {
    /// ISO weekday: 1 Monday … 7 Sunday.
    #[schema(minimum = 1, maximum = 7)]
    pub weekday: u8,
    /// Team-local HH:MM.
    pub start: String,
    /// Team-local HH:MM; at or before `start`, the slot runs past midnight into the next day.
    pub end: String,
    #[schema(format = Uuid)]
    pub staff_id: String,
    /// The person's display name (empty if they have since left).
    #[serde(default)]
    pub staff_name: String,
}

/// `oncall.pattern_updated`, and `GET …/oncall/pattern`: the team's repeating week.
#[derive(Serialize, ToSchema, Clone, Debug)]
pub struct PatternOut {
    /// 0 before any pattern was stored; send it back with the next PUT.
    pub version: i32,
    /// By weekday, then start.
    pub slots: Vec<SlotOut>,
    #[schema(format = Uuid)]
    pub updated_by: Option<String>,
    pub updated_at: Option<Timestamp>,
}

/// A slot occurrence that applying the pattern did not turn into a shift.
#[derive(Serialize, ToSchema, Clone, Debug)]
pub struct SkippedSlot {
    /// Team-local day the occurrence starts on.
    #[schema(format = Date)]
    pub day: String,
    pub weekday: u8,
    #[schema(format = Uuid)]
    pub staff_id: String,
    /// Team-local YYYY-MM-DDTHH:MM.
    pub starts_local: String,
    pub ends_local: String,
    /// Why: `overlaps` (a shift is already there), `not_working` (the person no longer
    /// works on the team).
    pub reason: String,
    /// The shifts it would have overlapped.
    #[schema(format = Uuid)]
    pub overlaps: Vec<String>,
}

/// `POST …/oncall/pattern/apply`: the shifts created and the occurrences skipped.
#[derive(Serialize, ToSchema, Clone, Debug)]
pub struct ApplyOut {
    pub created: Vec<ShiftOut>,
    pub skipped: Vec<SkippedSlot>,
}

/// An interval nobody is on call.
#[derive(Serialize, ToSchema, Clone, Debug, PartialEq)]
pub struct GapOut {
    pub starts_at: Timestamp,
    pub ends_at: Timestamp,
    /// Team-local YYYY-MM-DDTHH:MM (a repeated fall-back hour reads the same twice; the
    /// instants tell them apart).
    pub starts_local: String,
    pub ends_local: String,
}

/// `GET …/oncall/coverage`: the shifts of a range of team-local days and its gaps.
#[derive(Serialize, ToSchema, Clone, Debug)]
pub struct CoverageOut {
    /// First team-local day, YYYY-MM-DD.
    #[schema(format = Date)]
    pub from: String,
    /// Last team-local day, inclusive.
    #[schema(format = Date)]
    pub to: String,
    /// Shifts overlapping the range (also those crossing its edges), by start.
    pub shifts: Vec<ShiftOut>,
    /// The uncovered intervals of the range, in order.
    pub gaps: Vec<GapOut>,
}
