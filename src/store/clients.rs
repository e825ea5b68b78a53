//! Clients: admission, records, lifecycle, ICM case managers (within the cap) and transfer
//! between teams. Every write goes through `save`, the one path that applies the caseload
//! rule.

use crate::auth::{team_access, write_access, AuthUser};
use crate::db::events::lock_team;
use crate::db::models::{ClientRow, TeamRow};
use crate::db::schema::clients;
use crate::db::{self, caseload, DbConn, Pool};
use crate::domain::client::{self as rules, DischargeInput, Status};
use crate::domain::page::{self, Page, PageReq};
use crate::domain::roles::Role;
use crate::domain::time;
use crate::error::{AppError, AppResult};
use crate::store::audit;
use crate::store::events::{append, Event};
use crate::store::oncall::tz_of;
use crate::store::teams::load_team;
use crate::store::{discharge, flags, transitions};
use diesel::prelude::*;
use uuid::Uuid;

pub use crate::store::records::client::{ClientDetails, ClientOut, ClientTransferredOut};

/// Checked changes to a client's on-call details (absent: unchanged; `Some(None)` clears).
#[derive(Default)]
pub struct DetailChanges {
    pub phone: Option<Option<String>>,
    pub address: Option<Option<String>>,
    pub crisis_plan: Option<Option<String>>,
    pub emergency_contact: Option<Option<String>>,
}

impl DetailChanges {
    fn is_empty(&self) -> bool {
        self.phone.is_none()
            && self.address.is_none()
            && self.crisis_plan.is_none()
            && self.emergency_contact.is_none()
    }
}

/// Write the on-call details (after `save`, in its transaction; they are never in events).
pub fn write_details(conn: &mut DbConn, client_id: &str, d: &DetailChanges) -> AppResult<()> {
    if d.is_empty() {
        return Ok(());
    }
    let target = clients::table.filter(clients::id.eq(client_id));
    if let Some(v) = &d.phone {
        diesel::update(target)
            .set(clients::phone.eq(v))
            .execute(conn)?;
    }
    if let Some(v) = &d.address {
        diesel::update(target)
            .set(clients::address.eq(v))
            .execute(conn)?;
    }
    if let Some(v) = &d.crisis_plan {
        diesel::update(target)
            .set(clients::crisis_plan.eq(v))
            .execute(conn)?;
    }
    if let Some(v) = &d.emergency_contact {
        diesel::update(target)
            .set(clients::emergency_contact.eq(v))
            .execute(conn)?;
    }
    Ok(())
}

/// The values a client will have after a write.
#[derive(Debug, Clone)]
pub struct Values {
    pub given_name: String,
    pub family_name: String,
    pub preferred_name: Option<String>,
    pub external_id: Option<String>,
    pub status: Status,
    pub risk_tier: String,
    pub case_manager_id: Option<String>,
}

/// Checked changes to a client's record (absent: unchanged; `Some(None)` clears).
pub struct ClientChanges {
    pub version: i32,
    pub given_name: Option<String>,
    pub family_name: Option<String>,
    pub preferred_name: Option<Option<String>>,
    pub external_id: Option<Option<String>>,
    pub status: Option<Status>,
    pub case_manager_id: Option<Option<String>>,
    /// `discharge_reason`, `discharged_on`, and whether `resolve_open_flags` was given.
    pub discharge: DischargeInput,
    /// The outcome for the client's open flags, resolved with the discharge.
    pub resolve_open_flags: Option<String>,
    /// The on-call details (members may change them).
    pub details: DetailChanges,
    /// A correction of the referral (leads; only while referred or in screening).
    pub referral: Option<ReferralIn>,
}

pub fn load_client(conn: &mut DbConn, team_id: &str, client_id: &str) -> AppResult<ClientRow> {
    clients::table
        .filter(clients::team_id.eq(team_id))
        .filter(clients::id.eq(client_id))
        .select(ClientRow::as_select())
        .first(conn)
        .optional()?
        .ok_or_else(|| AppError::not_found("client"))
}

/// A `client_id` named in a request body: a client of this team, else a 422 on that field
/// (a 404 would read as "the path is gone"). A database failure stays what it is.
pub fn check_client(conn: &mut DbConn, team_id: &str, client_id: &str) -> AppResult<()> {
    match load_client(conn, team_id, client_id) {
        Ok(_) => Ok(()),
        Err(AppError::NotFound(_)) => Err(AppError::validation(
            "client_id",
            "is not a client of this team",
        )),
        Err(e) => Err(e),
    }
}

