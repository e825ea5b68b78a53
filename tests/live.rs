//! The live stream (docs/PROTOCOL.md) over a real websocket client: snapshot and live events,
//! exact resume, the replay window, refusals and close codes, token expiry and renewal, slow
//! readers, the subscribe/replay seam, privacy displays, presence, and two instances on one
//! PostgreSQL — on SQLite and (when configured) PostgreSQL.

mod common;

use common::{EngineChoice, TestApp, SECRET};
use diesel::prelude::*;
use futures_util::{SinkExt, StreamExt};
use serde_json::{json, Value};
use std::cell::Cell;
use std::rc::Rc;
use std::time::{Duration, Instant};
use tokio::net::TcpStream;
use tokio_tungstenite::tungstenite::client::IntoClientRequest;
use tokio_tungstenite::tungstenite::{self, Message};
use tokio_tungstenite::{MaybeTlsStream, WebSocketStream};

both_engines!(
    snapshot_then_live_event,
    resume_after_missed_events,
    refusals_and_close_codes,
    access_removed_closes_at_once,
    huddle_focus_reaches_every_screen,
    token_expiry_and_renewal,
    slow_reader_closed_and_resumes,
    seam_between_replay_and_live,
    privacy_display_stream,
    presence_follows_connections,
    two_instances_share_the_stream,
    shutdown_closes_with_going_away,
);

by_engine!(resume_beyond_the_replay_window_gets_a_snapshot);
by_engine!(idle_and_deactivated_connections_close);

// ---------------------------------------------------------------------------------------
// Helpers: HTTP
// ---------------------------------------------------------------------------------------

/// Every receive waits at most this long unless a test says otherwise.
const WAIT: Duration = Duration::from_secs(5);

fn id(v: &Value) -> String {
    v["id"]
        .as_str()
        .unwrap_or_else(|| panic!("no id in {v}"))
        .to_string()
}

fn new_id() -> String {
    uuid::Uuid::new_v4().to_string()
}

/// A team with a lead; returns (team id, lead id, lead token).
async fn team(app: &TestApp, name: &str, lead: &str) -> (String, String, String) {
    let t = id(&app.create_team(name, "act").await);
    let (lead_id, lead_token) = app.member(&t, lead, "lead").await;
    (t, lead_id, lead_token)
}

/// Refer a client; returns its id.
async fn refer(app: &TestApp, t: &str, token: &str, given: &str, family: &str) -> String {
    id(&app
        .post(
            &format!("/api/teams/{t}/clients"),
            token,
            json!({"given_name": given, "family_name": family}),
        )
        .await
        .expect(201))
}

/// Raise a flag (201); returns it.
async fn raise(app: &TestApp, t: &str, client: &str, token: &str, reason: &str) -> Value {
    app.post(
        &format!("/api/teams/{t}/clients/{client}/flags"),
        token,
        json!({"severity": "watch", "reason": reason}),
    )
    .await
    .expect(201)
}

/// Log a completed visit (201); returns the contact.
async fn contact(
    app: &TestApp,
    t: &str,
    client: &str,
    staff_id: &str,
    token: &str,
    note: Option<&str>,
) -> Value {
    let mut body = json!({
        "client_id": client, "staff_ids": [staff_id], "day": "2026-10-14", "start": "09:00", "end": "10:00",
        "kind": "face_to_face", "place": "home", "activity": "check-in", "status": "completed", "minutes": 60
    });
    if let Some(n) = note {
        body["note"] = json!(n);
    }
    app.put(
        &format!("/api/teams/{t}/contacts/{}", new_id()),
        token,
        body,
    )
    .await
    .expect(201)
}

/// The team's latest seq, from the event log.
async fn last_seq(app: &TestApp, t: &str, token: &str) -> i64 {
    app.get(&format!("/api/teams/{t}/events?since=0&limit=1"), token)
        .await
        .expect(200)["last_seq"]
        .as_i64()
        .unwrap()
}

/// A forged access token of `staff_id` that expires `secs` from now.
fn token_expiring_in(staff_id: &str, secs: i64) -> (String, i64) {
    let now = chrono::Utc::now().timestamp();
    let exp = now + secs;
    let claims = json!({"sub": staff_id, "iat": now, "exp": exp, "typ": "access"});
    let token = jsonwebtoken::encode(
        &jsonwebtoken::Header::default(),
        &claims,
        &jsonwebtoken::EncodingKey::from_secret(SECRET.as_bytes()),
    )
    .unwrap();
    (token, exp)
}

