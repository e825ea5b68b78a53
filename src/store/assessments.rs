//! Assessments (issue 14): a member rates the three factors with evidence, the rule computes
//! the tier, a lead may override it with a reason, and the client's `risk_tier` follows its
//! latest assessment (by `assessed_on`; a backdated one is kept but changes nothing). The
//! assessment and the client's new tier are written, and their events appended, in one
//! transaction.

use crate::auth::{team_access, write_access, AuthUser};
use crate::db::models::{AssessmentRow, ClientRow, TeamRow};
use crate::db::schema::assessments as a;
use crate::db::{self, DbConn, Pool};
use crate::domain::care::assessment::{computed_tier, next_due, Factors};
use crate::domain::client::{RiskTier, Status};
use crate::domain::roles::Role;
use crate::domain::time;
use crate::error::{AppError, AppResult};
use crate::store::audit;
use crate::store::clients::{load_client, save, values_of};
use crate::store::events::{append, Event};
use crate::store::oncall::tz_of;
use chrono::NaiveDate;
use diesel::prelude::*;
use uuid::Uuid;

pub use crate::store::records::assessment::AssessmentOut;

/// A checked assessment (ratings in range, texts trimmed and bounded, by the handler).
pub struct NewAssessment {
    pub factors: Factors,
    pub evidence: [String; 3],
    /// A lead's override and why (both or neither, checked by the handler).
    pub override_tier: Option<(RiskTier, String)>,
    /// Team-local day; today when absent. Not in the future.
    pub assessed_on: Option<NaiveDate>,
}

fn out(r: &AssessmentRow) -> AssessmentOut {
    let f = Factors {
        biomedical: r.biomedical as u8,
        behavioral: r.behavioral as u8,
        circumstantial: r.circumstantial as u8,
    };
    let (_, mut why) = computed_tier(&f);
    if let Some(reason) = &r.override_reason {
        why.push_str(&format!(" Overridden to {} by a lead: {reason}", r.tier));
    }
    AssessmentOut::new(r, why)
}

fn day(d: NaiveDate) -> String {
    d.format("%Y-%m-%d").to_string()
}

/// The latest assessment of a client (by day, then time recorded), if any.
pub fn latest(conn: &mut DbConn, client_id: &str) -> AppResult<Option<AssessmentRow>> {
    Ok(a::table
        .filter(a::client_id.eq(client_id))
        .order((a::assessed_on.desc(), a::created_at.desc(), a::id.desc()))
        .select(AssessmentRow::as_select())
        .first(conn)
        .optional()?)
}

/// Record an assessment (members; an override needs a lead).
pub async fn record(
    pool: &Pool,
    user: AuthUser,
    team_id: String,
    client_id: String,
    n: NewAssessment,
) -> AppResult<AssessmentOut> {
    db::tx(pool, move |conn| {
        let role = if n.override_tier.is_some() {
            Role::Lead
        } else {
            Role::Member
        };
        let team = write_access(conn, &user, &team_id, role)?;
        let client = load_client(conn, &team_id, &client_id)?;
        let today = time::today(tz_of(&team)?, chrono::Utc::now());
        insert(conn, &team, &client, &user.id, n, today)
    })
    .await
}

/// The write path (after `write_access`): the row, its event, and the client's tier when it
/// is the latest. `today` is the team's day (the demo passes its own).
pub fn insert(
    conn: &mut DbConn,
    team: &TeamRow,
    client: &ClientRow,
    actor: &str,
    n: NewAssessment,
    today: NaiveDate,
) -> AppResult<AssessmentOut> {
    if Status::parse(&client.status) == Some(Status::Discharged) {
        return Err(AppError::Unprocessable {
            code: "invalid_transition",
            detail: "a discharged client is not assessed: re-admit them first".into(),
        });
    }
    let on = n.assessed_on.unwrap_or(today);
    if on > today {
        return Err(AppError::validation(
            "assessed_on",
            "must not be in the future",
        ));
    }
    let (computed, _) = computed_tier(&n.factors);
    let (tier, override_reason) = match n.override_tier {
        Some((t, reason)) => (t, Some(reason)),
        None => (computed, None),
    };
    let previous = latest(conn, &client.id)?;
    let id = Uuid::new_v4().to_string();
    let [bio, beh, circ] = n.evidence;
    diesel::insert_into(a::table)
        .values((
            a::id.eq(&id),
            a::team_id.eq(&team.id),
            a::client_id.eq(&client.id),
            a::biomedical.eq(i32::from(n.factors.biomedical)),
            a::behavioral.eq(i32::from(n.factors.behavioral)),
            a::circumstantial.eq(i32::from(n.factors.circumstantial)),
            a::biomedical_evidence.eq(bio),
            a::behavioral_evidence.eq(beh),
            a::circumstantial_evidence.eq(circ),
            a::computed_tier.eq(computed.as_str()),
            a::tier.eq(tier.as_str()),
            a::override_reason.eq(override_reason),
            a::assessed_on.eq(day(on)),
            a::next_due.eq(day(next_due(on))),
            a::assessed_by.eq(actor),
            a::created_at.eq(db::now()),
        ))
        .execute(conn)?;
    let row = a::table
        .filter(a::id.eq(&id))
        .select(AssessmentRow::as_select())
        .first(conn)?;
    let record = out(&row);
    append(
        conn,
        &team.id,
        Event::AssessmentRecorded(record.clone()),
        Some(actor),
    )?;
    let is_latest = previous.is_none_or(|p| p.assessed_on <= row.assessed_on);
    if is_latest && client.risk_tier != tier.as_str() {
        let mut v = values_of(client)?;
        v.risk_tier = tier.as_str().to_string();
        save(conn, team, &client.id, Some(client), v, actor)?;
    }
    Ok(record)
}

/// A client's assessments, newest first (any member of the team; an audited read).
pub async fn list(
    pool: &Pool,
    user: AuthUser,
    team_id: String,
    client_id: String,
) -> AppResult<Vec<AssessmentOut>> {
    db::tx(pool, move |conn| {
        team_access(conn, &user, &team_id)?;
        load_client(conn, &team_id, &client_id)?;
        audit::view(
            conn,
            Some(&user.id),
            &team_id,
            Some(&client_id),
            "assessments",
        )?;
        let rows = a::table
            .filter(a::client_id.eq(&client_id))
            .order((a::assessed_on.desc(), a::created_at.desc(), a::id.desc()))
            .select(AssessmentRow::as_select())
            .load(conn)?;
        Ok(rows.iter().map(out).collect())
    })
    .await
}