/// Which of `ids` are clients of `team_id`: one query for a check over many ids.
pub fn ids_on_team(
    conn: &mut DbConn,
    team_id: &str,
    ids: &[String],
) -> AppResult<std::collections::HashSet<String>> {
    Ok(clients::table
        .filter(clients::team_id.eq(team_id))
        .filter(clients::id.eq_any(ids))
        .select(clients::id)
        .load::<String>(conn)?
        .into_iter()
        .collect())
}

/// The staff member must be on the team as a member or lead, with an active account, to
/// carry clients; read under their lock (a deactivation of theirs serializes with this).
fn check_case_manager(conn: &mut DbConn, team_id: &str, staff_id: &str) -> AppResult<()> {
    caseload::lock_person(conn, staff_id)?;
    match caseload::cannot_carry(conn, team_id, staff_id)? {
        Some(why) => Err(AppError::validation("case_manager_id", why)),
        None => Ok(()),
    }
}

/// A referral as recorded (checked by the handler: source non-blank, day not in the future).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ReferralIn {
    pub source: String,
    pub received_on: Option<chrono::NaiveDate>,
    pub reason: Option<String>,
}

/// What a write may set besides `Values` (in the same row write, before the event).
#[derive(Debug, Clone, Default)]
pub struct Extras {
    /// Set (or correct) the referral; only while referred or in screening.
    pub referral: Option<ReferralIn>,
    /// A past enrolment day for a client created already on the caseload.
    pub enrolled_on: Option<chrono::NaiveDate>,
}

/// The one write path for clients (after `write_access`): lifecycle, case manager, caseload
/// cap, row, event.
pub fn save(
    conn: &mut DbConn,
    team: &TeamRow,
    id: &str,
    before: Option<&ClientRow>,
    v: Values,
    actor: &str,
) -> AppResult<ClientRow> {
    save_with(conn, team, id, before, v, &Extras::default(), actor)
}

