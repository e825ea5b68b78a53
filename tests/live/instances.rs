//! Two server instances on one PostgreSQL share the stream through LISTEN/NOTIFY, and catch
//! up after their LISTEN connection is killed.

use crate::helpers::*;
use crate::ws::*;
use diesel::prelude::*;
use std::time::{Duration, Instant};

both_engines!(two_instances_share_the_stream,);

#[derive(QueryableByName)]
struct Terminated {
    #[diesel(sql_type = diesel::sql_types::Bool)]
    t: bool,
}

/// Terminate every LISTEN backend of the test database; returns how many.
async fn kill_listeners(url: String) -> usize {
    actix_web::web::block(move || {
        let mut conn = diesel::PgConnection::establish(&url).unwrap();
        let rows: Vec<Terminated> = diesel::sql_query(
            "SELECT pg_terminate_backend(pid) AS t FROM pg_stat_activity WHERE datname = current_database() AND query ILIKE 'LISTEN%' AND pid <> pg_backend_pid()",
        )
        .load(&mut conn)
        .unwrap();
        rows.iter().filter(|r| r.t).count()
    })
    .await
    .unwrap()
}

/// How many LISTEN backends the test database has.
pub async fn listeners(url: String) -> i64 {
    #[derive(QueryableByName)]
    struct N {
        #[diesel(sql_type = diesel::sql_types::BigInt)]
        n: i64,
    }
    actix_web::web::block(move || {
        let mut conn = diesel::PgConnection::establish(&url).unwrap();
        let rows: Vec<N> = diesel::sql_query(
            "SELECT count(*) AS n FROM pg_stat_activity WHERE datname = current_database() AND query ILIKE 'LISTEN%' AND pid <> pg_backend_pid()",
        )
        .load(&mut conn)
        .unwrap();
        rows[0].n
    })
    .await
    .unwrap()
}

async fn two_instances_share_the_stream(app: TestApp) {
    let (t, _, lead) = team(&app, "Live Instances", "lead10").await;
    let c = id(&refer(&app, &t, &lead, "Gus", "Instances").await);

    if app.engine == actboard::db::Engine::Sqlite {
        // One instance only: a sanity check of the same path.
        let mut ws = connect(&app, &t, &lead, None, "board").await;
        let seq = snapshot(&mut ws).await["seq"].as_i64().unwrap();
        raise(&app, &t, &c, &lead, "single instance").await;
        events_through(
            &mut ws,
            seq,
            seq + 1,
            Duration::from_secs(2),
            "single instance",
        )
        .await;
        return;
    }

    let b = app.second_instance().await;
    let mut ws = connect(&b, &t, &lead, None, "board").await;
    let seq = snapshot(&mut ws).await["seq"].as_i64().unwrap();
    // Both instances are listening.
    let deadline = Instant::now() + WAIT;
    while listeners(app.db.url.clone()).await < 2 {
        assert!(
            Instant::now() < deadline,
            "the two instances do not both LISTEN"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }

    // A's write reaches B's socket through NOTIFY.
    let started = Instant::now();
    raise(&app, &t, &c, &lead, "through A").await;
    events_through(
        &mut ws,
        seq,
        seq + 1,
        Duration::from_secs(2),
        "B's socket, a flag raised on A",
    )
    .await;
    eprintln!("A→B delivery took {:?}", started.elapsed());

    // Kill the LISTEN connections and write through A at once.
    let killed = kill_listeners(app.db.url.clone()).await;
    assert!(killed >= 1, "no LISTEN backend found to terminate");
    for i in 0..10 {
        raise(&app, &t, &c, &lead, &format!("while B is deaf {i}")).await;
    }
    let fin = last_seq(&app, &t, &lead).await;
    assert_eq!(fin, seq + 11);
    let started = Instant::now();
    events_through(
        &mut ws,
        seq + 1,
        fin,
        Duration::from_secs(10),
        "B's socket after its LISTEN connection was killed",
    )
    .await;
    eprintln!("caught up after the LISTEN kill in {:?}", started.elapsed());
    quiet(&mut ws, Duration::from_millis(1000), "after the catch-up").await;

    // And B is listening again: the next write arrives promptly.
    let deadline = Instant::now() + Duration::from_secs(10);
    while listeners(app.db.url.clone()).await < 2 {
        assert!(
            Instant::now() < deadline,
            "the instances did not LISTEN again"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    raise(&app, &t, &c, &lead, "after the reconnect").await;
    events_through(
        &mut ws,
        fin,
        fin + 1,
        Duration::from_secs(2),
        "B's socket after re-listening",
    )
    .await;

    // The other way round: a socket on A sees a write made through B.
    let mut on_a = connect(&app, &t, &lead, Some(fin + 1), "desktop").await;
    let b_lead = b.login("lead10", PASSWORD).await;
    raise(&b, &t, &c, &b_lead, "through B").await;
    events_through(
        &mut on_a,
        fin + 1,
        fin + 2,
        Duration::from_secs(2),
        "A's socket, a flag raised on B",
    )
    .await;
    events_through(
        &mut ws,
        fin + 1,
        fin + 2,
        Duration::from_secs(2),
        "B's socket, its own write",
    )
    .await;
}
