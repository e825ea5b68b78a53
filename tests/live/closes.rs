//! Every way the server refuses or ends a stream, with its close code: bad tokens, another
//! team, no hello, bad frames, a foreign Origin, access removed, idle and deactivated
//! connections, shutdown.

use crate::helpers::*;
use crate::ws::*;
use futures_util::SinkExt;
use serde_json::json;
use std::time::{Duration, Instant};
use tokio_tungstenite::tungstenite::client::IntoClientRequest;
use tokio_tungstenite::tungstenite::{self, Message};
use tokio_tungstenite::MaybeTlsStream;

both_engines!(
    refusals_and_close_codes,
    access_removed_closes_at_once,
    shutdown_closes_with_going_away,
);
by_engine!(idle_and_deactivated_connections_close);

async fn refusals_and_close_codes(app: TestApp) {
    let (a, _, lead_a) = team(&app, "Live A", "leada").await;
    let (b, _, lead_b) = team(&app, "Live B", "leadb").await;
    let (_, member_b) = app.member(&b, "memberb", "member").await;

    // A token that is not a token.
    let mut ws = connect(&app, &a, "not-a-token", None, "phone").await;
    expect_close(&mut ws, 4001, WAIT).await;
    // An expired one.
    let (expired, _) = token_expiring_in(&app, &app.admin_id, -3600).await;
    let mut ws = connect(&app, &a, &expired, None, "phone").await;
    expect_close(&mut ws, 4001, WAIT).await;
    // A member of another team.
    let mut ws = connect(&app, &a, &member_b, None, "phone").await;
    expect_close(&mut ws, 4003, WAIT).await;
    // Another team's display token.
    let dt_b = app
        .post(
            &format!("/api/teams/{b}/display-tokens"),
            &lead_b,
            json!({"label": "B room", "privacy": "initials"}),
        )
        .await
        .expect(201);
    let mut ws = connect(&app, &a, dt_b["token"].as_str().unwrap(), None, "board").await;
    expect_close(&mut ws, 4003, WAIT).await;
    // A team that does not exist.
    let mut ws = connect(&app, &new_id(), &lead_a, None, "phone").await;
    expect_close(&mut ws, 4003, WAIT).await;

    // No hello within 5 seconds.
    let started = Instant::now();
    let mut ws = open(&app, &a).await;
    expect_close(&mut ws, 4000, Duration::from_secs(8)).await;
    assert!(
        started.elapsed() >= Duration::from_millis(4500),
        "closed for no hello after only {:?}",
        started.elapsed()
    );

    // A frame that is not JSON, and a JSON frame that is not a hello.
    let mut ws = open(&app, &a).await;
    ws.send(Message::Text("hello?".into())).await.unwrap();
    expect_close(&mut ws, 4400, WAIT).await;
    let mut ws = open(&app, &a).await;
    send_json(&mut ws, json!({"type": "ping"})).await;
    expect_close(&mut ws, 4400, WAIT).await;

    // A browser from a foreign origin: the upgrade is refused.
    let mut req = ws_url(&app, &a).into_client_request().unwrap();
    req.headers_mut()
        .insert("Origin", "http://evil.example".parse().unwrap());
    match tokio::time::timeout(WAIT, tokio_tungstenite::connect_async(req))
        .await
        .expect("upgrade timed out")
    {
        Err(tungstenite::Error::Http(resp)) => {
            assert_eq!(resp.status().as_u16(), 403, "{resp:?}");
            let ct = resp
                .headers()
                .get("content-type")
                .and_then(|v| v.to_str().ok())
                .unwrap_or("");
            assert_eq!(ct, "application/problem+json", "{resp:?}");
        }
        Err(e) => panic!("expected an HTTP 403 refusal, got {e:?}"),
        Ok((_, resp)) => panic!("a foreign Origin was upgraded: {resp:?}"),
    }
    // The allowed origin works.
    let mut req = ws_url(&app, &a).into_client_request().unwrap();
    req.headers_mut()
        .insert("Origin", "http://localhost".parse().unwrap());
    let (mut ws, _) = tokio::time::timeout(WAIT, tokio_tungstenite::connect_async(req))
        .await
        .unwrap()
        .expect("allowed origin upgrades");
    hello(&mut ws, &lead_a, None, "desktop").await;
    snapshot(&mut ws).await;
    // And an unknown frame after the hello closes with 4400 too.
    send_json(&mut ws, json!({"type": "subscribe"})).await;
    expect_close(&mut ws, 4400, WAIT).await;
}

/// Revoking a display token or removing a member closes their streams within seconds (not
/// at the 60-second periodic check); everyone else's stream goes on with both events.
async fn access_removed_closes_at_once(app: TestApp) {
    let (t, _, lead) = team(&app, "Live Revoke", "leadr").await;
    let (m_id, member) = app.member(&t, "memberr", "member").await;
    let dt = app
        .post(
            &format!("/api/teams/{t}/display-tokens"),
            &lead,
            json!({"label": "Huddle room", "privacy": "initials"}),
        )
        .await
        .expect(201);
    let mut wall = connect(&app, &t, dt["token"].as_str().unwrap(), None, "board").await;
    snapshot(&mut wall).await;
    let mut phone = connect(&app, &t, &member, None, "phone").await;
    snapshot(&mut phone).await;
    let mut desk = connect(&app, &t, &lead, None, "desktop").await;
    let from = snapshot(&mut desk).await["seq"].as_i64().unwrap();

    app.delete(&format!("/api/teams/{t}/display-tokens/{}", id(&dt)), &lead)
        .await
        .expect(204);
    expect_close(&mut wall, 4003, WAIT).await;
    app.delete(&format!("/api/teams/{t}/members/{m_id}"), &lead)
        .await
        .expect(204);
    expect_close(&mut phone, 4003, WAIT).await;
    let seen = events_through(&mut desk, from, from + 2, WAIT, "the lead").await;
    let kinds: Vec<String> = kinds(&seen).into_iter().map(|(_, k)| k).collect();
    assert_eq!(kinds, ["display_token.revoked", "member.removed"]);
}

