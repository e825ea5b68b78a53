//! CSV import of clients (a team's caseload) and of staff (accounts and memberships).
//!
//! All rows or none: every row is checked first (the same rules as the API's writes:
//! `domain::import` reads the file with `domain::text`, `domain::client` and `domain::staff`,
//! and the case manager and cap rules are `domain::caseload`'s), and only a file without a
//! failed row is written, in one transaction. Rows match by `external_id` (clients, within
//! the team) or `username` (staff), so the same file imported twice changes nothing.
//!
//! Clients are written in bulk: the team's clients and the named staff are read once, new
//! clients inserted in batches, and ONE `clients.imported` event is appended (not one
//! `client.created` per row: 10,000 events would flood every board's live stream and replay
//! window; the boards read a snapshot on it instead). The caseload cap is checked in file
//! order, as if the rows were saved one by one, under the locks every other assignment takes
//! (the team's, then each case manager's staff row, in id order).

use crate::auth::{team_access, write_access, AuthUser};
use crate::db::models::{ClientRow, TeamRow};
use crate::db::schema::{clients, memberships, staff, teams};
use crate::db::{self, caseload, DbConn, Pool};
use crate::domain::caseload::{carry_refusal, check_room, full_words};
use crate::domain::client::{
    self as client_rules, DischargeChange, RiskTier, Status, WriteRefusal,
};
use crate::domain::import::{self as rules, Seen, CLIENT_COLUMNS, STAFF_COLUMNS};
use crate::domain::roles::Role;
use crate::domain::FieldError;
use crate::error::{AppError, AppResult};
use crate::store::events::{append, Event};
use crate::store::members;
use crate::store::staff as staff_store;
use diesel::prelude::*;
use std::collections::HashMap;
use uuid::Uuid;

pub use crate::store::records::import::{
    ClientsImported, ImportFailedProblem, ImportReport, RowAction, RowReport,
};

/// The largest file the import routes accept (about 100,000 client rows).
pub const MAX_FILE: usize = 20 * 1024 * 1024;

/// New clients per INSERT statement (14 values each: well under both engines' limits).
const BATCH: usize = 500;

/// Told how far an import has come: (what, done, of).
pub type Progress<'a> = &'a mut dyn FnMut(&str, u64, u64);

/// 422 `import_failed` with the report: nothing was stored.
pub fn failed(report: ImportReport) -> AppError {
    let detail = format!(
        "{} of {} rows have errors; nothing was imported. Correct them and import the file again.",
        report.failed,
        report.rows.len()
    );
    let mut extra = serde_json::Map::new();
    if let Ok(serde_json::Value::Object(m)) = serde_json::to_value(&report) {
        extra = m;
    }
    AppError::ImportFailed { detail, extra }
}

// ---------------------------------------------------------------------------------------
// Clients
// ---------------------------------------------------------------------------------------

/// What a checked client file will write.
pub struct ClientPlan {
    pub report: ImportReport,
    creates: Vec<NewClient>,
    updates: Vec<(ClientRow, client_rules_values::Values)>,
}

mod client_rules_values {
    /// A client's values after an import row.
    #[derive(Debug, Clone, PartialEq)]
    pub struct Values {
        pub given_name: String,
        pub family_name: String,
        pub preferred_name: Option<String>,
        pub status: String,
        pub risk_tier: String,
        pub case_manager_id: Option<String>,
    }
}
use client_rules_values::Values;

#[derive(Insertable)]
#[diesel(table_name = clients, treat_none_as_default_value = false)]
struct NewClient {
    id: String,
    team_id: String,
    given_name: String,
    family_name: String,
    preferred_name: Option<String>,
    initials: String,
    external_id: Option<String>,
    status: String,
    risk_tier: String,
    case_manager_id: Option<String>,
    version: i32,
    created_at: chrono::NaiveDateTime,
    updated_at: chrono::NaiveDateTime,
}

/// A case manager as the import sees them: their id, and why they cannot carry clients on
/// this team, if they cannot.
struct Carrier {
    id: String,
    refusal: Option<&'static str>,
    display_name: String,
}

/// Staff by (lower-case) username, for the names in `usernames`: one query per 500.
fn staff_by_username(
    conn: &mut DbConn,
    usernames: &[String],
) -> AppResult<HashMap<String, (String, String, bool)>> {
    let mut out = HashMap::new();
    for chunk in usernames.chunks(500) {
        let rows: Vec<(String, String, String, bool)> = staff::table
            .filter(staff::username.eq_any(chunk))
            .select((
                staff::id,
                staff::username,
                staff::display_name,
                staff::active,
            ))
            .load(conn)?;
        for (id, username, name, active) in rows {
            out.insert(username, (id, name, active));
        }
    }
    Ok(out)
}

