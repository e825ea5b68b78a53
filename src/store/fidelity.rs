//! DACTS fidelity from the team's own records (issue 15): the facts (clients and their
//! enrolment and discharge, working staff, completed contacts and who made them, huddle
//! reviews, reviewer ratings) are read once for the whole range asked, and every month of the
//! trend is computed from them by `domain::fidelity`.

use crate::auth::{team_access, write_access, AuthUser};
use crate::db::models::RatingRow;
use crate::db::schema::{
    clients, contact_staff, contacts, fidelity_ratings as fr, huddle_reviews, memberships, staff,
};
use crate::db::{self, DbConn, Pool};
use crate::domain::audit::Action;
use crate::domain::fidelity::{
    self, report, slipping, ClientFact, ContactFact, Facts, FidelityReport, RatingFact, StaffFact,
    PERIOD_DAYS,
};
use crate::domain::roles::Role;
use crate::domain::time;
use crate::error::{AppError, AppResult};
use crate::store::audit;
use crate::store::events::{append, Event};
use crate::store::oncall::tz_of;
use crate::store::teams::load_team;
use chrono::{Days, Months, NaiveDate};
use diesel::prelude::*;
use serde::Serialize;
use std::collections::HashMap;
use utoipa::ToSchema;
use uuid::Uuid;

pub use crate::store::records::episode::FidelityRatingOut;

pub const MAX_MONTHS: u32 = 13;

/// One item's figure in one month of the trend.
#[derive(Serialize, ToSchema, Clone, Debug)]
pub struct TrendItem {
    pub id: String,
    pub value: Option<f64>,
    pub score: Option<u8>,
}

/// The report of the 4 weeks ending `to` (a month of the trend).
#[derive(Serialize, ToSchema, Clone, Debug)]
pub struct TrendMonth {
    pub to: String,
    pub mean_of_scored: Option<f64>,
    pub items: Vec<TrendItem>,
}

/// The fidelity report, with the months before it and the items slipping.
#[derive(Serialize, ToSchema, Clone, Debug)]
pub struct FidelityOut {
    #[serde(flatten)]
    pub report: FidelityReport,
    /// The report of the 4 weeks ending `to`, one month earlier, … (`months` of them, oldest
    /// first, the last being this report).
    pub trend: Vec<TrendMonth>,
    /// Computed items slipping: score below 4, or lower than a month earlier (worst first, at
    /// most 3); the huddle header names them.
    pub slipping: Vec<String>,
}

fn name(given: &str, preferred: Option<&str>, family: &str) -> String {
    format!("{} {}", preferred.unwrap_or(given), family)
}

fn parse(d: Option<&str>) -> Option<NaiveDate> {
    time::parse_day(d?).ok()
}

