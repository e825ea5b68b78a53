//! Upgrading a database that already holds a team's records. The SQLite half of
//! `000015_enrolment` rebuilds the clients table (SQLite cannot change a CHECK in place) with
//! foreign keys off: every row and every reference to it must survive, the keys must be
//! enforced again afterwards, and `enrolled_on` must be filled for clients already served.

use actboard::db::SQLITE_MIGRATIONS;
use diesel::connection::SimpleConnection;
use diesel::prelude::*;
use diesel::sql_types::{BigInt, Nullable, Text};
use diesel::sqlite::SqliteConnection;
use diesel_migrations::MigrationHarness;

const BEFORE: &str = "2026-12-01-000015";

#[derive(QueryableByName)]
struct Row {
    #[diesel(sql_type = Text)]
    id: String,
    #[diesel(sql_type = Nullable<Text>)]
    enrolled_on: Option<String>,
}

#[derive(QueryableByName)]
struct Count {
    #[diesel(sql_type = BigInt)]
    n: i64,
}

#[test]
fn sqlite_upgrade_keeps_every_client_and_reference() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("old.db");
    let mut conn = SqliteConnection::establish(path.to_str().unwrap()).unwrap();
    conn.batch_execute("PRAGMA foreign_keys = ON;").unwrap();
    // Migrate to the schema just before the rebuild.
    loop {
        let pending = conn.pending_migrations(SQLITE_MIGRATIONS).unwrap();
        let next = pending.first().expect("the rebuild migration exists");
        if next.name().to_string().starts_with(BEFORE) {
            break;
        }
        conn.run_next_migration(SQLITE_MIGRATIONS).unwrap();
    }
    conn.batch_execute(
        "INSERT INTO teams (id, name, mode, timezone, caseload_cap, privacy, last_seq, version, created_at)
             VALUES ('t1', 'Riverside', 'act', 'Europe/London', 15, 'initials', 0, 1, '2026-01-02 03:04:05');
         INSERT INTO staff (id, username, display_name, discipline, password_hash, is_admin, active, created_at)
             VALUES ('s1', 'maria', 'Maria', 'nurse', 'hash', FALSE, TRUE, '2026-01-02 03:04:05');
         INSERT INTO clients (id, team_id, given_name, family_name, initials, status, risk_tier, case_manager_id, version, created_at, updated_at)
             VALUES ('c1', 't1', 'Ann', 'Lee', 'A.L.', 'active', 'high', 's1', 1, '2025-03-04 10:00:00', '2025-03-04 10:00:00'),
                    ('c2', 't1', 'Bo', 'Kim', 'B.K.', 'referred', 'low', NULL, 1, '2026-11-01 10:00:00', '2026-11-01 10:00:00');
         INSERT INTO contacts (id, team_id, client_id, day, occurred_at, kind, place, activity, status, version, created_by, created_at, updated_at)
             VALUES ('k1', 't1', 'c1', '2026-01-02', '2026-01-02 09:00:00', 'phone', 'home', 'check-in', 'completed', 1, 's1', '2026-01-02 03:04:05', '2026-01-02 03:04:05');",
    )
    .unwrap();

    conn.run_pending_migrations(SQLITE_MIGRATIONS).unwrap();

    let rows: Vec<Row> = diesel::sql_query("SELECT id, enrolled_on FROM clients ORDER BY id")
        .load(&mut conn)
        .unwrap();
    assert_eq!(rows.len(), 2);
    assert_eq!(
        (rows[0].id.as_str(), rows[0].enrolled_on.as_deref()),
        ("c1", Some("2025-03-04"))
    );
    assert_eq!(
        (rows[1].id.as_str(), rows[1].enrolled_on.as_deref()),
        ("c2", None)
    );
    let broken: Count = diesel::sql_query("SELECT count(*) AS n FROM pragma_foreign_key_check")
        .get_result(&mut conn)
        .unwrap();
    assert_eq!(broken.n, 0, "every reference to a client still resolves");
    let on: Count = diesel::sql_query("SELECT foreign_keys AS n FROM pragma_foreign_keys")
        .get_result(&mut conn)
        .unwrap();
    assert_eq!(on.n, 1, "foreign keys are enforced again after the rebuild");
    // The keys hold: a client with contacts cannot vanish; a contact cannot point nowhere.
    assert!(conn
        .batch_execute("DELETE FROM clients WHERE id = 'c1'")
        .is_err());
    assert!(conn
        .batch_execute(
            "INSERT INTO contacts (id, team_id, client_id, day, occurred_at, kind, place, activity, status, version, created_by, created_at, updated_at)
             VALUES ('k2', 't1', 'nobody', '2026-01-02', '2026-01-02 09:00:00', 'phone', 'home', 'x', 'completed', 1, 's1', '2026-01-02 03:04:05', '2026-01-02 03:04:05')"
        )
        .is_err());
    // The new status is accepted; a made-up one still is not.
    conn.batch_execute("UPDATE clients SET status = 'declined' WHERE id = 'c2'")
        .unwrap();
    assert!(conn
        .batch_execute("UPDATE clients SET status = 'gone' WHERE id = 'c2'")
        .is_err());
}
