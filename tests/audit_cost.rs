//! What the audit trail costs a client read (a measurement, not a pass/fail test; ignored by
//! default). Run:
//!
//! ```text
//! ACTBOARD_TEST_DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres \
//!   cargo nextest run --locked --run-ignored only -E 'test(/audit_cost/)' --no-capture
//! ```
//!
//! In-process, on the server's own pool: a client read's transaction (load the record, as
//! `store::clients::get` does) without and with its audit entry, one at a time and from 8
//! threads at once; then the chainer's time per entry linked.

mod common;

use actboard::db::schema::clients;
use actboard::db::{self, Pool};
use actboard::store::audit;
use common::fixtures::{id, refer};
use common::TestApp;
use diesel::prelude::*;
use std::time::{Duration, Instant};

#[actix_web::test]
#[ignore = "a measurement: run with --run-ignored only"]
async fn audit_cost_sqlite() {
    audit_cost(common::EngineChoice::Sqlite).await
}

#[actix_web::test]
#[ignore = "a measurement: run with --run-ignored only"]
async fn audit_cost_postgres() {
    audit_cost(common::EngineChoice::Postgres).await
}

const READS: usize = 400;
const THREADS: usize = 8;

fn read(pool: &Pool, staff: &str, team: &str, client: &str, audited: bool) {
    let (staff, team, client) = (staff.to_string(), team.to_string(), client.to_string());
    db::tx_blocking(pool, move |conn| {
        let _: (String, String) = clients::table
            .filter(clients::team_id.eq(&team))
            .filter(clients::id.eq(&client))
            .select((clients::id, clients::family_name))
            .first(conn)?;
        if audited {
            audit::view(conn, Some(&staff), &team, Some(&client), "record")?;
        }
        Ok(())
    })
    .unwrap();
}

/// Mean time per read: `READS` one after another, then `READS` per thread on `THREADS`.
fn time(pool: &Pool, staff: &str, team: &str, client: &str, audited: bool) -> (Duration, f64) {
    let start = Instant::now();
    for _ in 0..READS {
        read(pool, staff, team, client, audited);
    }
    let serial = start.elapsed() / READS as u32;
    let start = Instant::now();
    std::thread::scope(|s| {
        for _ in 0..THREADS {
            s.spawn(|| {
                for _ in 0..READS {
                    read(pool, staff, team, client, audited);
                }
            });
        }
    });
    let per_sec = (READS * THREADS) as f64 / start.elapsed().as_secs_f64();
    (serial, per_sec)
}

async fn audit_cost(engine: common::EngineChoice) {
    let Some(app) = TestApp::start(engine).await else {
        eprintln!("SKIPPED: ACTBOARD_TEST_DATABASE_URL is not set");
        return;
    };
    let team = id(&app.create_team("Cost", "act").await);
    let client = id(&refer(&app, &team, &app.admin_token, "Cora", "Cost").await);
    let pool = app.state.pool.clone();
    let staff = app.admin_id.clone();
    let report = actix_web::web::block(move || {
        // Warm up the pool and the caches.
        time(&pool, &staff, &team, &client, false);
        audit::chain_blocking(&pool).unwrap();
        let plain = time(&pool, &staff, &team, &client, false);
        let audited = time(&pool, &staff, &team, &client, true);
        audit::chain_blocking(&pool).unwrap();
        // Chaining alone: 1000 entries written and linked in one transaction (the background
        // chainer cannot take them first: they are not committed, and it waits for the head).
        let (staff2, team2, client2) = (staff.clone(), team.clone(), client.clone());
        let (linked, chain) = db::tx_blocking(&pool, move |conn| {
            let (staff, team, client) = (staff2, team2, client2);
            for _ in 0..1000 {
                audit::view(conn, Some(&staff), &team, Some(&client), "record")?;
            }
            let start = Instant::now();
            let n = audit::chain_batch(conn)?;
            Ok((n, start.elapsed()))
        })
        .unwrap();
        format!(
            "{:?}: client read without audit {:?}/read serial, {:.0} reads/s on {THREADS} threads; \
             with audit {:?}/read serial, {:.0} reads/s on {THREADS} threads; \
             chaining {linked} entries took {:?} ({:?}/entry)",
            engine,
            plain.0,
            plain.1,
            audited.0,
            audited.1,
            chain,
            chain / linked.max(1) as u32,
        )
    })
    .await
    .unwrap();
    println!("AUDIT COST {report}");
}