/// The close code the server sent, read from the raw TCP stream without answering anything:
/// tungstenite would answer the queued pings first and fail on the closed socket.
async fn raw_close_code(ws: &mut Ws, within: Duration) -> u16 {
    use tokio::io::AsyncReadExt;
    let MaybeTlsStream::Plain(tcp) = ws.get_mut() else {
        panic!("plain TCP expected")
    };
    let mut buf = Vec::new();
    let deadline = tokio::time::Instant::now() + within;
    loop {
        // Parse the complete (unmasked, server-to-client) frames read so far.
        let mut at = 0;
        while buf.len() >= at + 2 {
            let (op, short) = (buf[at] & 0x0f, (buf[at + 1] & 0x7f) as usize);
            let (len, head) = match short {
                126 if buf.len() >= at + 4 => {
                    (u16::from_be_bytes([buf[at + 2], buf[at + 3]]) as usize, 4)
                }
                127 if buf.len() >= at + 10 => (
                    u64::from_be_bytes(buf[at + 2..at + 10].try_into().unwrap()) as usize,
                    10,
                ),
                126 | 127 => break,
                n => (n, 2),
            };
            if buf.len() < at + head + len {
                break;
            }
            if op == 8 {
                assert!(len >= 2, "a close frame without a code");
                return u16::from_be_bytes([buf[at + head], buf[at + head + 1]]);
            }
            at += head + len;
        }
        let mut chunk = [0u8; 4096];
        let n = tokio::time::timeout_at(deadline, tcp.read(&mut chunk))
            .await
            .expect("no close frame in time")
            .expect("read failed");
        assert!(n > 0, "the connection ended without a close frame");
        buf.extend_from_slice(&chunk[..n]);
    }
}

/// The two closes that only the connection's own clocks make: a socket that answers nothing
/// (not even the pings) is closed with 4010, and a deactivated account's open socket is
/// closed with 4003 at the next access check. Clocks shortened to 1 s / 3 s / 1 s.
async fn idle_and_deactivated_connections_close(engine: EngineChoice) {
    use actboard::config::LiveTiming;
    let timing = LiveTiming {
        heartbeat: Duration::from_secs(1),
        idle: Duration::from_secs(3),
        recheck: Duration::from_secs(1),
    };
    let Some(app) = TestApp::start_with(engine, |cfg| cfg.live_timing = timing).await else {
        eprintln!("SKIPPED: ACTBOARD_TEST_DATABASE_URL is not set");
        return;
    };
    let (t, _, lead) = team(&app, "Live Clocks", "leadk").await;
    let (m_id, member) = app.member(&t, "memberk", "member").await;
    let mut silent = connect(&app, &t, &lead, None, "desktop").await;
    snapshot(&mut silent).await;
    let mut phone = connect(&app, &t, &member, None, "phone").await;
    snapshot(&mut phone).await;

    // The phone is read (so tungstenite answers the pings); the desktop is not read at all.
    let until = Instant::now() + Duration::from_secs(6);
    while let Some(left) = until.checked_duration_since(Instant::now()) {
        match recv(&mut phone, left).await {
            None | Some(In::Frame(_)) => {}
            other => panic!("a socket that answers pings must stay open; got {other:?}"),
        }
    }
    assert_eq!(raw_close_code(&mut silent, WAIT).await, 4010);

    // Deactivating the account ends its live stream at the next check (1 s here, 60 s live).
    // A fresh socket: the first one went unread while we waited for the desktop's close.
    drop(phone);
    let mut phone = connect(&app, &t, &member, None, "phone").await;
    snapshot(&mut phone).await;
    app.patch(
        &format!("/api/staff/{m_id}"),
        &app.admin_token,
        json!({"active": false}),
    )
    .await
    .expect(200);
    expect_close(&mut phone, 4003, WAIT).await;
}

/// Stopping the server tells every live connection "going away" (1001) so clients resume
/// elsewhere at once, instead of waiting for a dead-connection timeout.
async fn shutdown_closes_with_going_away(app: TestApp) {
    let (t, _, lead) = team(&app, "Stopping", "leadstop").await;
    let mut a = connect(&app, &t, &lead, None, "board").await;
    let mut b = connect(&app, &t, &lead, None, "phone").await;
    snapshot(&mut a).await;
    snapshot(&mut b).await;
    let n = app.state.hub.shutdown().await;
    assert_eq!(n, 2);
    for ws in [&mut a, &mut b] {
        let frames = expect_close(ws, 1001, Duration::from_secs(5)).await;
        let _ = frames;
    }
}
