//! The command line: unknown database URLs refused by every command, migrations idempotent,
//! `user add`, `demo` only into an empty database, PostgreSQL without a secret refused.

mod common;

use common::{EngineChoice, TestApp, TestDb};
use std::io::Write;
use std::process::{Command, Stdio};

fn actboard(url: &str, args: &[&str], stdin: Option<&str>) -> (i32, String, String) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_actboard"))
        .args(args)
        .env("ACTBOARD_DATABASE_URL", url)
        .env_remove("ACTBOARD_JWT_SECRET")
        .env("ACTBOARD_LOG", "warn")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    if let Some(input) = stdin {
        // The process may exit before reading (a refused URL): a broken pipe is fine.
        let _ = child.stdin.take().unwrap().write_all(input.as_bytes());
    }
    drop(child.stdin.take());
    let out = child.wait_with_output().unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into(),
        String::from_utf8_lossy(&out.stderr).into(),
    )
}

#[test]
fn unknown_database_urls_are_refused_by_every_command() {
    let dir = tempfile::tempdir().unwrap();
    std::env::set_current_dir(dir.path()).unwrap();
    for url in [
        "mysql://root@localhost/x",
        "actboard.db",
        "sqlite:",
        "file:actboard.db",
    ] {
        for args in [
            vec!["serve"],
            vec!["migrate"],
            vec!["demo"],
            vec!["backup", "--out", "copy.db"],
            vec![
                "user",
                "add",
                "x",
                "--display-name",
                "X",
                "--password-stdin",
            ],
        ] {
            let (code, _, err) = actboard(url, &args, Some("password123\n"));
            assert_ne!(code, 0, "{url} {args:?}");
            assert!(
                err.contains("sqlite://") && err.contains("postgres://"),
                "{url} {args:?}: {err}"
            );
            assert_eq!(err.trim().lines().count(), 1, "one line: {err}");
        }
    }
    // Nothing was created by mistake.
    assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 0);
}

#[test]
fn every_command_has_help() {
    for args in [
        vec!["--help"],
        vec!["serve", "--help"],
        vec!["migrate", "--help"],
        vec!["demo", "--help"],
        vec!["backup", "--help"],
        vec!["user", "add", "--help"],
        vec!["import", "clients", "--help"],
        vec!["import", "staff", "--help"],
    ] {
        let (code, out, _) = actboard("sqlite://x.db", &args, None);
        assert_eq!(code, 0, "{args:?}");
        assert!(out.contains("Usage"), "{args:?}: {out}");
    }
}

fn migrate_twice_and_add_user(engine: EngineChoice) {
    let Some(db) = TestDb::new(engine) else {
        eprintln!("SKIPPED: ACTBOARD_TEST_DATABASE_URL is not set");
        return;
    };
    let (code, out, err) = actboard(&db.url, &["migrate"], None);
    assert_eq!(code, 0, "{err}");
    assert!(!out.starts_with("0 migration"), "{out}");
    let (code, out, err) = actboard(&db.url, &["migrate"], None);
    assert_eq!(code, 0, "{err}");
    assert!(
        out.starts_with("0 migration"),
        "second run is harmless: {out}"
    );

    let (code, out, err) = actboard(
        &db.url,
        &[
            "user",
            "add",
            "Boss",
            "--display-name",
            "The Boss",
            "--admin",
            "--password-stdin",
        ],
        Some("long enough pw\n"),
    );
    assert_eq!(code, 0, "{err}");
    assert!(
        out.contains("created boss") && out.contains("admin"),
        "{out}"
    );
    let (code, _, err) = actboard(
        &db.url,
        &[
            "user",
            "add",
            "boss",
            "--display-name",
            "Again",
            "--password-stdin",
        ],
        Some("long enough pw\n"),
    );
    assert_ne!(code, 0);
    assert!(err.contains("taken"), "{err}");
    let (code, _, err) = actboard(
        &db.url,
        &[
            "user",
            "add",
            "shorty",
            "--display-name",
            "S",
            "--password-stdin",
        ],
        Some("short\n"),
    );
    assert_ne!(code, 0);
    assert!(err.contains("password"), "{err}");
    // The new-password rule: a common password, and the username itself.
    for (password, why) in [("password1234\n", "common"), ("Shorty.Jones\n", "username")] {
        let (code, _, err) = actboard(
            &db.url,
            &[
                "user",
                "add",
                "shorty.jones",
                "--display-name",
                "S",
                "--password-stdin",
            ],
            Some(password),
        );
        assert_ne!(code, 0);
        assert!(err.contains("password") && err.contains(why), "{err}");
    }

    let (code, out, err) = actboard(&db.url, &["demo"], None);
    assert_eq!(code, 0, "{err}");
    assert!(
        out.contains("Demo loaded") && out.contains("maria.lopez"),
        "{out}"
    );
    let (code, out, _) = actboard(&db.url, &["demo"], None);
    assert_eq!(code, 0);
    assert!(out.contains("not loaded"), "{out}");

    // The account made on the command line signs in through the API.
    let sys = actix_web::rt::System::new();
    sys.block_on(async {
        let app = TestApp::start_on(db).await;
        let body = app.login_full("boss", "long enough pw").await.expect(200);
        assert_eq!(body["user"]["is_admin"], true);
        let teams = app
            .get("/api/teams", body["access_token"].as_str().unwrap())
            .await
            .expect(200);
        let names: Vec<&str> = teams
            .as_array()
            .unwrap()
            .iter()
            .map(|t| t["name"].as_str().unwrap())
            .collect();
        assert_eq!(names, vec!["Northside ICM", "Riverside ACT"]);
    });
}

