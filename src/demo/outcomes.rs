//! The demo's outcomes and fidelity history (issue 15): enrolment days spread over the past
//! years, admissions and other episodes before and after them (most clients spend fewer days in
//! hospital after joining the team), one client in hospital today (away on the board), a year
//! of huddle reviews, and reviewer ratings for the DACTS items the data cannot compute.
//!
//! Everything here draws from its own generator, so the rest of the demo stays the same.

use crate::db::models::{EpisodeRow, TeamRow};
use crate::db::schema::{clients, episodes, fidelity_ratings, huddle_reviews};
use crate::db::{self, DbConn};
use crate::domain::episode::EpisodeKind;
use crate::error::AppResult;
use crate::store::events::{append, Event};
use crate::store::records::episode::{EpisodeOut, FidelityRatingOut};
use chrono::{Datelike, Days, NaiveDate, NaiveTime, Weekday};
use diesel::prelude::*;
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};

/// One generated episode.
struct Ep {
    kind: EpisodeKind,
    start: NaiveDate,
    end: Option<NaiveDate>,
    team_involved: bool,
}

/// A client of the demo: id, enrolment day, high need.
pub struct Enrolled {
    pub id: String,
    pub enrolled: NaiveDate,
    pub high: bool,
}

/// Enrolment days spread from `oldest_days` ago to two weeks ago (an existing caseload).
pub fn spread_enrolment(
    conn: &mut DbConn,
    rng: &mut StdRng,
    people: &[(String, bool)],
    today: NaiveDate,
    oldest_days: u64,
) -> AppResult<Vec<Enrolled>> {
    let mut out = vec![];
    for (id, high) in people {
        let back = rng.gen_range(14..oldest_days.max(15));
        let enrolled = today - Days::new(back);
        diesel::update(clients::table.filter(clients::id.eq(id)))
            .set(clients::enrolled_on.eq(Some(enrolled.to_string())))
            .execute(conn)?;
        out.push(Enrolled {
            id: id.clone(),
            enrolled,
            high: *high,
        });
    }
    Ok(out)
}

fn days_between(a: NaiveDate, b: NaiveDate) -> u64 {
    (b - a).num_days().max(0) as u64
}

/// A random day in `from..=to` (`from` when the range is empty).
fn day_in(rng: &mut StdRng, from: NaiveDate, to: NaiveDate) -> NaiveDate {
    from + Days::new(rng.gen_range(0..=days_between(from, to)))
}

/// Stays (admissions, jail) that do not overlap: later ones that would are dropped.
fn place_stays(mut stays: Vec<Ep>) -> Vec<Ep> {
    stays.sort_by_key(|e| e.start);
    let mut kept: Vec<Ep> = vec![];
    for e in stays {
        let free = kept
            .last()
            .is_none_or(|k| k.end.is_some_and(|ke| ke < e.start));
        if free {
            kept.push(e);
        }
    }
    kept
}

