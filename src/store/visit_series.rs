//! Recurring visits: a series books all its planned visits at once (each a contact carrying
//! `series_id`), all or none; ending it cancels the visits still ahead, past ones stay.

use crate::auth::{team_access, write_access, AuthUser};
use crate::db::models::{ContactRow, SeriesRow, TeamRow};
use crate::db::schema::{contacts as k, visit_series as vs};
use crate::db::{self, DbConn, Pool};
use crate::domain::client::Status;
use crate::domain::contact::{Kind, Place};
use crate::domain::roles::Role;
use crate::domain::{series, time};
use crate::error::{AppError, AppResult};
use crate::store::contacts::{self, conflicts_of, double_booked, with_staff, Content};
use crate::store::events::{append, Event};
use crate::store::{clients, oncall};
use chrono::NaiveDate;
use diesel::prelude::*;
use uuid::Uuid;

pub use crate::store::records::series::{SeriesContacts, SeriesOut};

/// A checked series request (days parsed, times `HH:MM`, staff ids normalized).
pub struct NewSeries {
    pub client_id: String,
    pub staff_ids: Vec<String>,
    pub first_day: NaiveDate,
    pub every_days: i32,
    pub until: NaiveDate,
    pub start: String,
    pub end: String,
    pub kind: Kind,
    pub place: Place,
    pub activity: String,
    pub allow_overlap: bool,
}

fn load(conn: &mut DbConn, team_id: &str, id: &str) -> AppResult<SeriesRow> {
    vs::table
        .filter(vs::team_id.eq(team_id))
        .filter(vs::id.eq(id))
        .select(SeriesRow::as_select())
        .first(conn)
        .optional()?
        .ok_or_else(|| AppError::not_found("visit series"))
}

/// Set up a recurring visit (members): every planned visit is written, or none (409
/// `double_booked` with every conflict, unless `allow_overlap`). One `contacts.series_created`.
pub async fn create(
    pool: &Pool,
    user: AuthUser,
    team_id: String,
    n: NewSeries,
) -> AppResult<SeriesContacts> {
    db::tx(pool, move |conn| {
        let team = write_access(conn, &user, &team_id, Role::Member)?;
        book(conn, &team, &n, &user.id)
    })
    .await
}

/// Book a series and its visits (after the team's write lock; the demo loader calls it too).
pub fn book(
    conn: &mut DbConn,
    team: &TeamRow,
    n: &NewSeries,
    actor: &str,
) -> AppResult<SeriesContacts> {
    let team_id = team.id.clone();
    let today = time::today(oncall::tz_of(team)?, chrono::Utc::now());
    if n.first_day < today {
        return Err(AppError::validation(
            "first_day",
            format!("must not be before today ({today})"),
        ));
    }
    clients::check_client(conn, &team_id, &n.client_id)?;
    let status = clients::load_client(conn, &team_id, &n.client_id)?.status;
    if Status::parse(&status).is_some_and(Status::is_closed) {
        return Err(AppError::validation(
            "client_id",
            format!("is {status}: no visits to plan"),
        ));
    }
    contacts::check_staff(conn, &team_id, &n.staff_ids)?;
    let id = Uuid::new_v4().to_string();
    let visits: Vec<(String, Content)> = series::days(n.first_day, n.every_days, n.until)
        .into_iter()
        .map(|day| {
            let c = Content {
                client_id: n.client_id.clone(),
                staff_ids: n.staff_ids.clone(),
                day: day.format("%Y-%m-%d").to_string(),
                start: Some(n.start.clone()),
                end: Some(n.end.clone()),
                kind: n.kind.as_str().into(),
                place: n.place.as_str().into(),
                activity: n.activity.clone(),
                status: "planned".into(),
                minutes: None,
                note: None,
            };
            (Uuid::new_v4().to_string(), c)
        })
        .collect();
    if !n.allow_overlap {
        let mut found = vec![];
        for (cid, c) in &visits {
            found.extend(conflicts_of(conn, &team_id, cid, c)?);
        }
        if !found.is_empty() {
            return Err(double_booked(found));
        }
    }
    let now = db::now();
    diesel::insert_into(vs::table)
        .values((
            vs::id.eq(&id),
            vs::team_id.eq(&team_id),
            vs::client_id.eq(&n.client_id),
            vs::staff_ids.eq(n.staff_ids.join(",")),
            vs::first_day.eq(n.first_day.format("%Y-%m-%d").to_string()),
            vs::every_days.eq(n.every_days),
            vs::until_day.eq(n.until.format("%Y-%m-%d").to_string()),
            vs::start_time.eq(&n.start),
            vs::end_time.eq(&n.end),
            vs::kind.eq(n.kind.as_str()),
            vs::place.eq(n.place.as_str()),
            vs::activity.eq(&n.activity),
            vs::created_by.eq(actor),
            vs::created_at.eq(now),
        ))
        .execute(conn)?;
    let mut booked = Vec::with_capacity(visits.len());
    for (cid, c) in &visits {
        booked.push(contacts::insert_row(conn, team, cid, c, Some(&id), actor)?);
    }
    let out = SeriesContacts {
        series: SeriesOut::from(&load(conn, &team_id, &id)?),
        contacts: booked,
    };
    append(
        conn,
        &team_id,
        Event::SeriesCreated(out.clone()),
        Some(actor),
    )?;
    Ok(out)
}

