//! Demo data: a Riverside ACT team (100 clients, weeks of contact history at ACT intensity,
//! today's and tomorrow's visits, open flags, a week of on-call, a pending handoff) and a
//! Northside ICM team (5 case managers holding 9–15 clients each). Only ever loaded into an
//! empty database; the same seed gives the same people and history relative to today.
//! Everything goes through the same write functions as the API (caps, events included).

mod care;
mod intake;
mod outcomes;
mod people;

use crate::db::models::TeamRow;
use crate::db::{self, DbConn};
use crate::domain::client::Status;
use crate::domain::contact::{ContactStatus, Kind, Place};
use crate::domain::flag::{Category, Severity};
use crate::domain::handoff::IllnessSeverity;
use crate::domain::roles::Role;
use crate::domain::team::{Mode, Privacy};
use crate::domain::time;
use crate::error::AppResult;
use crate::store::clients::{save, write_details, Values};
use crate::store::contacts::{insert as insert_contact, ContactIn};
use crate::store::flags;
use crate::store::handoffs::{insert as insert_handoff, HandoffItem, NewHandoff};
use crate::store::members::set_role;
use crate::store::oncall::{insert as insert_shift, NewShift};
use crate::store::staff::{insert_staff, NewStaff};
use crate::store::teams::{self, load_team};
use crate::store::visit_series::{book as book_series, NewSeries};
use chrono::{Datelike, Days, NaiveDate, Utc, Weekday};
use diesel::prelude::*;
use people::{ACTIVITIES, FAMILY, GIVEN, NORTHSIDE, RIVERSIDE};
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};

pub const PASSWORD: &str = "actboard-demo";

pub enum Outcome {
    Loaded(String),
    Skipped(String),
}

pub struct Options {
    pub seed: u64,
    /// Weeks of contact history before today (8 by default; 104 for the two-year benchmark).
    pub weeks: u32,
}

fn uuid(rng: &mut StdRng) -> String {
    uuid::Builder::from_random_bytes(rng.gen())
        .into_uuid()
        .to_string()
}

fn create_team(
    conn: &mut DbConn,
    name: &str,
    mode: Mode,
    tz: chrono_tz::Tz,
    admin: &str,
) -> AppResult<TeamRow> {
    let t = teams::NewTeam {
        name: name.into(),
        mode,
        timezone: tz,
        caseload_cap: 15,
        privacy: Privacy::Initials,
        escalate_after_minutes: crate::domain::team::DEFAULT_ESCALATE_AFTER,
    };
    teams::insert(conn, &t, admin)
}

fn add_staff(
    conn: &mut DbConn,
    team_id: &str,
    people: &[(&str, &str, &str, Role)],
    admin: &str,
) -> AppResult<Vec<String>> {
    let mut ids = vec![];
    for (username, name, discipline, role) in people {
        let row = insert_staff(
            conn,
            NewStaff {
                username: username.to_string(),
                display_name: name.to_string(),
                discipline: discipline.to_string(),
                password: PASSWORD.to_string(),
                is_admin: false,
                must_change_password: false,
            },
        )?;
        set_role(conn, team_id, &row.id, *role, Some(admin))?;
        ids.push(row.id);
    }
    Ok(ids)
}

struct Person {
    id: String,
    high_risk: bool,
}

fn person_names(
    rng: &mut StdRng,
    used: &mut std::collections::HashSet<(usize, usize)>,
) -> (String, String) {
    loop {
        let key = (
            rng.gen_range(0..GIVEN.len()),
            rng.gen_range(0..FAMILY.len()),
        );
        if used.insert(key) {
            return (GIVEN[key.0].to_string(), FAMILY[key.1].to_string());
        }
    }
}

fn hhmm(minutes: u32) -> String {
    format!("{:02}:{:02}", minutes / 60, minutes % 60)
}

