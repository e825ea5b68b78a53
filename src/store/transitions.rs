//! Transition (issue 14): a lead reviews readiness over six areas and plans a step-down,
//! transfer or discharge (the client becomes `transitioning`); completing it carries the plan
//! out with the existing use cases (`clients::transfer_tx` with the receiving team's cap, or
//! the discharge rules), writes the warm hand-off on the receiving team, and schedules
//! check-ins at 30, 60 and 90 days that the sending team does. A client discharged within the
//! last year may return without new screening.
//!
//! The sending team keeps reading and writing its check-ins after the client left (the
//! client may be discharged, or on another team): `former_or_current` is that access rule.

use crate::auth::{team_access, write_access, AuthUser};
use crate::db::caseload;
use crate::db::events::lock_team;
use crate::db::models::{CheckinRow, ClientRow, TeamRow, TransitionRow};
use crate::db::schema::{checkins as ck, clients, transitions as tr};
use crate::db::{self, DbConn, Pool};
use crate::domain::care::transition::{
    checkins as checkin_days, may_return_without_screening, summary, CheckinOutcome,
    ReadinessAreas, TransitionPlan, TransitionState, CHECKIN_DAYS,
};
use crate::domain::client::{DischargeInput, DischargeReason, Status};
use crate::domain::roles::Role;
use crate::domain::{text, time, FieldError};
use crate::error::{AppError, AppResult};
use crate::store::clients::{load_client, save, transfer_tx, values_of, ClientOut};
use crate::store::events::{append, Event};
use crate::store::handoffs::{self, ActionIn, HandoffItem, NewHandoff};
use crate::store::oncall::tz_of;
use crate::store::teams::load_team;
use crate::store::{audit, discharge, members};
use chrono::NaiveDate;
use diesel::prelude::*;
use uuid::Uuid;

pub use crate::store::records::transition::{
    CheckinOut, CheckinsScheduled, TransitionOut, WarmHandoff,
};

const MAX_NOTE: usize = 1000;

/// A checked request to start a transition.
pub struct StartIn {
    pub readiness: ReadinessAreas,
    pub plan: TransitionPlan,
    pub to_team_id: Option<String>,
    pub to_case_manager_id: Option<String>,
    pub note: String,
    pub handoff: Option<WarmHandoff>,
}

/// A checked request to complete the open transition.
pub struct CompleteIn {
    pub discharge_reason: Option<DischargeReason>,
    pub resolve_open_flags: Option<String>,
    /// Replaces the planned receiving case manager (`Some`), or keeps it (`None`).
    pub to_case_manager_id: Option<String>,
    /// Replaces the hand-off fields given when starting.
    pub handoff: Option<WarmHandoff>,
}

fn day(d: NaiveDate) -> String {
    d.format("%Y-%m-%d").to_string()
}

fn today_of(team: &TeamRow) -> AppResult<NaiveDate> {
    Ok(time::today(tz_of(team)?, chrono::Utc::now()))
}

/// The hand-off fields: a summary, the contingency an unstable client needs, bounded actions.
pub fn check_handoff(h: &WarmHandoff) -> Vec<FieldError> {
    let mut errors = vec![];
    if let Err(e) = text::required("handoff.summary", &h.summary, MAX_NOTE) {
        errors.push(e);
    }
    if h.contingency.chars().count() > MAX_NOTE {
        errors.push(FieldError::new(
            "handoff.contingency",
            "at most 1000 characters",
        ));
    }
    if let Err(m) = crate::domain::handoff::check_contingency(h.severity, &h.contingency) {
        errors.push(FieldError::new("handoff.contingency", m));
    }
    if h.actions.len() > crate::domain::handoff::MAX_ACTIONS {
        errors.push(FieldError::new("handoff.actions", "up to 20 actions"));
    }
    for (i, a) in h.actions.iter().enumerate() {
        if let Err(e) = text::required(
            &format!("handoff.actions[{i}]"),
            a,
            crate::domain::handoff::MAX_ACTION_TEXT,
        ) {
            errors.push(e);
        }
    }
    if let Some(s) = &h.to_staff_id {
        if Uuid::parse_str(s).is_err() {
            errors.push(FieldError::new(
                "handoff.to_staff_id",
                "must be a staff id (UUID)",
            ));
        }
    }
    errors
}