/// A row's key as written (its first column: external_id or username), trimmed and cut to
/// 64 characters; blank when the line could not be read.
fn key_of(cells: &Result<Vec<String>, FieldError>) -> String {
    cells
        .as_ref()
        .ok()
        .and_then(|c| c.first())
        .map(|k| k.trim().chars().take(64).collect())
        .unwrap_or_default()
}

/// Check a client file against the team (`lock`: take the case managers' locks, as an
/// applied import must). Nothing is written.
pub fn plan_clients(
    conn: &mut DbConn,
    team: &TeamRow,
    bytes: &[u8],
    lock: bool,
    progress: Progress,
) -> AppResult<ClientPlan> {
    let mut plan = ClientPlan {
        report: ImportReport::default(),
        creates: vec![],
        updates: vec![],
    };
    let lines = match rules::read(bytes, &CLIENT_COLUMNS) {
        Ok(l) => l,
        Err(p) => {
            plan.report = ImportReport::file_problem(p.0);
            return Ok(plan);
        }
    };
    let total = lines.len() as u64;
    progress("checking", 0, total);
    // Every row's own fields, and duplicates within the file.
    let mut seen = Seen::default();
    let rows: Vec<(u64, String, Result<rules::ClientFields, Vec<FieldError>>)> = lines
        .into_iter()
        .map(|l| {
            // The id as written, even when another field of the row is wrong.
            let key = key_of(&l.cells);
            let checked = l
                .cells
                .map_err(|e| vec![e])
                .and_then(|c| rules::client_fields(&c));
            let checked = checked.and_then(|f| match seen.first(&f.external_id, l.line) {
                Some(first) => Err(vec![FieldError::new(
                    "external_id",
                    format!(
                        "'{}' is also on line {first}; each client appears once in a file",
                        f.external_id
                    ),
                )]),
                None => Ok(f),
            });
            (l.line, key, checked)
        })
        .collect();

    // What the database knows, read once: the team's clients by external id, the named
    // staff, and the team's members.
    let existing: HashMap<String, ClientRow> = clients::table
        .filter(clients::team_id.eq(&team.id))
        .filter(clients::external_id.is_not_null())
        .select(ClientRow::as_select())
        .load::<ClientRow>(conn)?
        .into_iter()
        .filter_map(|c| Some((c.external_id.clone()?, c)))
        .collect();
    let mut usernames: Vec<String> = rows
        .iter()
        .filter_map(|(_, _, r)| r.as_ref().ok()?.case_manager_username.clone())
        .collect();
    usernames.sort();
    usernames.dedup();
    let named = staff_by_username(conn, &usernames)?;
    let roles: HashMap<String, String> = memberships::table
        .filter(memberships::team_id.eq(&team.id))
        .select((memberships::staff_id, memberships::role))
        .load::<(String, String)>(conn)?
        .into_iter()
        .collect();
    let carriers: HashMap<String, Carrier> = named
        .into_iter()
        .map(|(username, (id, display_name, active))| {
            let role = roles.get(&id).and_then(|r| Role::parse(r));
            let refusal = carry_refusal(role, active);
            (
                username,
                Carrier {
                    id,
                    refusal,
                    display_name,
                },
            )
        })
        .collect();
    let icm = team.mode == "icm";
    // The caseloads the cap counts (ICM): each case manager who may carry, locked first.
    let mut held: HashMap<String, (i32, i32)> = HashMap::new();
    if icm {
        let mut ids: Vec<String> = carriers
            .values()
            .filter(|c| c.refusal.is_none())
            .map(|c| c.id.clone())
            .collect();
        ids.sort();
        if lock {
            caseload::lock_people(conn, &ids)?;
        }
        held = caseload::held_by(conn, &team.id, &ids)?;
    }

    let now = db::now();
    for (i, (line, key, checked)) in rows.into_iter().enumerate() {
        if i.is_multiple_of(1000) {
            progress("checking", i as u64, total);
        }
        let f = match checked {
            Ok(f) => f,
            Err(errors) => {
                plan.report.push(line, &key, RowAction::Error, errors);
                continue;
            }
        };
        let before = existing.get(&f.external_id);
        let from = before.and_then(|b| Status::parse(&b.status));
        let status = f.status.or(from).unwrap_or(Status::Referred);
        let risk_tier = f
            .risk_tier
            .map(|r| r.as_str().to_string())
            .or_else(|| before.map(|b| b.risk_tier.clone()))
            .unwrap_or_else(|| RiskTier::Medium.as_str().to_string());
        let mut errors = vec![];
        let case_manager = match &f.case_manager_username {
            None => None,
            Some(u) => match carriers.get(u) {
                None => {
                    errors.push(FieldError::new(
                        "case_manager_username",
                        format!("no staff member has the username '{u}'"),
                    ));
                    None
                }
                Some(c) => {
                    // The one already assigned keeps their clients (as a PATCH would).
                    let kept = before.and_then(|b| b.case_manager_id.as_ref()) == Some(&c.id);
                    match c.refusal {
                        Some(why) if !kept => errors.push(FieldError::new(
                            "case_manager_username",
                            format!("'{u}' {why}"),
                        )),
                        _ => {}
                    }
                    Some(c)
                }
            },
        };
        // A case manager named but refused above is already this row's error.
        let named = f.case_manager_username.is_some();
        if let Err(r) = client_rules::check_write(from, status, icm, named) {
            errors.push(match r {
                WriteRefusal::Transition(m) => FieldError::new("status", m),
                WriteRefusal::Field("case_manager_id", m) => {
                    FieldError::new("case_manager_username", m)
                }
                WriteRefusal::Field(field, m) => FieldError::new(field, m),
            });
        }
        if !errors.is_empty() {
            plan.report
                .push(line, &f.external_id, RowAction::Error, errors);
            continue;
        }
        let values = Values {
            given_name: f.given_name,
            family_name: f.family_name,
            preferred_name: f.preferred_name,
            status: status.as_str().to_string(),
            risk_tier,
            case_manager_id: case_manager.map(|c| c.id.clone()),
        };
        if let Some(b) = before {
            let stored = Values {
                given_name: b.given_name.clone(),
                family_name: b.family_name.clone(),
                preferred_name: b.preferred_name.clone(),
                status: b.status.clone(),
                risk_tier: b.risk_tier.clone(),
                case_manager_id: b.case_manager_id.clone(),
            };
            if stored == values {
                plan.report
                    .push(line, &f.external_id, RowAction::Unchanged, vec![]);
                continue;
            }
        }
        // The cap, in file order: a slot released by an earlier row is free for a later one.
        if icm {
            let held_before = before.and_then(|b| {
                client_rules::slot_holder(Status::parse(&b.status)?, b.case_manager_id.as_deref())
            });
            let will_hold = client_rules::slot_holder(status, values.case_manager_id.as_deref());
            let (release, take) = client_rules::slot_change(held_before, will_hold);
            if let Some(taker) = take {
                let (here, total) = held.get(taker).copied().unwrap_or((0, 0));
                if let Err(full) = check_room(here, team.caseload_cap, total, 1) {
                    let name = case_manager.map(|c| c.display_name.as_str()).unwrap_or("");
                    plan.report.push(
                        line,
                        &f.external_id,
                        RowAction::Error,
                        vec![FieldError::new(
                            "case_manager_username",
                            full_words(name, full, here, total, 1),
                        )],
                    );
                    continue;
                }
                let e = held.entry(taker.to_string()).or_default();
                e.0 += 1;
                e.1 += 1;
            }
            if let Some(r) = release {
                if let Some(e) = held.get_mut(r) {
                    e.0 -= 1;
                    e.1 -= 1;
                }
            }
        }
        match before {
            Some(b) => {
                plan.report
                    .push(line, &f.external_id, RowAction::Update, vec![]);
                plan.updates.push((b.clone(), values));
            }
            None => {
                plan.report
                    .push(line, &f.external_id, RowAction::Create, vec![]);
                plan.creates.push(NewClient {
                    id: Uuid::new_v4().to_string(),
                    team_id: team.id.clone(),
                    initials: client_rules::initials(&values.given_name, &values.family_name),
                    given_name: values.given_name,
                    family_name: values.family_name,
                    preferred_name: values.preferred_name,
                    external_id: Some(f.external_id),
                    status: values.status,
                    risk_tier: values.risk_tier,
                    case_manager_id: values.case_manager_id,
                    version: 1,
                    created_at: now,
                    updated_at: now,
                });
            }
        }
    }
    progress("checking", total, total);
    Ok(plan)
}

