//! The access log: who opened which client's record, and when (HIPAA audit controls). One
//! row per read, written in the same transaction as the read.

use crate::db::schema::access_log;
use crate::db::{self, DbConn};
use crate::error::AppResult;
use diesel::prelude::*;
use uuid::Uuid;

/// Record that `staff_id` read `client_id`'s record on `team_id` (`action` names the view,
/// e.g. `client.read`, `client.history`).
pub fn record_read(
    conn: &mut DbConn,
    staff_id: &str,
    team_id: &str,
    client_id: &str,
    action: &str,
) -> AppResult<()> {
    diesel::insert_into(access_log::table)
        .values((
            access_log::id.eq(Uuid::new_v4().to_string()),
            access_log::staff_id.eq(staff_id),
            access_log::team_id.eq(team_id),
            access_log::client_id.eq(client_id),
            access_log::action.eq(action),
            access_log::at.eq(db::now()),
        ))
        .execute(conn)?;
    Ok(())
}