/// This process's resident memory (the server runs in the test process), in kB.
fn vm_rss_kb() -> Option<u64> {
    let s = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = s.lines().find(|l| l.starts_with("VmRSS:"))?;
    line.split_whitespace().nth(1)?.parse().ok()
}

// ---------------------------------------------------------------------------------------
// Helpers: the websocket client
// ---------------------------------------------------------------------------------------

type Ws = WebSocketStream<MaybeTlsStream<TcpStream>>;

fn ws_url(app: &TestApp, t: &str) -> String {
    format!("ws://{}/api/teams/{t}/live", app.addr)
}

/// Open the socket (no hello yet).
async fn open(app: &TestApp, t: &str) -> Ws {
    let (ws, resp) = tokio::time::timeout(WAIT, tokio_tungstenite::connect_async(ws_url(app, t)))
        .await
        .expect("websocket upgrade timed out")
        .unwrap_or_else(|e| panic!("websocket upgrade failed: {e:?}"));
    assert_eq!(resp.status().as_u16(), 101);
    ws
}

/// Open the socket over a TCP connection with a small receive buffer (so a client that
/// stops reading backs the server up quickly).
async fn open_small_buffer(app: &TestApp, t: &str, rcvbuf: u32) -> Ws {
    let sock = tokio::net::TcpSocket::new_v4().unwrap();
    sock.set_recv_buffer_size(rcvbuf).unwrap();
    let stream = sock.connect(app.addr).await.unwrap();
    let (ws, _) = tokio::time::timeout(
        WAIT,
        tokio_tungstenite::client_async(ws_url(app, t), MaybeTlsStream::Plain(stream)),
    )
    .await
    .expect("websocket upgrade timed out")
    .unwrap_or_else(|e| panic!("websocket upgrade failed: {e:?}"));
    ws
}

async fn send_json(ws: &mut Ws, v: Value) {
    ws.send(Message::Text(v.to_string().into()))
        .await
        .expect("frame sent");
}

async fn hello(ws: &mut Ws, token: &str, since: Option<i64>, device: &str) {
    send_json(
        ws,
        json!({"type": "hello", "token": token, "since": since, "device": device}),
    )
    .await;
}

/// Open and say hello.
async fn connect(app: &TestApp, t: &str, token: &str, since: Option<i64>, device: &str) -> Ws {
    let mut ws = open(app, t).await;
    hello(&mut ws, token, since, device).await;
    ws
}

/// What the socket gave us.
#[derive(Debug)]
enum In {
    Frame(Value),
    /// A close frame (its code).
    Close(Option<u16>, String),
    /// The connection ended without a close frame (reset, EOF, protocol error).
    Ended(String),
}

/// The next JSON frame, close, or end; `None` when nothing came within `within`.
/// Control frames are skipped (tungstenite answers pings itself).
async fn recv(ws: &mut Ws, within: Duration) -> Option<In> {
    let deadline = tokio::time::Instant::now() + within;
    loop {
        let msg = match tokio::time::timeout_at(deadline, ws.next()).await {
            Err(_) => return None,
            Ok(m) => m,
        };
        return Some(match msg {
            None => In::Ended("stream ended".into()),
            Some(Err(e)) => In::Ended(format!("{e:?}")),
            Some(Ok(Message::Text(t))) => {
                In::Frame(serde_json::from_str(t.as_str()).unwrap_or_else(|e| {
                    panic!("the server sent a frame that is not JSON ({e}): {t}")
                }))
            }
            Some(Ok(Message::Close(c))) => In::Close(
                c.as_ref().map(|c| u16::from(c.code)),
                c.map(|c| c.reason.to_string()).unwrap_or_default(),
            ),
            Some(Ok(Message::Binary(b))) => {
                panic!("the server sent a binary frame ({} bytes)", b.len())
            }
            Some(Ok(_)) => continue,
        });
    }
}

/// Frames that may arrive at any time and carry no board data.
fn is_meta(v: &Value) -> bool {
    matches!(v["type"].as_str(), Some("presence" | "tick" | "pong"))
}

/// The next frame that is not presence/tick/pong; panics on timeout or close.
async fn next_frame(ws: &mut Ws, within: Duration, what: &str) -> Value {
    let deadline = Instant::now() + within;
    loop {
        let left = deadline.saturating_duration_since(Instant::now());
        match recv(ws, left).await {
            None => panic!("waiting for {what}: nothing within {within:?}"),
            Some(In::Frame(v)) if is_meta(&v) => continue,
            Some(In::Frame(v)) => return v,
            Some(other) => panic!("waiting for {what}: the connection closed: {other:?}"),
        }
    }
}