/// Write a plan without failed rows (after `write_access`, in its transaction): new clients
/// in batches, changed ones one by one (with their version), then one `clients.imported`.
pub fn apply_clients(
    conn: &mut DbConn,
    team: &TeamRow,
    plan: ClientPlan,
    actor: Option<&str>,
    progress: Progress,
) -> AppResult<ImportReport> {
    let total = (plan.creates.len() + plan.updates.len()) as u64;
    let mut done = 0u64;
    progress("writing", 0, total);
    for chunk in plan.creates.chunks(BATCH) {
        // One multi-row INSERT per batch (MultiConnection has no batch insert: each engine's
        // own connection runs it).
        let insert = diesel::insert_into(clients::table).values(chunk);
        match conn {
            DbConn::Sqlite(c) => insert.execute(c)?,
            DbConn::Postgres(c) => insert.execute(c)?,
        };
        done += chunk.len() as u64;
        progress("writing", done, total);
    }
    let now = db::now();
    let today = now.date();
    for (b, v) in &plan.updates {
        let from = Status::parse(&b.status);
        let to = Status::parse(&v.status).unwrap_or(Status::Referred);
        // A discharged client who returns loses the discharge record (the log keeps it).
        let clear = from.is_some_and(|from| {
            client_rules::discharge_change(from, to, Default::default(), today)
                == Ok(DischargeChange::Clear)
        });
        let target = clients::table
            .filter(clients::team_id.eq(&team.id))
            .filter(clients::id.eq(&b.id))
            .filter(clients::version.eq(b.version));
        let n = diesel::update(target)
            .set((
                clients::given_name.eq(&v.given_name),
                clients::family_name.eq(&v.family_name),
                clients::preferred_name.eq(&v.preferred_name),
                clients::initials.eq(client_rules::initials(&v.given_name, &v.family_name)),
                clients::status.eq(&v.status),
                clients::risk_tier.eq(&v.risk_tier),
                clients::case_manager_id.eq(&v.case_manager_id),
                clients::version.eq(b.version + 1),
                clients::updated_at.eq(now),
            ))
            .execute(conn)?;
        if n == 0 {
            return Err(AppError::conflict(
                "a client of the file was changed while it was imported; import the file again",
            ));
        }
        if clear {
            diesel::update(clients::table.filter(clients::id.eq(&b.id)))
                .set((
                    clients::discharge_reason.eq(None::<String>),
                    clients::discharged_on.eq(None::<String>),
                    clients::discharged_at.eq(None::<chrono::NaiveDateTime>),
                ))
                .execute(conn)?;
        }
        done += 1;
        if done.is_multiple_of(1000) {
            progress("writing", done, total);
        }
    }
    let report = plan.report;
    if report.created + report.updated > 0 {
        append(
            conn,
            &team.id,
            Event::ClientsImported(ClientsImported {
                created: report.created,
                updated: report.updated,
            }),
            actor,
        )?;
    }
    progress("writing", total, total);
    Ok(report)
}