/// The facts of `team_id` for the reports ending on `ends` (ascending).
pub fn facts(conn: &mut DbConn, team_id: &str, ends: &[NaiveDate]) -> AppResult<Facts> {
    let (Some(&first_to), Some(&to)) = (ends.first(), ends.last()) else {
        return Ok(Facts::default());
    };
    type ClientCols = (
        String,
        String,
        Option<String>,
        String,
        Option<String>,
        Option<String>,
        Option<String>,
    );
    let rows: Vec<ClientCols> = clients::table
        .filter(clients::team_id.eq(team_id))
        .filter(clients::enrolled_on.is_not_null())
        .select((
            clients::id,
            clients::given_name,
            clients::preferred_name,
            clients::family_name,
            clients::enrolled_on,
            clients::discharged_on,
            clients::discharge_reason,
        ))
        .load(conn)?;
    let clients_f: Vec<ClientFact> = rows
        .into_iter()
        .map(|(id, g, p, f, e, d, r)| ClientFact {
            id,
            name: name(&g, p.as_deref(), &f),
            enrolled_on: parse(e.as_deref()),
            discharged_on: parse(d.as_deref()),
            discharge_reason: r,
        })
        .collect();
    let staff_f: Vec<StaffFact> = memberships::table
        .inner_join(staff::table)
        .filter(memberships::team_id.eq(team_id))
        .filter(memberships::role.ne("viewer"))
        .filter(staff::active.eq(true))
        .filter(staff::discipline.ne("psychiatrist"))
        .order(staff::display_name.asc())
        .select((staff::id, staff::display_name, staff::discipline))
        .load::<(String, String, String)>(conn)?
        .into_iter()
        .map(|(id, name, discipline)| StaffFact {
            id,
            name,
            discipline,
        })
        .collect();
    let from = (first_to - Days::new(PERIOD_DAYS - 1)).to_string();
    let to_s = to.to_string();
    let rows: Vec<(String, String, String, String, String, Option<i32>)> = contacts::table
        .filter(contacts::team_id.eq(team_id))
        .filter(contacts::day.ge(&from))
        .filter(contacts::day.le(&to_s))
        .filter(contacts::status.eq("completed"))
        .filter(contacts::kind.eq_any(["face_to_face", "collateral"]))
        .select((
            contacts::id,
            contacts::client_id,
            contacts::day,
            contacts::kind,
            contacts::place,
            contacts::minutes,
        ))
        .load(conn)?;
    // Who made each contact matters only to H2 (the last 2 weeks of each report): read it for
    // those windows alone, not for the whole range.
    let mut who: Vec<(String, String)> = vec![];
    for end in ends {
        let (a, b) = ((*end - Days::new(13)).to_string(), end.to_string());
        who.extend(
            contact_staff::table
                .inner_join(contacts::table)
                .filter(contacts::team_id.eq(team_id))
                .filter(contacts::day.ge(&a))
                .filter(contacts::day.le(&b))
                .filter(contacts::status.eq("completed"))
                .filter(contacts::kind.eq("face_to_face"))
                .select((contact_staff::contact_id, contact_staff::staff_id))
                .load::<(String, String)>(conn)?,
        );
    }
    let mut staff_of: HashMap<String, Vec<String>> = HashMap::new();
    for (c, s) in who {
        staff_of.entry(c).or_default().push(s);
    }
    let contacts_f = rows
        .into_iter()
        .filter_map(|(id, client_id, day, kind, place, minutes)| {
            Some(ContactFact {
                staff_ids: staff_of.remove(&id).unwrap_or_default(),
                id,
                client_id,
                day: time::parse_day(&day).ok()?,
                kind,
                place,
                minutes,
            })
        })
        .collect();
    let reviews = huddle_reviews::table
        .filter(huddle_reviews::team_id.eq(team_id))
        .filter(huddle_reviews::day.ge(&from))
        .filter(huddle_reviews::day.le(&to_s))
        .select((huddle_reviews::day, huddle_reviews::client_id))
        .load::<(String, String)>(conn)?
        .into_iter()
        .filter_map(|(d, c)| Some((time::parse_day(&d).ok()?, c)))
        .collect();
    let ratings = fr::table
        .filter(fr::team_id.eq(team_id))
        .select(RatingRow::as_select())
        .load(conn)?
        .into_iter()
        .filter_map(|r| {
            Some(RatingFact {
                period_to: time::parse_day(&r.period_to).ok()?,
                item: r.item,
                score: u8::try_from(r.score).ok()?,
                note: r.note,
                rated_by: r.rated_by,
            })
        })
        .collect();
    Ok(Facts {
        clients: clients_f,
        staff: staff_f,
        contacts: contacts_f,
        reviews,
        ratings,
    })
}

/// The report ending `to` (default today), with `months` months of trend (1–13) and the items
/// slipping (readers of the team; an audited read, or an export).
pub async fn get(
    pool: &Pool,
    user: AuthUser,
    team_id: String,
    to: Option<NaiveDate>,
    months: u32,
    export: bool,
) -> AppResult<FidelityOut> {
    db::tx(pool, move |conn| {
        team_access(conn, &user, &team_id)?;
        let team = load_team(conn, &team_id)?;
        if export {
            audit::record(
                conn,
                Some(&user.id),
                Action::Export,
                Some(&team_id),
                None,
                "fidelity.csv",
            )?;
        } else {
            audit::view(conn, Some(&user.id), &team_id, None, "fidelity")?;
        }
        let today = time::today(tz_of(&team)?, chrono::Utc::now());
        let to = to.unwrap_or(today);
        if to > today {
            return Err(AppError::validation("to", "must not be after today"));
        }
        let months = months.clamp(1, MAX_MONTHS);
        // The trend's months and the month before the first (for `slipping`).
        let ends: Vec<NaiveDate> = (0..months.max(2))
            .rev()
            .map(|k| to - Months::new(k))
            .collect();
        let f = facts(conn, &team_id, &ends)?;
        let reports: Vec<FidelityReport> = ends.iter().map(|d| report(&f, *d)).collect();
        let n = reports.len();
        let slip = slipping(&reports[n - 1], &reports[n - 2], 3);
        let trend = reports[n - months as usize..]
            .iter()
            .map(|r| TrendMonth {
                to: r.period.to.clone(),
                mean_of_scored: r.mean_of_scored,
                items: r
                    .items
                    .iter()
                    .map(|i| TrendItem {
                        id: i.id.clone(),
                        value: i.value,
                        score: i.score,
                    })
                    .collect(),
            })
            .collect();
        let report = reports
            .into_iter()
            .next_back()
            .expect("at least two reports");
        Ok(FidelityOut {
            report,
            trend,
            slipping: slip,
        })
    })
    .await
}

