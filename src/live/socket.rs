//! One websocket connection: hello → authenticate → subscribe → snapshot or replay → live.
//!
//! The seam between replay and live has no gap and no duplicate: the connection subscribes
//! to the hub first (from then on every new event is queued for it), then reads the log,
//! and finally forwards queued events, dropping those with seq ≤ the last one it sent.

use crate::auth::Principal;
use crate::domain::team::Privacy;
use crate::error::AppError;
use crate::live::hub::Subscriber;
use crate::live::outbox::{self, MAX_QUEUED_BYTES};
use crate::live::protocol::*;
use crate::state::AppState;
use crate::store::access::{self, Reader};
use crate::store::{board, events};
use actix_web::web;
use actix_ws::{CloseCode, CloseReason, Message, MessageStream, Session};
use bytestring::ByteString;
use futures_util::StreamExt;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};
use tokio::sync::{broadcast, futures::Notified};

/// Events read per query when replaying a log to a reconnecting client.
const REPLAY_BATCH: i64 = 1000;

static NEXT_CONN: AtomicU64 = AtomicU64::new(1);

/// Largest frame a client may send (hello and auth are small).
pub const MAX_FRAME: usize = 16 * 1024;

type Authed = Reader;

async fn close(session: Session, code: u16, why: &str) {
    let mut s = session.clone();
    let frame = ServerFrame::Error {
        code,
        message: why.to_string(),
    }
    .text();
    let _ = tokio::time::timeout(Duration::from_secs(1), s.text(frame)).await;
    let reason = CloseReason {
        code: CloseCode::Other(code),
        description: Some(why.to_string()),
    };
    let reason = if code == CLOSE_GOING_AWAY {
        CloseReason {
            code: CloseCode::Away,
            ..reason
        }
    } else {
        reason
    };
    let _ = tokio::time::timeout(Duration::from_secs(1), session.close(Some(reason))).await;
}

/// Wait for the next text frame, answering pings; None when the socket ends.
async fn next_text(
    session: &mut Session,
    stream: &mut MessageStream,
) -> Option<Result<String, ()>> {
    while let Some(msg) = stream.next().await {
        match msg {
            Ok(Message::Text(t)) => return Some(Ok(t.to_string())),
            Ok(Message::Ping(b)) => {
                let _ = session.pong(&b).await;
            }
            Ok(Message::Close(_)) | Err(_) => return None,
            Ok(Message::Binary(_)) => return Some(Err(())),
            Ok(_) => {}
        }
    }
    None
}

fn close_code(e: &AppError) -> u16 {
    match e {
        AppError::Unauthenticated(_) => CLOSE_UNAUTHENTICATED,
        AppError::Forbidden(_) | AppError::PasswordChangeRequired | AppError::NotFound(_) => {
            CLOSE_FORBIDDEN
        }
        _ => 1011,
    }
}

/// The id an access-ending event names for this connection: its staff id or display token id.
fn principal_id(p: &Principal) -> &str {
    match p {
        Principal::Staff(u) => &u.id,
        Principal::Display(d) => &d.token_id,
    }
}

