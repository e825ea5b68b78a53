//! `src/db/schema.rs` against the migrations. One schema file serves both engines, so on a
//! freshly migrated database of each (`migrations/sqlite`, `migrations/postgres`), for every
//! table it declares:
//!
//! - one row per table is inserted (every nullable column filled, so its type is decoded too)
//!   and read back with `select(table::all_columns)` through diesel into the Rust types of the
//!   declared SQL types: a column name that is wrong fails the query, a type that is wrong
//!   fails decoding (on PostgreSQL; SQLite converts almost anything);
//! - the database's own column list (`pragma_table_info`, `information_schema.columns`) is
//!   compared with the table definitions both ways: no column or table the migrations create
//!   is missing from schema.rs, none of schema.rs is missing from the database, and each
//!   column has the type and nullability `diesel print-schema` would infer for it on that
//!   engine (this is what catches a wrong type on SQLite).
//!
//! A table added to schema.rs without being listed in `checked_tables!` below fails
//! `every_table_in_schema_rs_is_checked`; one without a row in `SEED` fails the engine tests.

mod common;

use actboard::db::{DbConn, DbTarget};
use common::{EngineChoice, TestDb};
use diesel::connection::SimpleConnection;
use diesel::expression::Expression;
use diesel::prelude::*;
use diesel::sql_types::{BigInt, Bool, Integer, Nullable, Text, Timestamp};
use std::collections::{BTreeMap, BTreeSet};

/// The file `diesel.toml` names (`print_schema.file`), which the library compiles as
/// `actboard::db::schema`, compiled again here from the same path.
mod schema {
    include!("../src/db/schema.rs");
}
const SCHEMA_RS: &str = include_str!("../src/db/schema.rs");

by_engine!(schema_rs_matches_the_migrations);

// ---------------------------------------------------------------------------------------
// What the test knows of schema.rs
// ---------------------------------------------------------------------------------------

/// Each SQL type schema.rs uses: the Rust type it is read into, and its name as schema.rs
/// spells it (print-schema's PostgreSQL names `Int4`/`Int8` are aliases of `Integer`/`BigInt`).
/// A column of a type not listed here does not compile: add a line.
trait SqlMeta {
    type Rust;
    const NAME: &'static str;
    const NULLABLE: bool = false;
}

macro_rules! sql_meta {
    ($($sql:ty => $rust:ty),+ $(,)?) => {$(
        impl SqlMeta for $sql {
            type Rust = $rust;
            const NAME: &'static str = stringify!($sql);
        }
    )+};
}

sql_meta!(
    Text => String,
    Integer => i32,
    BigInt => i64,
    Bool => bool,
    Timestamp => chrono::NaiveDateTime,
);

impl<T: SqlMeta> SqlMeta for Nullable<T> {
    type Rust = Option<T::Rust>;
    const NAME: &'static str = T::NAME;
    const NULLABLE: bool = true;
}

/// One column of a diesel table definition.
#[derive(Debug)]
struct ColumnDef {
    name: &'static str,
    sql_type: &'static str,
    nullable: bool,
}

impl ColumnDef {
    fn of<C>() -> Self
    where
        C: Column,
        <C as Expression>::SqlType: SqlMeta,
    {
        ColumnDef {
            name: C::NAME,
            sql_type: <<C as Expression>::SqlType as SqlMeta>::NAME,
            nullable: <<C as Expression>::SqlType as SqlMeta>::NULLABLE,
        }
    }
}

/// A table's `AllColumns` tuple: its columns, and the Rust tuple one row is read into.
trait ColumnList {
    type Rust;
    fn defs() -> Vec<ColumnDef>;
}

macro_rules! column_lists {
    () => {};
    ($first:ident $($rest:ident)*) => {
        impl<$first, $($rest),*> ColumnList for ($first, $($rest,)*)
        where
            $first: Column,
            <$first as Expression>::SqlType: SqlMeta,
            $($rest: Column, <$rest as Expression>::SqlType: SqlMeta,)*
        {
            type Rust = (
                <<$first as Expression>::SqlType as SqlMeta>::Rust,
                $(<<$rest as Expression>::SqlType as SqlMeta>::Rust,)*
            );
            fn defs() -> Vec<ColumnDef> {
                vec![ColumnDef::of::<$first>() $(, ColumnDef::of::<$rest>())*]
            }
        }
        column_lists!($($rest)*);
    };
}

