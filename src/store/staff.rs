//! Staff accounts (admins manage them) and "who am I".

use crate::auth::{password, AuthUser};
use crate::db::models::StaffRow;
use crate::db::schema::{memberships, staff, teams};
use crate::db::{self, events::lock_team, DbConn, Pool};
use crate::domain::page::{self, Page, PageReq};
use crate::domain::staff as rules;
use crate::domain::FieldError;
use crate::error::{AppError, AppResult};
use crate::store::carriers;
use crate::store::events::{append, Event};
use crate::store::members;
use diesel::prelude::*;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;

#[derive(Serialize, ToSchema, Clone, Debug)]
pub struct UserOut {
    #[schema(format = Uuid)]
    pub id: String,
    pub username: String,
    pub display_name: String,
    pub is_admin: bool,
    /// An administrator set this password (a reset, or a new account): the person must choose
    /// their own (`POST /api/me/password`) before anything but `GET /api/me` and sign-out
    /// answers (403 `password_change_required`).
    pub must_change_password: bool,
}

#[derive(Serialize, ToSchema, Clone, Debug)]
pub struct StaffOut {
    #[schema(format = Uuid)]
    pub id: String,
    pub username: String,
    pub display_name: String,
    pub discipline: String,
    pub is_admin: bool,
    pub active: bool,
    /// The password is a temporary one an administrator set; not yet changed by its owner.
    pub must_change_password: bool,
}

impl From<&StaffRow> for StaffOut {
    fn from(s: &StaffRow) -> Self {
        StaffOut {
            id: s.id.clone(),
            username: s.username.clone(),
            display_name: s.display_name.clone(),
            discipline: s.discipline.clone(),
            is_admin: s.is_admin,
            active: s.active,
            must_change_password: s.must_change_password,
        }
    }
}

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

/// A new account as the API, the CLI and the demo loader give it (checked by `prepare`).
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewStaff {
    #[schema(pattern = r"^[A-Za-z0-9._@-]{3,64}$")]
    pub username: String,
    #[schema(min_length = 1, max_length = 100, pattern = r"\S")]
    pub display_name: String,
    /// team_lead, psychiatrist, nurse, case_manager, social_worker, peer_specialist,
    /// substance_use_specialist, employment_specialist, housing_specialist, other
    pub discipline: String,
    /// 12 to 256 characters, not a common password, not the username.
    #[schema(min_length = 12, max_length = 256)]
    pub password: String,
    #[serde(default)]
    pub is_admin: bool,
    /// The password is a temporary one (the admin typed it): the person must choose their own
    /// at the first sign-in. Default false.
    #[serde(default)]
    pub must_change_password: bool,
}

/// A new account, validated and with its password hashed: ready to store.
pub struct PreparedStaff {
    username: String,
    display_name: String,
    discipline: String,
    password_hash: String,
    is_admin: bool,
    must_change_password: bool,
}

/// Checked changes to an account (absent: unchanged); the password already hashed.
pub struct StaffChanges {
    pub display_name: Option<String>,
    pub discipline: Option<String>,
    pub is_admin: Option<bool>,
    pub active: Option<bool>,
    pub password_hash: Option<String>,
    /// With `active: false`: who takes over the person's clients (`store::carriers`).
    pub reassign_to: Option<String>,
}

/// What only an admin may do here (the 403's wording).
pub const MANAGE: &str = "manage staff accounts";

pub fn load_staff(conn: &mut DbConn, id: &str) -> AppResult<StaffRow> {
    staff::table
        .filter(staff::id.eq(id))
        .select(StaffRow::as_select())
        .first(conn)
        .optional()?
        .ok_or_else(|| AppError::not_found("staff member"))
}

/// Validate and store a new staff account (used by the CLI and the demo loader).
pub fn insert_staff(conn: &mut DbConn, s: NewStaff) -> AppResult<StaffRow> {
    store_staff(conn, prepare_staff(s)?)
}

/// Validate and hash (argon2: tens of milliseconds of CPU), with no database: done on a
/// blocking thread before the transaction, not while holding a connection.
pub fn prepare_staff(s: NewStaff) -> AppResult<PreparedStaff> {
    let mut errors = vec![];
    let username = rules::normalize_username(&s.username)
        .map_err(|m| errors.push(FieldError::new("username", m)))
        .ok();
    let display = rules::check_display_name(&s.display_name)
        .map_err(|m| errors.push(FieldError::new("display_name", m)))
        .ok();
    if let Err(m) = rules::check_discipline(&s.discipline) {
        errors.push(FieldError::new("discipline", m));
    }
    if let Err(m) = password::check_new(&s.password, username.as_deref().unwrap_or(&s.username)) {
        errors.push(FieldError::new("password", m));
    }
    let (Some(username), Some(display_name), true) = (username, display, errors.is_empty()) else {
        return Err(AppError::from_fields(errors));
    };
    let password_hash = password::hash(&s.password).map_err(AppError::internal)?;
    Ok(PreparedStaff {
        username,
        display_name,
        discipline: s.discipline,
        password_hash,
        is_admin: s.is_admin,
        must_change_password: s.must_change_password,
    })
}