/// `save` with a referral or an enrolment day (creation and correction of a referral).
pub fn save_with(
    conn: &mut DbConn,
    team: &TeamRow,
    id: &str,
    before: Option<&ClientRow>,
    v: Values,
    extras: &Extras,
    actor: &str,
) -> AppResult<ClientRow> {
    if extras.referral.is_some() && !matches!(v.status, Status::Referred | Status::Screening) {
        return Err(AppError::validation(
            "referral",
            "a referral is recorded (or corrected) only while the client is referred or in screening",
        ));
    }
    if extras.enrolled_on.is_some() && (before.is_some() || !v.status.holds_slot()) {
        return Err(AppError::validation(
            "enrolled_on",
            "only for a client created active or transitioning (an existing caseload)",
        ));
    }
    let from = before.and_then(|b| Status::parse(&b.status));
    rules::check_move(from, v.status).map_err(refusal)?;
    if let Some(cm) = &v.case_manager_id {
        if before.and_then(|b| b.case_manager_id.as_ref()) != Some(cm) {
            check_case_manager(conn, &team.id, cm)?;
        }
    }
    rules::check_case_manager_needed(team.mode == "icm", v.status, v.case_manager_id.is_some())
        .map_err(refusal)?;
    if let Some(ext) = &v.external_id {
        let clash: i64 = clients::table
            .filter(clients::team_id.eq(&team.id))
            .filter(clients::external_id.eq(ext))
            .filter(clients::id.ne(id))
            .count()
            .get_result(conn)?;
        if clash > 0 {
            return Err(AppError::conflict(format!(
                "another client of this team has the external id '{ext}'"
            )));
        }
    }
    let held = before
        .and_then(|b| rules::slot_holder(Status::parse(&b.status)?, b.case_manager_id.as_deref()));
    let will_hold = rules::slot_holder(v.status, v.case_manager_id.as_deref());
    // Only a new holder is checked: releasing a slot needs no bookkeeping (the caps count the
    // clients table).
    if let (_, Some(taker)) = rules::slot_change(held, will_hold) {
        caseload::take(conn, team, taker)?;
    }

    let now = db::now();
    let initials = rules::initials(&v.given_name, &v.family_name);
    match before {
        None => {
            diesel::insert_into(clients::table)
                .values((
                    clients::id.eq(id),
                    clients::team_id.eq(&team.id),
                    clients::given_name.eq(&v.given_name),
                    clients::family_name.eq(&v.family_name),
                    clients::preferred_name.eq(&v.preferred_name),
                    clients::initials.eq(&initials),
                    clients::external_id.eq(&v.external_id),
                    clients::status.eq(v.status.as_str()),
                    clients::risk_tier.eq(&v.risk_tier),
                    clients::case_manager_id.eq(&v.case_manager_id),
                    clients::version.eq(1),
                    clients::created_at.eq(now),
                    clients::updated_at.eq(now),
                ))
                .execute(conn)?;
        }
        Some(b) => {
            diesel::update(
                clients::table
                    .filter(clients::id.eq(id))
                    .filter(clients::version.eq(b.version)),
            )
            .set((
                clients::given_name.eq(&v.given_name),
                clients::family_name.eq(&v.family_name),
                clients::preferred_name.eq(&v.preferred_name),
                clients::initials.eq(&initials),
                clients::external_id.eq(&v.external_id),
                clients::status.eq(v.status.as_str()),
                clients::risk_tier.eq(&v.risk_tier),
                clients::case_manager_id.eq(&v.case_manager_id),
                clients::version.eq(b.version + 1),
                clients::updated_at.eq(now),
            ))
            .execute(conn)?;
        }
    }
    let stored = before.and_then(|b| {
        b.enrolled_on
            .as_deref()
            .and_then(|d| time::parse_day(d).ok())
    });
    if stored.is_none() && v.status.holds_slot() {
        let today = time::today(tz_of(team)?, now.and_utc());
        if extras.enrolled_on.is_some_and(|d| d > today) {
            return Err(AppError::validation(
                "enrolled_on",
                "must not be in the future",
            ));
        }
        let day =
            rules::enrolment_day(None, v.status, extras.enrolled_on, today).map(|d| d.to_string());
        diesel::update(clients::table.filter(clients::id.eq(id)))
            .set(clients::enrolled_on.eq(day))
            .execute(conn)?;
    }
    if let Some(r) = &extras.referral {
        let today = time::today(tz_of(team)?, now.and_utc());
        let received = r.received_on.unwrap_or(today);
        if received > today {
            return Err(AppError::validation(
                "referral.received_on",
                "must not be in the future",
            ));
        }
        diesel::update(clients::table.filter(clients::id.eq(id)))
            .set((
                clients::referral_source.eq(&r.source),
                clients::referral_received_on.eq(received.to_string()),
                clients::referral_reason.eq(&r.reason),
            ))
            .execute(conn)?;
    }
    let row = load_client(conn, &team.id, id)?;
    let out = ClientOut::from(&row);
    let event = if before.is_none() {
        Event::ClientCreated(out)
    } else {
        Event::ClientUpdated(out)
    };
    append(conn, &team.id, event, Some(actor))?;
    Ok(row)
}

/// A refused write as the API answers it.
pub fn refusal(r: rules::WriteRefusal) -> AppError {
    match r {
        rules::WriteRefusal::Transition(detail) => AppError::Unprocessable {
            code: "invalid_transition",
            detail,
        },
        rules::WriteRefusal::Field(field, message) => AppError::validation(field, message),
    }
}

pub fn values_of(c: &ClientRow) -> AppResult<Values> {
    Ok(Values {
        given_name: c.given_name.clone(),
        family_name: c.family_name.clone(),
        preferred_name: c.preferred_name.clone(),
        external_id: c.external_id.clone(),
        status: Status::parse(&c.status).ok_or_else(|| AppError::internal("bad stored status"))?,
        risk_tier: c.risk_tier.clone(),
        case_manager_id: c.case_manager_id.clone(),
    })
}

fn conflict(current: &ClientRow) -> AppError {
    AppError::VersionConflict {
        current: serde_json::to_value(ClientOut::from(current)).unwrap_or_default(),
    }
}

/// Admit or refer a client (leads and admins). In an ICM team an active client needs a
/// case manager with room under the cap.
pub async fn create(
    pool: &Pool,
    user: AuthUser,
    team_id: String,
    v: Values,
    details: DetailChanges,
    extras: Extras,
) -> AppResult<ClientOut> {
    db::tx(pool, move |conn| {
        let team = write_access(conn, &user, &team_id, Role::Lead)?;
        let id = Uuid::new_v4().to_string();
        save_with(conn, &team, &id, None, v, &extras, &user.id)?;
        write_details(conn, &id, &details)?;
        Ok(ClientOut::with_details(&load_client(conn, &team_id, &id)?))
    })
    .await
}

