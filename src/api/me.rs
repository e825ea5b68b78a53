//! Who am I, and on which teams.

use crate::api::dto::UserOut;
use crate::auth::AuthUser;
use crate::db;
use crate::db::schema::{memberships, teams};
use crate::error::AppResult;
use crate::state::AppState;
use actix_web::{get, web, HttpResponse};
use diesel::prelude::*;
use serde::Serialize;
use utoipa::ToSchema;

#[derive(Serialize, ToSchema)]
pub struct MyTeam {
    #[schema(format = Uuid)]
    pub team_id: String,
    pub name: String,
    pub mode: String,
    pub timezone: String,
    pub role: String,
}

#[derive(Serialize, ToSchema)]
pub struct MeOut {
    pub user: UserOut,
    pub teams: Vec<MyTeam>,
}

/// The signed-in user and the teams they belong to, with their role on each.
#[utoipa::path(tag = "auth", responses((status = 200, body = MeOut), (status = 401, body = crate::api::Problem, content_type = "application/problem+json")))]
#[get("/me")]
pub async fn me(st: web::Data<AppState>, user: AuthUser) -> AppResult<HttpResponse> {
    let uid = user.id.clone();
    let rows: Vec<(String, String, String, String, String)> = db::run(&st.pool, move |conn| {
        Ok(memberships::table
            .inner_join(teams::table)
            .filter(memberships::staff_id.eq(uid))
            .select((
                teams::id,
                teams::name,
                teams::mode,
                teams::timezone,
                memberships::role,
            ))
            .order(teams::name.asc())
            .load(conn)?)
    })
    .await?;
    Ok(HttpResponse::Ok().json(MeOut {
        user: UserOut {
            id: user.id,
            username: user.username,
            display_name: user.display_name,
            is_admin: user.is_admin,
        },
        teams: rows
            .into_iter()
            .map(|(team_id, name, mode, timezone, role)| MyTeam {
                team_id,
                name,
                mode,
                timezone,
                role,
            })
            .collect(),
    }))
}