/// The episodes of one client: the two years before enrolment and the time since.
fn episodes_of(rng: &mut StdRng, p: &Enrolled, today: NaiveDate) -> Vec<Ep> {
    let e = p.enrolled;
    let before_from = e - Days::new(730);
    let before_to = e - Days::new(1);
    let months_after = days_between(e, today) as f64 / 30.4;
    let mut stays = vec![];
    let mut other = vec![];
    let stay =
        |rng: &mut StdRng, kind: EpisodeKind, from: NaiveDate, to: NaiveDate, len: (u64, u64)| {
            let start = day_in(rng, from, to);
            let end =
                (start + Days::new(rng.gen_range(len.0..=len.1) - 1)).min(today - Days::new(1));
            Ep {
                kind,
                start,
                end: Some(end.max(start)),
                team_involved: false,
            }
        };
    // Before: the admissions that brought them to the team.
    let admissions = if p.high {
        rng.gen_range(2..=5)
    } else {
        rng.gen_range(0..=3)
    };
    for _ in 0..admissions {
        let kind = if rng.gen_bool(0.8) {
            EpisodeKind::PsychiatricAdmission
        } else {
            EpisodeKind::MedicalAdmission
        };
        stays.push(stay(rng, kind, before_from, before_to, (4, 30)));
    }
    if rng.gen_bool(0.15) {
        stays.push(stay(
            rng,
            EpisodeKind::Jail,
            before_from,
            before_to,
            (2, 45),
        ));
    }
    let eds = if p.high {
        rng.gen_range(2..=6)
    } else {
        rng.gen_range(0..=3)
    };
    for _ in 0..eds {
        let d = day_in(rng, before_from, before_to);
        other.push(Ep {
            kind: EpisodeKind::EdVisit,
            start: d,
            end: Some(d),
            team_involved: false,
        });
    }
    if rng.gen_bool(0.25) {
        let mut h = stay(
            rng,
            EpisodeKind::Homeless,
            before_from,
            before_to,
            (30, 200),
        );
        h.end = h.end.map(|x| x.min(before_to));
        other.push(h);
    }
    // After: fewer and shorter, the team involved; a few clients do not improve.
    let worse = rng.gen_bool(0.12);
    let rate = match (p.high, worse) {
        (_, true) => 0.12,
        (true, false) => 0.045,
        (false, false) => 0.02,
    };
    let after_from = e;
    let after_to = today - Days::new(2);
    if after_to > after_from {
        let n = (rate * months_after * rng.gen_range(0.5..1.5)).round() as usize;
        for _ in 0..n {
            let kind = if rng.gen_bool(0.75) {
                EpisodeKind::PsychiatricAdmission
            } else {
                EpisodeKind::MedicalAdmission
            };
            let mut s = stay(
                rng,
                kind,
                after_from,
                after_to,
                (3, if worse { 25 } else { 12 }),
            );
            s.team_involved = rng.gen_bool(0.8);
            stays.push(s);
        }
        if rng.gen_bool(0.08) {
            let mut s = stay(rng, EpisodeKind::CrisisBed, after_from, after_to, (2, 6));
            s.team_involved = true;
            stays.push(s);
        }
        if rng.gen_bool(0.04) {
            stays.push(stay(rng, EpisodeKind::Jail, after_from, after_to, (1, 20)));
        }
        let eds = (0.05 * months_after * rng.gen_range(0.0..2.0)).round() as usize;
        for _ in 0..eds {
            let d = day_in(rng, after_from, after_to);
            other.push(Ep {
                kind: EpisodeKind::EdVisit,
                start: d,
                end: Some(d),
                team_involved: rng.gen_bool(0.5),
            });
        }
        if rng.gen_bool(0.08) {
            let mut h = stay(rng, EpisodeKind::Homeless, after_from, after_to, (10, 60));
            h.team_involved = true;
            other.push(h);
        }
    }
    let mut all = place_stays(stays);
    all.extend(other);
    all
}

/// Insert one episode and its event.
fn insert(
    conn: &mut DbConn,
    team: &TeamRow,
    rng: &mut StdRng,
    client: &str,
    e: &Ep,
    actor: &str,
) -> AppResult<()> {
    let id = uuid::Builder::from_random_bytes(rng.gen())
        .into_uuid()
        .to_string();
    let at = e
        .end
        .unwrap_or(e.start)
        .and_time(NaiveTime::from_hms_opt(15, 0, 0).unwrap_or_default());
    let note = match e.kind {
        EpisodeKind::PsychiatricAdmission if e.team_involved => {
            "Admitted with the team; discharge planned together"
        }
        EpisodeKind::PsychiatricAdmission => "Admitted through the emergency department",
        EpisodeKind::MedicalAdmission => "Medical ward",
        EpisodeKind::EdVisit => "Emergency department",
        EpisodeKind::CrisisBed => "Crisis house instead of an admission",
        EpisodeKind::Jail => "County jail",
        EpisodeKind::Homeless => "Sleeping rough / shelters",
    };
    diesel::insert_into(episodes::table)
        .values((
            episodes::id.eq(&id),
            episodes::team_id.eq(&team.id),
            episodes::client_id.eq(client),
            episodes::kind.eq(e.kind.as_str()),
            episodes::start_on.eq(e.start.to_string()),
            episodes::end_on.eq(e.end.map(|d| d.to_string())),
            episodes::team_involved.eq(e.team_involved),
            episodes::note.eq(note),
            episodes::version.eq(1),
            episodes::recorded_by.eq(actor),
            episodes::recorded_at.eq(at),
            episodes::updated_at.eq(at),
        ))
        .execute(conn)?;
    let row = episodes::table
        .filter(episodes::id.eq(&id))
        .select(EpisodeRow::as_select())
        .first(conn)?;
    append(
        conn,
        &team.id,
        Event::EpisodeRecorded(EpisodeOut::from(&row)),
        Some(actor),
    )?;
    Ok(())
}