/// The team's clients (optionally of one status), by family name.
pub async fn list(
    pool: &Pool,
    user: AuthUser,
    team_id: String,
    status: Option<Status>,
    page: PageReq,
) -> AppResult<Page<ClientOut>> {
    db::run(pool, move |conn| {
        team_access(conn, &user, &team_id)?;
        let mut q = clients::table
            .filter(clients::team_id.eq(&team_id))
            .select(ClientRow::as_select())
            .into_boxed();
        if let Some(s) = status {
            q = q.filter(clients::status.eq(s.as_str()));
        }
        if let Some([family, given, id]) = page.after.as_deref() {
            q = q.filter(
                clients::family_name
                    .gt(family.clone())
                    .or(clients::family_name
                        .eq(family.clone())
                        .and(clients::given_name.gt(given.clone())))
                    .or(clients::family_name
                        .eq(family.clone())
                        .and(clients::given_name.eq(given.clone()))
                        .and(clients::id.gt(id.clone()))),
            );
        }
        let rows: Vec<ClientRow> = q
            .order((
                clients::family_name.asc(),
                clients::given_name.asc(),
                clients::id.asc(),
            ))
            .limit(page.limit + 1)
            .load(conn)?;
        let (rows, next) = page::split(rows, page.limit, LIST, |r| {
            vec![r.family_name.clone(), r.given_name.clone(), r.id.clone()]
        });
        Ok(Page {
            items: rows.iter().map(ClientOut::from).collect(),
            next,
        })
    })
    .await
}

/// The name of the clients list in its cursors (family name, given name, id).
pub const LIST: &str = "clients";

/// One client's record. Every read is written to the audit trail (who, which client, when).
pub async fn get(
    pool: &Pool,
    user: AuthUser,
    team_id: String,
    client_id: String,
) -> AppResult<ClientOut> {
    db::tx(pool, move |conn| {
        team_access(conn, &user, &team_id)?;
        let row = load_client(conn, &team_id, &client_id)?;
        audit::view(conn, Some(&user.id), &team_id, Some(&client_id), "record")?;
        Ok(ClientOut::with_details(&row))
    })
    .await
}

/// Change a client's record with the version last read. Members may change names (the risk
/// tier follows the latest assessment, `store::assessments`); status (lifecycle, discharge) and case manager are for leads. A discharge needs a
/// reason, and the client's open flags resolved (409 `open_flags`, or `resolve_open_flags`).
pub async fn update(
    pool: &Pool,
    user: AuthUser,
    team_id: String,
    client_id: String,
    p: ClientChanges,
) -> AppResult<ClientOut> {
    let d = &p.discharge;
    let needs_lead = p.status.is_some()
        || p.case_manager_id.is_some()
        || d.reason.is_some()
        || d.on.is_some()
        || d.resolve_flags
        || p.referral.is_some();
    db::tx(pool, move |conn| {
        let role = if needs_lead { Role::Lead } else { Role::Member };
        let team = write_access(conn, &user, &team_id, role)?;
        let before = load_client(conn, &team_id, &client_id)?;
        if before.version != p.version {
            return Err(conflict(&before));
        }
        let mut v = values_of(&before)?;
        if let Some(g) = p.given_name {
            v.given_name = g;
        }
        if let Some(f) = p.family_name {
            v.family_name = f;
        }
        if let Some(x) = p.preferred_name {
            v.preferred_name = x;
        }
        if let Some(x) = p.external_id {
            v.external_id = x;
        }
        if let Some(s) = p.status {
            v.status = s;
        }
        if let Some(cm) = p.case_manager_id {
            v.case_manager_id = cm;
        }
        discharge::apply(
            conn,
            &team,
            &before,
            v.status,
            p.discharge,
            p.resolve_open_flags.as_deref(),
            &user.id,
        )?;
        let leaves =
            before.status == Status::Transitioning.as_str() && v.status == Status::Discharged;
        let cancels = before.status == Status::Transitioning.as_str() && v.status == Status::Active;
        let extras = Extras {
            referral: p.referral,
            enrolled_on: None,
        };
        save_with(conn, &team, &client_id, Some(&before), v, &extras, &user.id)?;
        if leaves {
            transitions::on_left_team(conn, &team, &client_id, &user.id)?;
        } else if cancels {
            transitions::cancel_open(conn, &team_id, &client_id, &user.id)?;
        }
        write_details(conn, &client_id, &p.details)?;
        Ok(ClientOut::with_details(&load_client(
            conn, &team_id, &client_id,
        )?))
    })
    .await
}