/// The snapshot that must follow a hello.
async fn snapshot(ws: &mut Ws) -> Value {
    let f = next_frame(ws, WAIT, "the snapshot").await;
    assert_eq!(f["type"], "snapshot", "expected a snapshot, got {f}");
    assert!(f["seq"].is_i64(), "{f}");
    f
}

/// Wait for a presence frame whose viewers (who, device, connections) are exactly `want`
/// (in any order); panics with the last one seen.
async fn presence_becomes(ws: &mut Ws, want: &[(&str, &str, i64)], within: Duration) -> Value {
    let deadline = Instant::now() + within;
    let mut want: Vec<(String, String, i64)> = want
        .iter()
        .map(|(w, d, n)| (w.to_string(), d.to_string(), *n))
        .collect();
    want.sort();
    let mut last = Value::Null;
    loop {
        let left = deadline.saturating_duration_since(Instant::now());
        if left.is_zero() {
            panic!("presence never became {want:?}; last presence frame: {last}");
        }
        match recv(ws, left).await {
            None => panic!("presence never became {want:?}; last presence frame: {last}"),
            Some(In::Frame(v)) if v["type"] == "presence" => {
                let mut got: Vec<(String, String, i64)> = v["viewers"]
                    .as_array()
                    .unwrap_or_else(|| panic!("presence without viewers: {v}"))
                    .iter()
                    .map(|x| {
                        (
                            x["who"].as_str().unwrap_or("").to_string(),
                            x["device"].as_str().unwrap_or("").to_string(),
                            x["connections"].as_i64().unwrap_or(-1),
                        )
                    })
                    .collect();
                got.sort();
                if got == want {
                    return v;
                }
                last = v;
            }
            Some(In::Frame(_)) => continue,
            Some(other) => {
                panic!("waiting for presence {want:?}: the connection closed: {other:?}")
            }
        }
    }
}

/// Read until the server closes; asserts the close code and the `error` frame before it.
/// Returns the frames received before the close.
async fn expect_close(ws: &mut Ws, code: u16, within: Duration) -> Vec<Value> {
    let deadline = Instant::now() + within;
    let mut frames = vec![];
    loop {
        let left = deadline.saturating_duration_since(Instant::now());
        match recv(ws, left).await {
            None => panic!("expected close {code} within {within:?}; the socket stayed open. Frames: {frames:?}"),
            Some(In::Frame(v)) => frames.push(v),
            Some(In::Close(got, reason)) => {
                assert_eq!(got, Some(code), "close code (reason '{reason}'); frames before: {frames:?}");
                let err = frames.iter().rev().find(|f| f["type"] == "error");
                let err = err.unwrap_or_else(|| panic!("no error frame before close {code}: {frames:?}"));
                assert!(
                    err["code"] == json!(code) || err["code"] == json!(code.to_string()),
                    "the error frame names another code than the close ({code}): {err}"
                );
                assert!(err["message"].as_str().is_some_and(|m| !m.is_empty()), "{err}");
                return frames;
            }
            Some(In::Ended(e)) => panic!("expected close {code}; the connection ended without a close frame: {e}. Frames: {frames:?}"),
        }
    }
}

/// Nothing but presence/tick/pong arrives for `dur` (and the socket stays open).
async fn quiet(ws: &mut Ws, dur: Duration, why: &str) {
    let deadline = Instant::now() + dur;
    loop {
        let left = deadline.saturating_duration_since(Instant::now());
        if left.is_zero() {
            return;
        }
        match recv(ws, left).await {
            None => return,
            Some(In::Frame(v)) if is_meta(&v) => continue,
            Some(other) => panic!("{why}: expected nothing more, got {other:?}"),
        }
    }
}

/// "3..=7, 9, 9, 12..=20": a seq list shown compactly for failure messages.
fn ranges(seqs: &[i64]) -> String {
    let mut out: Vec<String> = vec![];
    let mut i = 0;
    while i < seqs.len() {
        let mut j = i;
        while j + 1 < seqs.len() && seqs[j + 1] == seqs[j] + 1 {
            j += 1;
        }
        out.push(if i == j {
            seqs[i].to_string()
        } else {
            format!("{}..={}", seqs[i], seqs[j])
        });
        i = j + 1;
    }
    out.join(", ")
}

