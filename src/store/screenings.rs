//! Referral and screening (issue 14): a lead screens a referred client against the three SMI
//! tests and the high-need indicators (`domain::care::screening`), then accepts (the client
//! becomes active, through `store::clients::save`, which applies the ICM cap) or declines.
//! Every screening is kept; the decision is stored on the screening it was taken on. The
//! intake rate counts referrals, admissions (`enrolled_on`) and declines per team-local month.

use crate::auth::{team_access, write_access, AuthUser};
use crate::db::models::{ClientRow, ScreeningRow, TeamRow};
use crate::db::schema::{clients, screenings as s};
use crate::db::{self, DbConn, Pool};
use crate::domain::care::intake::{self, Intake};
use crate::domain::care::screening::{
    against_recommendation, screen, Decision, Diagnosis, Recommendation, ScreeningAnswers, TeamMode,
};
use crate::domain::client::Status;
use crate::domain::roles::Role;
use crate::domain::time;
use crate::error::{AppError, AppResult};
use crate::store::audit;
use crate::store::clients::{load_client, save, values_of, ClientOut};
use crate::store::events::{append, Event};
use crate::store::oncall::tz_of;
use crate::store::records::screening::{name_of, parse_name, StoredResult};
use chrono::NaiveDate;
use diesel::prelude::*;
use serde::Serialize;
use utoipa::ToSchema;
use uuid::Uuid;

pub use crate::store::records::screening::ScreeningOut;

/// The team's qualifying diagnoses: its narrowed list, or the contract's default.
pub fn qualifying(team: &TeamRow) -> Vec<Diagnosis> {
    team.qualifying_diagnoses
        .as_deref()
        .and_then(|j| serde_json::from_str::<Vec<Diagnosis>>(j).ok())
        .unwrap_or_else(|| Diagnosis::DEFAULT_QUALIFYING.to_vec())
}

fn mode_of(team: &TeamRow) -> TeamMode {
    if team.mode == "icm" {
        TeamMode::Icm
    } else {
        TeamMode::Act
    }
}

/// The latest screening of a client (by time recorded).
pub fn latest_row(conn: &mut DbConn, client_id: &str) -> AppResult<Option<ScreeningRow>> {
    Ok(s::table
        .filter(s::client_id.eq(client_id))
        .order((s::created_at.desc(), s::id.desc()))
        .select(ScreeningRow::as_select())
        .first(conn)
        .optional()?)
}

fn not_screenable(client: &ClientRow) -> AppError {
    AppError::Conflict {
        code: "conflict",
        detail: format!(
            "only a referred client or one in screening is screened; this client is {}",
            client.status
        ),
        extra: Default::default(),
    }
}

/// Record a screening (leads). A referred client moves to `screening`.
pub async fn record(
    pool: &Pool,
    user: AuthUser,
    team_id: String,
    client_id: String,
    answers: ScreeningAnswers,
) -> AppResult<ScreeningOut> {
    db::tx(pool, move |conn| {
        let team = write_access(conn, &user, &team_id, Role::Lead)?;
        let client = load_client(conn, &team_id, &client_id)?;
        let today = time::today(tz_of(&team)?, chrono::Utc::now());
        insert(conn, &team, &client, &user.id, &answers, today)
    })
    .await
}

/// The write path (after `write_access`): the client to `screening`, the row, its event.
/// `today` is the team's day (the demo passes its own).
pub fn insert(
    conn: &mut DbConn,
    team: &TeamRow,
    client: &ClientRow,
    actor: &str,
    answers: &ScreeningAnswers,
    today: NaiveDate,
) -> AppResult<ScreeningOut> {
    let status = Status::parse(&client.status);
    if !matches!(status, Some(Status::Referred | Status::Screening)) {
        return Err(not_screenable(client));
    }
    if status == Some(Status::Referred) {
        let mut v = values_of(client)?;
        v.status = Status::Screening;
        save(conn, team, &client.id, Some(client), v, actor)?;
    }
    let result = screen(answers, &qualifying(team), mode_of(team));
    let id = Uuid::new_v4().to_string();
    let impairments: Vec<String> = answers.impairments.iter().map(name_of).collect();
    let stored = serde_json::to_string(&StoredResult::of(&result)).map_err(AppError::internal)?;
    diesel::insert_into(s::table)
        .values((
            s::id.eq(&id),
            s::team_id.eq(&team.id),
            s::client_id.eq(&client.id),
            s::diagnosis.eq(name_of(&answers.diagnosis)),
            s::illness_years.eq(answers.illness_years as i32),
            s::impairments.eq(impairments.join(",")),
            s::psychiatric_admissions_12m.eq(answers.psychiatric_admissions_12m as i32),
            s::hospital_days_24m.eq(answers.hospital_days_24m as i32),
            s::ed_visits_12m.eq(answers.ed_visits_12m as i32),
            s::homeless.eq(answers.homeless),
            s::justice_involved.eq(answers.justice_involved),
            s::co_occurring_sud.eq(answers.co_occurring_sud),
            s::not_engaging_office.eq(answers.not_engaging_office),
            s::smi.eq(result.smi),
            s::high_need.eq(result.high_need),
            s::recommendation.eq(result.recommendation.as_str()),
            s::result.eq(stored),
            s::screened_on.eq(today.to_string()),
            s::screened_by.eq(actor),
            s::created_at.eq(db::now()),
        ))
        .execute(conn)?;
    let row = s::table
        .filter(s::id.eq(&id))
        .select(ScreeningRow::as_select())
        .first(conn)?;
    let out = ScreeningOut::of(&row);
    append(
        conn,
        &team.id,
        Event::ScreeningRecorded(out.clone()),
        Some(actor),
    )?;
    Ok(out)
}

