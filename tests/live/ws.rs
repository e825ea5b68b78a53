//! The websocket client of the live tests: open, hello, read frames (skipping presence, ticks
//! and pongs), expect a close with its error frame, check exact event sequences.

use crate::helpers::{TestApp, WAIT};
use futures_util::{SinkExt, StreamExt};
use serde_json::{json, Value};
use std::time::{Duration, Instant};
use tokio::net::TcpStream;
use tokio_tungstenite::tungstenite::Message;
use tokio_tungstenite::{MaybeTlsStream, WebSocketStream};

pub type Ws = WebSocketStream<MaybeTlsStream<TcpStream>>;

pub fn ws_url(app: &TestApp, t: &str) -> String {
    format!("ws://{}/api/teams/{t}/live", app.addr)
}

/// Open the socket (no hello yet).
pub async fn open(app: &TestApp, t: &str) -> Ws {
    let (ws, resp) = tokio::time::timeout(WAIT, tokio_tungstenite::connect_async(ws_url(app, t)))
        .await
        .expect("websocket upgrade timed out")
        .unwrap_or_else(|e| panic!("websocket upgrade failed: {e:?}"));
    assert_eq!(resp.status().as_u16(), 101);
    ws
}

/// Open the socket over a TCP connection with a small receive buffer (so a client that
/// stops reading backs the server up quickly).
pub async fn open_small_buffer(app: &TestApp, t: &str, rcvbuf: u32) -> Ws {
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

pub async fn send_json(ws: &mut Ws, v: Value) {
    ws.send(Message::Text(v.to_string().into()))
        .await
        .expect("frame sent");
}

pub async fn hello(ws: &mut Ws, token: &str, since: Option<i64>, device: &str) {
    send_json(
        ws,
        json!({"type": "hello", "token": token, "since": since, "device": device}),
    )
    .await;
}

/// Open and say hello.
pub async fn connect(app: &TestApp, t: &str, token: &str, since: Option<i64>, device: &str) -> Ws {
    let mut ws = open(app, t).await;
    hello(&mut ws, token, since, device).await;
    ws
}

/// What the socket gave us.
#[derive(Debug)]
pub enum In {
    Frame(Value),
    /// A close frame (its code).
    Close(Option<u16>, String),
    /// The connection ended without a close frame (reset, EOF, protocol error).
    Ended(String),
}

/// The next JSON frame, close, or end; `None` when nothing came within `within`.
/// Control frames are skipped (tungstenite answers pings itself).
pub async fn recv(ws: &mut Ws, within: Duration) -> Option<In> {
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
pub fn is_meta(v: &Value) -> bool {
    matches!(v["type"].as_str(), Some("presence" | "tick" | "pong"))
}

/// The next frame that is not presence/tick/pong; panics on timeout or close.
pub async fn next_frame(ws: &mut Ws, within: Duration, what: &str) -> Value {
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
pub async fn snapshot(ws: &mut Ws) -> Value {
    let f = next_frame(ws, WAIT, "the snapshot").await;
    assert_eq!(f["type"], "snapshot", "expected a snapshot, got {f}");
    assert!(f["seq"].is_i64(), "{f}");
    f
}

/// Wait for a presence frame whose viewers (who, device, connections) are exactly `want`
/// (in any order); panics with the last one seen.
pub async fn presence_becomes(ws: &mut Ws, want: &[(&str, &str, i64)], within: Duration) -> Value {
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
pub async fn expect_close(ws: &mut Ws, code: u16, within: Duration) -> Vec<Value> {
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
pub async fn quiet(ws: &mut Ws, dur: Duration, why: &str) {
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
pub fn ranges(seqs: &[i64]) -> String {
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
pub async fn events_through(
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
pub fn kinds(events: &[Value]) -> Vec<(i64, String)> {
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