/// The report as CSV: one row per item.
pub fn csv(out: &FidelityOut) -> AppResult<Vec<u8>> {
    let mut w = csv::Writer::from_writer(Vec::new());
    w.write_record([
        "period_from",
        "period_to",
        "id",
        "name",
        "value",
        "unit",
        "score",
        "needs_rating",
        "bands",
        "evidence",
        "median",
    ])
    .map_err(AppError::internal)?;
    let r = &out.report;
    for i in &r.items {
        w.write_record([
            r.period.from.clone(),
            r.period.to.clone(),
            i.id.clone(),
            i.name.clone(),
            i.value.map(|v| v.to_string()).unwrap_or_default(),
            i.unit.clone(),
            i.score.map(|v| v.to_string()).unwrap_or_default(),
            i.needs_rating.to_string(),
            i.bands.join(" | "),
            i.evidence.summary.clone(),
            i.evidence.median.map(|v| v.to_string()).unwrap_or_default(),
        ])
        .map_err(AppError::internal)?;
    }
    w.write_record([
        r.period.from.clone(),
        r.period.to.clone(),
        "mean".into(),
        "Mean of the scored items".into(),
        r.mean_of_scored.map(|v| v.to_string()).unwrap_or_default(),
        "score".into(),
        String::new(),
        String::new(),
        String::new(),
        format!("{} of 28 items scored", r.scored),
        String::new(),
    ])
    .map_err(AppError::internal)?;
    w.into_inner().map_err(AppError::internal)
}

/// A checked reviewer's rating.
pub struct RatingIn {
    pub item: String,
    pub period_to: NaiveDate,
    pub score: i32,
    pub note: String,
}

/// Record (or replace) a reviewer's rating of an item for a period (leads).
pub async fn rate(
    pool: &Pool,
    user: AuthUser,
    team_id: String,
    r: RatingIn,
) -> AppResult<FidelityRatingOut> {
    db::tx(pool, move |conn| {
        let team = write_access(conn, &user, &team_id, Role::Lead)?;
        match fidelity::needs_rating(&r.item) {
            None => {
                return Err(AppError::validation(
                    "item",
                    "is not a DACTS item (H1–H11, O1–O7, S1–S10)",
                ))
            }
            Some(false) => {
                return Err(AppError::validation(
                    "item",
                    "is computed from the team's records; only the other items take a rating",
                ))
            }
            Some(true) => {}
        }
        let today = time::today(tz_of(&team)?, chrono::Utc::now());
        if r.period_to > today {
            return Err(AppError::validation("period_to", "must not be after today"));
        }
        let period = r.period_to.to_string();
        let existing: Option<String> = fr::table
            .filter(fr::team_id.eq(&team_id))
            .filter(fr::item.eq(&r.item))
            .filter(fr::period_to.eq(&period))
            .select(fr::id)
            .first(conn)
            .optional()?;
        let now = db::now();
        let id = match existing {
            Some(id) => {
                diesel::update(fr::table.filter(fr::id.eq(&id)))
                    .set((
                        fr::score.eq(r.score),
                        fr::note.eq(&r.note),
                        fr::rated_by.eq(&user.id),
                        fr::rated_at.eq(now),
                    ))
                    .execute(conn)?;
                id
            }
            None => {
                let id = Uuid::new_v4().to_string();
                diesel::insert_into(fr::table)
                    .values((
                        fr::id.eq(&id),
                        fr::team_id.eq(&team_id),
                        fr::item.eq(&r.item),
                        fr::period_to.eq(&period),
                        fr::score.eq(r.score),
                        fr::note.eq(&r.note),
                        fr::rated_by.eq(&user.id),
                        fr::rated_at.eq(now),
                    ))
                    .execute(conn)?;
                id
            }
        };
        let row = fr::table
            .filter(fr::id.eq(&id))
            .select(RatingRow::as_select())
            .first(conn)?;
        let out = FidelityRatingOut::from(&row);
        append(
            conn,
            &team_id,
            Event::FidelityRated(out.clone()),
            Some(&user.id),
        )?;
        Ok(out)
    })
    .await
}