// Tables of up to 32 columns (diesel's `32-column-tables` feature).
column_lists!(
    C01 C02 C03 C04 C05 C06 C07 C08 C09 C10 C11 C12 C13 C14 C15 C16
    C17 C18 C19 C20 C21 C22 C23 C24 C25 C26 C27 C28 C29 C30 C31 C32
);

type LoadRows = fn(&mut DbConn) -> QueryResult<usize>;

struct TableCheck {
    name: &'static str,
    columns: Vec<ColumnDef>,
    /// `select(all_columns)` through diesel, decoded; how many rows.
    load: LoadRows,
}

macro_rules! checked_tables {
    ($($table:ident),+ $(,)?) => {
        fn checked_tables() -> Vec<TableCheck> {
            vec![$(
                TableCheck {
                    name: stringify!($table),
                    columns: <<schema::$table::table as Table>::AllColumns as ColumnList>::defs(),
                    load: |conn| {
                        schema::$table::table
                            .select(schema::$table::all_columns)
                            .load::<<<schema::$table::table as Table>::AllColumns as ColumnList>::Rust>(conn)
                            .map(|rows| rows.len())
                    },
                },
            )+]
        }
    };
}

checked_tables!(
    teams,
    staff,
    memberships,
    refresh_tokens,
    sessions,
    display_tokens,
    events,
    audit_log,
    audit_chain,
    login_failures,
    clients,
    contacts,
    contact_staff,
    crisis_flags,
    crisis_flag_responders,
    oncall_shifts,
    handoffs,
    handoff_items,
    huddle_reviews,
    huddle_focus,
    absences,
    oncall_patterns,
    visit_series,
    assessments,
    support_plans,
    plan_goals,
    goal_progress,
    screenings,
    transitions,
    checkins,
    episodes,
    fidelity_ratings,
);

/// The tables schema.rs declares, read from its text (every `table! {` block).
fn tables_declared_in_schema_rs() -> BTreeSet<String> {
    let mut names = BTreeSet::new();
    let mut lines = SCHEMA_RS.lines().map(str::trim);
    while let Some(line) = lines.next() {
        if !(line.starts_with("diesel::table!") || line.starts_with("table!")) {
            continue;
        }
        // The first line of the block that is not a doc comment or an attribute:
        // `name (primary key) {`, possibly `sql_schema.name`.
        let decl = lines
            .by_ref()
            .find(|l| !(l.is_empty() || l.starts_with("//") || l.starts_with('#')))
            .expect("a table! block declares a table");
        let name: String = decl
            .chars()
            .take_while(|c| c.is_alphanumeric() || *c == '_' || *c == '.')
            .collect();
        let name = name.rsplit('.').next().unwrap_or_default();
        assert!(!name.is_empty(), "cannot read the table name in `{decl}`");
        names.insert(name.to_string());
    }
    names
}

#[test]
fn every_table_in_schema_rs_is_checked() {
    let declared = tables_declared_in_schema_rs();
    let checked: BTreeSet<String> = checked_tables().iter().map(|t| t.name.into()).collect();
    assert!(
        !declared.is_empty(),
        "found no table! block in src/db/schema.rs"
    );
    assert_eq!(
        declared, checked,
        "the tables of src/db/schema.rs (left) and those listed in checked_tables! in \
         tests/schema_columns.rs (right) differ: list every table there and give it a row in SEED"
    );
}

// ---------------------------------------------------------------------------------------
// What the migrated database says
// ---------------------------------------------------------------------------------------

/// One row per table, every nullable column filled (NULL decodes as `None` whatever the
/// declared type, so it would check nothing). The same SQL runs on both engines.
const SEED: &str = "
INSERT INTO teams (id, name, mode, timezone, caseload_cap, privacy, last_seq, version, created_at,
                   qualifying_diagnoses)
    VALUES ('t1', 'Riverside', 'icm', 'Europe/London', 15, 'initials', 3000000000, 2,
            '2026-01-02 03:04:05.123456', '[\"bipolar\"]');
INSERT INTO staff (id, username, display_name, discipline, password_hash, is_admin, active, created_at,
                   must_change_password)
    VALUES ('s1', 'maria', 'Maria', 'nurse', 'hash', TRUE, TRUE, '2026-01-02 03:04:05', TRUE);