/// The team's series, newest first (ended ones too).
pub async fn list(pool: &Pool, user: AuthUser, team_id: String) -> AppResult<Vec<SeriesOut>> {
    db::run(pool, move |conn| {
        team_access(conn, &user, &team_id)?;
        let rows: Vec<SeriesRow> = vs::table
            .filter(vs::team_id.eq(&team_id))
            .select(SeriesRow::as_select())
            .order((vs::created_at.desc(), vs::id.asc()))
            .load(conn)?;
        Ok(rows.iter().map(SeriesOut::from).collect())
    })
    .await
}

/// End a series (members): its planned visits that have not started yet are cancelled;
/// past and closed-out ones stay. Ending an ended series changes nothing (no event).
pub async fn end(
    pool: &Pool,
    user: AuthUser,
    team_id: String,
    series_id: String,
) -> AppResult<SeriesContacts> {
    db::tx(pool, move |conn| {
        write_access(conn, &user, &team_id, Role::Member)?;
        let row = load(conn, &team_id, &series_id)?;
        if row.ended_at.is_some() {
            return Ok(SeriesContacts {
                series: SeriesOut::from(&row),
                contacts: vec![],
            });
        }
        let now = db::now();
        let ahead: Vec<ContactRow> = k::table
            .filter(k::team_id.eq(&team_id))
            .filter(k::series_id.eq(&series_id))
            .filter(k::status.eq("planned"))
            .filter(k::occurred_at.gt(now))
            .select(ContactRow::as_select())
            .order((k::day.asc(), k::id.asc()))
            .load(conn)?;
        for c in &ahead {
            diesel::update(k::table.filter(k::id.eq(&c.id)))
                .set((
                    k::status.eq("cancelled"),
                    k::version.eq(c.version + 1),
                    k::updated_at.eq(now),
                ))
                .execute(conn)?;
        }
        diesel::update(vs::table.filter(vs::id.eq(&series_id)))
            .set((vs::ended_at.eq(now), vs::ended_by.eq(&user.id)))
            .execute(conn)?;
        let ids: Vec<String> = ahead.iter().map(|c| c.id.clone()).collect();
        let fresh: Vec<ContactRow> = k::table
            .filter(k::id.eq_any(&ids))
            .select(ContactRow::as_select())
            .order((k::day.asc(), k::id.asc()))
            .load(conn)?;
        let out = SeriesContacts {
            series: SeriesOut::from(&load(conn, &team_id, &series_id)?),
            contacts: with_staff(conn, &fresh)?,
        };
        append(
            conn,
            &team_id,
            Event::SeriesEnded(out.clone()),
            Some(&user.id),
        )?;
        Ok(out)
    })
    .await
}