fn checkins_of(
    conn: &mut DbConn,
    team_id: &str,
    client_id: &str,
    transition_id: Option<&str>,
) -> AppResult<Vec<CheckinOut>> {
    let mut q = ck::table
        .filter(ck::team_id.eq(team_id))
        .filter(ck::client_id.eq(client_id))
        .into_boxed();
    if let Some(t) = transition_id {
        q = q.filter(ck::transition_id.eq(t));
    }
    Ok(q.order((ck::due_on.asc(), ck::id.asc()))
        .select(CheckinRow::as_select())
        .load::<CheckinRow>(conn)?
        .iter()
        .map(CheckinOut::from)
        .collect())
}

fn out(conn: &mut DbConn, row: &TransitionRow) -> AppResult<TransitionOut> {
    let list = checkins_of(conn, &row.team_id, &row.client_id, Some(&row.id))?;
    let status: Option<String> = clients::table
        .filter(clients::id.eq(&row.client_id))
        .select(clients::status)
        .first(conn)
        .optional()?;
    let mut o = TransitionOut::new(row, list)?;
    o.status = status.unwrap_or_default();
    Ok(o)
}

fn open_row(conn: &mut DbConn, team_id: &str, client_id: &str) -> AppResult<Option<TransitionRow>> {
    Ok(tr::table
        .filter(tr::team_id.eq(team_id))
        .filter(tr::client_id.eq(client_id))
        .filter(tr::state.eq(TransitionState::Open.as_str()))
        .select(TransitionRow::as_select())
        .first(conn)
        .optional()?)
}

/// A client of the team, or one who left it through a transition or with check-ins
/// scheduled (the sending team follows up); else 404 like any other team's client.
fn former_or_current(conn: &mut DbConn, team_id: &str, client_id: &str) -> AppResult<()> {
    match load_client(conn, team_id, client_id) {
        Ok(_) => return Ok(()),
        Err(AppError::NotFound(_)) => {}
        Err(e) => return Err(e),
    }
    let had: i64 = tr::table
        .filter(tr::team_id.eq(team_id))
        .filter(tr::client_id.eq(client_id))
        .count()
        .get_result(conn)?;
    let followed: i64 = ck::table
        .filter(ck::team_id.eq(team_id))
        .filter(ck::client_id.eq(client_id))
        .count()
        .get_result(conn)?;
    if had + followed > 0 {
        Ok(())
    } else {
        Err(AppError::not_found("client"))
    }
}