/// What an imported account stores as its password hash: not a hash at all, so no password
/// matches it (`auth::password::verify` answers false) until an administrator sets one.
pub const NO_PASSWORD: &str = "!no password set";

/// An account without a usable password (the CSV import), its fields already checked with
/// `domain::staff`'s rules.
pub fn prepared_without_password(
    username: String,
    display_name: String,
    discipline: String,
) -> PreparedStaff {
    PreparedStaff {
        username,
        display_name,
        discipline,
        password_hash: NO_PASSWORD.to_string(),
        is_admin: false,
        // Nothing to change yet: an administrator's reset gives the first (temporary) one.
        must_change_password: false,
    }
}

/// Store a prepared account; a taken username is a 409.
pub fn store_staff(conn: &mut DbConn, s: PreparedStaff) -> AppResult<StaffRow> {
    let username = s.username;
    let taken: i64 = staff::table
        .filter(staff::username.eq(&username))
        .count()
        .get_result(conn)?;
    if taken > 0 {
        return Err(AppError::conflict(format!(
            "the username '{username}' is taken"
        )));
    }
    let id = Uuid::new_v4().to_string();
    diesel::insert_into(staff::table)
        .values((
            staff::id.eq(&id),
            staff::username.eq(&username),
            staff::display_name.eq(&s.display_name),
            staff::discipline.eq(&s.discipline),
            staff::password_hash.eq(&s.password_hash),
            staff::is_admin.eq(s.is_admin),
            staff::active.eq(true),
            staff::created_at.eq(db::now()),
            staff::must_change_password.eq(s.must_change_password),
        ))
        .execute(conn)?;
    load_staff(conn, &id)
}

/// Create a staff account (admins only).
pub async fn create(pool: &Pool, user: AuthUser, s: NewStaff) -> AppResult<StaffOut> {
    user.require_admin(MANAGE)?;
    let prepared = db::blocking(move || prepare_staff(s)).await?;
    let row = db::tx(pool, move |conn| store_staff(conn, prepared)).await?;
    Ok(StaffOut::from(&row))
}

/// A team someone is on, with their role there.
#[derive(Serialize, ToSchema, Clone, Debug)]
pub struct StaffTeam {
    #[schema(format = Uuid)]
    pub team_id: String,
    pub name: String,
    pub role: String,
}

/// An account in the staff list: the account and the teams the person is on.
#[derive(Serialize, ToSchema, Clone, Debug)]
pub struct StaffListed {
    #[serde(flatten)]
    pub staff: StaffOut,
    pub teams: Vec<StaffTeam>,
}

/// Every staff account with their teams (admins only), a page at a time.
pub async fn list(pool: &Pool, user: AuthUser, page: PageReq) -> AppResult<Page<StaffListed>> {
    user.require_admin(MANAGE)?;
    db::run(pool, move |conn| {
        let mut q = staff::table.select(StaffRow::as_select()).into_boxed();
        if let Some([name, id]) = page.after.as_deref() {
            q = q.filter(
                staff::display_name.gt(name.clone()).or(staff::display_name
                    .eq(name.clone())
                    .and(staff::id.gt(id.clone()))),
            );
        }
        let rows: Vec<StaffRow> = q
            .order((staff::display_name.asc(), staff::id.asc()))
            .limit(page.limit + 1)
            .load(conn)?;
        let (rows, next) = page::split(rows, page.limit, LIST, |r| {
            vec![r.display_name.clone(), r.id.clone()]
        });
        let ids: Vec<&str> = rows.iter().map(|r| r.id.as_str()).collect();
        let on: Vec<(String, String, String, String)> = memberships::table
            .inner_join(teams::table)
            .filter(memberships::staff_id.eq_any(&ids))
            .select((
                memberships::staff_id,
                teams::id,
                teams::name,
                memberships::role,
            ))
            .order((teams::name.asc(), teams::id.asc()))
            .load(conn)?;
        Ok(Page {
            items: rows
                .iter()
                .map(|s| StaffListed {
                    staff: StaffOut::from(s),
                    teams: on
                        .iter()
                        .filter(|(sid, ..)| *sid == s.id)
                        .map(|(_, team_id, name, role)| StaffTeam {
                            team_id: team_id.clone(),
                            name: name.clone(),
                            role: role.clone(),
                        })
                        .collect(),
                })
                .collect(),
            next,
        })
    })
    .await
}

/// The name of the staff list in its cursors (display name, id).
pub const LIST: &str = "staff";