/// Who is booked when, per day: the demo keeps each person's day free of overlapping visits
/// (the server refuses double booking; the planner's moves should meet a real schedule).
#[derive(Default)]
struct Diary(std::collections::HashMap<(NaiveDate, String), Vec<(u32, u32)>>);

impl Diary {
    /// The first start from `wanted` on (in 15-minute steps, wrapping within 08:00–17:45)
    /// at which every one of `staff` is free for `length` minutes.
    fn free_start(
        &self,
        day: NaiveDate,
        staff: &[String],
        wanted: u32,
        length: u32,
    ) -> Option<u32> {
        let busy = |s: u32| {
            staff.iter().any(|who| {
                self.0
                    .get(&(day, who.clone()))
                    .is_some_and(|v| v.iter().any(|&(a, z)| s < z && a < s + length))
            })
        };
        let first = wanted / 15;
        (0..40u32)
            .map(|k| (32 + (first - 32 + k) % 40) * 15)
            .find(|&s| !busy(s))
    }

    fn book(&mut self, day: NaiveDate, staff: &[String], start: u32, end: u32) {
        for who in staff {
            self.0
                .entry((day, who.clone()))
                .or_default()
                .push((start, end));
        }
    }
}

#[allow(clippy::too_many_arguments)]
fn visit(
    conn: &mut DbConn,
    rng: &mut StdRng,
    diary: &mut Diary,
    team: &TeamRow,
    client: &str,
    staff: &[String],
    day: NaiveDate,
    status: ContactStatus,
    community_share: f64,
    actor: &str,
) -> AppResult<()> {
    let start = rng.gen_range(32..68) * 15; // 08:00–16:45
    let length = [30u32, 45, 60, 60, 90][rng.gen_range(0..5)];
    let two = rng.gen_bool(0.2) && staff.len() > 1;
    let first = rng.gen_range(0..staff.len());
    let mut ids = vec![staff[first].clone()];
    if two {
        ids.push(staff[(first + 1 + rng.gen_range(0..staff.len() - 1)) % staff.len()].clone());
    }
    let kind = if rng.gen_bool(0.9) {
        Kind::FaceToFace
    } else {
        Kind::Phone
    };
    let place = if kind == Kind::Phone {
        Place::Office
    } else if rng.gen_bool(community_share) {
        if rng.gen_bool(0.5) {
            Place::Home
        } else {
            Place::Community
        }
    } else {
        Place::Office
    };
    let done = status == ContactStatus::Completed;
    // A time both are free; else the first alone; on a day too full, as drawn.
    let start = match diary.free_start(day, &ids, start, length) {
        Some(s) => s,
        None => {
            ids.truncate(1);
            diary.free_start(day, &ids, start, length).unwrap_or(start)
        }
    };
    let end = (start + length).min(23 * 60 + 59);
    diary.book(day, &ids, start, end);
    insert_contact(
        conn,
        team,
        &uuid(rng),
        &ContactIn {
            client_id: client.parse().unwrap_or_default(),
            staff_ids: ids,
            day: day.to_string(),
            start: Some(hhmm(start)),
            end: Some(hhmm(end)),
            kind,
            place,
            activity: ACTIVITIES[rng.gen_range(0..ACTIVITIES.len())].to_string(),
            status,
            minutes: done.then_some(length as i32),
            note: None,
            allow_overlap: false,
        },
        actor,
    )?;
    Ok(())
}

