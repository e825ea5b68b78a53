//! The demo's intake: referrals waiting (with where they came from), clients in screening
//! with a recorded screening, one declined with the decision and its reason, and enrolment
//! days spread over the past years so the intake bars show a gradual intake. Deterministic:
//! everything follows the clients' external ids and the names passed in.

use crate::db::models::{ClientRow, TeamRow};
use crate::db::schema::{clients, screenings};
use crate::db::DbConn;
use crate::domain::care::screening::{Decision, Diagnosis, Impairment, ScreeningAnswers};
use crate::domain::client::Status;
use crate::error::AppResult;
use crate::store::clients::{load_client, save_with, values_of, Extras, ReferralIn, Values};
use crate::store::screenings::{apply_decision, insert, DecisionIn};
use chrono::{Days, NaiveDate};
use diesel::prelude::*;

const SOURCES: [&str; 6] = [
    "St Mary's inpatient unit, ward 7",
    "County jail diversion program",
    "Emergency department social worker",
    "Dr. Okafor, primary care",
    "Harbor Street shelter outreach",
    "Self-referral with his sister",
];
const REASONS: [&str; 6] = [
    "Third admission this year; stops medication within weeks of discharge.",
    "Released in two weeks; no housing or prescriber lined up.",
    "Six ED visits since the summer; sleeping outside.",
    "Voices worse since his mother died; missing appointments.",
    "Staff worried: not eating, talking to himself, refuses the clinic.",
    "Wants help to keep his flat after a long admission.",
];

fn answers(k: usize) -> ScreeningAnswers {
    let base = ScreeningAnswers {
        diagnosis: Diagnosis::SchizophreniaSpectrum,
        illness_years: 8,
        impairments: vec![Impairment::Housing, Impairment::SelfCare],
        psychiatric_admissions_12m: 2,
        hospital_days_24m: 130,
        ed_visits_12m: 3,
        homeless: false,
        justice_involved: false,
        co_occurring_sud: true,
        not_engaging_office: true,
    };
    match k % 4 {
        0 => base,
        1 => ScreeningAnswers {
            diagnosis: Diagnosis::Bipolar,
            illness_years: 4,
            impairments: vec![Impairment::Work, Impairment::Finances],
            psychiatric_admissions_12m: 1,
            hospital_days_24m: 40,
            ed_visits_12m: 5,
            homeless: true,
            co_occurring_sud: false,
            not_engaging_office: false,
            ..base
        },
        2 => ScreeningAnswers {
            diagnosis: Diagnosis::MajorDepressionPsychotic,
            illness_years: 3,
            impairments: vec![Impairment::Social],
            psychiatric_admissions_12m: 0,
            hospital_days_24m: 12,
            ed_visits_12m: 1,
            co_occurring_sud: false,
            not_engaging_office: false,
            ..base
        },
        _ => ScreeningAnswers {
            illness_years: 12,
            hospital_days_24m: 210,
            psychiatric_admissions_12m: 4,
            justice_involved: true,
            ..base
        },
    }
}

fn referral(k: usize, received_on: NaiveDate) -> ReferralIn {
    ReferralIn {
        source: SOURCES[k % SOURCES.len()].into(),
        received_on: Some(received_on),
        reason: Some(REASONS[k % REASONS.len()].into()),
    }
}

/// A new person for the demo: id, given name, family name.
pub type Newcomer = (String, String, String);

/// Seed `team`'s intake: `fresh`, when given, is referred today; `declined` is referred,
/// screened and declined against the recommendation, with the reason.
pub fn seed(
    conn: &mut DbConn,
    team: &TeamRow,
    actor: &str,
    today: NaiveDate,
    fresh: Option<Newcomer>,
    declined: Newcomer,
) -> AppResult<()> {
    // Enrolment days: about two a month over the last year, older before; a referral some
    // weeks before each recent one.
    let on_caseload: Vec<ClientRow> = clients::table
        .filter(clients::team_id.eq(&team.id))
        .filter(clients::status.eq_any(["active", "transitioning"]))
        .order(clients::external_id.asc())
        .select(ClientRow::as_select())
        .load(conn)?;
    for (i, c) in on_caseload.iter().enumerate() {
        let back = if i < 26 {
            4 + i as u64 * 14
        } else {
            380 + (i as u64 - 26) * 23
        };
        let enrolled = today - Days::new(back);
        let received = enrolled - Days::new(10 + (i as u64 % 4) * 7);
        let (source, reason) = if i < 40 {
            (
                Some(SOURCES[i % SOURCES.len()]),
                Some(REASONS[i % REASONS.len()]),
            )
        } else {
            (None, None)
        };
        diesel::update(clients::table.filter(clients::id.eq(&c.id)))
            .set((
                clients::enrolled_on.eq(enrolled.to_string()),
                clients::referral_source.eq(source),
                clients::referral_received_on.eq(source.map(|_| received.to_string())),
                clients::referral_reason.eq(reason),
            ))
            .execute(conn)?;
    }

    // The referrals already waiting: where they came from; those in screening screened.
    let waiting: Vec<ClientRow> = clients::table
        .filter(clients::team_id.eq(&team.id))
        .filter(clients::status.eq_any(["referred", "screening"]))
        .order(clients::family_name.asc())
        .select(ClientRow::as_select())
        .load(conn)?;
    for (k, c) in waiting.iter().enumerate() {
        let mut v = values_of(c)?;
        // A referral carries no case manager yet.
        v.case_manager_id = None;
        let extras = Extras {
            referral: Some(referral(k, today - Days::new(3 + 6 * k as u64))),
            enrolled_on: None,
        };
        save_with(conn, team, &c.id, Some(c), v, &extras, actor)?;
        if c.status == "screening" {
            let c = load_client(conn, &team.id, &c.id)?;
            insert(conn, team, &c, actor, &answers(k), today)?;
        }
    }

    // One more referral, today; and one declined against the recommendation, with a reason.
    let (declined_id, dg, df) = declined;
    let person = |given: String, family: String| Values {
        given_name: given,
        family_name: family,
        preferred_name: None,
        external_id: None,
        status: Status::Referred,
        risk_tier: "medium".into(),
        case_manager_id: None,
    };
    if let Some((fresh_id, fg, ff)) = fresh {
        let extras = Extras {
            referral: Some(referral(waiting.len(), today)),
            enrolled_on: None,
        };
        save_with(conn, team, &fresh_id, None, person(fg, ff), &extras, actor)?;
    }
    let extras = Extras {
        referral: Some(referral(waiting.len() + 1, today - Days::new(41))),
        enrolled_on: None,
    };
    save_with(
        conn,
        team,
        &declined_id,
        None,
        person(dg, df),
        &extras,
        actor,
    )?;
    let c = load_client(conn, &team.id, &declined_id)?;
    let s = insert(conn, team, &c, actor, &answers(0), today)?;
    let c = load_client(conn, &team.id, &declined_id)?;
    apply_decision(
        conn,
        team,
        &c,
        actor,
        DecisionIn {
            decision: Decision::Decline,
            reason: Some(
                "Moving to her daughter's in another county next month; referred to the ACT team there."
                    .into(),
            ),
            case_manager_id: None,
        },
    )?;
    // Screened and decided some weeks ago (the intake bars count the decline then).
    let screened = today - Days::new(34);
    diesel::update(screenings::table.filter(screenings::id.eq(&s.id)))
        .set((
            screenings::screened_on.eq(screened.to_string()),
            screenings::decided_at.eq(screened.and_hms_opt(15, 0, 0).expect("a valid time")),
        ))
        .execute(conn)?;
    Ok(())
}
