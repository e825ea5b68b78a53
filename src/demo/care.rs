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