/// The client's latest screening, or `None` (any member; an audited read).
pub async fn latest(
    pool: &Pool,
    user: AuthUser,
    team_id: String,
    client_id: String,
) -> AppResult<Option<ScreeningOut>> {
    db::tx(pool, move |conn| {
        team_access(conn, &user, &team_id)?;
        load_client(conn, &team_id, &client_id)?;
        audit::view(
            conn,
            Some(&user.id),
            &team_id,
            Some(&client_id),
            "screening",
        )?;
        Ok(latest_row(conn, &client_id)?.as_ref().map(ScreeningOut::of))
    })
    .await
}

/// A lead's decision on the latest screening (checked by the handler: `reason` trimmed).
pub struct DecisionIn {
    pub decision: Decision,
    pub reason: Option<String>,
    pub case_manager_id: Option<String>,
}

/// What a decision answers: the screening with its decision, and the client after it.
#[derive(Serialize, ToSchema, Clone, Debug)]
pub struct DecisionOut {
    pub screening: ScreeningOut,
    pub client: ClientOut,
}

/// Accept (→ `active`, the case manager and the cap through `store::clients::save`) or decline
/// (→ `declined`) a screened client (leads).
pub async fn decide(
    pool: &Pool,
    user: AuthUser,
    team_id: String,
    client_id: String,
    d: DecisionIn,
) -> AppResult<DecisionOut> {
    db::tx(pool, move |conn| {
        let team = write_access(conn, &user, &team_id, Role::Lead)?;
        let client = load_client(conn, &team_id, &client_id)?;
        apply_decision(conn, &team, &client, &user.id, d)
    })
    .await
}

/// The write path of a decision (after `write_access`).
pub fn apply_decision(
    conn: &mut DbConn,
    team: &TeamRow,
    client: &ClientRow,
    actor: &str,
    d: DecisionIn,
) -> AppResult<DecisionOut> {
    let Some(row) = latest_row(conn, &client.id)? else {
        return Err(AppError::Conflict {
            code: "not_screened",
            detail: "screen the client first (PUT …/screening)".into(),
            extra: Default::default(),
        });
    };
    if Status::parse(&client.status) != Some(Status::Screening) || row.decision.is_some() {
        return Err(AppError::Conflict {
            code: "conflict",
            detail: format!(
                "the screening was already decided; the client is {}",
                client.status
            ),
            extra: Default::default(),
        });
    }
    let rec: Recommendation = parse_name(&row.recommendation)
        .ok_or_else(|| AppError::internal("bad stored recommendation"))?;
    if against_recommendation(d.decision, rec) && d.reason.is_none() {
        return Err(AppError::validation(
            "reason",
            format!(
                "the screening recommends {}: say why you decide otherwise",
                match rec {
                    Recommendation::Act => "accepting to ACT",
                    Recommendation::Icm => "accepting to ICM",
                    Recommendation::Standard => "standard case management",
                    Recommendation::ReferElsewhere => "referring elsewhere",
                }
            ),
        ));
    }
    let mut v = values_of(client)?;
    match d.decision {
        Decision::Accept => {
            v.status = Status::Active;
            if d.case_manager_id.is_some() {
                v.case_manager_id = d.case_manager_id;
            }
        }
        Decision::Decline => {
            if d.case_manager_id.is_some() {
                return Err(AppError::validation(
                    "case_manager_id",
                    "only with an acceptance",
                ));
            }
            v.status = Status::Declined;
            v.case_manager_id = None;
        }
    }
    let now = db::now();
    diesel::update(s::table.filter(s::id.eq(&row.id)))
        .set((
            s::decision.eq(name_of(&d.decision)),
            s::decision_reason.eq(&d.reason),
            s::decided_by.eq(actor),
            s::decided_at.eq(now),
        ))
        .execute(conn)?;
    let updated = save(conn, team, &client.id, Some(client), v, actor)?;
    let row = s::table
        .filter(s::id.eq(&row.id))
        .select(ScreeningRow::as_select())
        .first(conn)?;
    let screening = ScreeningOut::of(&row);
    append(
        conn,
        &team.id,
        Event::ScreeningDecided(screening.clone()),
        Some(actor),
    )?;
    Ok(DecisionOut {
        screening,
        client: ClientOut::from(&updated),
    })
}