/// The receiving team and case manager of a plan, checked (errors name the fields).
fn check_target(
    conn: &mut DbConn,
    user: &AuthUser,
    team: &TeamRow,
    plan: TransitionPlan,
    to_team_id: Option<&str>,
    to_cm: Option<&str>,
    handoff_to: Option<&str>,
) -> AppResult<()> {
    let mut errors = vec![];
    match (plan.moves_team(), to_team_id) {
        (false, Some(_)) => errors.push(FieldError::new(
            "to_team_id",
            "a discharge has no receiving team: choose step_down or transfer to move the client",
        )),
        (false, None) => {
            if to_cm.is_some() {
                errors.push(FieldError::new(
                    "to_case_manager_id",
                    "a discharge has no receiving case manager",
                ));
            }
        }
        (true, None) => errors.push(FieldError::new(
            "to_team_id",
            "a step-down or transfer needs the receiving team",
        )),
        (true, Some(to)) if to == team.id => errors.push(FieldError::new(
            "to_team_id",
            "the client is already on this team",
        )),
        (true, Some(to)) => {
            let access = team_access(conn, user, to).map_err(|e| match e {
                AppError::NotFound(_) => {
                    AppError::validation("to_team_id", "no team of yours has this id")
                }
                e => e,
            })?;
            access.require(Role::Lead).map_err(|_| {
                AppError::validation(
                    "to_team_id",
                    "you need to be a lead of the receiving team too (a transfer moves the client there)",
                )
            })?;
            let to_team = load_team(conn, to)?;
            if plan == TransitionPlan::StepDown && to_team.mode != "icm" {
                errors.push(FieldError::new(
                    "to_team_id",
                    "a step-down goes to an ICM team; choose transfer for another ACT team, or discharge to standard care",
                ));
            }
            if let Some(cm) = to_cm {
                if let Some(why) = caseload::cannot_carry(conn, to, cm)? {
                    errors.push(FieldError::new("to_case_manager_id", why));
                }
            }
            if let Some(h) = handoff_to {
                if !members::is_working(conn, to, h)? {
                    errors.push(FieldError::new(
                        "handoff.to_staff_id",
                        "is not a working member of the receiving team",
                    ));
                }
            }
        }
    }
    if errors.is_empty() {
        Ok(())
    } else {
        Err(AppError::from_fields(errors))
    }
}

/// Start a transition (leads): the readiness review, the plan and its target; the client
/// becomes `transitioning`.
pub async fn start(
    pool: &Pool,
    user: AuthUser,
    team_id: String,
    client_id: String,
    s: StartIn,
) -> AppResult<TransitionOut> {
    db::tx(pool, move |conn| {
        let team = write_access(conn, &user, &team_id, Role::Lead)?;
        let before = load_client(conn, &team_id, &client_id)?;
        let status = Status::parse(&before.status);
        if !matches!(status, Some(Status::Active | Status::Transitioning)) {
            return Err(AppError::Unprocessable {
                code: "invalid_transition",
                detail: format!(
                    "only an active client can start a transition (this one is {})",
                    before.status
                ),
            });
        }
        if open_row(conn, &team_id, &client_id)?.is_some() {
            return Err(AppError::conflict(
                "the client already has an open transition: complete or cancel it first",
            ));
        }
        if let (false, Some(_)) = (s.plan.moves_team(), &s.handoff) {
            return Err(AppError::validation(
                "handoff",
                "a discharge has no receiving team to hand off to",
            ));
        }
        check_target(
            conn,
            &user,
            &team,
            s.plan,
            s.to_team_id.as_deref(),
            s.to_case_manager_id.as_deref(),
            s.handoff.as_ref().and_then(|h| h.to_staff_id.as_deref()),
        )?;
        let id = insert_open(conn, &team_id, &client_id, &s, &user.id, db::now())?;
        if status != Some(Status::Transitioning) {
            let mut v = values_of(&before)?;
            v.status = Status::Transitioning;
            save(conn, &team, &client_id, Some(&before), v, &user.id)?;
        }
        let row = load_row(conn, &id)?;
        let o = out(conn, &row)?;
        append(
            conn,
            &team_id,
            Event::TransitionStarted(o.clone()),
            Some(&user.id),
        )?;
        Ok(o)
    })
    .await
}

/// Store an open transition (the caller checked it); its id. The demo uses it too.
pub fn insert_open(
    conn: &mut DbConn,
    team_id: &str,
    client_id: &str,
    s: &StartIn,
    actor: &str,
    at: chrono::NaiveDateTime,
) -> AppResult<String> {
    let id = Uuid::new_v4().to_string();
    diesel::insert_into(tr::table)
        .values((
            tr::id.eq(&id),
            tr::team_id.eq(team_id),
            tr::client_id.eq(client_id),
            tr::readiness.eq(serde_json::to_string(&s.readiness).map_err(AppError::internal)?),
            tr::readiness_summary.eq(summary(&s.readiness).as_str()),
            tr::plan.eq(s.plan.as_str()),
            tr::to_team_id.eq(&s.to_team_id),
            tr::to_case_manager_id.eq(&s.to_case_manager_id),
            tr::note.eq(&s.note),
            tr::handoff.eq(s
                .handoff
                .as_ref()
                .map(serde_json::to_string)
                .transpose()
                .map_err(AppError::internal)?),
            tr::state.eq(TransitionState::Open.as_str()),
            tr::started_by.eq(actor),
            tr::started_at.eq(at),
            tr::version.eq(1),
        ))
        .execute(conn)?;
    Ok(id)
}

