//! Outcomes before and after enrolment (issue 15), per client and per team, computed by the
//! rules in `domain::outcomes` from the clients' episodes.

use crate::auth::{team_access, AuthUser};
use crate::db::schema::clients;
use crate::db::{self, Pool};
use crate::domain::audit::Action;
use crate::domain::episode::Span;
use crate::domain::outcomes::{client_windows, team_windows, ClientWindow, TeamWindow};
use crate::domain::time;
use crate::error::{AppError, AppResult};
use crate::store::audit;
use crate::store::clients::load_client;
use crate::store::episodes::{of_client, spans_of_clients};
use crate::store::oncall::tz_of;
use crate::store::teams::load_team;
use diesel::prelude::*;
use serde::Serialize;
use utoipa::ToSchema;

/// A client's outcomes: windows of 12 and 24 months before and after enrolment.
#[derive(Serialize, ToSchema, Clone, Debug)]
pub struct ClientOutcomes {
    #[schema(format = Uuid)]
    pub client_id: String,
    /// The first day the client became active (null: never enrolled, no windows).
    pub enrolled_on: Option<String>,
    /// Team-local today: `after` counts up to it.
    pub today: String,
    pub windows: Vec<ClientWindow>,
}

/// The team's outcomes: each window summed over its enrolled clients, with how many clients
/// are behind each figure.
#[derive(Serialize, ToSchema, Clone, Debug)]
pub struct TeamOutcomes {
    #[schema(format = Uuid)]
    pub team_id: String,
    pub today: String,
    /// Clients of the team ever enrolled (active, transitioning or discharged).
    pub enrolled_clients: i64,
    pub windows: Vec<TeamWindow>,
}

/// One client's outcomes (readers of the team; an audited read).
pub async fn client(
    pool: &Pool,
    user: AuthUser,
    team_id: String,
    client_id: String,
) -> AppResult<ClientOutcomes> {
    db::tx(pool, move |conn| {
        team_access(conn, &user, &team_id)?;
        let team = load_team(conn, &team_id)?;
        let c = load_client(conn, &team_id, &client_id)?;
        audit::view(conn, Some(&user.id), &team_id, Some(&client_id), "outcomes")?;
        let today = time::today(tz_of(&team)?, chrono::Utc::now());
        let enrolled = c
            .enrolled_on
            .as_deref()
            .and_then(|d| time::parse_day(d).ok());
        let windows = match enrolled {
            Some(e) => {
                let spans: Vec<Span> = of_client(conn, &client_id)?
                    .iter()
                    .filter_map(crate::store::episodes::span)
                    .collect();
                client_windows(e, today, &spans)
            }
            None => vec![],
        };
        Ok(ClientOutcomes {
            client_id,
            enrolled_on: c.enrolled_on,
            today: today.to_string(),
            windows,
        })
    })
    .await
}

/// The team's outcomes (readers of the team); `export` records a CSV export in the audit trail.
pub async fn team(
    pool: &Pool,
    user: AuthUser,
    team_id: String,
    export: bool,
) -> AppResult<TeamOutcomes> {
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
                "outcomes.csv",
            )?;
        } else {
            audit::view(conn, Some(&user.id), &team_id, None, "outcomes")?;
        }
        let today = time::today(tz_of(&team)?, chrono::Utc::now());
        let enrolled: Vec<(String, Option<String>)> = clients::table
            .filter(clients::team_id.eq(&team_id))
            .filter(clients::enrolled_on.is_not_null())
            .select((clients::id, clients::enrolled_on))
            .load(conn)?;
        let mut spans = spans_of_clients(conn, &team_id)?;
        let per_client: Vec<Vec<ClientWindow>> = enrolled
            .iter()
            .filter_map(|(id, e)| {
                let e = time::parse_day(e.as_deref()?).ok()?;
                Some(client_windows(
                    e,
                    today,
                    &spans.remove(id).unwrap_or_default(),
                ))
            })
            .collect();
        Ok(TeamOutcomes {
            team_id,
            today: today.to_string(),
            enrolled_clients: per_client.len() as i64,
            windows: team_windows(&per_client),
        })
    })
    .await
}

/// The team's outcomes as CSV: one row per window and side.
pub fn team_csv(t: &TeamOutcomes) -> AppResult<Vec<u8>> {
    let mut w = csv::Writer::from_writer(Vec::new());
    let header = [
        "months",
        "side",
        "clients",
        "clients_complete",
        "client_months",
        "hospital_days",
        "hospital_days_per_month",
        "hospital_days_mean",
        "admissions",
        "psychiatric_admissions",
        "ed_visits",
        "jail_days",
        "homeless_days",
        "crisis_bed_days",
    ];
    w.write_record(header).map_err(AppError::internal)?;
    let opt = |x: Option<f64>| x.map(|v| v.to_string()).unwrap_or_default();
    for win in &t.windows {
        for (name, s) in [("before", &win.before), ("after", &win.after)] {
            w.write_record([
                win.months.to_string(),
                name.to_string(),
                s.clients.to_string(),
                s.clients_complete.to_string(),
                s.months.to_string(),
                s.hospital_days.to_string(),
                opt(s.hospital_days_per_month),
                opt(s.hospital_days_mean),
                s.admissions.to_string(),
                s.psychiatric_admissions.to_string(),
                s.ed_visits.to_string(),
                s.jail_days.to_string(),
                s.homeless_days.to_string(),
                s.crisis_bed_days.to_string(),
            ])
            .map_err(AppError::internal)?;
        }
    }
    w.into_inner().map_err(AppError::internal)
}