pub async fn run(
    st: web::Data<AppState>,
    team_id: String,
    mut session: Session,
    mut stream: MessageStream,
) {
    // 1. hello, within 5 seconds.
    let hello = tokio::time::timeout(
        Duration::from_secs(HELLO_TIMEOUT_SECS),
        next_text(&mut session, &mut stream),
    )
    .await;
    let (token, since, device) = match hello {
        Err(_) => return close(session, CLOSE_HELLO_TIMEOUT, "no hello within 5 seconds").await,
        Ok(None) => return,
        Ok(Some(Err(()))) => return close(session, CLOSE_BAD_FRAME, "frames are JSON text").await,
        Ok(Some(Ok(text))) => match serde_json::from_str::<ClientFrame>(&text) {
            Ok(ClientFrame::Hello {
                token,
                since,
                device,
            }) => (token, since, device),
            _ => return close(session, CLOSE_BAD_FRAME, "the first frame must be a hello").await,
        },
    };
    // 2. who is this, and may they read this team? Listening for ended sessions first, so
    // one that ends while this check runs is not missed.
    let revoked = st.pool.revocations();
    let mut authed =
        match access::authenticate(&st.pool, st.jwt.clone(), team_id.clone(), token).await {
            Ok(a) => a,
            Err(e) => return close(session, close_code(&e), &e.to_string()).await,
        };
    // 3. subscribe first…
    let conn_id = NEXT_CONN.fetch_add(1, Ordering::Relaxed);
    let (outbox, mut inbox) = outbox::channel(MAX_QUEUED_BYTES);
    let sub = Subscriber {
        conn_id,
        privacy: authed.privacy,
        who: authed.who.clone(),
        device: device_of(device.as_deref()),
        outbox,
    };
    let hub_seq = match tokio::time::timeout(
        Duration::from_secs(10),
        st.hub.subscribe(&team_id, sub),
    )
    .await
    {
        Ok(Some(seq)) => seq,
        _ => {
            st.hub.send(crate::live::hub::Cmd::Unsubscribe {
                team_id: team_id.clone(),
                conn_id,
            });
            return close(session, 1011, "the live stream is not available; retry").await;
        }
    };
    let result = serve(
        &st,
        &team_id,
        &mut session,
        &mut stream,
        &mut inbox,
        &mut authed,
        revoked,
        since,
        hub_seq,
    )
    .await;
    st.hub.send(crate::live::hub::Cmd::Unsubscribe {
        team_id: team_id.clone(),
        conn_id,
    });
    match result {
        Ok(()) => {
            let _ = tokio::time::timeout(Duration::from_secs(1), session.close(None)).await;
        }
        Err((code, why)) => close(session, code, &why).await,
    }
}

fn device_of(hint: Option<&str>) -> &'static str {
    device(hint)
}

type Closing = (u16, String);

/// The next revocation signal; owns the receiver so the loop can keep one pending wait
/// across its turns (one waiter registered, not one per frame).
async fn next_revoked(
    mut rx: broadcast::Receiver<String>,
) -> (
    Result<String, broadcast::error::RecvError>,
    broadcast::Receiver<String>,
) {
    let r = rx.recv().await;
    (r, rx)
}

/// When the access token runs out (far in the future for a display token, which has none).
fn expiry_instant(authed: &Authed) -> tokio::time::Instant {
    let secs = authed
        .expires_at
        .map(|e| e - chrono::Utc::now().timestamp())
        .unwrap_or(10 * 365 * 24 * 3600)
        .max(0);
    tokio::time::Instant::now() + Duration::from_secs(secs as u64)
}

/// Frames sent in one burst before the loop looks at its other inputs again.
const BURST: usize = 64;