/// A client waiting on the referrals screen.
#[derive(Serialize, ToSchema, Clone, Debug)]
pub struct ReferralOut {
    pub client: ClientOut,
    /// Days since the referral arrived (or the record was created), team-local.
    pub days_waiting: i64,
    /// The latest screening, if any.
    pub screening: Option<ScreeningOut>,
}

/// The team's referred and screening clients: high need first, by hospital days a month
/// (the latest screening's `hospital_days_24m / 24`), then the longest waiting.
pub async fn referrals(
    pool: &Pool,
    user: AuthUser,
    team_id: String,
) -> AppResult<Vec<ReferralOut>> {
    db::tx(pool, move |conn| {
        team_access(conn, &user, &team_id)?;
        let team = crate::store::teams::load_team(conn, &team_id)?;
        let today = time::today(tz_of(&team)?, chrono::Utc::now());
        let rows: Vec<ClientRow> = clients::table
            .filter(clients::team_id.eq(&team_id))
            .filter(clients::status.eq_any(["referred", "screening"]))
            .select(ClientRow::as_select())
            .load(conn)?;
        let ids: Vec<String> = rows.iter().map(|c| c.id.clone()).collect();
        let all: Vec<ScreeningRow> = s::table
            .filter(s::client_id.eq_any(&ids))
            .order((s::created_at.desc(), s::id.desc()))
            .select(ScreeningRow::as_select())
            .load(conn)?;
        audit::view(conn, Some(&user.id), &team_id, None, "referrals")?;
        let mut out: Vec<ReferralOut> = rows
            .iter()
            .map(|c| {
                let since = c
                    .referral_received_on
                    .as_deref()
                    .and_then(|d| time::parse_day(d).ok())
                    .unwrap_or_else(|| c.created_at.date());
                ReferralOut {
                    client: ClientOut::from(c),
                    days_waiting: (today - since).num_days().max(0),
                    screening: all
                        .iter()
                        .find(|r| r.client_id == c.id)
                        .map(ScreeningOut::of),
                }
            })
            .collect();
        out.sort_by(|a, b| {
            let key = |r: &ReferralOut| {
                r.screening
                    .as_ref()
                    .map(|s| (s.high_need, s.answers.hospital_days_24m))
                    .unwrap_or((false, 0))
            };
            key(b)
                .cmp(&key(a))
                .then(b.days_waiting.cmp(&a.days_waiting))
                .then(a.client.family_name.cmp(&b.client.family_name))
        });
        Ok(out)
    })
    .await
}

/// The team's intake per team-local month (any member).
pub async fn intake_rate(
    pool: &Pool,
    user: AuthUser,
    team_id: String,
    months: u32,
) -> AppResult<Intake> {
    db::run(pool, move |conn| {
        team_access(conn, &user, &team_id)?;
        let team = crate::store::teams::load_team(conn, &team_id)?;
        let tz = tz_of(&team)?;
        let today = time::today(tz, chrono::Utc::now());
        let days: Vec<(Option<String>, Option<String>)> = clients::table
            .filter(clients::team_id.eq(&team_id))
            .select((clients::referral_received_on, clients::enrolled_on))
            .load(conn)?;
        let parse = |d: &Option<String>| d.as_deref().and_then(|d| time::parse_day(d).ok());
        let referred: Vec<NaiveDate> = days.iter().filter_map(|(r, _)| parse(r)).collect();
        let accepted: Vec<NaiveDate> = days.iter().filter_map(|(_, e)| parse(e)).collect();
        let declined: Vec<NaiveDate> = s::table
            .filter(s::team_id.eq(&team_id))
            .filter(s::decision.eq("decline"))
            .select(s::decided_at)
            .load::<Option<chrono::NaiveDateTime>>(conn)?
            .into_iter()
            .flatten()
            .map(|t| time::today(tz, t.and_utc()))
            .collect();
        Ok(intake::intake(
            months, today, &referred, &accepted, &declined,
        ))
    })
    .await
}
