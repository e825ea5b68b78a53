//! A reader that stops reading is let go (4008) without holding memory, and resumes exactly.

use crate::helpers::*;
use crate::ws::*;
use futures_util::{SinkExt, StreamExt};
use serde_json::json;
use std::cell::Cell;
use std::time::{Duration, Instant};
use tokio_tungstenite::tungstenite::Message;

both_engines!(slow_reader_closed_and_resumes,);

async fn slow_reader_closed_and_resumes(app: TestApp) {
    let (t, _, lead) = team(&app, "Live Slow", "lead6").await;
    let mut writers = vec![];
    for i in 0..4 {
        writers.push(app.member(&t, &format!("writer6{i}"), "member").await.1);
    }
    let c = id(&refer(&app, &t, &lead, "Eve", "Slow").await);

    let mut ws = open_small_buffer(&app, &t, 4096).await;
    hello(&mut ws, &lead, None, "board").await;
    let start = snapshot(&mut ws).await["seq"].as_i64().unwrap();
    let rss_before = vm_rss_kb();

    // Stop reading; 5,000 large events.
    const N: i64 = 5000;
    let filler = "x".repeat(990);
    let done = Cell::new(false);
    let produce = async {
        let results: Vec<u16> = futures_util::stream::iter(0..N)
            .map(|i| {
                let tok = &writers[i as usize % writers.len()];
                let reason = format!("{i:06} {filler}");
                let req = app.post(
                    &format!("/api/teams/{t}/clients/{c}/flags"),
                    tok,
                    json!({"severity": "watch", "category": "other", "reason": reason}),
                );
                async move { req.await.status.as_u16() }
            })
            .buffer_unordered(16)
            .collect()
            .await;
        done.set(true);
        results
    };
    // The client keeps sending (unsolicited pongs: a heartbeat) without reading, so a slow
    // machine cannot turn the slow close into the 45-second idle close.
    let keepalive = async {
        let mut ws = ws;
        while !done.get() {
            tokio::time::sleep(Duration::from_millis(200)).await;
            if ws.send(Message::Pong(Vec::new().into())).await.is_err() {
                break;
            }
        }
        ws
    };
    let (results, mut ws) = futures_util::join!(produce, keepalive);
    assert!(
        results.iter().all(|s| *s == 201),
        "some writes failed: {:?}",
        results
            .iter()
            .filter(|s| **s != 201)
            .take(5)
            .collect::<Vec<_>>()
    );
    let end = last_seq(&app, &t, &lead).await;
    assert_eq!(end, start + N);

    // The hub let go of the connection.
    let deadline = Instant::now() + Duration::from_secs(10);
    let stats = loop {
        let s = app.state.hub.stats().await;
        if (s.slow_closed >= 1 && s.connections == 0) || Instant::now() > deadline {
            break s;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    };
    assert!(
        stats.slow_closed >= 1 && stats.connections == 0,
        "the slow connection is still held: {stats:?}"
    );
    if let (Some(before), Some(after)) = (rss_before, vm_rss_kb()) {
        let grew = after.saturating_sub(before);
        assert!(
            grew < 100 * 1024,
            "resident memory grew by {} MB while a reader was stalled",
            grew / 1024
        );
        eprintln!("VmRSS {before} kB -> {after} kB");
    }

    // Read what was buffered: contiguous events, then close 4008 (or a reset).
    let mut seqs = vec![];
    let mut frames_after_events = vec![];
    let ending = loop {
        match recv(&mut ws, WAIT).await {
            None => panic!(
                "the stalled socket neither closed nor reset (read {} events: [{}]; other frames {frames_after_events:?})",
                seqs.len(),
                ranges(&seqs)
            ),
            Some(In::Frame(v)) if v["type"] == "event" => seqs.push(v["seq"].as_i64().unwrap()),
            Some(In::Frame(v)) => frames_after_events.push(v),
            Some(end) => break end,
        }
    };
    let want: Vec<i64> = (start + 1..start + 1 + seqs.len() as i64).collect();
    assert_eq!(
        seqs,
        want,
        "the buffered events before the close are not contiguous: [{}]",
        ranges(&seqs)
    );
    let received = seqs.last().copied().unwrap_or(start);
    assert!(
        received < end,
        "the reader got everything ({received}); the test did not back the server up"
    );
    match &ending {
        In::Close(code, reason) => {
            assert_eq!(
                *code,
                Some(4008),
                "close reason '{reason}'; other frames {frames_after_events:?}"
            );
        }
        In::Ended(_) => {}
        In::Frame(_) => unreachable!(),
    }
    eprintln!(
        "slow reader: got {} of {N} events, then {ending:?}; other frames {frames_after_events:?}",
        seqs.len()
    );

    // Resume: everything after what was received, exactly once, in order.
    let mut ws = connect(&app, &t, &lead, Some(received), "board").await;
    events_through(
        &mut ws,
        received,
        end,
        Duration::from_secs(30),
        "resume after the slow close",
    )
    .await;
    quiet(&mut ws, Duration::from_millis(1000), "after the resume").await;
}