#[allow(clippy::too_many_arguments)]
async fn serve(
    st: &web::Data<AppState>,
    team_id: &str,
    session: &mut Session,
    stream: &mut MessageStream,
    inbox: &mut outbox::Inbox,
    authed: &mut Authed,
    revoked: broadcast::Receiver<String>,
    since: Option<i64>,
    hub_seq: i64,
) -> Result<(), Closing> {
    let window = st.config.replay_window;
    // 4. …then read the log: a replay when the client is close enough behind, else a snapshot.
    // (Boxed: their state lives on the heap only while they run, not in every idle socket.)
    let mut last_sent = match since {
        Some(s) if s >= 0 && s <= hub_seq && hub_seq - s <= window => {
            Box::pin(replay(st, team_id, session, authed.privacy, s)).await?
        }
        _ => {
            Box::pin(snapshot(
                st,
                team_id,
                session,
                authed.privacy,
                &authed.principal,
            ))
            .await?
        }
    };
    // 5. live. What the loop waits on is created once and kept across its turns: a frame
    // costs no new timer, no new waiter on the revocation channel or the slow/close signal.
    let timing = st.config.live_timing;
    let mut heartbeat = tokio::time::interval(timing.heartbeat);
    heartbeat.tick().await;
    let mut last_heard = Instant::now();
    let mut last_check = Instant::now();
    let waker = inbox.waker();
    let mut woken = std::pin::pin!(waker.notified());
    let mut revocation = std::pin::pin!(next_revoked(revoked));
    let mut listening = true;
    let expiry = tokio::time::sleep_until(expiry_instant(authed));
    let mut expiry = std::pin::pin!(expiry);
    loop {
        tokio::select! {
            biased;
            _ = woken.as_mut() => {
                if let Some(code) = inbox.close_code() {
                    return Err((code, "the server is restarting; reconnect and resume".into()));
                }
                if inbox.is_slow() {
                    return Err((CLOSE_SLOW, "too far behind; resume with since".into()));
                }
                woken.set(waker.notified());
            }
            (r, rx) = revocation.as_mut(), if listening => {
                // Someone's sessions ended (a password change, a deactivation, a sign-out):
                // if ours, check now. Fallen behind the signals: check to be safe. Polled
                // before the frames, so a busy team cannot delay it.
                let ours = match (&r, &authed.principal) {
                    (Ok(id), Principal::Staff(u)) => *id == u.id,
                    (Err(broadcast::error::RecvError::Lagged(_)), Principal::Staff(_)) => true,
                    _ => false,
                };
                // Closed only when the server is going away: the periodic check remains.
                listening = !matches!(r, Err(broadcast::error::RecvError::Closed));
                if listening {
                    revocation.set(next_revoked(rx));
                }
                if ours {
                    last_check = Instant::now();
                    recheck(st, team_id, authed).await?;
                }
            }
            msg = stream.next() => {
                last_heard = Instant::now();
                match msg {
                    Some(Ok(Message::Text(t))) => match serde_json::from_str::<ClientFrame>(&t) {
                        Ok(ClientFrame::Auth { token }) => {
                            Box::pin(renew(st, session, authed, token)).await?;
                            expiry.as_mut().reset(expiry_instant(authed));
                        }
                        Ok(ClientFrame::Ping) => send(session, woken.as_mut(), inbox, ServerFrame::Pong.text().into()).await?,
                        _ => return Err((CLOSE_BAD_FRAME, "unknown frame".into())),
                    },
                    Some(Ok(Message::Ping(b))) => { let _ = session.pong(&b).await; }
                    Some(Ok(Message::Binary(_))) => return Err((CLOSE_BAD_FRAME, "frames are JSON text".into())),
                    Some(Ok(Message::Close(_))) | None | Some(Err(_)) => return Ok(()),
                    Some(Ok(_)) => {}
                }
            }
            frame = inbox.rx.recv() => {
                let Some(frame) = frame else { return Err((CLOSE_SLOW, "dropped by the hub; resume with since".into())) };
                // This frame and whatever else is already queued go out in one burst: the
                // websocket layer writes them together when the socket is behind.
                let mut next = Some(frame);
                let mut n = 0;
                while let Some(frame) = next.take() {
                    inbox.done(&frame);
                    n += 1;
                    let fresh = match frame.seq {
                        Some(seq) if seq <= last_sent => false, // already sent in the replay or snapshot
                        Some(seq) => {
                            last_sent = seq;
                            true
                        }
                        None => true,
                    };
                    if fresh {
                        // A clone of the shared bytes: no copy, no JSON per connection.
                        send(session, woken.as_mut(), inbox, frame.text.clone()).await?;
                        if let Some(at) = frame.appended_us {
                            let now = chrono::Utc::now().timestamp_micros();
                            crate::metrics::global().fanout_lag((now - at) as f64 / 1e6);
                        }
                        if frame.revokes.as_deref().is_some_and(|who| principal_id(&authed.principal) == who) {
                            // Our own removal or revocation closes the stream now, not at the next check.
                            last_check = Instant::now();
                            recheck(st, team_id, authed).await?;
                        }
                    }
                    if n < BURST {
                        next = inbox.rx.try_recv().ok();
                    }
                }
            }
            _ = heartbeat.tick() => {
                if last_heard.elapsed() > timing.idle {
                    return Err((CLOSE_IDLE, format!("nothing heard for {} seconds", timing.idle.as_secs())));
                }
                if session.ping(b"").await.is_err() {
                    return Ok(());
                }
                if last_check.elapsed() >= timing.recheck {
                    last_check = Instant::now();
                    recheck(st, team_id, authed).await?;
                }
            }
            _ = expiry.as_mut() => {
                return Err((CLOSE_TOKEN_EXPIRED, "access token expired; sign in again and resume".into()));
            }
        }
    }
}