fn load_row(conn: &mut DbConn, id: &str) -> AppResult<TransitionRow> {
    Ok(tr::table
        .filter(tr::id.eq(id))
        .select(TransitionRow::as_select())
        .first(conn)?)
}

/// The client's current transition: the open one, else the latest (readers of the team,
/// also after the client left it; an audited read). 404 when there is none.
pub async fn get(
    pool: &Pool,
    user: AuthUser,
    team_id: String,
    client_id: String,
) -> AppResult<TransitionOut> {
    db::tx(pool, move |conn| {
        team_access(conn, &user, &team_id)?;
        former_or_current(conn, &team_id, &client_id)?;
        audit::view(
            conn,
            Some(&user.id),
            &team_id,
            Some(&client_id),
            "transition",
        )?;
        let row = tr::table
            .filter(tr::team_id.eq(&team_id))
            .filter(tr::client_id.eq(&client_id))
            .order((
                tr::state.eq(TransitionState::Open.as_str()).desc(),
                tr::started_at.desc(),
            ))
            .select(TransitionRow::as_select())
            .first(conn)
            .optional()?
            .ok_or_else(|| AppError::not_found("transition"))?;
        out(conn, &row)
    })
    .await
}

/// Insert the check-ins at 30, 60 and 90 days after `on` (the sending team does them).
pub fn schedule(
    conn: &mut DbConn,
    team_id: &str,
    client_id: &str,
    transition_id: Option<&str>,
    on: NaiveDate,
) -> AppResult<()> {
    for (after, due) in CHECKIN_DAYS.iter().zip(checkin_days(on)) {
        diesel::insert_into(ck::table)
            .values((
                ck::id.eq(Uuid::new_v4().to_string()),
                ck::team_id.eq(team_id),
                ck::client_id.eq(client_id),
                ck::transition_id.eq(transition_id),
                ck::after_days.eq(*after as i32),
                ck::due_on.eq(day(due)),
            ))
            .execute(conn)?;
    }
    Ok(())
}

/// Close the open transition as completed (if any) and schedule the check-ins, with the
/// event: `transition.completed`, or `checkins.scheduled` for a client set transitioning by
/// hand. For a transitioning client discharged or transferred by the client endpoints too.
pub fn on_left_team(
    conn: &mut DbConn,
    team: &TeamRow,
    client_id: &str,
    actor: &str,
) -> AppResult<()> {
    finish(conn, team, client_id, actor, None)?;
    Ok(())
}

fn finish(
    conn: &mut DbConn,
    team: &TeamRow,
    client_id: &str,
    actor: &str,
    handoff_id: Option<String>,
) -> AppResult<Option<TransitionOut>> {
    let today = today_of(team)?;
    let open = open_row(conn, &team.id, client_id)?;
    match open {
        Some(row) => {
            diesel::update(tr::table.filter(tr::id.eq(&row.id)))
                .set((
                    tr::state.eq(TransitionState::Completed.as_str()),
                    tr::closed_by.eq(actor),
                    tr::closed_at.eq(db::now()),
                    tr::completed_on.eq(day(today)),
                    tr::handoff_id.eq(handoff_id),
                    tr::version.eq(row.version + 1),
                ))
                .execute(conn)?;
            schedule(conn, &team.id, client_id, Some(&row.id), today)?;
            let row = load_row(conn, &row.id)?;
            let o = out(conn, &row)?;
            append(
                conn,
                &team.id,
                Event::TransitionCompleted(o.clone()),
                Some(actor),
            )?;
            Ok(Some(o))
        }
        None => {
            schedule(conn, &team.id, client_id, None, today)?;
            let list = pending(conn, &team.id, client_id)?;
            append(
                conn,
                &team.id,
                Event::CheckinsScheduled(CheckinsScheduled {
                    client_id: client_id.to_string(),
                    checkins: list,
                }),
                Some(actor),
            )?;
            Ok(None)
        }
    }
}