/// Episodes for every client, one client in hospital since three days ago (`away`).
pub fn episodes(
    conn: &mut DbConn,
    rng: &mut StdRng,
    team: &TeamRow,
    people: &[Enrolled],
    away: &str,
    today: NaiveDate,
    actor: &str,
) -> AppResult<usize> {
    let mut n = 0;
    db::write_tx(conn, |conn| {
        for p in people {
            let mut list = episodes_of(rng, p, today);
            if p.id == away {
                let since = today - Days::new(3);
                list.retain(|e| {
                    !e.kind.takes_away() || e.end.is_some_and(|x| x < since - Days::new(2))
                });
                list.push(Ep {
                    kind: EpisodeKind::PsychiatricAdmission,
                    start: since,
                    end: None,
                    team_involved: true,
                });
            }
            for e in &list {
                insert(conn, team, rng, &p.id, e, actor)?;
                n += 1;
            }
        }
        Ok(())
    })?;
    Ok(n)
}

/// Huddle reviews on weekdays for `days` days before today: most days every client on the
/// caseload, some days the huddle ran short.
pub fn huddle_history(
    conn: &mut DbConn,
    rng: &mut StdRng,
    team: &TeamRow,
    people: &[Enrolled],
    reviewer: &str,
    today: NaiveDate,
    days: u64,
) -> AppResult<usize> {
    let mut n = 0;
    db::write_tx(conn, |conn| {
        for back in 1..=days {
            let day = today - Days::new(back);
            if matches!(day.weekday(), Weekday::Sat | Weekday::Sun) {
                continue;
            }
            let full = rng.gen_bool(0.82);
            let at = day.and_time(NaiveTime::from_hms_opt(14, 30, 0).unwrap_or_default());
            let rows: Vec<_> = people
                .iter()
                .filter(|p| p.enrolled <= day)
                .filter(|_| full || rng.gen_bool(0.85))
                .map(|p| {
                    (
                        huddle_reviews::team_id.eq(team.id.clone()),
                        huddle_reviews::day.eq(day.to_string()),
                        huddle_reviews::client_id.eq(p.id.clone()),
                        huddle_reviews::reviewed_by.eq(reviewer.to_string()),
                        huddle_reviews::reviewed_at.eq(at),
                    )
                })
                .collect();
            n += rows.len();
            // One row at a time: batch inserts are not available on the multi-engine connection.
            for row in rows {
                diesel::insert_into(huddle_reviews::table)
                    .values(row)
                    .execute(conn)?;
            }
        }
        Ok(())
    })?;
    Ok(n)
}

/// Contacts with the client's support system (family, landlord, employer): about one a month
/// per client, by phone from the office, over the history.
#[allow(clippy::too_many_arguments)]
pub fn collateral(
    conn: &mut DbConn,
    rng: &mut StdRng,
    team: &TeamRow,
    people: &[Enrolled],
    staff: &[String],
    today: NaiveDate,
    weeks: u32,
    actor: &str,
) -> AppResult<usize> {
    use crate::domain::contact::{ContactStatus, Kind, Place};
    use crate::store::contacts::{insert as insert_contact, ContactIn};
    const WHO: [&str; 5] = [
        "call with sister",
        "landlord",
        "employer check-in",
        "family meeting",
        "pharmacy",
    ];
    let mut n = 0;
    for p in people {
        db::write_tx(conn, |conn| {
            for week in 0..weeks {
                if !rng.gen_bool(0.3) {
                    continue;
                }
                let day = today - Days::new(u64::from(week) * 7 + rng.gen_range(1..=7));
                if day < p.enrolled {
                    continue;
                }
                let id = uuid::Builder::from_random_bytes(rng.gen())
                    .into_uuid()
                    .to_string();
                insert_contact(
                    conn,
                    team,
                    &id,
                    &ContactIn {
                        client_id: p.id.parse().unwrap_or_default(),
                        staff_ids: vec![staff[rng.gen_range(0..staff.len())].clone()],
                        day: day.to_string(),
                        start: None,
                        end: None,
                        kind: Kind::Collateral,
                        place: Place::Office,
                        activity: WHO[rng.gen_range(0..WHO.len())].to_string(),
                        status: ContactStatus::Completed,
                        minutes: Some(15),
                        note: None,
                        allow_overlap: true,
                    },
                    actor,
                )?;
                n += 1;
            }
            Ok(())
        })?;
    }
    Ok(n)
}