/// The whole client import in the caller's transaction (the command line's path; `actor`
/// None): the team locked, the file checked, and written unless it is a dry run or a row
/// failed. The caller keeps the transaction only when `keeps` says so.
pub fn import_clients_in(
    conn: &mut DbConn,
    team_id: &str,
    bytes: &[u8],
    dry_run: bool,
    actor: Option<&str>,
    progress: Progress,
) -> AppResult<ImportReport> {
    crate::db::events::lock_team(conn, team_id)?;
    let team: TeamRow = teams::table
        .filter(teams::id.eq(team_id))
        .select(TeamRow::as_select())
        .first(conn)
        .optional()?
        .ok_or_else(|| AppError::not_found("team"))?;
    let plan = plan_clients(conn, &team, bytes, !dry_run, progress)?;
    if dry_run || plan.report.failed > 0 {
        return Ok(plan.report);
    }
    apply_clients(conn, &team, plan, actor, progress)
}

/// Whether an import's transaction is kept: not a dry run, and no row failed.
pub fn keeps(report: &ImportReport, dry_run: bool) -> bool {
    !dry_run && report.failed == 0
}

/// Run an import in one writing transaction and answer its report; the transaction is
/// committed only when `keep(report)`, else rolled back (a dry run, a failed row).
pub fn in_transaction(
    conn: &mut DbConn,
    keep: impl Fn(&ImportReport) -> bool,
    f: impl FnOnce(&mut DbConn) -> AppResult<ImportReport>,
) -> AppResult<ImportReport> {
    let mut out = None;
    let mut kept = false;
    let r = db::write_tx(conn, |c| {
        let report = f(c)?;
        kept = keep(&report);
        out = Some(report);
        if kept {
            Ok(())
        } else {
            Err(AppError::internal("rolled back on purpose"))
        }
    });
    crate::db::events::take_appended();
    match (r, out) {
        (Ok(()), Some(report)) => Ok(report),
        (Err(_), Some(report)) if !kept => Ok(report),
        (Err(e), _) => Err(e),
        (Ok(()), None) => Err(AppError::internal("the import did not run")),
    }
}