INSERT INTO memberships (team_id, staff_id, role, created_at)
    VALUES ('t1', 's1', 'lead', '2026-01-02 03:04:05');
INSERT INTO refresh_tokens (id, staff_id, family_id, token_hash, created_at, expires_at, revoked_at)
    VALUES ('r1', 's1', 'fam1', 'rhash', '2026-01-02 03:04:05', '2026-01-09 03:04:05',
            '2026-01-03 03:04:05');
INSERT INTO sessions (id, staff_id, created_at, ended_at, end_reason)
    VALUES ('fam1', 's1', '2026-01-02 03:04:05', '2026-01-03 03:04:05', 'signed_out');
INSERT INTO display_tokens (id, team_id, label, privacy, token_hash, created_by, created_at, revoked_at)
    VALUES ('d1', 't1', 'Team room', 'initials', 'dhash', 's1', '2026-01-02 03:04:05',
            '2026-01-03 03:04:05');
INSERT INTO events (team_id, seq, kind, payload, actor, at)
    VALUES ('t1', 3000000000, 'client.created', '{}', 's1', '2026-01-02 03:04:05');
INSERT INTO audit_log (id, seq, at, staff_id, action, team_id, client_id, detail, hash)
    VALUES ('a1', 3000000000, '2026-01-02 03:04:05', 's1', 'view', 't1', 'c1', 'record', 'h1');
UPDATE audit_chain SET seq = 3000000000, hash = 'h1' WHERE id = 1;
INSERT INTO login_failures (id, username, address, at)
    VALUES ('l1', 'maria', '127.0.0.1', '2026-01-02 03:04:05');
INSERT INTO clients (id, team_id, given_name, family_name, preferred_name, initials, external_id,
                     status, risk_tier, case_manager_id, version, created_at, updated_at,
                     discharge_reason, discharged_on, discharged_at, phone, address, crisis_plan,
                     emergency_contact, referral_source, referral_received_on, referral_reason,
                     enrolled_on)
    VALUES ('c1', 't1', 'Given', 'Family', 'Pref', 'G.F.', 'ext-1', 'active', 'high', 's1', 1,
            '2026-01-02 03:04:05', '2026-01-02 03:04:05', 'moved', '2026-01-02',
            '2026-01-02 03:04:05', '555-0100', '1 Main St', 'plan', 'Sam 555-0101',
            'Ward 7', '2025-12-01', 'after an admission', '2025-12-20');
INSERT INTO visit_series (id, team_id, client_id, staff_ids, first_day, every_days, until_day,
                          start_time, end_time, kind, place, activity, created_by, created_at,
                          ended_at, ended_by)
    VALUES ('vs1', 't1', 'c1', 's1', '2026-01-02', 14, '2026-03-27', '09:00', '09:30',
            'face_to_face', 'office', 'depot', 's1', '2026-01-02 03:04:05',
            '2026-01-03 03:04:05', 's1');
INSERT INTO contacts (id, team_id, client_id, day, start_time, end_time, occurred_at, kind, place,
                      activity, status, minutes, note, version, created_by, created_at, updated_at,
                      series_id)
    VALUES ('k1', 't1', 'c1', '2026-01-02', '09:00', '09:30', '2026-01-02 09:00:00', 'phone',
            'home', 'check-in', 'attempted', 30, 'note', 1, 's1', '2026-01-02 03:04:05',
            '2026-01-02 03:04:05', 'vs1');
INSERT INTO contact_staff (contact_id, staff_id, team_id) VALUES ('k1', 's1', 't1');
INSERT INTO crisis_flags (id, team_id, client_id, severity, reason, raised_by, raised_at,
                          acknowledged_by, acknowledged_at, resolved_by, resolved_at, outcome, version,
                          category, escalated_at)
    VALUES ('f1', 't1', 'c1', 'urgent', 'reason', 's1', '2026-01-02 03:04:05', 's1',
            '2026-01-02 03:05:05', 's1', '2026-01-02 04:04:05', 'outcome', 3, 'housing',
            '2026-01-02 03:15:05');
INSERT INTO crisis_flag_responders (flag_id, staff_id, team_id, at)
    VALUES ('f1', 's1', 't1', '2026-01-02 03:05:05');
