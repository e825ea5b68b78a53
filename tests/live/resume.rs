//! Resuming with `since`: exactly the missed events, a snapshot beyond the replay window, and
//! no gap or duplicate at the seam between replay and live under concurrent writers.

use crate::helpers::*;
use crate::ws::*;
use std::cell::Cell;
use std::rc::Rc;
use std::time::{Duration, Instant};

both_engines!(resume_after_missed_events, seam_between_replay_and_live,);
by_engine!(resume_beyond_the_replay_window_gets_a_snapshot);

async fn resume_after_missed_events(app: TestApp) {
    let (t, _, lead) = team(&app, "Live Resume", "lead2").await;
    let (m_id, member) = app.member(&t, "member2", "member").await;
    let c = id(&refer(&app, &t, &lead, "Ben", "Resume").await);

    let mut ws = connect(&app, &t, &member, None, "phone").await;
    let last = snapshot(&mut ws).await["seq"].as_i64().unwrap();
    ws.close(None).await.unwrap();
    drop(ws);

    // 20 changes while away: flags and contacts alternately.
    let mut expected = vec![];
    for i in 0..20 {
        if i % 2 == 0 {
            raise(&app, &t, &c, &member, &format!("missed {i}")).await;
            expected.push((last + 1 + i, "flag.raised".to_string()));
        } else {
            contact(&app, &t, &c, &m_id, &member, None).await;
            expected.push((last + 1 + i, "contact.created".to_string()));
        }
    }
    assert_eq!(last_seq(&app, &t, &lead).await, last + 20);

    let mut ws = connect(&app, &t, &member, Some(last), "phone").await;
    let events = events_through(&mut ws, last, last + 20, WAIT, "replay").await;
    assert_eq!(kinds(&events), expected);
    quiet(&mut ws, Duration::from_millis(1500), "after the replay").await;

    raise(&app, &t, &c, &lead, "live again").await;
    let e = next_frame(
        &mut ws,
        Duration::from_secs(2),
        "the live event after the replay",
    )
    .await;
    assert_eq!(
        (e["type"].as_str(), e["seq"].as_i64(), e["kind"].as_str()),
        (Some("event"), Some(last + 21), Some("flag.raised")),
        "{e}"
    );
    quiet(&mut ws, Duration::from_millis(500), "after the live event").await;

    // Resuming when nothing was missed: no frames at all, then live.
    let mut ws2 = connect(&app, &t, &member, Some(last + 21), "desktop").await;
    quiet(&mut ws2, Duration::from_millis(800), "since = latest").await;
    raise(&app, &t, &c, &lead, "one more").await;
    events_through(
        &mut ws2,
        last + 21,
        last + 22,
        Duration::from_secs(2),
        "live after an empty replay",
    )
    .await;
    events_through(
        &mut ws,
        last + 21,
        last + 22,
        Duration::from_secs(2),
        "the first socket",
    )
    .await;
}

async fn resume_beyond_the_replay_window_gets_a_snapshot(engine: EngineChoice) {
    let Some(app) = TestApp::start_with(engine, |cfg| cfg.replay_window = 5).await else {
        eprintln!("SKIPPED: ACTBOARD_TEST_DATABASE_URL is not set");
        return;
    };
    let (t, _, lead) = team(&app, "Live Window", "lead3").await;
    let c = id(&refer(&app, &t, &lead, "Cal", "Window").await);
    for i in 0..10 {
        raise(&app, &t, &c, &lead, &format!("w{i}")).await;
    }
    let latest = last_seq(&app, &t, &lead).await;
    assert!(latest >= 11);

    // Further behind than 5 events: a snapshot at the latest seq, then live.
    let mut ws = connect(&app, &t, &lead, Some(1), "desktop").await;
    let snap = snapshot(&mut ws).await;
    assert_eq!(snap["seq"].as_i64(), Some(latest));
    quiet(&mut ws, Duration::from_millis(500), "after the snapshot").await;
    raise(&app, &t, &c, &lead, "after").await;
    events_through(
        &mut ws,
        latest,
        latest + 1,
        Duration::from_secs(2),
        "live after a snapshot",
    )
    .await;

    // Within the window: a replay.
    let mut ws = connect(&app, &t, &lead, Some(latest - 3), "desktop").await;
    events_through(
        &mut ws,
        latest - 3,
        latest + 1,
        WAIT,
        "replay within the window",
    )
    .await;

    // Ahead of the log, or negative: a snapshot.
    for since in [latest + 100, -1] {
        let mut ws = connect(&app, &t, &lead, Some(since), "desktop").await;
        let snap = snapshot(&mut ws).await;
        assert_eq!(snap["seq"].as_i64(), Some(latest + 1), "since {since}");
    }
}