/// Assign a case manager (leads and admins). In an ICM team a case manager at the cap is
/// refused with 409 `caseload_full`, with `cap` and `current`.
pub async fn set_case_manager(
    pool: &Pool,
    user: AuthUser,
    team_id: String,
    client_id: String,
    staff_id: String,
) -> AppResult<ClientOut> {
    db::tx(pool, move |conn| {
        let team = write_access(conn, &user, &team_id, Role::Lead)?;
        let before = load_client(conn, &team_id, &client_id)?;
        if before.case_manager_id.as_deref() == Some(staff_id.as_str()) {
            return Ok(ClientOut::from(&before));
        }
        let mut v = values_of(&before)?;
        v.case_manager_id = Some(staff_id);
        let row = save(conn, &team, &client_id, Some(&before), v, &user.id)?;
        Ok(ClientOut::from(&row))
    })
    .await
}

/// Move a client to another team (lead or admin of both). The receiving team's caseload cap
/// applies. The client's open flags move along (off the sending team's board, onto the
/// receiving team's); the rest of the history (contacts, resolved flags) stays with the team
/// that recorded it, and the receiving team reads it through `store::history`. A
/// transitioning client arrives active, and the sending team's check-ins are scheduled
/// (`store::transitions`).
pub async fn transfer(
    pool: &Pool,
    user: AuthUser,
    from_id: String,
    client_id: String,
    to_id: String,
    cm: Option<String>,
) -> AppResult<ClientOut> {
    let row = db::tx(pool, move |conn| {
        let (row, was) = transfer_tx(conn, &user, &from_id, &client_id, &to_id, cm)?;
        if was == Status::Transitioning {
            let from = load_team(conn, &from_id)?;
            transitions::on_left_team(conn, &from, &client_id, &user.id)?;
        }
        Ok(row)
    })
    .await?;
    Ok(ClientOut::from(&row))
}

/// The transfer inside a transaction: checks, moves, saves. Returns the stored row and the
/// status the client had on the sending team (a transitioning client arrives active).
pub fn transfer_tx(
    conn: &mut DbConn,
    user: &AuthUser,
    from_id: &str,
    client_id: &str,
    to_id: &str,
    cm: Option<String>,
) -> AppResult<(ClientRow, Status)> {
    if to_id == from_id {
        return Err(AppError::validation(
            "to_team_id",
            "the client is already on this team",
        ));
    }
    team_access(conn, user, from_id)?.require(Role::Lead)?;
    // The receiving team is named in the body, so an unknown one (or one the caller is not
    // on, which looks the same) is bad input, not a missing path resource.
    team_access(conn, user, to_id)
        .map_err(|e| match e {
            AppError::NotFound(_) => {
                AppError::validation("to_team_id", "no team of yours has this id")
            }
            e => e,
        })?
        .require(Role::Lead)?;
    // Lock both teams in a fixed order so two opposite transfers cannot deadlock.
    let (first, second) = if from_id < to_id {
        (from_id, to_id)
    } else {
        (to_id, from_id)
    };
    lock_team(conn, first)?;
    lock_team(conn, second)?;
    let to = load_team(conn, to_id)?;
    let before = load_client(conn, from_id, client_id)?;
    // Move the row over without a case manager (its slot on the old team is released with
    // it); then the one write path assigns the new one (and takes a slot there).
    diesel::update(clients::table.filter(clients::id.eq(client_id)))
        .set((
            clients::team_id.eq(to_id),
            clients::case_manager_id.eq(None::<String>),
        ))
        .execute(conn)?;
    let flag_ids: Vec<String> = flags::open_of_client(conn, from_id, client_id)?
        .into_iter()
        .map(|f| f.id)
        .collect();
    let out = ClientTransferredOut {
        id: client_id.to_string(),
        to_team_id: to_id.to_string(),
        flag_ids: flag_ids.clone(),
    };
    append(
        conn,
        from_id,
        Event::ClientTransferredOut(out),
        Some(&user.id),
    )?;
    let parked = load_client(conn, to_id, client_id)?;
    let mut v = values_of(&before)?;
    let was = v.status;
    if was == Status::Transitioning {
        v.status = Status::Active;
    }
    v.case_manager_id = cm;
    let row = save(conn, &to, client_id, Some(&parked), v, &user.id)?;
    // After `client.updated`: the receiving board has the client's row for the flags.
    flags::move_in(conn, from_id, to_id, &flag_ids, &user.id)?;
    Ok((row, was))
}