INSERT INTO oncall_shifts (id, team_id, staff_id, starts_at, ends_at, starts_local, ends_local,
                           created_by, created_at)
    VALUES ('o1', 't1', 's1', '2026-01-02 18:00:00', '2026-01-03 08:00:00', '2026-01-02T18:00',
            '2026-01-03T08:00', 's1', '2026-01-02 03:04:05');
INSERT INTO handoffs (id, team_id, from_staff_id, to_staff_id, shift_id, due_at, created_at,
                      acknowledged_at, synthesis)
    VALUES ('h1', 't1', 's1', 's1', 'o1', '2026-01-02 18:00:00', '2026-01-02 03:04:05',
            '2026-01-02 18:05:00', 'read back');
INSERT INTO handoff_items (handoff_id, position, team_id, client_id, severity, summary, actions, contingency)
    VALUES ('h1', 0, 't1', 'c1', 'watcher', 'summary', 'actions', 'contingency');
INSERT INTO huddle_reviews (team_id, day, client_id, reviewed_by, reviewed_at)
    VALUES ('t1', '2026-01-02', 'c1', 's1', '2026-01-02 09:00:00');
INSERT INTO huddle_focus (team_id, day, client_id, staff_id, updated_at)
    VALUES ('t1', '2026-01-02', 'c1', 's1', '2026-01-02 09:00:00');
INSERT INTO absences (id, team_id, staff_id, from_day, to_day, covered_by, reason, created_by, created_at)
    VALUES ('ab1', 't1', 's1', '2026-01-02', '2026-01-03', 's1', 'sick', 's1', '2026-01-02 03:04:05');
INSERT INTO oncall_patterns (team_id, slots, version, updated_by, updated_at)
    VALUES ('t1', '[]', 1, 's1', '2026-01-02 03:04:05');
INSERT INTO assessments (id, team_id, client_id, biomedical, behavioral, circumstantial,
                         biomedical_evidence, behavioral_evidence, circumstantial_evidence,
                         computed_tier, tier, override_reason, assessed_on, next_due, assessed_by,
                         created_at)
    VALUES ('as1', 't1', 'c1', 1, 2, 0, 'diabetes', 'missed depot', '', 'medium', 'high',
            'recent overdose', '2026-01-02', '2026-07-02', 's1', '2026-01-02 03:04:05');
INSERT INTO support_plans (client_id, team_id, natural_supports, reviewed_on, review_due, version, updated_by, updated_at)
    VALUES ('c1', 't1', 'sister Ana', '2026-01-02', '2026-04-02', 1, 's1', '2026-01-02 03:04:05');
INSERT INTO plan_goals (id, client_id, position, in_own_words, objective, target_date, lifecycle, interventions)
    VALUES ('g1', 'c1', 0, 'keep my flat', 'rent paid 6 months', '2026-07-01', 'active', '[]');
INSERT INTO goal_progress (id, goal_id, client_id, team_id, achievement, note, recorded_by, recorded_at)
    VALUES ('gp1', 'g1', 'c1', 't1', 'improving', 'paid March', 's1', '2026-01-02 03:04:05');
INSERT INTO screenings (id, team_id, client_id, diagnosis, illness_years, impairments,
                        psychiatric_admissions_12m, hospital_days_24m, ed_visits_12m, homeless,
                        justice_involved, co_occurring_sud, not_engaging_office, smi, high_need,
                        recommendation, result, screened_on, screened_by, created_at, decision,
                        decision_reason, decided_by, decided_at)
    VALUES ('sc1', 't1', 'c1', 'bipolar', 4, 'housing,work', 2, 100, 5, TRUE, TRUE, TRUE, TRUE,
            TRUE, TRUE, 'icm', '{}', '2026-01-02', 's1', '2026-01-02 03:04:05', 'decline',
            'own psychiatrist', 's1', '2026-01-03 03:04:05');
INSERT INTO transitions (id, team_id, client_id, readiness, readiness_summary, plan, to_team_id,
                         to_case_manager_id, note, handoff, state, started_by, started_at,
                         closed_by, closed_at, completed_on, handoff_id, version)
    VALUES ('tr1', 't1', 'c1', '{}', 'consider', 'step_down', 't1', 's1', 'stable 2 years',
            '{}', 'completed', 's1', '2026-01-02 03:04:05', 's1', '2026-01-03 03:04:05',
            '2026-01-03', 'h1', 2);