fn pending(conn: &mut DbConn, team_id: &str, client_id: &str) -> AppResult<Vec<CheckinOut>> {
    Ok(checkins_of(conn, team_id, client_id, None)?
        .into_iter()
        .filter(|c| c.outcome.is_none())
        .collect())
}

/// Carry out the open transition (leads): the transfer (receiving team's cap, the warm
/// hand-off written there) or the discharge (its reason and the open-flag rule), then the
/// check-ins.
pub async fn complete(
    pool: &Pool,
    user: AuthUser,
    team_id: String,
    client_id: String,
    c: CompleteIn,
) -> AppResult<TransitionOut> {
    db::tx(pool, move |conn| {
        // A move locks both teams, always in the same order (as a transfer does), so two
        // completions in opposite directions cannot deadlock: take them before the sending
        // team's own write lock.
        team_access(conn, &user, &team_id)?;
        if let Some(to) = open_row(conn, &team_id, &client_id)?.and_then(|r| r.to_team_id) {
            let (first, second) = if team_id < to {
                (team_id.clone(), to)
            } else {
                (to, team_id.clone())
            };
            lock_team(conn, &first)?;
            lock_team(conn, &second)?;
        }
        let team = write_access(conn, &user, &team_id, Role::Lead)?;
        load_client(conn, &team_id, &client_id)?;
        let row = open_row(conn, &team_id, &client_id)?.ok_or_else(|| {
            AppError::conflict("the client has no open transition: start one first")
        })?;
        let plan =
            TransitionPlan::parse(&row.plan).ok_or_else(|| AppError::internal("bad plan"))?;
        let handoff_id = if plan.moves_team() {
            if c.discharge_reason.is_some() || c.resolve_open_flags.is_some() {
                return Err(AppError::validation(
                    "discharge_reason",
                    "only goes with a discharge plan",
                ));
            }
            let to = row
                .to_team_id
                .clone()
                .ok_or_else(|| AppError::internal("a move without a team"))?;
            let cm = c
                .to_case_manager_id
                .clone()
                .or_else(|| row.to_case_manager_id.clone());
            let stored: Option<WarmHandoff> = row
                .handoff
                .as_deref()
                .and_then(|h| serde_json::from_str(h).ok());
            let h = c.handoff.clone().or(stored).ok_or_else(|| {
                AppError::validation(
                    "handoff",
                    "a step-down or transfer needs the warm hand-off: its summary and who receives it",
                )
            })?;
            let receiver = h.to_staff_id.clone().or_else(|| cm.clone()).ok_or_else(|| {
                AppError::validation(
                    "handoff.to_staff_id",
                    "name who receives the hand-off on the receiving team (or a case manager there)",
                )
            })?;
            let receiver = Uuid::parse_str(&receiver).map_err(|_| {
                AppError::validation("handoff.to_staff_id", "must be a staff id (UUID)")
            })?;
            transfer_tx(conn, &user, &team_id, &client_id, &to, cm)?;
            let written = handoffs::insert(
                conn,
                &to,
                &user.id,
                &NewHandoff {
                    to_staff_id: receiver,
                    shift_id: None,
                    items: vec![HandoffItem {
                        client_id: client_id.clone(),
                        severity: h.severity,
                        summary: h.summary.clone(),
                        actions: h.actions.iter().cloned().map(ActionIn::Text).collect(),
                        contingency: h.contingency.clone(),
                    }],
                },
            )
            .map_err(|e| match e {
                // The hand-off's own field names, as the transition form has them.
                AppError::Validation { errors, .. } => AppError::from_fields(
                    errors
                        .into_iter()
                        .map(|f| {
                            let field = f
                                .field
                                .replace("items[0].", "handoff.")
                                .replace("to_staff_id", "handoff.to_staff_id")
                                .replace("handoff.handoff.", "handoff.");
                            FieldError::new(field, f.message)
                        })
                        .collect(),
                ),
                e => e,
            })?;
            Some(written.id)
        } else {
            let before = load_client(conn, &team_id, &client_id)?;
            let reason = c.discharge_reason.ok_or_else(|| {
                AppError::validation(
                    "discharge_reason",
                    "is required to discharge a client: goals_met, moved, transferred_out, declined_services, incarcerated, long_term_hospital, died, lost_to_contact or other",
                )
            })?;
            discharge::apply(
                conn,
                &team,
                &before,
                Status::Discharged,
                DischargeInput {
                    reason: Some(reason),
                    on: None,
                    resolve_flags: c.resolve_open_flags.is_some(),
                },
                c.resolve_open_flags.as_deref(),
                &user.id,
            )?;
            let mut v = values_of(&before)?;
            v.status = Status::Discharged;
            save(conn, &team, &client_id, Some(&before), v, &user.id)?;
            None
        };
        finish(conn, &team, &client_id, &user.id, handoff_id)?
            .ok_or_else(|| AppError::internal("transition vanished"))
    })
    .await
}