/// Contact history: about `per_week` face-to-face contacts per client per week, most in the community.
#[allow(clippy::too_many_arguments)]
fn history(
    conn: &mut DbConn,
    rng: &mut StdRng,
    diary: &mut Diary,
    team: &TeamRow,
    people: &[Person],
    staff: &[String],
    today: NaiveDate,
    weeks: u32,
    per_week: f64,
    actor: &str,
) -> AppResult<usize> {
    let mut n = 0;
    for p in people {
        // One transaction per client: a transaction that updates the team row tens of
        // thousands of times makes PostgreSQL walk ever longer row-version chains.
        db::write_tx(conn, |conn| {
            let rate = if p.high_risk {
                per_week * 1.4
            } else {
                per_week
            };
            for back in 1..=(weeks * 7) {
                let day = today - Days::new(back as u64);
                let weekend = matches!(day.weekday(), Weekday::Sat | Weekday::Sun);
                let chance = if weekend { rate / 14.0 } else { rate / 5.5 };
                if rng.gen_bool(chance.min(0.95)) {
                    let status = if rng.gen_bool(0.06) {
                        ContactStatus::Missed
                    } else {
                        ContactStatus::Completed
                    };
                    visit(
                        conn, rng, diary, team, &p.id, staff, day, status, 0.8, actor,
                    )?;
                    n += 1;
                }
            }
            Ok(())
        })?;
    }
    Ok(n)
}