/// May this connection still read the team? (Boxed: rare, and kept out of the idle state.)
async fn recheck(st: &web::Data<AppState>, team_id: &str, authed: &Authed) -> Result<(), Closing> {
    Box::pin(access::recheck(&st.pool, team_id, &authed.principal))
        .await
        .map_err(|e| (close_code(&e), e.to_string()))
}

/// Write one frame, giving up at once if the hub declares this connection slow (or the
/// server asks it to close) meanwhile. `woken` is the loop's own pending wait on that signal.
async fn send(
    session: &mut Session,
    woken: std::pin::Pin<&mut Notified<'_>>,
    inbox: &outbox::Inbox,
    text: ByteString,
) -> Result<(), Closing> {
    tokio::select! {
        biased;
        r = session.text(text) => r.map_err(|_| (1000u16, "closed".to_string())),
        _ = woken => Err(match inbox.close_code() {
            Some(code) => (code, "the server is restarting; reconnect and resume".to_string()),
            None => (CLOSE_SLOW, "too far behind; resume with since".to_string()),
        }),
    }
}

async fn renew(
    st: &web::Data<AppState>,
    session: &mut Session,
    authed: &mut Authed,
    token: String,
) -> Result<(), Closing> {
    let Principal::Staff(user) = &authed.principal else {
        return Err((CLOSE_BAD_FRAME, "display connections do not renew".into()));
    };
    let claims = st
        .jwt
        .verify(&token)
        .map_err(|m| (CLOSE_UNAUTHENTICATED, m))?;
    if claims.sub != user.id {
        return Err((
            CLOSE_UNAUTHENTICATED,
            "the renewal token is for another person".into(),
        ));
    }
    // The new token's session must be live; from now on the connection follows it.
    let jwt = st.jwt.clone();
    let fresh = crate::db::run(&st.pool, move |conn| {
        crate::auth::extractor::user_from_token(conn, &jwt, &token)
    })
    .await
    .map_err(|e| (close_code(&e), e.to_string()))?;
    authed.principal = Principal::Staff(fresh);
    authed.expires_at = Some(claims.exp);
    let frame = ServerFrame::AuthOk {
        expires_at: Some(claims.exp),
    }
    .text();
    session
        .text(frame)
        .await
        .map_err(|_| (1000u16, "closed".to_string()))
}

async fn snapshot(
    st: &web::Data<AppState>,
    team_id: &str,
    session: &mut Session,
    privacy: Privacy,
    principal: &Principal,
) -> Result<i64, Closing> {
    let viewer = board::viewer(principal);
    let (seq, board) = board::snapshot(&st.pool, team_id.to_string(), privacy, viewer)
        .await
        .map_err(|e| (1011u16, e.to_string()))?;
    let frame = ServerFrame::Snapshot { seq, board }.text();
    session
        .text(frame)
        .await
        .map_err(|_| (1000u16, "closed".to_string()))?;
    Ok(seq)
}

async fn replay(
    st: &web::Data<AppState>,
    team_id: &str,
    session: &mut Session,
    privacy: Privacy,
    since: i64,
) -> Result<i64, Closing> {
    let mut last = since;
    loop {
        let team = team_id.to_string();
        let from = last;
        let events = events::replay(&st.pool, team, from, REPLAY_BATCH, privacy)
            .await
            .map_err(|e| (1011u16, e.to_string()))?;
        let n = events.len();
        for e in events {
            last = e.seq;
            session
                .text(event_frame(&e))
                .await
                .map_err(|_| (1000u16, "closed".to_string()))?;
        }
        if n < REPLAY_BATCH as usize {
            return Ok(last);
        }
    }
}
