//! The morning huddle: which clients it went through per team-local day (reviews), and
//! where it is now (the focus every screen of the team follows).

use crate::auth::{write_access, AuthUser};
use crate::db::schema::{huddle_focus as f, huddle_reviews as r};
use crate::db::{self, DbConn, Pool};
use crate::domain::roles::Role;
use crate::error::{AppError, AppResult};
use crate::store::clients::{check_client, load_client};
use crate::store::events::{append, Event};
use chrono::NaiveDateTime;
use diesel::prelude::*;

pub use crate::store::records::huddle::{HuddleFocus, ReviewOut, ReviewUnmarked};

/// The team's huddle focus for `day`, if it is on that day.
pub fn focus_of(conn: &mut DbConn, team_id: &str, day: &str) -> AppResult<Option<HuddleFocus>> {
    let row: Option<(String, Option<String>, String, NaiveDateTime)> = f::table
        .filter(f::team_id.eq(team_id))
        .filter(f::day.eq(day))
        .select((f::day, f::client_id, f::staff_id, f::updated_at))
        .first(conn)
        .optional()?;
    Ok(row.map(|(day, client_id, staff_id, at)| HuddleFocus {
        day,
        client_id,
        staff_id,
        at: at.into(),
    }))
}

/// Mark a client reviewed in the huddle of `day` (members). Marking twice changes nothing.
pub async fn mark(
    pool: &Pool,
    user: AuthUser,
    team_id: String,
    day: String,
    client_id: String,
) -> AppResult<ReviewOut> {
    db::tx(pool, move |conn| {
        write_access(conn, &user, &team_id, Role::Member)?;
        load_client(conn, &team_id, &client_id)?;
        let existing: Option<(String, NaiveDateTime)> = r::table
            .filter(r::team_id.eq(&team_id))
            .filter(r::day.eq(&day))
            .filter(r::client_id.eq(&client_id))
            .select((r::reviewed_by, r::reviewed_at))
            .first(conn)
            .optional()?;
        if let Some((by, at)) = existing {
            return Ok(ReviewOut {
                day,
                client_id,
                reviewed_by: by,
                reviewed_at: at.into(),
            });
        }
        let now = db::now();
        diesel::insert_into(r::table)
            .values((
                r::team_id.eq(&team_id),
                r::day.eq(&day),
                r::client_id.eq(&client_id),
                r::reviewed_by.eq(&user.id),
                r::reviewed_at.eq(now),
            ))
            .execute(conn)?;
        let out = ReviewOut {
            day,
            client_id,
            reviewed_by: user.id.clone(),
            reviewed_at: now.into(),
        };
        append(
            conn,
            &team_id,
            Event::ReviewMarked(out.clone()),
            Some(&user.id),
        )?;
        Ok(out)
    })
    .await
}

/// Undo a review mark (members).
pub async fn unmark(
    pool: &Pool,
    user: AuthUser,
    team_id: String,
    day: String,
    client_id: String,
) -> AppResult<()> {
    db::tx(pool, move |conn| {
        write_access(conn, &user, &team_id, Role::Member)?;
        let n = diesel::delete(
            r::table
                .filter(r::team_id.eq(&team_id))
                .filter(r::day.eq(&day))
                .filter(r::client_id.eq(&client_id)),
        )
        .execute(conn)?;
        if n == 0 {
            return Err(AppError::not_found("review"));
        }
        let out = ReviewUnmarked { day, client_id };
        append(conn, &team_id, Event::ReviewUnmarked(out), Some(&user.id))?;
        Ok(())
    })
    .await
}

/// Step the team's huddle to a client (members): every screen of the team, the wall display
/// included, follows as `huddle.focus`. `None` ends the huddle.
pub async fn set_focus(
    pool: &Pool,
    user: AuthUser,
    team_id: String,
    day: String,
    client_id: Option<String>,
) -> AppResult<HuddleFocus> {
    db::tx(pool, move |conn| {
        write_access(conn, &user, &team_id, Role::Member)?;
        if let Some(c) = &client_id {
            check_client(conn, &team_id, c)?;
        }
        let now = db::now();
        diesel::delete(f::table.filter(f::team_id.eq(&team_id))).execute(conn)?;
        diesel::insert_into(f::table)
            .values((
                f::team_id.eq(&team_id),
                f::day.eq(&day),
                f::client_id.eq(&client_id),
                f::staff_id.eq(&user.id),
                f::updated_at.eq(now),
            ))
            .execute(conn)?;
        let out = HuddleFocus {
            day,
            client_id,
            staff_id: user.id.clone(),
            at: now.into(),
        };
        append(
            conn,
            &team_id,
            Event::HuddleFocus(out.clone()),
            Some(&user.id),
        )?;
        Ok(out)
    })
    .await
}