INSERT INTO checkins (id, team_id, client_id, transition_id, after_days, due_on, outcome, note,
                      recorded_by, recorded_at)
    VALUES ('ci1', 't1', 'c1', 'tr1', 30, '2026-02-02', 'reached', 'doing well', 's1',
            '2026-02-02 03:04:05');
INSERT INTO episodes (id, team_id, client_id, kind, start_on, end_on, team_involved, note, version,
                      recorded_by, recorded_at, updated_at)
    VALUES ('ep1', 't1', 'c1', 'psychiatric_admission', '2026-01-02', '2026-01-09', TRUE,
            'sectioned', 2, 's1', '2026-01-02 03:04:05', '2026-01-09 03:04:05');
INSERT INTO fidelity_ratings (id, team_id, item, period_to, score, note, rated_by, rated_at)
    VALUES ('fr1', 't1', 'H4', '2026-01-02', 4, 'leader sees clients weekly', 's1',
            '2026-01-02 03:04:05');
";

/// A column as the database describes it.
#[derive(QueryableByName, Debug)]
struct DbColumn {
    #[diesel(sql_type = Text)]
    table_name: String,
    #[diesel(sql_type = Text)]
    column_name: String,
    /// SQLite: the declared type; PostgreSQL: `udt_name`.
    #[diesel(sql_type = Text)]
    type_name: String,
    #[diesel(sql_type = Bool)]
    nullable: bool,
}

/// Every column of every table, leaving out what print-schema leaves out (names starting
/// with `__`, such as `__diesel_schema_migrations`, and SQLite's own `sqlite_*` tables).
const SQLITE_COLUMNS: &str = r#"
SELECT m.name AS table_name, p.name AS column_name, p.type AS type_name, p."notnull" = 0 AS nullable
FROM sqlite_master m JOIN pragma_table_info(m.name) p
WHERE m.type = 'table' AND m.name NOT LIKE 'sqlite\_%' ESCAPE '\' AND m.name NOT LIKE '\_\_%' ESCAPE '\'
ORDER BY m.name, p.cid
"#;

const POSTGRES_COLUMNS: &str = r#"
SELECT c.table_name::text AS table_name, c.column_name::text AS column_name,
       c.udt_name::text AS type_name, c.is_nullable = 'YES' AS nullable
FROM information_schema.columns c
JOIN information_schema.tables t ON t.table_schema = c.table_schema AND t.table_name = c.table_name
WHERE c.table_schema = current_schema() AND t.table_type = 'BASE TABLE'
  AND c.table_name NOT LIKE '\_\_%'
ORDER BY c.table_name, c.ordinal_position
"#;

/// The type `diesel print-schema` (diesel_cli 2.3) infers for an SQLite column from its
/// declared type, by its rules in its order (`sqlite_integer_primary_key_is_bigint` unset).
fn sqlite_print_schema_type(declared: &str) -> Option<&'static str> {
    let t = declared.to_lowercase();
    let int = t.contains("int");
    Some(
        if t == "boolean" || t == "bool" || (int && t.contains("tiny")) {
            "Bool"
        } else if t == "int2" || (int && t.contains("small")) {
            "SmallInt"
        } else if t == "int8" || (int && t.contains("big")) {
            "BigInt"
        } else if int {
            "Integer"
        } else if t.contains("char") || t.contains("clob") || t.contains("text") {
            "Text"
        } else if t.contains("blob") || t.contains("binary") || t.is_empty() {
            "Binary"
        } else if t.contains("float") || t.contains("real") {
            "Float"
        } else if t.contains("double") || t.contains("num") || t.contains("dec") {
            "Double"
        } else if t == "datetime" || t == "timestamp" {
            "Timestamp"
        } else if t == "date" {
            "Date"
        } else if t == "time" {
            "Time"
        } else {
            return None;
        },
    )
}