/// Change an account (admins only). Deactivating or a new password revokes every session
/// at once; a new name or discipline reaches every board the person is on.
pub async fn update(
    pool: &Pool,
    user: AuthUser,
    id: String,
    p: StaffChanges,
) -> AppResult<StaffOut> {
    user.require_admin(MANAGE)?;
    if id == user.id && (p.active == Some(false) || p.is_admin == Some(false)) {
        return Err(AppError::conflict(
            "you cannot deactivate yourself or remove your own admin rights",
        ));
    }
    let names_changed = p.display_name.is_some() || p.discipline.is_some();
    let actor = user.id.clone();
    let row = db::tx(pool, move |conn| {
        let cur = load_staff(conn, &id)?;
        if p.active == Some(false) && cur.active {
            carriers::before_deactivation(conn, &id, p.reassign_to.as_deref(), &actor)?;
        }
        let revoke = p.active == Some(false) || p.password_hash.is_some();
        // An administrator's reset of someone else's password is a temporary one.
        let must_change = match &p.password_hash {
            Some(_) => id != actor,
            None => cur.must_change_password,
        };
        diesel::update(staff::table.filter(staff::id.eq(&id)))
            .set((
                staff::display_name.eq(p.display_name.unwrap_or(cur.display_name)),
                staff::discipline.eq(p.discipline.unwrap_or(cur.discipline)),
                staff::is_admin.eq(p.is_admin.unwrap_or(cur.is_admin)),
                staff::active.eq(p.active.unwrap_or(cur.active)),
                staff::password_hash.eq(p.password_hash.unwrap_or(cur.password_hash)),
                staff::must_change_password.eq(must_change),
            ))
            .execute(conn)?;
        if revoke {
            // Every session: refresh and access tokens, and the open websockets, at once.
            crate::store::passwords::end_sessions_for(conn, &id, p.active == Some(false))?;
        }
        load_staff(conn, &id)
    })
    .await?;
    if names_changed {
        announce_to_teams(pool, &row.id, &user.id).await?;
    }
    Ok(StaffOut::from(&row))
}

/// A renamed person (or a new discipline): every team they belong to gets `member.updated`,
/// so boards show the new name without waiting for their next snapshot. One transaction per
/// team, each under that team's lock, as every event append is.
async fn announce_to_teams(pool: &Pool, staff_id: &str, actor: &str) -> AppResult<()> {
    let sid = staff_id.to_string();
    let teams: Vec<String> = db::run(pool, move |conn| {
        Ok(memberships::table
            .filter(memberships::staff_id.eq(sid))
            .select(memberships::team_id)
            .load(conn)?)
    })
    .await?;
    for team in teams {
        let (sid, actor) = (staff_id.to_string(), actor.to_string());
        db::tx(pool, move |conn| {
            lock_team(conn, &team)?;
            if let Some(m) = members::list(conn, &team)?
                .into_iter()
                .find(|m| m.staff_id == sid)
            {
                append(conn, &team, Event::MemberUpdated(m), Some(&actor))?;
            }
            Ok(())
        })
        .await?;
    }
    Ok(())
}

/// The signed-in user and the teams they belong to, with their role on each (also for a
/// person who must first change their password: the app reads `must_change_password` here).
pub async fn me(pool: &Pool, user: AuthUser) -> AppResult<MeOut> {
    let uid = user.id.clone();
    let rows: Vec<(String, String, String, String, String)> = db::run(pool, move |conn| {
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
    Ok(MeOut {
        user: UserOut {
            id: user.id,
            username: user.username,
            display_name: user.display_name,
            is_admin: user.is_admin,
            must_change_password: user.must_change_password,
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
    })
}

/// What a hand-over must place before `staff_id` leaves (every team, or `team_id` only):
/// their clients and who could take them (admins only).
pub async fn handover(
    pool: &Pool,
    user: AuthUser,
    staff_id: String,
    team_id: Option<String>,
) -> AppResult<carriers::HandoverOut> {
    user.require_admin(MANAGE)?;
    db::run(pool, move |conn| {
        carriers::handover_view(conn, &staff_id, team_id.as_deref())
    })
    .await
}

/// Deactivate an account with a hand-over plan (admins only), in one transaction: every
/// client the person carries goes to the case manager the plan names (caps checked for all
/// at once), then the account is deactivated and every session of it ends. Deactivating an
/// inactive account changes nothing.
pub async fn deactivate(
    pool: &Pool,
    user: AuthUser,
    id: String,
    plan: Vec<carriers::Assignment>,
) -> AppResult<StaffOut> {
    user.require_admin(MANAGE)?;
    if id == user.id {
        return Err(AppError::conflict("you cannot deactivate yourself"));
    }
    let actor = user.id.clone();
    let row = db::tx(pool, move |conn| {
        let cur = load_staff(conn, &id)?;
        if !cur.active {
            if !plan.is_empty() {
                return Err(AppError::validation(
                    "assignments",
                    "this account is already deactivated and carries no clients",
                ));
            }
            return Ok(cur);
        }
        carriers::execute_plan(conn, &id, None, &plan, &actor)?;
        diesel::update(staff::table.filter(staff::id.eq(&id)))
            .set(staff::active.eq(false))
            .execute(conn)?;
        crate::store::passwords::end_sessions_for(conn, &id, true)?;
        load_staff(conn, &id)
    })
    .await?;
    Ok(StaffOut::from(&row))
}