/// `POST /api/teams/{id}/import/clients` (leads and admins): a dry run reads and answers the
/// report (200, failed rows included); otherwise all rows are written or none (422).
pub async fn clients(
    pool: &Pool,
    user: AuthUser,
    team_id: String,
    bytes: Vec<u8>,
    dry_run: bool,
) -> AppResult<ImportReport> {
    if dry_run {
        return db::run(pool, move |conn| {
            team_access(conn, &user, &team_id)?.require(Role::Lead)?;
            db::read_tx(conn, |conn| {
                let team: TeamRow = teams::table
                    .filter(teams::id.eq(&team_id))
                    .select(TeamRow::as_select())
                    .first(conn)?;
                Ok(plan_clients(conn, &team, &bytes, false, &mut |_, _, _| {})?.report)
            })
        })
        .await;
    }
    db::tx(pool, move |conn| {
        let team = write_access(conn, &user, &team_id, Role::Lead)?;
        let plan = plan_clients(conn, &team, &bytes, true, &mut |_, _, _| {})?;
        if plan.report.failed > 0 {
            return Err(failed(plan.report));
        }
        apply_clients(conn, &team, plan, Some(&user.id), &mut |_, _, _| {})
    })
    .await
}

// ---------------------------------------------------------------------------------------
// Staff
// ---------------------------------------------------------------------------------------

fn no_password_notice(created: usize) -> Option<String> {
    (created > 0).then(|| {
        format!(
            "{created} new staff account(s) have no password: they cannot sign in until an \
             administrator sets one (Admin, Staff, Set password)."
        )
    })
}