/// The type `diesel print-schema` gives a PostgreSQL column (the `udt_name` in CamelCase:
/// `int4` → `Int4`), spelled as schema.rs spells it (`Int4` is an alias of `Integer`).
fn postgres_print_schema_type(udt_name: &str) -> Option<&'static str> {
    Some(match udt_name {
        "int2" => "SmallInt",
        "int4" => "Integer",
        "int8" => "BigInt",
        "float4" => "Float",
        "float8" => "Double",
        "text" | "varchar" => "Text",
        "bool" => "Bool",
        "timestamp" => "Timestamp",
        "timestamptz" => "Timestamptz",
        "date" => "Date",
        "time" => "Time",
        "bytea" => "Binary",
        _ => return None,
    })
}

/// `sqlite_print_schema_type` or `postgres_print_schema_type`.
type PrintSchemaType = fn(&str) -> Option<&'static str>;

fn spelled(sql_type: &str, nullable: bool) -> String {
    if nullable {
        format!("Nullable<{sql_type}>")
    } else {
        sql_type.to_string()
    }
}

// ---------------------------------------------------------------------------------------
// The test
// ---------------------------------------------------------------------------------------

async fn schema_rs_matches_the_migrations(engine: EngineChoice) {
    let Some(db) = TestDb::new(engine) else {
        eprintln!("SKIPPED: ACTBOARD_TEST_DATABASE_URL is not set");
        return;
    };
    let migrations = match engine {
        EngineChoice::Sqlite => "migrations/sqlite",
        EngineChoice::Postgres => "migrations/postgres",
    };
    let mut conn = DbTarget::parse(&db.url).unwrap().establish().unwrap();
    let applied = actboard::db::migrate(&mut conn).unwrap();
    assert!(applied > 0, "a fresh database got no migration");
    conn.batch_execute(SEED)
        .unwrap_or_else(|e| panic!("SEED does not fit {migrations}: {e}"));

    let (db_columns, print_schema_type): (Vec<DbColumn>, PrintSchemaType) = match &mut conn {
        DbConn::Sqlite(c) => (
            diesel::sql_query(SQLITE_COLUMNS).load(c).unwrap(),
            sqlite_print_schema_type,
        ),
        DbConn::Postgres(c) => (
            diesel::sql_query(POSTGRES_COLUMNS).load(c).unwrap(),
            postgres_print_schema_type,
        ),
    };
    let mut in_db: BTreeMap<&str, BTreeMap<&str, &DbColumn>> = BTreeMap::new();
    for col in &db_columns {
        in_db
            .entry(&col.table_name)
            .or_default()
            .insert(&col.column_name, col);
    }

    let mut problems = Vec::new();
    let tables = checked_tables();
    for table in &tables {
        let t = table.name;
        let Some(db_table) = in_db.get(t) else {
            problems.push(format!("table {t} is in schema.rs but not in the database"));
            continue;
        };
        for def in &table.columns {
            let Some(col) = db_table.get(def.name) else {
                problems.push(format!(
                    "{t}.{} is in schema.rs but not in the database",
                    def.name
                ));
                continue;
            };
            let ours = spelled(def.sql_type, def.nullable);
            let theirs = match print_schema_type(&col.type_name) {
                Some(sql_type) => spelled(sql_type, col.nullable),
                None => format!("{} (a type this test does not map)", col.type_name),
            };
            if ours != theirs {
                problems.push(format!(
                    "{t}.{}: schema.rs says {ours}, the database column is {} {}, which is {theirs}",
                    def.name,
                    col.type_name,
                    if col.nullable { "NULL" } else { "NOT NULL" },
                ));
            }
        }
        for name in db_table.keys() {
            if !table.columns.iter().any(|def| def.name == *name) {
                problems.push(format!(
                    "{t}.{name} is in the database but not in schema.rs"
                ));
            }
        }
        match (table.load)(&mut conn) {
            Ok(0) => problems.push(format!(
                "{t}: no row to read back; give it one in SEED (tests/schema_columns.rs)"
            )),
            Ok(_) => {}
            Err(e) => problems.push(format!("{t}: select(all_columns) failed: {e}")),
        }
    }
    for name in in_db.keys() {
        if !tables.iter().any(|t| t.name == *name) {
            problems.push(format!(
                "table {name} is in the database but not in schema.rs"
            ));
        }
    }

    assert!(
        problems.is_empty(),
        "src/db/schema.rs disagrees with {migrations}:\n  - {}",
        problems.join("\n  - ")
    );
}