/// Read event frames until one with seq `to` (or a timeout/close/snapshot); asserts the seqs
/// were exactly `from+1..=to` in order. Returns the events.
async fn events_through(
    ws: &mut Ws,
    from: i64,
    to: i64,
    within: Duration,
    who: &str,
) -> Vec<Value> {
    let deadline = Instant::now() + within;
    let mut events = vec![];
    let mut problem: Option<String> = None;
    loop {
        if events
            .last()
            .is_some_and(|e: &Value| e["seq"].as_i64() == Some(to))
            || (from == to && events.is_empty())
        {
            break;
        }
        let left = deadline.saturating_duration_since(Instant::now());
        match recv(ws, left).await {
            None => {
                problem = Some(format!("timed out after {within:?}"));
                break;
            }
            Some(In::Frame(v)) if is_meta(&v) => continue,
            Some(In::Frame(v)) if v["type"] == "event" => events.push(v),
            Some(other) => {
                problem = Some(format!("got {other:?}"));
                break;
            }
        }
    }
    let seqs: Vec<i64> = events.iter().map(|e| e["seq"].as_i64().unwrap()).collect();
    let want: Vec<i64> = (from + 1..=to).collect();
    assert!(
        problem.is_none() && seqs == want,
        "{who}: expected events {from}+1..={to} exactly once in order; got [{}]{}",
        ranges(&seqs),
        problem.map(|p| format!(", then {p}")).unwrap_or_default()
    );
    events
}

