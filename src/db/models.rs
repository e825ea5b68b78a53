//! Row types read from the tables (one per table, fields in column order).

use crate::db::schema::*;
use chrono::NaiveDateTime;
use diesel::prelude::*;

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = teams)]
pub struct TeamRow {
    pub id: String,
    pub name: String,
    pub mode: String,
    pub timezone: String,
    pub caseload_cap: i32,
    pub privacy: String,
    pub last_seq: i64,
    pub version: i32,
    pub created_at: NaiveDateTime,
}

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = staff)]
pub struct StaffRow {
    pub id: String,
    pub username: String,
    pub display_name: String,
    pub discipline: String,
    pub password_hash: String,
    pub is_admin: bool,
    pub active: bool,
    pub created_at: NaiveDateTime,
}

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = memberships)]
pub struct MembershipRow {
    pub team_id: String,
    pub staff_id: String,
    pub role: String,
    pub created_at: NaiveDateTime,
}

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = refresh_tokens)]
pub struct RefreshTokenRow {
    pub id: String,
    pub staff_id: String,
    pub family_id: String,
    pub token_hash: String,
    pub created_at: NaiveDateTime,
    pub expires_at: NaiveDateTime,
    pub revoked_at: Option<NaiveDateTime>,
}

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = events)]
pub struct EventRow {
    pub team_id: String,
    pub seq: i64,
    pub kind: String,
    pub payload: String,
    pub actor: Option<String>,
    pub at: NaiveDateTime,
}