#[test]
fn migrate_twice_and_add_user_sqlite() {
    migrate_twice_and_add_user(EngineChoice::Sqlite);
}

#[test]
fn migrate_twice_and_add_user_postgres() {
    migrate_twice_and_add_user(EngineChoice::Postgres);
}

#[test]
fn postgres_without_a_secret_refuses_to_serve() {
    let (code, _, err) = actboard("postgres://postgres@127.0.0.1:1/none", &["serve"], None);
    assert_ne!(code, 0);
    assert!(err.contains("ACTBOARD_JWT_SECRET"), "{err}");
}

/// `actboard backup` of a live SQLite database while the server keeps writing: every client
/// whose creation was answered before the backup started is in the copy, the copy passes
/// `integrity_check` and opens with actboard (no migration pending); a second backup to the
/// same file is refused and leaves it as it was; on PostgreSQL the command points to pg_dump.
#[actix_web::test]
async fn backup_copies_a_live_sqlite_database() {
    use actboard::db::{self, DbTarget};
    use diesel::prelude::*;
    use std::sync::atomic::{AtomicBool, Ordering};
    use std::sync::{Arc, Mutex};

    let app = TestApp::start(EngineChoice::Sqlite).await.unwrap();
    let t = common::fixtures::id(&app.create_team("Backup", "act").await);
    let acked = Arc::new(Mutex::new(Vec::<String>::new()));
    let stop = Arc::new(AtomicBool::new(false));
    let writer = {
        let (client, base, token) = (
            app.client.clone(),
            app.base.clone(),
            app.admin_token.clone(),
        );
        let (acked, stop, t) = (acked.clone(), stop.clone(), t.clone());
        actix_web::rt::spawn(async move {
            let mut n = 0;
            while !stop.load(Ordering::Relaxed) {
                n += 1;
                let r = client
                    .post(format!("{base}/api/teams/{t}/clients"))
                    .bearer_auth(&token)
                    .json(&serde_json::json!({"given_name": "Bea", "family_name": format!("Backup {n}")}))
                    .send()
                    .await
                    .unwrap();
                assert_eq!(r.status().as_u16(), 201);
                let v: serde_json::Value = r.json().await.unwrap();
                acked
                    .lock()
                    .unwrap()
                    .push(v["id"].as_str().unwrap().to_string());
            }
        })
    };
    let count = |acked: &Arc<Mutex<Vec<String>>>| acked.lock().unwrap().len();
    while count(&acked) < 25 {
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    }
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("actboard-backup.db");
    let before: Vec<String> = acked.lock().unwrap().clone();
    let (url, o) = (app.db.url.clone(), out.to_string_lossy().to_string());
    let (code, stdout, err) =
        actix_web::web::block(move || actboard(&url, &["backup", "--out", &o], None))
            .await
            .unwrap();
    assert_eq!(code, 0, "{err}");
    assert!(stdout.contains("integrity ok"), "{stdout}");
    // The server went on writing during and after the backup.
    let at_end = count(&acked);
    while count(&acked) < at_end + 5 {
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    }
    stop.store(true, Ordering::Relaxed);
    writer.await.unwrap();
    let total = count(&acked);

    // Only the backup file (the temporary one is gone).
    let names: Vec<String> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().to_string())
        .collect();
    assert_eq!(names, vec!["actboard-backup.db".to_string()]);

    // Restore: actboard opens the copy (nothing to migrate) and finds every acknowledged write.
    let target = DbTarget::parse(&format!("sqlite://{}", out.display())).unwrap();
    let (_, mut conn, applied) = db::open_migrated(&target, 1).unwrap();
    assert_eq!(applied, 0, "the copy is at the current schema");
    use actboard::db::schema::clients;
    let ids: std::collections::HashSet<String> = clients::table
        .filter(clients::team_id.eq(&t))
        .select(clients::id)
        .load(&mut *conn)
        .unwrap()
        .into_iter()
        .collect();
    let missing: Vec<&String> = before.iter().filter(|i| !ids.contains(*i)).collect();
    assert!(
        missing.is_empty(),
        "acknowledged before the backup, missing: {missing:?}"
    );
    assert!(
        ids.len() >= before.len() && ids.len() < total,
        "{} {} {total}",
        ids.len(),
        before.len()
    );
    // The copy's event log is whole: seqs 1..=last_seq without a gap.
    use actboard::db::schema::{events, teams};
    let last: i64 = teams::table
        .filter(teams::id.eq(&t))
        .select(teams::last_seq)
        .first(&mut *conn)
        .unwrap();
    let n: i64 = events::table
        .filter(events::team_id.eq(&t))
        .count()
        .get_result(&mut *conn)
        .unwrap();
    assert_eq!(n, last);
    #[derive(diesel::QueryableByName)]
    struct Check {
        #[diesel(sql_type = diesel::sql_types::Text)]
        integrity_check: String,
    }
    let check: Vec<Check> = diesel::sql_query("PRAGMA integrity_check")
        .load(&mut *conn)
        .unwrap();
    assert_eq!(check.len(), 1);
    assert_eq!(check[0].integrity_check, "ok");
    drop(conn);

    // Never over an existing file.
    let bytes = std::fs::read(&out).unwrap();
    let (url, o) = (app.db.url.clone(), out.to_string_lossy().to_string());
    let (code, _, err) =
        actix_web::web::block(move || actboard(&url, &["backup", "--out", &o], None))
            .await
            .unwrap();
    assert_ne!(code, 0);
    assert!(err.contains("already exists"), "{err}");
    assert_eq!(
        std::fs::read(&out).unwrap(),
        bytes,
        "the existing file is untouched"
    );
    // A folder that does not exist.
    let nowhere = dir.path().join("no/such/folder/x.db");
    let (code, _, err) = actboard(
        &app.db.url,
        &["backup", "--out", &nowhere.to_string_lossy()],
        None,
    );
    assert_ne!(code, 0);
    assert!(err.contains("does not exist"), "{err}");

    // PostgreSQL: pg_dump, exit non-zero, nothing written.
    let pg_out = dir.path().join("pg.db");
    let (code, _, err) = actboard(
        "postgres://postgres@127.0.0.1:1/none",
        &["backup", "--out", &pg_out.to_string_lossy()],
        None,
    );
    assert_ne!(code, 0);
    assert!(
        err.contains("pg_dump") && err.contains("pg_restore"),
        "{err}"
    );
    assert!(!pg_out.exists());
}