/// Close the open transition as cancelled (if any), with its event (the client's status is
/// the caller's).
pub fn cancel_open(
    conn: &mut DbConn,
    team_id: &str,
    client_id: &str,
    actor: &str,
) -> AppResult<Option<TransitionOut>> {
    let Some(row) = open_row(conn, team_id, client_id)? else {
        return Ok(None);
    };
    diesel::update(tr::table.filter(tr::id.eq(&row.id)))
        .set((
            tr::state.eq(TransitionState::Cancelled.as_str()),
            tr::closed_by.eq(actor),
            tr::closed_at.eq(db::now()),
            tr::version.eq(row.version + 1),
        ))
        .execute(conn)?;
    let row = load_row(conn, &row.id)?;
    let o = out(conn, &row)?;
    append(
        conn,
        team_id,
        Event::TransitionCancelled(o.clone()),
        Some(actor),
    )?;
    Ok(Some(o))
}

/// Call off the open transition (leads): the client is active again.
pub async fn cancel(
    pool: &Pool,
    user: AuthUser,
    team_id: String,
    client_id: String,
) -> AppResult<TransitionOut> {
    db::tx(pool, move |conn| {
        let team = write_access(conn, &user, &team_id, Role::Lead)?;
        let before = load_client(conn, &team_id, &client_id)?;
        if open_row(conn, &team_id, &client_id)?.is_none() {
            return Err(AppError::conflict(
                "the client has no open transition to cancel",
            ));
        }
        if before.status == Status::Transitioning.as_str() {
            let mut v = values_of(&before)?;
            v.status = Status::Active;
            save(conn, &team, &client_id, Some(&before), v, &user.id)?;
        }
        cancel_open(conn, &team_id, &client_id, &user.id)?
            .ok_or_else(|| AppError::internal("transition vanished"))
    })
    .await
}

/// The client's check-ins by this team, oldest first (readers of the team, also after the
/// client left it; an audited read).
pub async fn list_checkins(
    pool: &Pool,
    user: AuthUser,
    team_id: String,
    client_id: String,
) -> AppResult<Vec<CheckinOut>> {
    db::tx(pool, move |conn| {
        team_access(conn, &user, &team_id)?;
        former_or_current(conn, &team_id, &client_id)?;
        audit::view(conn, Some(&user.id), &team_id, Some(&client_id), "checkins")?;
        checkins_of(conn, &team_id, &client_id, None)
    })
    .await
}