pub fn load(conn: &mut DbConn, opts: Options) -> AppResult<Outcome> {
    let existing: i64 = crate::db::schema::teams::table.count().get_result(conn)?;
    if existing > 0 {
        return Ok(Outcome::Skipped(format!(
            "Demo not loaded: the database already holds {existing} team(s). Demo logins, if it was loaded before: \
             maria.lopez / {PASSWORD} (ACT lead), dana.white / {PASSWORD} (ICM lead), admin / {PASSWORD}."
        )));
    }
    let mut rng = StdRng::seed_from_u64(opts.seed);
    let mut diary = Diary::default();
    // Several transactions (people, each client's history, today's work): see `history`.
    let summary = (|conn: &mut DbConn| -> AppResult<String> {
        let (act, icm, icm_staff, lead, workers, today, act_people, mut used) =
            db::write_tx(conn, |conn| {
                let admin = insert_staff(
                    conn,
                    NewStaff {
                        username: "admin".into(),
                        display_name: "Demo Admin".into(),
                        discipline: "other".into(),
                        password: PASSWORD.into(),
                        is_admin: true,
                        must_change_password: false,
                    },
                )?;
                let act = create_team(
                    conn,
                    "Riverside ACT",
                    Mode::Act,
                    chrono_tz::America::New_York,
                    &admin.id,
                )?;
                let act_staff = add_staff(conn, &act.id, RIVERSIDE, &admin.id)?;
                let icm = create_team(
                    conn,
                    "Northside ICM",
                    Mode::Icm,
                    chrono_tz::America::Chicago,
                    &admin.id,
                )?;
                let icm_staff = add_staff(conn, &icm.id, NORTHSIDE, &admin.id)?;
                let lead = act_staff[0].clone();
                let workers: Vec<String> = act_staff[..11].to_vec(); // everyone but the viewer
                let act_tz: chrono_tz::Tz =
                    act.timezone.parse().unwrap_or(chrono_tz::America::New_York);
                let today = time::today(act_tz, Utc::now());
                let mut used = std::collections::HashSet::new();

                // 100 clients: mostly active, a few stepping down, a few in intake.
                let mut act_people = vec![];
                for i in 0..100 {
                    let (given, family) = person_names(&mut rng, &mut used);
                    let status = match i {
                        0..=1 => Status::Referred,
                        2..=3 => Status::Screening,
                        4..=7 => Status::Transitioning,
                        _ => Status::Active,
                    };
                    let roll: f64 = rng.gen();
                    let risk = if roll < 0.2 {
                        "high"
                    } else if roll < 0.65 {
                        "medium"
                    } else {
                        "low"
                    };
                    let primary = workers[1 + (i % 10)].clone();
                    let id = uuid(&mut rng);
                    // Transitioning clients were admitted first, then stepped down.
                    let initial = if status == Status::Transitioning {
                        Status::Active
                    } else {
                        status
                    };
                    let details = people::fake_details(i, &family);
                    let v = Values {
                        given_name: given,
                        family_name: family,
                        preferred_name: None,
                        external_id: Some(format!("RV-{:04}", 1000 + i)),
                        status: initial,
                        risk_tier: risk.into(),
                        case_manager_id: Some(primary),
                    };
                    let row = save(conn, &act, &id, None, v.clone(), &lead)?;
                    write_details(conn, &id, &details)?;
                    if status == Status::Transitioning {
                        save(conn, &act, &id, Some(&row), Values { status, ..v }, &lead)?;
                    }
                    if status.holds_slot() {
                        act_people.push(Person {
                            id,
                            high_risk: risk == "high",
                        });
                    }
                }
                Ok((act, icm, icm_staff, lead, workers, today, act_people, used))
            })?;
        let act_contacts = history(
            conn,
            &mut rng,
            &mut diary,
            &act,
            &act_people,
            &workers,
            today,
            opts.weeks,
            4.0,
            &lead,
        )?;
        // Enrolment days, episodes, a year of huddles, reviewer ratings (their own generator).
        let act_team = load_team(conn, &act.id)?;
        let (act_episodes, act_reviews) = outcomes::load(
            conn,
            opts.seed,
            &act_team,
            &act_people
                .iter()
                .map(|p| (p.id.clone(), p.high_risk))
                .collect::<Vec<_>>(),
            &act_people[10].id,
            &lead,
            &workers,
            today,
            opts.weeks,
        )?;
        // Assessments draw from their own generator, so the rest of the demo stays the same.
        let mut care_rng = StdRng::seed_from_u64(opts.seed ^ 0xA55E_55ED);
        let (planned, icm, icm_staff, icm_people, icm_today) = db::write_tx(conn, |conn| {
            for p in &act_people {
                care::assess(conn, &mut care_rng, &act, &p.id, &lead, today)?;
            }
            // Today's and tomorrow's planned visits.
            let mut planned = 0;
            for (offset, share) in [(0u64, 0.45), (1, 0.4)] {
                for p in &act_people {
                    if p.high_risk || rng.gen_bool(share) {
                        visit(
                            conn,
                            &mut rng,
                            &mut diary,
                            &act,
                            &p.id,
                            &workers,
                            today + Days::new(offset),
                            ContactStatus::Planned,
                            0.8,
                            &lead,
                        )?;
                        planned += 1;
                    }
                }
            }
            // Three open flags.
            let flagged = [(0usize, Severity::Emergency, Category::Medication, "Called the crisis line at 06:10: stopped medication four days ago and does not feel safe at home."),
            (1, Severity::Urgent, Category::Housing, "Eviction notice served yesterday; landlord changing locks Friday."),
            (2, Severity::Watch, Category::Medication, "Missed two depot injections; family reports poor sleep.")];
            let mut flag_ids = vec![];
            for (k, severity, category, reason) in flagged {
                let high: Vec<&Person> = act_people.iter().filter(|p| p.high_risk).collect();
                let who = high[(k * 5) % high.len()];
                let new = flags::NewFlag {
                    severity,
                    category,
                    reason: reason.into(),
                };
                let f = flags::insert(conn, &act.id, &who.id, &new, &workers[2 + k])?;
                flag_ids.push((f.id, who.id.clone()));
            }
            // The urgent one has a responder.
            let urgent = flags::load(conn, &act.id, &flag_ids[1].0)?;
            flags::add_responder(conn, &urgent, &workers[10])?;
            // The client who missed two depots: a fortnightly injection at the clinic from
            // tomorrow (a recurring visit), booked even where the nurse has other visits.
            book_series(
                conn,
                &act,
                &NewSeries {
                    client_id: flag_ids[2].1.clone(),
                    staff_ids: vec![workers[3].clone()],
                    first_day: today + Days::new(1),
                    every_days: 14,
                    until: today + Days::new(1 + 84),
                    start: "08:15".into(),
                    end: "08:30".into(),
                    kind: Kind::FaceToFace,
                    place: Place::Office,
                    activity: "depot injection".into(),
                    allow_overlap: true,
                },
                &lead,
            )?;
            // A week of round-the-clock on-call: day duty 09–17, nights 17–09.
            let mut shifts = vec![];
            for d in 0..8u64 {
                let day = today - Days::new(1) + Days::new(d);
                let next = day + Days::new(1);
                let day_person = workers[1 + (d as usize % 10)].clone();
                let night_person = workers[1 + ((d as usize + 5) % 10)].clone();
                for (who, s, e) in [
                    (day_person, format!("{day}T09:00"), format!("{day}T17:00")),
                    (
                        night_person,
                        format!("{day}T17:00"),
                        format!("{next}T09:00"),
                    ),
                ] {
                    let shift = insert_shift(
                        conn,
                        &act.id,
                        &NewShift {
                            staff_id: who.parse().unwrap_or_default(),
                            starts_local: s,
                            ends_local: e,
                            allow_overlap: false,
                        },
                        &lead,
                    )?;
                    shifts.push(shift);
                }
            }
            // One pending handoff to whoever is on call now (or next).
            let now = Utc::now();
            if let Some((i, s)) = shifts.iter().enumerate().find(|(_, s)| s.ends_at.0 > now) {
                let from = if i > 0 {
                    shifts[i - 1].staff_id.clone()
                } else {
                    lead.clone()
                };
                let to = if s.staff_id == from {
                    lead.clone()
                } else {
                    s.staff_id.clone()
                };
                insert_handoff(conn, &act.id, &from, &NewHandoff {
                to_staff_id: to.parse().unwrap_or_default(),
                shift_id: s.id.parse().ok(),
                items: vec![
                    HandoffItem { client_id: flag_ids[0].1.clone(), severity: IllnessSeverity::Unstable, summary: "Off medication for four days; voices worse; lives alone.".into(), actions: vec!["Visit before noon with Dr. Chen".into(), "Call sister if no answer".into()], contingency: "If he refuses entry or talks of harm, call mobile crisis and the on-call psychiatrist.".into() },
                    HandoffItem { client_id: flag_ids[1].1.clone(), severity: IllnessSeverity::Watcher, summary: "Eviction risk; anxious but engaged.".into(), actions: vec!["Bring legal aid forms".into()], contingency: "If locked out, emergency shelter bed is held at Riverside House.".into() },
                    HandoffItem { client_id: flag_ids[2].1.clone(), severity: IllnessSeverity::Stable, summary: "Missed depot; otherwise settled.".into(), actions: vec!["Book injection this week".into()], contingency: "".into() },
                ],
            })?;
            }

            // Northside ICM: caseloads 15, 13, 12, 10, 9 and three referrals waiting.
            let dana = icm_staff[0].clone();
            let icm_tz: chrono_tz::Tz = icm.timezone.parse().unwrap_or(chrono_tz::America::Chicago);
            let icm_today = time::today(icm_tz, Utc::now());
            let icm = load_team(conn, &icm.id)?;
            let mut icm_people = vec![];
            for (k, n) in [15usize, 13, 12, 10, 9].into_iter().enumerate() {
                for j in 0..n {
                    let (given, family) = person_names(&mut rng, &mut used);
                    let id = uuid(&mut rng);
                    let details = people::fake_details(200 + k * 20 + j, &family);
                    save(
                        conn,
                        &icm,
                        &id,
                        None,
                        Values {
                            given_name: given,
                            family_name: family,
                            preferred_name: None,
                            external_id: Some(format!("NS-{}{:02}", k + 1, j)),
                            status: Status::Active,
                            risk_tier: ["low", "medium", "medium", "high"][rng.gen_range(0..4)]
                                .into(),
                            case_manager_id: Some(icm_staff[k + 1].clone()),
                        },
                        &dana,
                    )?;
                    write_details(conn, &id, &details)?;
                    icm_people.push((
                        Person {
                            id,
                            high_risk: false,
                        },
                        icm_staff[k + 1].clone(),
                    ));
                }
            }
            for _ in 0..3 {
                let (given, family) = person_names(&mut rng, &mut used);
                save(
                    conn,
                    &icm,
                    &uuid(&mut rng),
                    None,
                    Values {
                        given_name: given,
                        family_name: family,
                        preferred_name: None,
                        external_id: None,
                        // Screened, waiting for the lead to admit them to a case manager.
                        status: Status::Screening,
                        risk_tier: "medium".into(),
                        case_manager_id: None,
                    },
                    &dana,
                )?;
            }
            for (p, _) in &icm_people {
                care::assess(conn, &mut care_rng, &icm, &p.id, &dana, icm_today)?;
            }
            care::transitions(conn, &act, &icm, &lead, today)?;
            Ok((planned, icm, icm_staff, icm_people, icm_today))
        })?;
        db::write_tx(conn, |conn| {
            let mut rng = StdRng::seed_from_u64(opts.seed ^ 0x1C3E_0E55);
            let people: Vec<(String, bool)> = icm_people
                .iter()
                .map(|(p, _)| (p.id.clone(), false))
                .collect();
            outcomes::spread_enrolment(conn, &mut rng, &people, icm_today, 3 * 365)
        })?;
        let mut icm_contacts = 0;
        for (p, cm) in &icm_people {
            icm_contacts += history(
                conn,
                &mut rng,
                &mut diary,
                &icm,
                std::slice::from_ref(p),
                std::slice::from_ref(cm),
                icm_today,
                opts.weeks.min(4),
                1.5,
                &icm_staff[0],
            )?;
        }
        db::write_tx(conn, |conn| {
            flags::insert(
                conn,
                &icm.id,
                &icm_people[3].0.id,
                &flags::NewFlag {
                    severity: Severity::Urgent,
                    category: Category::Hospital,
                    reason: "Hospital ED called: presented overnight, being assessed.".into(),
                },
                &icm_staff[1],
            )
        })?;

        // Intake: referrals with their source, screenings, a declined referral, enrolment days.
        let mut newcomers = || {
            let (g, f) = person_names(&mut rng, &mut used);
            (uuid(&mut rng), g, f)
        };
        // Riverside already has two referrals waiting: it gets the declined one only, so its
        // roster stays at 100; Northside gets a fresh referral too.
        let act_declined = newcomers();
        let icm_new = (newcomers(), newcomers());
        db::write_tx(conn, |conn| {
            intake::seed(conn, &act, &lead, today, None, act_declined)?;
            intake::seed(
                conn,
                &icm,
                &icm_staff[0],
                icm_today,
                Some(icm_new.0),
                icm_new.1,
            )
        })?;

        Ok(format!(
            "Demo loaded:\n  Riverside ACT (America/New_York): 12 staff, 100 clients (and a declined referral), {act_contacts} past contacts over {} weeks, \
             {planned} planned visits today and tomorrow, 3 open flags, a week of on-call, 1 handoff, \
             the transitioning clients with a readiness review, 2 recently discharged clients with check-ins (one overdue), \
             {act_episodes} episodes (one client in hospital now), {act_reviews} huddle reviews.\n  \
             Northside ICM (America/Chicago): 6 staff, {} clients (caseloads 15/13/12/10/9, four referrals, one declined), {icm_contacts} past contacts.\n",
            opts.weeks,
            icm_people.len() + 5
        ))
    })(conn)?;
    let mut s = summary;
    s.push_str(&format!("Every demo account's password is '{PASSWORD}' — never load the demo on a server with real clients.\n"));
    s.push_str("  admin          administrator (creates teams and staff)\n");
    s.push_str("  maria.lopez    lead of Riverside ACT (members: dr.chen, sam.okafor, priya.nair, jordan.blake, alex.kim, taylor.reed, ...; morgan.ellis is a viewer)\n");
    s.push_str("  dana.white     lead of Northside ICM (case managers: chris.adams, pat.nguyen, lee.santos, robin.clark, kelly.ward)");
    Ok(Outcome::Loaded(s))
}
