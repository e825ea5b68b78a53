//! The demo's assessments: every client on a caseload has one whose ratings give the tier the
//! demo chose, some of them more than six months old (so reassessments come due).

use crate::db::models::TeamRow;
use crate::db::DbConn;
use crate::domain::care::assessment::Factors;
use crate::error::AppResult;
use crate::store::assessments::{insert, NewAssessment};
use crate::store::clients::load_client;
use chrono::{Days, NaiveDate};
use rand::rngs::StdRng;
use rand::Rng;

const BIOMEDICAL: [&str; 4] = [
    "Type 2 diabetes, missed two clinic visits",
    "Weight gain on clozapine, blood pressure raised",
    "COPD, smokes 30 a day",
    "Hepatitis C, not yet treated",
];
const BEHAVIORAL: [&str; 4] = [
    "Stopped the depot twice this year",
    "Voices louder at night, sleeping 3–4 hours",
    "Drinking daily since the spring",
    "Two ED visits for self-harm in the last quarter",
];
const CIRCUMSTANTIAL: [&str; 4] = [
    "Eviction notice for arrears",
    "Staying with a cousin, no lease",
    "Benefits stopped after a missed review",
    "Probation appointment every two weeks",
];

/// Ratings that the rule turns into `tier` (`high`, `medium` or `low`).
fn factors_for(rng: &mut StdRng, tier: &str) -> Factors {
    let mut f = match tier {
        "high" => [3, rng.gen_range(0..3), rng.gen_range(0..3)],
        "medium" => [[1, 1, 1], [2, 1, 0], [2, 2, 1], [1, 2, 2], [0, 2, 1]][rng.gen_range(0..5)],
        _ => [[0, 0, 0], [1, 0, 0], [0, 1, 1], [1, 1, 0]][rng.gen_range(0..4)],
    };
    f.rotate_left(rng.gen_range(0..3));
    Factors {
        biomedical: f[0],
        behavioral: f[1],
        circumstantial: f[2],
    }
}

/// Assess `client_id` (on `team`) so its tier stays what the demo chose, on a day up to seven
/// months back.
pub fn assess(
    conn: &mut DbConn,
    rng: &mut StdRng,
    team: &TeamRow,
    client_id: &str,
    actor: &str,
    today: NaiveDate,
) -> AppResult<()> {
    let client = load_client(conn, &team.id, client_id)?;
    let f = factors_for(rng, &client.risk_tier);
    let mut text = |rating: u8, list: &[&str; 4]| {
        if rating == 0 {
            String::new()
        } else {
            list[rng.gen_range(0..list.len())].to_string()
        }
    };
    let evidence = [
        text(f.biomedical, &BIOMEDICAL),
        text(f.behavioral, &BEHAVIORAL),
        text(f.circumstantial, &CIRCUMSTANTIAL),
    ];
    let on = today - Days::new(rng.gen_range(0..215));
    let n = NewAssessment {
        factors: f,
        evidence,
        override_tier: None,
        assessed_on: Some(on),
    };
    insert(conn, team, &client, actor, n, today)?;
    Ok(())
}

/// The demo's transitions: each transitioning client of `act` gets an open transition with a
/// readiness review (the first steps down to `icm` with a warm hand-off drafted, the rest are
/// discharges being prepared); two clients discharged recently have their check-ins, one of
/// them overdue, one due this week. No randomness: the same every time.
pub fn transitions(
    conn: &mut DbConn,
    act: &TeamRow,
    icm: &TeamRow,
    actor: &str,
    today: NaiveDate,
) -> AppResult<()> {
    use crate::db::schema::clients;
    use crate::domain::care::transition::{Readiness::*, ReadinessAreas, TransitionPlan};
    use crate::domain::client::Status;
    use crate::store::clients::{save, Values};
    use crate::store::transitions::{insert_open, schedule, StartIn, WarmHandoff};
    use diesel::prelude::*;

    let moving: Vec<String> = clients::table
        .filter(clients::team_id.eq(&act.id))
        .filter(clients::status.eq("transitioning"))
        .order((clients::family_name.asc(), clients::given_name.asc()))
        .select(clients::id)
        .load(conn)?;
    let reviews = [
        [Ready, Ready, Ready, Ready, Ready, Unclear],
        [Ready, Ready, Unclear, Ready, Unclear, Ready],
        [Ready, NotReady, Ready, Unclear, NotReady, Ready],
        [Ready, Ready, Ready, Ready, Ready, Ready],
    ];
    let at = |days: u64| {
        (today - Days::new(days))
            .and_hms_opt(15, 0, 0)
            .unwrap_or_default()
    };
    for (i, client) in moving.iter().enumerate() {
        let r = reviews[i % reviews.len()];
        let step_down = i == 0;
        let s = StartIn {
            readiness: ReadinessAreas {
                housing: r[0],
                hospitalization: r[1],
                emergency_use: r[2],
                engagement: r[3],
                medication: r[4],
                justice: r[5],
            },
            plan: if step_down {
                TransitionPlan::StepDown
            } else {
                TransitionPlan::Discharge
            },
            to_team_id: step_down.then(|| icm.id.clone()),
            to_case_manager_id: None,
            note: if step_down {
                "Stable for two years, wants fewer visits; Northside ICM can take over.".into()
            } else {
                "Planning discharge to the GP practice; reviewing readiness at the huddle.".into()
            },
            handoff: step_down.then(|| WarmHandoff {
                to_staff_id: None,
                severity: crate::domain::handoff::IllnessSeverity::Stable,
                summary: "Settled on monthly depot, lives with her sister, works mornings.".into(),
                actions: vec!["Meet her at the depot clinic in the first week".into()],
                contingency: "If she misses a depot, call her sister first.".into(),
            }),
        };
        insert_open(conn, &act.id, client, &s, actor, at(3 + i as u64))?;
    }

    // Two clients discharged in the last weeks, with their check-ins.
    // Helen's day-30 check-in is ten days overdue; Omar's is due in five days.
    for (given, family, ext, days_ago) in [
        ("Helen", "Marsh", "RV-0901", 40u64),
        ("Omar", "Reyes", "RV-0902", 25),
    ] {
        // Fixed ids (the demo is the same every time).
        let id = format!("d15c4a26-0000-4000-8000-00000000{}", &ext[3..]);
        let v = Values {
            given_name: given.into(),
            family_name: family.into(),
            preferred_name: None,
            external_id: Some(ext.into()),
            status: Status::Active,
            risk_tier: "low".into(),
            case_manager_id: None,
        };
        let row = save(conn, act, &id, None, v.clone(), actor)?;
        save(
            conn,
            act,
            &id,
            Some(&row),
            Values {
                status: Status::Discharged,
                ..v
            },
            actor,
        )?;
        let on = today - Days::new(days_ago);
        diesel::update(clients::table.filter(clients::id.eq(&id)))
            .set((
                clients::discharge_reason.eq("goals_met"),
                clients::discharged_on.eq(on.to_string()),
                clients::discharged_at.eq(at(days_ago)),
            ))
            .execute(conn)?;
        schedule(conn, &act.id, &id, None, on)?;
    }
    Ok(())
}