/// Record a check-in (members of the sending team): once; a second time is 409.
pub async fn record_checkin(
    pool: &Pool,
    user: AuthUser,
    team_id: String,
    client_id: String,
    checkin_id: String,
    outcome: CheckinOutcome,
    note: Option<String>,
) -> AppResult<CheckinOut> {
    db::tx(pool, move |conn| {
        write_access(conn, &user, &team_id, Role::Member)?;
        former_or_current(conn, &team_id, &client_id)?;
        let row: CheckinRow = ck::table
            .filter(ck::team_id.eq(&team_id))
            .filter(ck::client_id.eq(&client_id))
            .filter(ck::id.eq(&checkin_id))
            .select(CheckinRow::as_select())
            .first(conn)
            .optional()?
            .ok_or_else(|| AppError::not_found("check-in"))?;
        if row.outcome.is_some() {
            return Err(AppError::conflict("this check-in is already recorded"));
        }
        let n = diesel::update(
            ck::table
                .filter(ck::id.eq(&row.id))
                .filter(ck::outcome.is_null()),
        )
        .set((
            ck::outcome.eq(outcome.as_str()),
            ck::note.eq(&note),
            ck::recorded_by.eq(&user.id),
            ck::recorded_at.eq(db::now()),
        ))
        .execute(conn)?;
        if n == 0 {
            return Err(AppError::conflict("this check-in is already recorded"));
        }
        let o = CheckinOut::from(
            &ck::table
                .filter(ck::id.eq(&row.id))
                .select(CheckinRow::as_select())
                .first::<CheckinRow>(conn)?,
        );
        append(
            conn,
            &team_id,
            Event::CheckinRecorded(o.clone()),
            Some(&user.id),
        )?;
        Ok(o)
    })
    .await
}

/// A client discharged within the last year becomes active again without new screening
/// (leads; the caseload cap applies; an ICM team needs a case manager). Their pending
/// check-ins are dropped (`checkins.scheduled` with the empty list).
pub async fn return_client(
    pool: &Pool,
    user: AuthUser,
    team_id: String,
    client_id: String,
    case_manager_id: Option<String>,
) -> AppResult<ClientOut> {
    db::tx(pool, move |conn| {
        let team = write_access(conn, &user, &team_id, Role::Lead)?;
        let before: ClientRow = load_client(conn, &team_id, &client_id)?;
        if before.status != Status::Discharged.as_str() {
            return Err(AppError::Unprocessable {
                code: "invalid_transition",
                detail: format!(
                    "only a discharged client can return (this one is {})",
                    before.status
                ),
            });
        }
        let today = today_of(&team)?;
        let discharged = before
            .discharged_on
            .as_deref()
            .and_then(|d| time::parse_day(d).ok());
        let within = discharged.is_some_and(|d| may_return_without_screening(d, today));
        if !within {
            return Err(AppError::Unprocessable {
                code: "return_too_late",
                detail: format!(
                    "{} was discharged {}, more than a year ago: refer them again (a new referral and screening)",
                    before.given_name,
                    discharged.map_or("on an unknown day".into(), |d| format!("on {d}"))
                ),
            });
        }
        discharge::apply(
            conn,
            &team,
            &before,
            Status::Active,
            DischargeInput {
                reason: None,
                on: None,
                resolve_flags: false,
            },
            None,
            &user.id,
        )?;
        let mut v = values_of(&before)?;
        v.status = Status::Active;
        v.case_manager_id = case_manager_id;
        let row = save(conn, &team, &client_id, Some(&before), v, &user.id)?;
        let dropped = diesel::delete(
            ck::table
                .filter(ck::team_id.eq(&team_id))
                .filter(ck::client_id.eq(&client_id))
                .filter(ck::outcome.is_null()),
        )
        .execute(conn)?;
        if dropped > 0 {
            append(
                conn,
                &team_id,
                Event::CheckinsScheduled(CheckinsScheduled {
                    client_id: client_id.clone(),
                    checkins: vec![],
                }),
                Some(&user.id),
            )?;
        }
        Ok(ClientOut::with_details(&row))
    })
    .await
}
