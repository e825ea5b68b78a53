//! Demo data: a Riverside ACT team and a Northside ICM team, so a new installation shows a
//! working board at once. Only ever loaded into an empty database.

use crate::api::members::set_role;
use crate::api::staff::{insert_staff, NewStaff};
use crate::db::schema::teams;
use crate::db::{self, events, DbConn};
use crate::domain::roles::Role;
use crate::error::AppResult;
use diesel::prelude::*;

pub const PASSWORD: &str = "actboard-demo";

pub enum Outcome {
    Loaded(String),
    Skipped(String),
}

/// (username, display name, discipline, role)
const RIVERSIDE: &[(&str, &str, &str, Role)] = &[
    ("maria.lopez", "Maria Lopez", "team_lead", Role::Lead),
    ("dr.chen", "Dr. Wei Chen", "psychiatrist", Role::Member),
    ("sam.okafor", "Sam Okafor", "nurse", Role::Member),
    ("priya.nair", "Priya Nair", "nurse", Role::Member),
    ("jordan.blake", "Jordan Blake", "case_manager", Role::Member),
    ("alex.kim", "Alex Kim", "case_manager", Role::Member),
    ("taylor.reed", "Taylor Reed", "social_worker", Role::Member),
    ("casey.morgan", "Casey Morgan", "peer_specialist", Role::Member),
    ("devon.hughes", "Devon Hughes", "substance_use_specialist", Role::Member),
    ("riley.park", "Riley Park", "employment_specialist", Role::Member),
    ("jamie.fox", "Jamie Fox", "housing_specialist", Role::Member),
    ("morgan.ellis", "Morgan Ellis", "other", Role::Viewer),
];

const NORTHSIDE: &[(&str, &str, &str, Role)] = &[
    ("dana.white", "Dana White", "team_lead", Role::Lead),
    ("chris.adams", "Chris Adams", "case_manager", Role::Member),
    ("pat.nguyen", "Pat Nguyen", "case_manager", Role::Member),
    ("lee.santos", "Lee Santos", "case_manager", Role::Member),
    ("robin.clark", "Robin Clark", "case_manager", Role::Member),
    ("kelly.ward", "Kelly Ward", "case_manager", Role::Member),
];

pub struct DemoTeam {
    pub id: String,
    pub staff_ids: Vec<String>,
}

fn create_team(conn: &mut DbConn, name: &str, mode: &str, tz: &str, admin: &str) -> AppResult<String> {
    let id = uuid::Uuid::new_v4().to_string();
    diesel::insert_into(teams::table)
        .values((
            teams::id.eq(&id),
            teams::name.eq(name),
            teams::mode.eq(mode),
            teams::timezone.eq(tz),
            teams::caseload_cap.eq(15),
            teams::privacy.eq("initials"),
            teams::last_seq.eq(0i64),
            teams::version.eq(1),
            teams::created_at.eq(db::now()),
        ))
        .execute(conn)?;
    events::append(conn, &id, "team.created", &serde_json::json!({"id": id, "name": name}), Some(admin))?;
    Ok(id)
}

fn add_staff(conn: &mut DbConn, team_id: &str, people: &[(&str, &str, &str, Role)], admin: &str) -> AppResult<Vec<String>> {
    let mut ids = vec![];
    for (username, name, discipline, role) in people {
        let row = insert_staff(conn, NewStaff {
            username: username.to_string(),
            display_name: name.to_string(),
            discipline: discipline.to_string(),
            password: PASSWORD.to_string(),
            is_admin: false,
        })?;
        set_role(conn, team_id, &row.id, *role, Some(admin))?;
        ids.push(row.id);
    }
    Ok(ids)
}

pub fn load(conn: &mut DbConn, seed: u64) -> AppResult<Outcome> {
    let existing: i64 = teams::table.count().get_result(conn)?;
    if existing > 0 {
        return Ok(Outcome::Skipped(format!(
            "demo not loaded: the database already holds {existing} team(s). Demo logins (if it was loaded before): \
             maria.lopez / {PASSWORD} (ACT lead), dana.white / {PASSWORD} (ICM lead), admin / {PASSWORD}"
        )));
    }
    db::write_tx(conn, |conn| {
        let admin = insert_staff(conn, NewStaff {
            username: "admin".into(),
            display_name: "Demo Admin".into(),
            discipline: "other".into(),
            password: PASSWORD.into(),
            is_admin: true,
        })?;
        let act_id = create_team(conn, "Riverside ACT", "act", "America/New_York", &admin.id)?;
        let act = DemoTeam { staff_ids: add_staff(conn, &act_id, RIVERSIDE, &admin.id)?, id: act_id };
        let icm_id = create_team(conn, "Northside ICM", "icm", "America/Chicago", &admin.id)?;
        let icm = DemoTeam { staff_ids: add_staff(conn, &icm_id, NORTHSIDE, &admin.id)?, id: icm_id };
        let _ = (seed, &act, &icm);
        Ok(())
    })?;
    let mut s = String::from("Demo loaded: Riverside ACT (America/New_York, 12 staff) and Northside ICM (America/Chicago, 6 staff).\n");
    s.push_str(&format!("Every demo account's password is '{PASSWORD}' (never load the demo on a server with real clients):\n"));
    s.push_str("  admin         administrator (creates teams and staff)\n");
    s.push_str("  maria.lopez   lead of Riverside ACT      (also: dr.chen, sam.okafor, jordan.blake, … as members; morgan.ellis viewer)\n");
    s.push_str("  dana.white    lead of Northside ICM      (case managers: chris.adams, pat.nguyen, lee.santos, robin.clark, kelly.ward)");
    Ok(Outcome::Loaded(s))
}