const CLIENT_HEADER: &str =
    "external_id,given_name,family_name,preferred_name,status,case_manager_username,risk_tier\n";

/// `actboard import clients|staff`: a dry run changes nothing, an import applies every row,
/// a second one changes nothing, a failed row stores nothing and exits 1, an unknown team or
/// a missing file exits 2; the report is a table and a summary.
fn import_on_the_command_line(engine: EngineChoice) {
    let Some(db) = TestDb::new(engine) else {
        eprintln!("SKIPPED: ACTBOARD_TEST_DATABASE_URL is not set");
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let (code, _, err) = actboard(&db.url, &["demo"], None);
    assert_eq!(code, 0, "{err}");
    let staff_file = dir.path().join("staff.csv");
    std::fs::write(
        &staff_file,
        "username,display_name,discipline,team,role\nnew.cm,New Case Manager,case_manager,Northside ICM,member\n",
    )
    .unwrap();
    let staff_path = staff_file.to_str().unwrap();
    let (code, out, err) = actboard(&db.url, &["import", "staff", staff_path, "--dry-run"], None);
    assert_eq!(code, 0, "{out} {err}");
    assert!(
        out.contains("1 to create") && out.contains("Dry run"),
        "{out}"
    );
    let (code, out, err) = actboard(&db.url, &["import", "staff", staff_path], None);
    assert_eq!(code, 0, "{out} {err}");
    assert!(
        out.contains("1 created") && out.contains("cannot sign in"),
        "{out}"
    );

    let sys = actix_web::rt::System::new();
    let app = sys.block_on(TestApp::start_on(db));
    let team = sys.block_on(async {
        let teams = app.get("/api/teams", &app.admin_token).await.expect(200);
        teams
            .as_array()
            .unwrap()
            .iter()
            .find(|t| t["name"] == "Northside ICM")
            .unwrap()["id"]
            .as_str()
            .unwrap()
            .to_string()
    });
    let count = |app: &TestApp| {
        sys.block_on(async {
            app.get(&format!("/api/teams/{team}/clients"), &app.admin_token)
                .await
                .expect(200)
                .as_array()
                .unwrap()
                .len()
        })
    };
    let before = count(&app);
    let file = dir.path().join("clients.csv");
    std::fs::write(
        &file,
        format!("{CLIENT_HEADER}CLI-1,Ann,Lee,,active,new.cm,high\nCLI-2,Bo,Kim,,,,\n"),
    )
    .unwrap();
    let path = file.to_str().unwrap();
    let url = app.db.url.clone();
    let (code, out, err) = actboard(
        &url,
        &["import", "clients", path, "--team", &team, "--dry-run"],
        None,
    );
    assert_eq!(code, 0, "{out} {err}");
    assert!(out.contains("2 rows: 2 to create"), "{out}");
    assert_eq!(count(&app), before, "a dry run changes nothing");
    let (code, out, err) = actboard(&url, &["import", "clients", path, "--team", &team], None);
    assert_eq!(code, 0, "{out} {err}");
    assert!(
        out.contains("2 created") && out.contains("Imported."),
        "{out}"
    );
    assert_eq!(count(&app), before + 2);
    let (code, out, _) = actboard(&url, &["import", "clients", path, "--team", &team], None);
    assert_eq!(code, 0);
    assert!(out.contains("2 unchanged"), "{out}");

    // A failed row: the table names it, nothing is stored, exit 1.
    std::fs::write(
        &file,
        format!("{CLIENT_HEADER}CLI-3,Cy,Ng,,,,\nCLI-4,Di,Oz,,active,nobody.known,\n"),
    )
    .unwrap();
    let (code, out, _) = actboard(&url, &["import", "clients", path, "--team", &team], None);
    assert_eq!(code, 1, "{out}");
    assert!(
        out.contains("line") && out.contains("     3  CLI-4") && out.contains("nobody.known"),
        "{out}"
    );
    assert!(out.contains("Nothing was imported"), "{out}");
    assert_eq!(count(&app), before + 2);
    let (code, _, _) = actboard(
        &url,
        &["import", "clients", path, "--team", &team, "--dry-run"],
        None,
    );
    assert_eq!(code, 1, "a dry run with failed rows exits 1 too");

    // An unknown team, a missing file: exit 2 with one line.
    let (code, _, err) = actboard(
        &url,
        &["import", "clients", path, "--team", "no-such-team"],
        None,
    );
    assert_eq!(code, 2);
    assert!(err.contains("team not found"), "{err}");
    let (code, _, err) = actboard(&url, &["import", "staff", "/no/such/file.csv"], None);
    assert_eq!(code, 2);
    assert!(err.contains("cannot read"), "{err}");
}

#[test]
fn import_on_the_command_line_sqlite() {
    import_on_the_command_line(EngineChoice::Sqlite);
}

#[test]
fn import_on_the_command_line_postgres() {
    import_on_the_command_line(EngineChoice::Postgres);
}