/// The staff import in the caller's transaction: accounts created or updated (display name,
/// discipline) and memberships set through the same rules as the API (`members::set_role`:
/// the last lead stays, a carrier does not become a viewer). Rows are written as they are
/// checked, so the caller rolls back unless `keeps` (a dry run, a failed row).
pub fn import_staff_in(
    conn: &mut DbConn,
    bytes: &[u8],
    actor: Option<&str>,
    progress: Progress,
) -> AppResult<ImportReport> {
    let lines = match rules::read(bytes, &STAFF_COLUMNS) {
        Ok(l) => l,
        Err(p) => return Ok(ImportReport::file_problem(p.0)),
    };
    let total = lines.len() as u64;
    let mut report = ImportReport::default();
    let mut usernames = vec![];
    let rows: Vec<(u64, String, Result<rules::StaffFields, Vec<FieldError>>)> = lines
        .into_iter()
        .map(|l| {
            let key = key_of(&l.cells);
            let r = l
                .cells
                .map_err(|e| vec![e])
                .and_then(|c| rules::staff_fields(&c));
            if let Ok(f) = &r {
                usernames.push(f.username.clone());
            }
            (l.line, key, r)
        })
        .collect();
    usernames.sort();
    usernames.dedup();
    let mut known: HashMap<String, String> = HashMap::new();
    for chunk in usernames.chunks(500) {
        let rows: Vec<(String, String)> = staff::table
            .filter(staff::username.eq_any(chunk))
            .select((staff::username, staff::id))
            .load(conn)?;
        known.extend(rows);
    }
    let mut team_ids: HashMap<String, Vec<String>> = HashMap::new();
    for (id, name) in teams::table
        .select((teams::id, teams::name))
        .load::<(String, String)>(conn)?
    {
        team_ids
            .entry(name.trim().to_lowercase())
            .or_default()
            .push(id);
    }
    // Per username: the first line and its name and discipline (later lines must agree).
    let mut first: HashMap<String, (u64, String, String)> = HashMap::new();
    let mut seen = Seen::default();
    let mut created = 0;
    for (i, (line, key, r)) in rows.into_iter().enumerate() {
        progress("importing", i as u64, total);
        let f = match r {
            Ok(f) => f,
            Err(errors) => {
                report.push(line, &key, RowAction::Error, errors);
                continue;
            }
        };
        let dup_key = format!(
            "{}\u{0}{}",
            f.username,
            f.team.as_deref().unwrap_or("").to_lowercase()
        );
        let mut errors = vec![];
        if let Some(l) = seen.first(&dup_key, line) {
            errors.push(FieldError::new(
                "username",
                format!("'{}' is also on line {l} for the same team", f.username),
            ));
        }
        match first.get(&f.username) {
            Some((l, name, discipline))
                if *name != f.display_name || *discipline != f.discipline =>
            {
                errors.push(FieldError::new(
                    "display_name",
                    format!(
                        "'{}' is on line {l} too with a different display name or discipline; give the same on every line",
                        f.username
                    ),
                ));
            }
            Some(_) => {}
            None => {
                first.insert(
                    f.username.clone(),
                    (line, f.display_name.clone(), f.discipline.clone()),
                );
            }
        }
        let team_id = match &f.team {
            None => None,
            Some(name) => match team_ids.get(&name.to_lowercase()).map(Vec::as_slice) {
                Some([one]) => Some(one.clone()),
                Some(many) => {
                    errors.push(FieldError::new(
                        "team",
                        format!("{} teams are named '{name}'; rename one first", many.len()),
                    ));
                    None
                }
                None => {
                    errors.push(FieldError::new(
                        "team",
                        format!("there is no team named '{name}'"),
                    ));
                    None
                }
            },
        };
        if !errors.is_empty() {
            report.push(line, &f.username, RowAction::Error, errors);
            continue;
        }
        let mut action = RowAction::Unchanged;
        let staff_id = match known.get(&f.username) {
            Some(id) => {
                let cur = staff_store::load_staff(conn, id)?;
                if cur.display_name != f.display_name || cur.discipline != f.discipline {
                    diesel::update(staff::table.filter(staff::id.eq(id)))
                        .set((
                            staff::display_name.eq(&f.display_name),
                            staff::discipline.eq(&f.discipline),
                        ))
                        .execute(conn)?;
                    action = RowAction::Update;
                }
                id.clone()
            }
            None => {
                let row = staff_store::store_staff(
                    conn,
                    staff_store::prepared_without_password(
                        f.username.clone(),
                        f.display_name.clone(),
                        f.discipline.clone(),
                    ),
                )?;
                known.insert(f.username.clone(), row.id.clone());
                created += 1;
                action = RowAction::Create;
                row.id
            }
        };
        if let (Some(team_id), Some(role)) = (team_id, f.role) {
            if members::current_role(conn, &team_id, &staff_id)? != Some(role) {
                match members::set_role(conn, &team_id, &staff_id, role, actor) {
                    Ok(_) => {
                        if action == RowAction::Unchanged {
                            action = RowAction::Update;
                        }
                    }
                    Err(
                        e @ (AppError::Conflict { .. }
                        | AppError::Validation { .. }
                        | AppError::NotFound(_)),
                    ) => {
                        report.push(
                            line,
                            &f.username,
                            RowAction::Error,
                            vec![FieldError::new("role", e.to_string())],
                        );
                        continue;
                    }
                    Err(e) => return Err(e),
                }
            }
        }
        report.push(line, &f.username, action, vec![]);
    }
    progress("importing", total, total);
    report.notice = no_password_notice(created);
    Ok(report)
}

/// `POST /api/import/staff` (admins): applied in one transaction, or rolled back (a dry run,
/// or a failed row: 422 with the report).
pub async fn staff(
    pool: &Pool,
    user: AuthUser,
    bytes: Vec<u8>,
    dry_run: bool,
) -> AppResult<ImportReport> {
    user.require_admin(staff_store::MANAGE)?;
    let actor = user.id.clone();
    if dry_run {
        return db::run(pool, move |conn| {
            in_transaction(
                conn,
                |_| false,
                |conn| import_staff_in(conn, &bytes, Some(&actor), &mut |_, _, _| {}),
            )
        })
        .await;
    }
    db::tx(pool, move |conn| {
        let report = import_staff_in(conn, &bytes, Some(&actor), &mut |_, _, _| {})?;
        if report.failed > 0 {
            return Err(failed(report));
        }
        Ok(report)
    })
    .await
}