/// The last review's ratings of the items the data cannot compute.
pub fn ratings(
    conn: &mut DbConn,
    team: &TeamRow,
    today: NaiveDate,
    reviewer: &str,
) -> AppResult<()> {
    let period_to = today - Days::new(30);
    let items: [(&str, i32, &str); 19] = [
        (
            "H4",
            4,
            "The team lead carries a small caseload and joins visits weekly",
        ),
        ("H5", 4, "Two of twelve staff left in two years"),
        (
            "H6",
            4,
            "One case manager post vacant for two months this year",
        ),
        ("H7", 4, "Psychiatrist 0.8 FTE for 100 clients"),
        ("H8", 5, "Two full-time nurses"),
        ("H9", 4, "One substance-use specialist"),
        ("H10", 3, "Employment specialist half time"),
        (
            "H11",
            5,
            "Twelve staff, enough for the caseload and on-call",
        ),
        ("O1", 5, "Written admission criteria, screened at referral"),
        (
            "O3",
            4,
            "Team provides most services; housing support brokered",
        ),
        ("O4", 5, "Team on call around the clock"),
        ("O5", 4, "Team involved in most admissions"),
        ("O6", 4, "Team plans most discharges with the ward"),
        ("O7", 5, "No time limit; step-down when ready"),
        ("S3", 5, "Street outreach and legal mechanisms used"),
        ("S7", 3, "Individual substance-use work for some clients"),
        ("S8", 2, "No co-occurring group running this year"),
        ("S9", 3, "Stage-wise approach, not yet consistent"),
        ("S10", 4, "A peer specialist on the team"),
    ];
    db::write_tx(conn, |conn| {
        for (i, (item, score, note)) in items.iter().enumerate() {
            let id = format!("00000000-0000-4000-8000-{:012}", 900 + i);
            let at = period_to.and_time(NaiveTime::from_hms_opt(17, 0, 0).unwrap_or_default());
            diesel::insert_into(fidelity_ratings::table)
                .values((
                    fidelity_ratings::id.eq(&id),
                    fidelity_ratings::team_id.eq(&team.id),
                    fidelity_ratings::item.eq(item),
                    fidelity_ratings::period_to.eq(period_to.to_string()),
                    fidelity_ratings::score.eq(score),
                    fidelity_ratings::note.eq(note),
                    fidelity_ratings::rated_by.eq(reviewer),
                    fidelity_ratings::rated_at.eq(at),
                ))
                .execute(conn)?;
            let row = fidelity_ratings::table
                .filter(fidelity_ratings::id.eq(&id))
                .select(crate::db::models::RatingRow::as_select())
                .first(conn)?;
            append(
                conn,
                &team.id,
                Event::FidelityRated(FidelityRatingOut::from(&row)),
                Some(reviewer),
            )?;
        }
        Ok(())
    })
}

/// All of it for one ACT team; returns (episodes, reviews).
#[allow(clippy::too_many_arguments)]
pub fn load(
    conn: &mut DbConn,
    seed: u64,
    team: &TeamRow,
    people: &[(String, bool)],
    away: &str,
    lead: &str,
    staff: &[String],
    today: NaiveDate,
    weeks: u32,
) -> AppResult<(usize, usize)> {
    let mut rng = StdRng::seed_from_u64(seed ^ 0x0C7C_0E55);
    // An existing caseload: joined over the three years before the history began, and since.
    let oldest = u64::from(weeks) * 7 + 3 * 365;
    let enrolled = db::write_tx(conn, |conn| {
        spread_enrolment(conn, &mut rng, people, today, oldest)
    })?;
    let n = episodes(conn, &mut rng, team, &enrolled, away, today, lead)?;
    // A year and a month of huddles: the fidelity page's 12-month trend.
    let days = (u64::from(weeks) * 7).min(400);
    let r = huddle_history(conn, &mut rng, team, &enrolled, lead, today, days)?;
    collateral(conn, &mut rng, team, &enrolled, staff, today, weeks, lead)?;
    ratings(conn, team, today, lead)?;
    Ok((n, r))
}
