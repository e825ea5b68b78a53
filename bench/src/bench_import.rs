//! `actboard-bench import`: a generated file of N clients (default 10,000) imported into a new
//! ICM team on a fresh database (a temporary SQLite file, or a new database on the PostgreSQL
//! server named by the URL), through the same use cases `actboard import` and the API run:
//! the staff file first (the case managers), then the clients' dry run, the import, and the
//! same file again (every row unchanged). Prints one line per step with its time.

use actboard::db::{self, DbTarget};
use actboard::domain::team::{Mode, Privacy};
use actboard::store::{import, staff, teams};
use diesel::connection::SimpleConnection;
use diesel::prelude::*;
use std::time::Instant;

/// Case managers in the generated team; each carries 12 of the active clients (cap 15).
const CASE_MANAGERS: usize = 250;

pub struct ImportResult {
    pub engine: String,
    pub rows: usize,
    pub bytes: usize,
    pub staff_s: f64,
    pub dry_run_s: f64,
    pub apply_s: f64,
    pub again_s: f64,
}

impl ImportResult {
    pub const HEADER: &'static str = "| engine | rows | file | staff import (250 rows) | dry run | import | same file again (all unchanged) |\n|---|---|---|---|---|---|---|";
    pub fn row(&self) -> String {
        format!(
            "| {} | {} | {:.1} MB | {:.2} s | {:.2} s | {:.2} s | {:.2} s |",
            self.engine,
            self.rows,
            self.bytes as f64 / (1024.0 * 1024.0),
            self.staff_s,
            self.dry_run_s,
            self.apply_s,
            self.again_s
        )
    }
}

/// The generated client file: every third client active with a case manager (12 each),
/// the rest referred or in screening without one.
pub fn client_file(rows: usize) -> String {
    let mut out = String::from(
        "external_id,given_name,family_name,preferred_name,status,case_manager_username,risk_tier\n",
    );
    let given = [
        "Ana", "Ben", "Chloé", "Dev", "Eun-ji", "Femi", "Gus", "Hana",
    ];
    let family = [
        "Lopez",
        "Okafor",
        "Nair",
        "Kim",
        "García-Ruiz",
        "O'Neil",
        "Berg",
        "Tran",
    ];
    let tiers = ["low", "medium", "high"];
    let mut active = 0;
    for i in 0..rows {
        let (status, cm) = if i.is_multiple_of(3) && active < CASE_MANAGERS * 12 {
            active += 1;
            (
                "active",
                format!("bench.cm{:03}", (active - 1) % CASE_MANAGERS),
            )
        } else if i % 3 == 1 {
            ("screening", String::new())
        } else {
            ("referred", String::new())
        };
        out.push_str(&format!(
            "EXT-{i:06},{},{}{},,{status},{cm},{}\n",
            given[i % given.len()],
            family[i % family.len()],
            i / family.len(),
            tiers[i % tiers.len()]
        ));
    }
    out
}

fn staff_file(team: &str) -> String {
    let mut out = String::from("username,display_name,discipline,team,role\n");
    for i in 0..CASE_MANAGERS {
        out.push_str(&format!(
            "bench.cm{i:03},Case Manager {i},case_manager,{team},member\n"
        ));
    }
    out
}

pub fn run(database: &str, rows: usize) -> ImportResult {
    let dir = tempfile::tempdir().expect("temp dir");
    let (url, cleanup) = if database == "sqlite" {
        (
            format!("sqlite://{}", dir.path().join("bench.db").display()),
            None,
        )
    } else {
        let name = format!("actboard_bench_import_{}", std::process::id());
        let mut c = diesel::PgConnection::establish(database).expect("postgres reachable");
        c.batch_execute(&format!("DROP DATABASE IF EXISTS {name}"))
            .unwrap();
        c.batch_execute(&format!("CREATE DATABASE {name}")).unwrap();
        let base = database
            .rsplit_once('/')
            .map(|(b, _)| b)
            .unwrap_or(database);
        (format!("{base}/{name}"), Some((database.to_string(), name)))
    };
    let target = DbTarget::parse(&url).expect("url");
    let engine = format!("{:?}", target.engine());
    let result = {
        let pool = db::build_pool(&target, 2).expect("pool");
        let mut conn = pool.get().expect("conn");
        db::migrate(&mut conn).expect("migrate");
        let admin = staff::store_staff(
            &mut conn,
            staff::prepared_without_password(
                "bench.admin".into(),
                "Bench Admin".into(),
                "other".into(),
            ),
        )
        .expect("admin");
        let team = teams::insert(
            &mut conn,
            &teams::NewTeam {
                name: "Bench ICM".into(),
                mode: Mode::Icm,
                timezone: chrono_tz::America::New_York,
                caseload_cap: 15,
                privacy: Privacy::Initials,
                escalate_after_minutes: actboard::domain::team::DEFAULT_ESCALATE_AFTER,
            },
            &admin.id,
        )
        .expect("team");
        let quiet = &mut |_: &str, _: u64, _: u64| {};

        let staff_csv = staff_file("Bench ICM");
        let t = Instant::now();
        let r = import::in_transaction(
            &mut conn,
            |r| import::keeps(r, false),
            |c| import::import_staff_in(c, staff_csv.as_bytes(), None, quiet),
        )
        .expect("staff import");
        let staff_s = t.elapsed().as_secs_f64();
        assert_eq!(
            (r.created, r.failed),
            (CASE_MANAGERS as u32, 0),
            "{:?}",
            r.rows.first()
        );

        let file = client_file(rows);
        let mut time = |dry_run: bool| {
            let t = Instant::now();
            let r = import::in_transaction(
                &mut conn,
                |r| import::keeps(r, dry_run),
                |c| import::import_clients_in(c, &team.id, file.as_bytes(), dry_run, None, quiet),
            )
            .expect("client import");
            assert_eq!(
                r.failed,
                0,
                "{:?}",
                r.rows.iter().find(|x| !x.errors.is_empty())
            );
            (t.elapsed().as_secs_f64(), r)
        };
        let (dry_run_s, dry) = time(true);
        assert_eq!(dry.created as usize, rows);
        let (apply_s, done) = time(false);
        assert_eq!(done.created as usize, rows);
        let (again_s, again) = time(false);
        assert_eq!(again.unchanged as usize, rows);
        ImportResult {
            engine,
            rows,
            bytes: file.len(),
            staff_s,
            dry_run_s,
            apply_s,
            again_s,
        }
    };
    if let Some((admin_url, name)) = cleanup {
        if let Ok(mut c) = diesel::PgConnection::establish(&admin_url) {
            let _ = c.batch_execute(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"));
        }
    }
    result
}