/// Seq and kind of each event.
fn kinds(events: &[Value]) -> Vec<(i64, String)> {
    events
        .iter()
        .map(|e| {
            (
                e["seq"].as_i64().unwrap(),
                e["kind"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

// ---------------------------------------------------------------------------------------
// 1. Snapshot, then live events
// ---------------------------------------------------------------------------------------

async fn snapshot_then_live_event(app: TestApp) {
    let (t, _, lead) = team(&app, "Live One", "lead1").await;
    let (_, member) = app.member(&t, "member1", "member").await;
    let c = refer(&app, &t, &lead, "Ann", "Snapshot").await;
    let board = app
        .get(&format!("/api/teams/{t}/board"), &member)
        .await
        .expect(200);
    let board_seq = board["seq"].as_i64().unwrap();

    let mut ws = connect(&app, &t, &member, None, "phone").await;
    let snap = snapshot(&mut ws).await;
    assert_eq!(
        snap["seq"].as_i64(),
        Some(board_seq),
        "snapshot seq vs GET /board seq"
    );
    assert_eq!(
        snap["board"]["seq"].as_i64(),
        Some(board_seq),
        "the board inside the snapshot is at the snapshot's seq"
    );
    assert_eq!(snap["board"]["team"]["id"], t.as_str());
    let listed = snap["board"]["clients"]
        .as_array()
        .unwrap()
        .iter()
        .any(|x| x["id"] == c.as_str());
    assert!(
        listed,
        "the snapshot's board does not list the client: {}",
        snap["board"]
    );

    let flag = raise(&app, &t, &c, &lead, "missed depot").await;
    let e = next_frame(&mut ws, Duration::from_secs(2), "the flag.raised event").await;
    assert_eq!(e["type"], "event", "{e}");
    assert_eq!(e["kind"], "flag.raised", "{e}");
    assert_eq!(e["seq"].as_i64(), Some(board_seq + 1), "{e}");
    assert_eq!(e["data"]["id"], flag["id"], "{e}");
    assert!(e["actor"].is_string() && e["at"].is_string(), "{e}");
    // The application-level ping.
    send_json(&mut ws, json!({"type": "ping"})).await;
    let deadline = Instant::now() + WAIT;
    loop {
        match recv(&mut ws, deadline.saturating_duration_since(Instant::now())).await {
            Some(In::Frame(v)) if v["type"] == "pong" => break,
            Some(In::Frame(v)) if is_meta(&v) => continue,
            other => panic!("expected pong, got {other:?}"),
        }
    }
    quiet(&mut ws, Duration::from_millis(500), "after one change").await;
}

// ---------------------------------------------------------------------------------------
// 2. Resume after missed events
// ---------------------------------------------------------------------------------------

async fn resume_after_missed_events(app: TestApp) {
    let (t, _, lead) = team(&app, "Live Resume", "lead2").await;
    let (m_id, member) = app.member(&t, "member2", "member").await;
    let c = refer(&app, &t, &lead, "Ben", "Resume").await;

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

/// The close code the server sent, read from the raw TCP stream without answering anything:
/// tungstenite would answer the queued pings first and fail on the closed socket.
async fn raw_close_code(ws: &mut Ws, within: Duration) -> u16 {
    use tokio::io::AsyncReadExt;
    let MaybeTlsStream::Plain(tcp) = ws.get_mut() else { panic!("plain TCP expected") };
    let mut buf = Vec::new();
    let deadline = tokio::time::Instant::now() + within;
    loop {
        // Parse the complete (unmasked, server-to-client) frames read so far.
        let mut at = 0;
        while buf.len() >= at + 2 {
            let (op, short) = (buf[at] & 0x0f, (buf[at + 1] & 0x7f) as usize);
            let (len, head) = match short {
                126 if buf.len() >= at + 4 => (u16::from_be_bytes([buf[at + 2], buf[at + 3]]) as usize, 4),
                127 if buf.len() >= at + 10 => (u64::from_be_bytes(buf[at + 2..at + 10].try_into().unwrap()) as usize, 10),
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
    app.patch(&format!("/api/staff/{m_id}"), &app.admin_token, json!({"active": false}))
        .await
        .expect(200);
    expect_close(&mut phone, 4003, WAIT).await;
}

// ---------------------------------------------------------------------------------------
// 3. The replay window
// ---------------------------------------------------------------------------------------

async fn resume_beyond_the_replay_window_gets_a_snapshot(engine: EngineChoice) {
    let Some(app) = TestApp::start_with(engine, |cfg| cfg.replay_window = 5).await else {
        eprintln!("SKIPPED: ACTBOARD_TEST_DATABASE_URL is not set");
        return;
    };
    let (t, _, lead) = team(&app, "Live Window", "lead3").await;
    let c = refer(&app, &t, &lead, "Cal", "Window").await;
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

// ---------------------------------------------------------------------------------------
// 4. Refusals
// ---------------------------------------------------------------------------------------

async fn refusals_and_close_codes(app: TestApp) {
    let (a, _, lead_a) = team(&app, "Live A", "leada").await;
    let (b, _, lead_b) = team(&app, "Live B", "leadb").await;
    let (_, member_b) = app.member(&b, "memberb", "member").await;

    // A token that is not a token.
    let mut ws = connect(&app, &a, "not-a-token", None, "phone").await;
    expect_close(&mut ws, 4001, WAIT).await;
    // An expired one.
    let (expired, _) = token_expiring_in(&app.admin_id, -3600);
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
        .post(&format!("/api/teams/{t}/display-tokens"), &lead, json!({"label": "Huddle room", "privacy": "initials"}))
        .await
        .expect(201);
    let mut wall = connect(&app, &t, dt["token"].as_str().unwrap(), None, "board").await;
    snapshot(&mut wall).await;
    let mut phone = connect(&app, &t, &member, None, "phone").await;
    snapshot(&mut phone).await;
    let mut desk = connect(&app, &t, &lead, None, "desktop").await;
    let from = snapshot(&mut desk).await["seq"].as_i64().unwrap();

    app.delete(&format!("/api/teams/{t}/display-tokens/{}", id(&dt)), &lead).await.expect(204);
    expect_close(&mut wall, 4003, WAIT).await;
    app.delete(&format!("/api/teams/{t}/members/{m_id}"), &lead).await.expect(204);
    expect_close(&mut phone, 4003, WAIT).await;
    let seen = events_through(&mut desk, from, from + 2, WAIT, "the lead").await;
    let kinds: Vec<String> = kinds(&seen).into_iter().map(|(_, k)| k).collect();
    assert_eq!(kinds, ["display_token.revoked", "member.removed"]);
}

/// The huddle's step is shared: a member steps to a client, every screen of the team (the
/// wall's display token included) gets `huddle.focus`, and a board read later starts there.
async fn huddle_focus_reaches_every_screen(app: TestApp) {
    let (t, _, lead) = team(&app, "Live Huddle", "leadh").await;
    let (_, viewer) = app.member(&t, "viewerh", "viewer").await;
    let (_, member) = app.member(&t, "memberh", "member").await;
    let c = refer(&app, &t, &lead, "Hue", "Dell").await;
    let dt = app
        .post(&format!("/api/teams/{t}/display-tokens"), &lead, json!({"label": "Wall", "privacy": "initials"}))
        .await
        .expect(201);
    let mut wall = connect(&app, &t, dt["token"].as_str().unwrap(), None, "board").await;
    let from = snapshot(&mut wall).await["seq"].as_i64().unwrap();
    let mut phone = connect(&app, &t, &member, Some(from), "phone").await;
    let board = app.get(&format!("/api/teams/{t}/board"), &lead).await.expect(200);
    assert!(board["huddle_focus"].is_null(), "no huddle yet: {board}");
    let day = board["day"].as_str().unwrap().to_string();

    let out = app.put(&format!("/api/teams/{t}/huddle/{day}/focus"), &lead, json!({"client_id": c})).await.expect(200);
    assert_eq!(out["client_id"], c.as_str());
    let seen = events_through(&mut wall, from, from + 1, WAIT, "the wall display").await;
    assert_eq!(seen[0]["kind"], "huddle.focus");
    assert_eq!(seen[0]["data"]["client_id"], c.as_str());
    let mut keys: Vec<&String> = seen[0]["data"].as_object().unwrap().keys().collect();
    keys.sort();
    assert_eq!(keys, ["at", "client_id", "day", "staff_id"], "ids and times only, no names");
    let on_phone = events_through(&mut phone, from, from + 1, WAIT, "a member's phone").await;
    assert_eq!(on_phone[0]["data"]["client_id"], c.as_str());
    for token in [&lead, dt["token"].as_str().unwrap()] {
        let board = app.get(&format!("/api/teams/{t}/board"), token).await.expect(200);
        assert_eq!(board["huddle_focus"]["client_id"], c.as_str());
    }
    // Viewers watch but do not steer; a client of no team is bad input (422); null ends it.
    app.put(&format!("/api/teams/{t}/huddle/{day}/focus"), &viewer, json!({"client_id": c})).await.problem(403, "forbidden");
    app.put(&format!("/api/teams/{t}/huddle/{day}/focus"), &lead, json!({"client_id": new_id()})).await.problem(422, "validation_failed");
    app.put(&format!("/api/teams/{t}/huddle/{day}/focus"), &lead, json!({"client_id": null})).await.expect(200);
    let seen = events_through(&mut wall, from + 1, from + 2, WAIT, "the wall display").await;
    assert!(seen[0]["data"]["client_id"].is_null());
    let board = app.get(&format!("/api/teams/{t}/board"), &lead).await.expect(200);
    assert!(board["huddle_focus"]["client_id"].is_null());
}

// ---------------------------------------------------------------------------------------
// 5. Token expiry and renewal
// ---------------------------------------------------------------------------------------

async fn token_expiry_and_renewal(app: TestApp) {
    let (t, _, lead) = team(&app, "Live Tokens", "lead5").await;
    let (m_id, _) = app.member(&t, "member5", "member").await;
    let (other_id, _) = app.member(&t, "other5", "member").await;
    let c = refer(&app, &t, &lead, "Dee", "Token").await;

    // Expires without renewal: 4009, at (not before) the expiry.
    let (short, exp) = token_expiring_in(&m_id, 3);
    let mut ws = connect(&app, &t, &short, None, "phone").await;
    snapshot(&mut ws).await;
    expect_close(&mut ws, 4009, Duration::from_secs(8)).await;
    let now = chrono::Utc::now().timestamp();
    assert!(
        now >= exp - 1,
        "closed as expired {} s before the expiry",
        exp - now
    );

    // Renewed before the expiry: auth_ok, and the socket outlives the old token.
    let (short, exp) = token_expiring_in(&m_id, 3);
    let mut ws = connect(&app, &t, &short, None, "phone").await;
    let snap = snapshot(&mut ws).await;
    let seq = snap["seq"].as_i64().unwrap();
    let fresh = app.login("member5", common::PASSWORD).await;
    send_json(&mut ws, json!({"type": "auth", "token": fresh})).await;
    let ok = next_frame(&mut ws, WAIT, "auth_ok").await;
    assert_eq!(ok["type"], "auth_ok", "{ok}");
    assert!(
        ok["expires_at"].as_i64().is_some_and(|e| e > exp + 600),
        "{ok}"
    );
    while chrono::Utc::now().timestamp() <= exp + 2 {
        quiet(
            &mut ws,
            Duration::from_millis(500),
            "after the renewal, past the old expiry",
        )
        .await;
    }
    raise(&app, &t, &c, &lead, "after renewal").await;
    events_through(
        &mut ws,
        seq,
        seq + 1,
        Duration::from_secs(2),
        "after the renewal",
    )
    .await;

    // A renewal token of another person: 4001.
    let (short, _) = token_expiring_in(&m_id, 60);
    let mut ws = connect(&app, &t, &short, None, "phone").await;
    snapshot(&mut ws).await;
    let (someone_else, _) = token_expiring_in(&other_id, 900);
    send_json(&mut ws, json!({"type": "auth", "token": someone_else})).await;
    expect_close(&mut ws, 4001, WAIT).await;

    // A renewal that is not a valid token: 4001.
    let (short, _) = token_expiring_in(&m_id, 60);
    let mut ws = connect(&app, &t, &short, None, "phone").await;
    snapshot(&mut ws).await;
    send_json(&mut ws, json!({"type": "auth", "token": "garbage"})).await;
    expect_close(&mut ws, 4001, WAIT).await;
}

// ---------------------------------------------------------------------------------------
// 6. A slow reader
// ---------------------------------------------------------------------------------------

async fn slow_reader_closed_and_resumes(app: TestApp) {
    let (t, _, lead) = team(&app, "Live Slow", "lead6").await;
    let mut writers = vec![];
    for i in 0..4 {
        writers.push(app.member(&t, &format!("writer6{i}"), "member").await.1);
    }
    let c = refer(&app, &t, &lead, "Eve", "Slow").await;

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
                    json!({"severity": "watch", "reason": reason}),
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

// ---------------------------------------------------------------------------------------
// 7. The seam between replay and live
// ---------------------------------------------------------------------------------------

async fn seam_between_replay_and_live(app: TestApp) {
    let (t, _, lead) = team(&app, "Live Seam", "lead7").await;
    let (_, w1) = app.member(&t, "writer71", "member").await;
    let (_, w2) = app.member(&t, "writer72", "member").await;
    let c = refer(&app, &t, &lead, "Fay", "Seam").await;
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

// ---------------------------------------------------------------------------------------
// 8. A privacy display
// ---------------------------------------------------------------------------------------

async fn privacy_display_stream(app: TestApp) {
    let (t, _, lead) = team(&app, "Live Display", "lead8").await;
    let (m_id, member) = app.member(&t, "member8", "member").await;
    let (lead2_id, _) = app.member(&t, "lead82", "lead").await;
    let names = ["Philomena", "Quartermaine", "Pippa"];
    let c = app
        .post(&format!("/api/teams/{t}/clients"), &lead, json!({"given_name": "Philomena", "family_name": "Quartermaine", "preferred_name": "Pippa"}))
        .await
        .expect(201);
    let cid = id(&c);
    let dt = app
        .post(
            &format!("/api/teams/{t}/display-tokens"),
            &lead,
            json!({"label": "Team room", "privacy": "initials"}),
        )
        .await
        .expect(201);
    let dt = dt["token"].as_str().unwrap().to_string();

    let mut display = connect(&app, &t, &dt, None, "board").await;
    let snap = snapshot(&mut display).await;
    assert_eq!(snap["board"]["privacy"], "initials", "{snap}");
    let row = snap["board"]["clients"]
        .as_array()
        .unwrap()
        .iter()
        .find(|x| x["id"] == cid.as_str())
        .cloned();
    let row =
        row.unwrap_or_else(|| panic!("the display's snapshot does not list the client: {snap}"));
    assert_eq!(row["display_name"], "PQ", "{row}");
    let s = snap.to_string();
    for n in names {
        assert!(!s.contains(n), "the display's snapshot contains '{n}': {s}");
    }
    presence_becomes(&mut display, &[("Display: Team room", "board", 1)], WAIT).await;

    // A staff member joins from a phone: the display sees who.
    let mut staff = connect(&app, &t, &member, None, "phone").await;
    let staff_seq = snapshot(&mut staff).await["seq"].as_i64().unwrap();
    assert_eq!(staff_seq, snap["seq"].as_i64().unwrap());
    presence_becomes(
        &mut display,
        &[("Display: Team room", "board", 1), ("member8", "phone", 1)],
        WAIT,
    )
    .await;

    // Changes that carry names for staff.
    app.patch(
        &format!("/api/teams/{t}/clients/{cid}"),
        &member,
        json!({"version": 1, "risk_tier": "high"}),
    )
    .await
    .expect(200);
    contact(
        &app,
        &t,
        &cid,
        &m_id,
        &member,
        Some("Pippa's sister Quartermaine called"),
    )
    .await;
    raise(&app, &t, &cid, &member, "missed depot").await;
    app.post(
        &format!("/api/teams/{t}/handoffs"),
        &member,
        json!({"to_staff_id": lead2_id, "items": [{"client_id": cid, "severity": "unstable", "summary": "Philomena is unstable", "actions": ["call Pippa"], "contingency": "if Quartermaine calls, go"}]}),
    )
    .await
    .expect(201);
    let fin = last_seq(&app, &t, &lead).await;
    let seq = snap["seq"].as_i64().unwrap();
    assert_eq!(fin, seq + 4);

    let staff_events = events_through(&mut staff, seq, fin, WAIT, "staff socket").await;
    let s = serde_json::to_string(&staff_events).unwrap();
    assert!(
        names.iter().all(|n| s.contains(n)),
        "the staff socket should see the names (else the check below means nothing): {s}"
    );
    let shown = events_through(&mut display, seq, fin, WAIT, "display socket").await;
    assert_eq!(kinds(&shown), kinds(&staff_events));
    let s = serde_json::to_string(&shown).unwrap();
    for n in names {
        assert!(!s.contains(n), "a display event contains '{n}': {s}");
    }
    let updated = shown
        .iter()
        .find(|e| e["kind"] == "client.updated")
        .unwrap();
    assert_eq!(updated["data"]["display_name"], "PQ", "{updated}");
    let contact_ev = shown
        .iter()
        .find(|e| e["kind"] == "contact.created")
        .unwrap();
    assert!(contact_ev["data"]["note"].is_null(), "{contact_ev}");

    // The staff member leaves.
    staff.close(None).await.unwrap();
    presence_becomes(&mut display, &[("Display: Team room", "board", 1)], WAIT).await;
}

// ---------------------------------------------------------------------------------------
// 9. Presence
// ---------------------------------------------------------------------------------------

async fn presence_follows_connections(app: TestApp) {
    let (t, _, lead) = team(&app, "Live Presence", "lead9").await;
    let (_, member) = app.member(&t, "member9", "member").await;

    let mut wall = connect(&app, &t, &lead, None, "board").await;
    snapshot(&mut wall).await;
    presence_becomes(&mut wall, &[("lead9", "board", 1)], WAIT).await;

    let mut phone = connect(&app, &t, &member, None, "phone").await;
    snapshot(&mut phone).await;
    let both = [("lead9", "board", 1), ("member9", "phone", 1)];
    presence_becomes(&mut wall, &both, WAIT).await;
    presence_becomes(&mut phone, &both, WAIT).await;

    // A second connection of the same person and device counts; an unknown device is a desktop.
    let mut phone2 = connect(&app, &t, &member, None, "phone").await;
    snapshot(&mut phone2).await;
    presence_becomes(
        &mut wall,
        &[("lead9", "board", 1), ("member9", "phone", 2)],
        WAIT,
    )
    .await;
    let mut toaster = connect(&app, &t, &member, None, "toaster").await;
    snapshot(&mut toaster).await;
    presence_becomes(
        &mut wall,
        &[
            ("lead9", "board", 1),
            ("member9", "desktop", 1),
            ("member9", "phone", 2),
        ],
        WAIT,
    )
    .await;

    // Leaving, politely or not.
    toaster.close(None).await.unwrap();
    presence_becomes(
        &mut wall,
        &[("lead9", "board", 1), ("member9", "phone", 2)],
        WAIT,
    )
    .await;
    drop(phone2); // the TCP connection just goes away
    presence_becomes(&mut wall, &both, WAIT).await;
    phone.close(None).await.unwrap();
    let p = presence_becomes(&mut wall, &[("lead9", "board", 1)], WAIT).await;
    assert_eq!(p["viewers"].as_array().unwrap().len(), 1);
    let deadline = Instant::now() + WAIT;
    while app.state.hub.stats().await.connections != 1 {
        assert!(
            Instant::now() < deadline,
            "the hub still counts {} connections",
            app.state.hub.stats().await.connections
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }

    // A whole team reconnecting at once (after a restart) is a handful of presence frames on
    // each screen, not one per reconnect: changes within 250 ms go out together.
    let n = 40;
    let mut many: Vec<Ws> = futures_util::future::join_all((0..n).map(|_| connect(&app, &t, &member, None, "phone"))).await;
    let deadline = Instant::now() + Duration::from_secs(10);
    let mut frames = 0;
    loop {
        let left = deadline.saturating_duration_since(Instant::now());
        assert!(!left.is_zero(), "presence never showed {n} phones ({frames} presence frames)");
        match recv(&mut wall, left).await {
            Some(In::Frame(v)) if v["type"] == "presence" => {
                frames += 1;
                let phones = v["viewers"].as_array().unwrap().iter().find(|x| x["device"] == "phone").map(|x| x["connections"].as_i64().unwrap());
                if phones == Some(n) {
                    break;
                }
            }
            Some(In::Frame(_)) => {}
            other => panic!("the wall's stream ended: {other:?}"),
        }
    }
    assert!(frames <= n / 2, "{frames} presence frames for {n} connections: not coalesced");
    for ws in &mut many {
        snapshot(ws).await;
    }
}

// ---------------------------------------------------------------------------------------
// 10. Two instances on one PostgreSQL
// ---------------------------------------------------------------------------------------

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
async fn listeners(url: String) -> i64 {
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
    let c = refer(&app, &t, &lead, "Gus", "Instances").await;

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
    let b_lead = b.login("lead10", common::PASSWORD).await;
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
