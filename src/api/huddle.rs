//! Huddle reviews: which clients the morning huddle went through, per team-local day.

use crate::api::Problem;
use crate::auth::AuthUser;
use crate::db::schema::huddle_reviews as r;
use crate::db::{self, events};
use crate::domain::roles::Role;
use crate::domain::time;
use crate::error::{AppError, AppResult};
use crate::state::AppState;
use actix_web::{delete, put, web, HttpResponse};
use chrono::{DateTime, NaiveDateTime, Utc};
use diesel::prelude::*;
use serde::Serialize;
use utoipa::ToSchema;
use uuid::Uuid;

#[derive(Serialize, ToSchema, Clone, Debug)]
pub struct ReviewOut {
    pub day: String,
    #[schema(format = Uuid)]
    pub client_id: String,
    #[schema(format = Uuid)]
    pub reviewed_by: String,
    pub reviewed_at: DateTime<Utc>,
}

/// Mark a client reviewed in the huddle of `day` (members). Marking twice changes nothing.
#[utoipa::path(tag = "huddle", params(("team_id" = Uuid, Path), ("day" = String, Path, description = "team-local YYYY-MM-DD", format = Date, pattern = r"^\d{4}-\d{2}-\d{2}$"), ("client_id" = Uuid, Path)), responses(
    (status = 200, body = ReviewOut),
    (status = 403, body = Problem, content_type = "application/problem+json"),
    (status = 404, body = Problem, content_type = "application/problem+json"),
))]
#[put("/teams/{team_id}/huddle/{day}/reviews/{client_id}")]
pub async fn mark(
    st: web::Data<AppState>,
    user: AuthUser,
    path: web::Path<(Uuid, String, Uuid)>,
) -> AppResult<HttpResponse> {
    let (team_id, day, client_id) = path.into_inner();
    let (team_id, client_id) = (team_id.to_string(), client_id.to_string());
    time::parse_day(&day).map_err(|m| AppError::BadRequest(format!("day: {m}")))?;
    let out = db::tx(&st.pool, move |conn| {
        crate::auth::write_access(conn, &user, &team_id, Role::Member)?;
        crate::api::clients::load_client(conn, &team_id, &client_id)?;
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
                reviewed_at: at.and_utc(),
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
            reviewed_at: now.and_utc(),
        };
        events::append(conn, &team_id, "review.marked", &out, Some(&user.id))?;
        Ok(out)
    })
    .await?;
    Ok(HttpResponse::Ok().json(out))
}

/// Undo a review mark (members).
#[utoipa::path(tag = "huddle", params(("team_id" = Uuid, Path), ("day" = String, Path, description = "team-local YYYY-MM-DD", format = Date, pattern = r"^\d{4}-\d{2}-\d{2}$"), ("client_id" = Uuid, Path)), responses(
    (status = 204, description = "Unmarked"),
    (status = 403, body = Problem, content_type = "application/problem+json"),
    (status = 404, body = Problem, content_type = "application/problem+json"),
))]
#[delete("/teams/{team_id}/huddle/{day}/reviews/{client_id}")]
pub async fn unmark(
    st: web::Data<AppState>,
    user: AuthUser,
    path: web::Path<(Uuid, String, Uuid)>,
) -> AppResult<HttpResponse> {
    let (team_id, day, client_id) = path.into_inner();
    let (team_id, client_id) = (team_id.to_string(), client_id.to_string());
    time::parse_day(&day).map_err(|m| AppError::BadRequest(format!("day: {m}")))?;
    db::tx(&st.pool, move |conn| {
        crate::auth::write_access(conn, &user, &team_id, Role::Member)?;
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
        events::append(
            conn,
            &team_id,
            "review.unmarked",
            &serde_json::json!({"day": day, "client_id": client_id}),
            Some(&user.id),
        )?;
        Ok(())
    })
    .await?;
    Ok(HttpResponse::NoContent().finish())
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
    pub at: DateTime<Utc>,
}

#[derive(serde::Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct FocusIn {
    /// The client to show on every screen; null ends the huddle (screens show the board).
    #[schema(format = Uuid)]
    pub client_id: Option<Uuid>,
}

/// The team's huddle focus for `day`, if it is on that day.
pub fn focus_of(conn: &mut crate::db::DbConn, team_id: &str, day: &str) -> AppResult<Option<HuddleFocus>> {
    use crate::db::schema::huddle_focus as f;
    let row: Option<(String, Option<String>, String, NaiveDateTime)> = f::table
        .filter(f::team_id.eq(team_id))
        .filter(f::day.eq(day))
        .select((f::day, f::client_id, f::staff_id, f::updated_at))
        .first(conn)
        .optional()?;
    Ok(row.map(|(day, client_id, staff_id, at)| HuddleFocus { day, client_id, staff_id, at: at.and_utc() }))
}

/// Step the team's huddle to a client (members): every screen of the team, the wall display
/// included, follows as `huddle.focus`. `client_id: null` ends the huddle.
#[utoipa::path(tag = "huddle", params(("team_id" = Uuid, Path), ("day" = String, Path, description = "team-local YYYY-MM-DD", format = Date, pattern = r"^\d{4}-\d{2}-\d{2}$")), request_body = FocusIn, responses(
    (status = 200, body = HuddleFocus),
    (status = 403, body = Problem, content_type = "application/problem+json"),
    (status = 404, body = Problem, content_type = "application/problem+json"),
))]
#[put("/teams/{team_id}/huddle/{day}/focus")]
pub async fn focus(
    st: web::Data<AppState>,
    user: AuthUser,
    path: web::Path<(Uuid, String)>,
    body: crate::api::json::Json<FocusIn>,
) -> AppResult<HttpResponse> {
    use crate::db::schema::huddle_focus as f;
    let (team_id, day) = path.into_inner();
    let team_id = team_id.to_string();
    time::parse_day(&day).map_err(|m| AppError::BadRequest(format!("day: {m}")))?;
    let client_id = body.0.client_id.map(|c| c.to_string());
    let out = db::tx(&st.pool, move |conn| {
        crate::auth::write_access(conn, &user, &team_id, Role::Member)?;
        if let Some(c) = &client_id {
            crate::api::clients::check_client(conn, &team_id, c)?;
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
        let out = HuddleFocus { day, client_id, staff_id: user.id.clone(), at: now.and_utc() };
        events::append(conn, &team_id, "huddle.focus", &out, Some(&user.id))?;
        Ok(out)
    })
    .await?;
    Ok(HttpResponse::Ok().json(out))
}