async fn seam_between_replay_and_live(app: TestApp) {
    let (t, _, lead) = team(&app, "Live Seam", "lead7").await;
    let (_, w1) = app.member(&t, "writer71", "member").await;
    let (_, w2) = app.member(&t, "writer72", "member").await;
    let c = id(&refer(&app, &t, &lead, "Fay", "Seam").await);
    for i in 0..10 {
        raise(&app, &t, &c, &lead, &format!("warm {i}")).await;
    }

    let stop = Rc::new(Cell::new(false));
    let connected = Rc::new(Cell::new(0usize));
    let (final_tx, final_rx) = tokio::sync::watch::channel::<Option<i64>>(None);
    /// Clients resuming a little behind (a replay), and clients starting fresh (a snapshot).
    const CLIENTS: usize = 50;
    const FRESH: usize = 10;

    let writer = |tok: String| {
        let (stop, app, t, c) = (stop.clone(), &app, t.clone(), c.clone());
        async move {
            let mut n = 0;
            while !stop.get() {
                raise(app, &t, &c, &tok, &format!("seam {n}")).await;
                n += 1;
            }
            n
        }
    };
    let controller = {
        let (stop, connected, app, t, lead) = (
            stop.clone(),
            connected.clone(),
            &app,
            t.clone(),
            lead.clone(),
        );
        async move {
            let deadline = Instant::now() + Duration::from_secs(30);
            while connected.get() < CLIENTS + FRESH && Instant::now() < deadline {
                tokio::time::sleep(Duration::from_millis(20)).await;
            }
            tokio::time::sleep(Duration::from_millis(500)).await;
            stop.set(true);
            // Let the writers' last requests finish (they see `stop` after them).
            tokio::time::sleep(Duration::from_millis(50)).await;
            (t, lead, app)
        }
    };
    let clients: Vec<_> = (0..CLIENTS + FRESH)
        .map(|i| {
            let (connected, app, t, lead, mut final_rx) = (
                connected.clone(),
                &app,
                t.clone(),
                lead.clone(),
                final_rx.clone(),
            );
            async move {
                // Stagger the connections across the writing.
                tokio::time::sleep(Duration::from_millis(10 * (i % CLIENTS) as u64)).await;
                let fresh = i >= CLIENTS;
                let device = if i % 2 == 0 { "phone" } else { "board" };
                let (mut ws, since) = if fresh {
                    let mut ws = connect(app, &t, &lead, None, device).await;
                    let since = snapshot(&mut ws).await["seq"].as_i64().unwrap();
                    (ws, since)
                } else {
                    let since = last_seq(app, &t, &lead).await - 5;
                    (connect(app, &t, &lead, Some(since), device).await, since)
                };
                connected.set(connected.get() + 1);
                let mut seqs: Vec<i64> = vec![];
                let mut trouble: Option<String> = None;
                let deadline = Instant::now() + Duration::from_secs(60);
                loop {
                    let target = *final_rx.borrow_and_update();
                    if let Some(f) = target {
                        if seqs.last().is_some_and(|l| *l >= f) {
                            // Anything extra (a duplicate) would come right behind.
                            if let Some(In::Frame(v)) =
                                recv(&mut ws, Duration::from_millis(300)).await
                            {
                                if v["type"] == "event" {
                                    seqs.push(v["seq"].as_i64().unwrap());
                                }
                            }
                            break;
                        }
                    }
                    if Instant::now() > deadline {
                        trouble = Some("timed out".into());
                        break;
                    }
                    match recv(&mut ws, Duration::from_millis(200)).await {
                        None => continue,
                        Some(In::Frame(v)) if v["type"] == "event" => {
                            seqs.push(v["seq"].as_i64().unwrap())
                        }
                        Some(In::Frame(v)) if is_meta(&v) => continue,
                        Some(In::Frame(v)) => {
                            trouble = Some(format!(
                                "unexpected {} frame at seq {}",
                                v["type"], v["seq"]
                            ));
                            break;
                        }
                        Some(other) => {
                            trouble = Some(format!("{other:?}"));
                            break;
                        }
                    }
                }
                (
                    if fresh {
                        format!("fresh client {i} (snapshot at {since})")
                    } else {
                        format!("client {i} (since {since})")
                    },
                    since,
                    seqs,
                    trouble,
                )
            }
        })
        .collect();
    let w1f = writer(w1.clone());
    let w2f = writer(w2.clone());
    let finisher = async {
        let ((t, lead, app), n1, n2) = futures_util::join!(controller, w1f, w2f);
        let fin = last_seq(app, &t, &lead).await;
        final_tx.send(Some(fin)).unwrap();
        (fin, n1 + n2)
    };
    let ((fin, written), results) =
        futures_util::join!(finisher, futures_util::future::join_all(clients));
    eprintln!(
        "seam: {written} flags written while {} clients connected; final seq {fin}",
        CLIENTS + FRESH
    );
    assert!(
        written >= 20,
        "the writer barely wrote ({written}); the test did not exercise the seam"
    );

    let mut failures = vec![];
    for (who, since, seqs, trouble) in results {
        let want: Vec<i64> = (since + 1..=fin).collect();
        if seqs != want || trouble.is_some() {
            failures.push(format!(
                "{who}: got [{}] (want {}..={fin}){}",
                ranges(&seqs),
                since + 1,
                trouble.map(|t| format!("; {t}")).unwrap_or_default()
            ));
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {} clients saw a gap or a duplicate:\n{}",
        failures.len(),
        CLIENTS + FRESH,
        failures.join("\n")
    );
}
