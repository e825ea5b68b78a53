//! The hub: one per process, on its own thread, owning every live subscription.
//!
//! It learns that a team has new events from wake-ups (this process's commits, and on
//! PostgreSQL every instance's NOTIFY), reads the new rows from the events table in seq
//! order, and fans each frame out with `try_push` into the subscribers' byte-bounded
//! outboxes. Nothing here waits on a socket. A periodic catch-up read covers lost wake-ups.

use crate::db::models::EventRow;
use crate::db::schema::teams;
use crate::db::Pool;
use crate::domain::team::Privacy;
use crate::live::listen::{self, Notice};
use crate::live::outbox::{Frame, Outbox};
use crate::live::protocol::{ServerFrame, Viewer};
use crate::store::events::{after, to_out, EventOut};
use diesel::prelude::*;
use std::collections::HashMap;
use std::time::Duration;
use tokio::sync::{mpsc, oneshot};

pub const CATCH_UP_SECS: u64 = 5;
pub const TICK_SECS: u64 = 15;
/// Presence changes within this window go out as one frame: when a restart reconnects a
/// whole team at once, each screen gets a few presence frames, not one per reconnect.
pub const PRESENCE_COALESCE: Duration = Duration::from_millis(250);

pub struct Subscriber {
    pub conn_id: u64,
    pub privacy: Privacy,
    /// Shown in presence: a staff member's name or a display's label.
    pub who: String,
    pub device: &'static str,
    pub outbox: Outbox,
}

pub enum Cmd {
    /// Add a subscriber; the ack carries the seq the hub has delivered up to (so the
    /// connection's own read of the log must start no later than this point).
    Subscribe {
        team_id: String,
        sub: Subscriber,
        ack: oneshot::Sender<i64>,
    },
    Unsubscribe {
        team_id: String,
        conn_id: u64,
    },
    /// Something committed on this team, up to `seq` when the waker knows it.
    Wake {
        team_id: String,
        seq: Option<i64>,
    },
    /// Re-read every subscribed team (after the LISTEN connection came back).
    CatchUpAll,
    /// Send the team's presence now (the coalescing window has passed).
    Presence {
        team_id: String,
    },
    /// The server is stopping: close every connection with 1001 (going away).
    Shutdown {
        done: oneshot::Sender<usize>,
    },
    Stats {
        reply: oneshot::Sender<HubStats>,
    },
    Fetched {
        team_id: String,
        result: Result<Fetched, String>,
    },
    LastSeqs {
        result: Result<Vec<(String, i64)>, String>,
    },
}

pub enum Fetched {
    Baseline(i64),
    Events(Vec<EventRow>),
}

#[derive(Debug, Clone, Default, serde::Serialize)]
pub struct HubStats {
    pub teams: usize,
    pub connections: usize,
    pub events_fanned_out: u64,
    pub slow_closed: u64,
}

#[derive(Clone)]
pub struct Hub {
    tx: mpsc::UnboundedSender<Cmd>,
}

impl Hub {
    pub fn send(&self, cmd: Cmd) {
        let _ = self.tx.send(cmd);
    }

    pub async fn subscribe(&self, team_id: &str, sub: Subscriber) -> Option<i64> {
        let (ack, rx) = oneshot::channel();
        self.send(Cmd::Subscribe {
            team_id: team_id.to_string(),
            sub,
            ack,
        });
        rx.await.ok()
    }

    /// `seq`: the commit's last event, when known. On PostgreSQL a local commit wakes the hub
    /// twice (the commit channel and its own NOTIFY); the second finds the seq delivered and
    /// costs no read.
    pub fn wake(&self, team_id: &str, seq: Option<i64>) {
        self.send(Cmd::Wake {
            team_id: team_id.to_string(),
            seq,
        });
    }

    /// Close every live connection with "going away"; returns how many there were.
    pub async fn shutdown(&self) -> usize {
        let (done, rx) = oneshot::channel();
        self.send(Cmd::Shutdown { done });
        rx.await.unwrap_or(0)
    }

    pub async fn stats(&self) -> HubStats {
        let (reply, rx) = oneshot::channel();
        self.send(Cmd::Stats { reply });
        rx.await.unwrap_or_default()
    }
}

#[derive(Default)]
struct Team {
    subs: HashMap<u64, Subscriber>,
    /// Delivered up to here; None until the baseline is read.
    last_seq: Option<i64>,
    fetching: bool,
    again: bool,
    waiting: Vec<oneshot::Sender<i64>>,
    /// A presence frame is scheduled (`PRESENCE_COALESCE`).
    presence_due: bool,
}

struct State {
    pool: Pool,
    tx: mpsc::UnboundedSender<Cmd>,
    teams: HashMap<String, Team>,
    stats: HubStats,
}

/// Start the hub on its own thread; `wakes` carries this process's commits.
pub fn start(
    pool: Pool,
    wakes: Option<mpsc::UnboundedReceiver<(String, i64)>>,
    pg_listen: Option<String>,
) -> Hub {
    let (tx, rx) = mpsc::unbounded_channel();
    let hub = Hub { tx: tx.clone() };
    let fwd = hub.clone();
    std::thread::Builder::new()
        .name("actboard-hub".into())
        .spawn(move || {
            let rt = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
                .expect("hub runtime");
            rt.block_on(async move {
                if let Some(mut wakes) = wakes {
                    let fwd = fwd.clone();
                    tokio::spawn(async move {
                        while let Some((team_id, seq)) = wakes.recv().await {
                            fwd.wake(&team_id, Some(seq));
                        }
                    });
                }
                if let Some(url) = pg_listen {
                    let hub = fwd.clone();
                    let sessions = pool.clone();
                    tokio::spawn(listen::run(url, move |n| match n {
                        Notice::CatchUpAll => hub.send(Cmd::CatchUpAll),
                        Notice::Wake { team_id, seq } => hub.wake(&team_id, seq),
                        Notice::Revoked { staff_id } => sessions.announce_revoked(staff_id),
                    }));
                }
                run(
                    State {
                        pool,
                        tx,
                        teams: HashMap::new(),
                        stats: HubStats::default(),
                    },
                    rx,
                )
                .await;
            });
        })
        .expect("hub thread");
    hub
}

async fn run(mut st: State, mut rx: mpsc::UnboundedReceiver<Cmd>) {
    let mut catch_up = tokio::time::interval(Duration::from_secs(CATCH_UP_SECS));
    let mut tick = tokio::time::interval(Duration::from_secs(TICK_SECS));
    loop {
        tokio::select! {
            cmd = rx.recv() => match cmd {
                Some(cmd) => handle(&mut st, cmd),
                None => break,
            },
            _ = catch_up.tick() => read_last_seqs(&st),
            _ = tick.tick() => send_ticks(&mut st),
        }
    }
}

fn handle(st: &mut State, cmd: Cmd) {
    match cmd {
        Cmd::Subscribe { team_id, sub, ack } => {
            let team = st.teams.entry(team_id.clone()).or_default();
            team.subs.insert(sub.conn_id, sub);
            match team.last_seq {
                Some(seq) => {
                    let _ = ack.send(seq);
                }
                None => {
                    team.waiting.push(ack);
                    fetch(st, &team_id);
                }
            }
            presence(st, &team_id);
        }
        Cmd::Unsubscribe { team_id, conn_id } => {
            if let Some(team) = st.teams.get_mut(&team_id) {
                team.subs.remove(&conn_id);
                if team.subs.is_empty() && !team.fetching {
                    st.teams.remove(&team_id);
                } else {
                    presence(st, &team_id);
                }
            }
        }
        Cmd::Wake { team_id, seq } => {
            let delivered = match (st.teams.get(&team_id).and_then(|t| t.last_seq), seq) {
                (Some(known), Some(seq)) => seq <= known,
                _ => false,
            };
            if st.teams.contains_key(&team_id) && !delivered {
                fetch(st, &team_id);
            }
        }
        Cmd::Presence { team_id } => send_presence(st, &team_id),
        Cmd::CatchUpAll => {
            let ids: Vec<String> = st.teams.keys().cloned().collect();
            for id in ids {
                fetch(st, &id);
            }
        }
        Cmd::LastSeqs { result } => match result {
            Ok(rows) => {
                for (id, seq) in rows {
                    if st
                        .teams
                        .get(&id)
                        .and_then(|t| t.last_seq)
                        .is_some_and(|known| seq > known)
                    {
                        tracing::debug!(team_id = %id, "catch-up found events without a wake-up");
                        fetch(st, &id);
                    }
                }
            }
            Err(e) => tracing::warn!(error = %e, "hub catch-up read failed"),
        },
        Cmd::Fetched { team_id, result } => fetched(st, &team_id, result),
        Cmd::Shutdown { done } => {
            let mut n = 0;
            for team in st.teams.values_mut() {
                for sub in team.subs.values() {
                    sub.outbox.close(crate::live::protocol::CLOSE_GOING_AWAY);
                    n += 1;
                }
                team.subs.clear();
            }
            st.teams.clear();
            let _ = done.send(n);
        }
        Cmd::Stats { reply } => {
            let mut s = st.stats.clone();
            s.teams = st.teams.len();
            s.connections = st.teams.values().map(|t| t.subs.len()).sum();
            let _ = reply.send(s);
        }
    }
}

/// Read what the team has beyond what was delivered (one read at a time per team).
fn fetch(st: &mut State, team_id: &str) {
    let Some(team) = st.teams.get_mut(team_id) else {
        return;
    };
    if team.fetching {
        team.again = true;
        return;
    }
    team.fetching = true;
    team.again = false;
    let since = team.last_seq;
    let pool = st.pool.clone();
    let tx = st.tx.clone();
    let id = team_id.to_string();
    tokio::task::spawn_blocking(move || {
        let result = (|| -> Result<Fetched, String> {
            let mut conn = pool.get().map_err(|e| e.to_string())?;
            match since {
                None => teams::table
                    .filter(teams::id.eq(&id))
                    .select(teams::last_seq)
                    .first::<i64>(&mut conn)
                    .map(Fetched::Baseline)
                    .map_err(|e| e.to_string()),
                Some(s) => after(&mut conn, &id, s, 1000)
                    .map(Fetched::Events)
                    .map_err(|e| e.to_string()),
            }
        })();
        let _ = tx.send(Cmd::Fetched {
            team_id: id,
            result,
        });
    });
}

fn fetched(st: &mut State, team_id: &str, result: Result<Fetched, String>) {
    let Some(team) = st.teams.get_mut(team_id) else {
        return;
    };
    team.fetching = false;
    let mut more = team.again;
    match result {
        Ok(Fetched::Baseline(seq)) => {
            team.last_seq = Some(seq);
            for ack in team.waiting.drain(..) {
                let _ = ack.send(seq);
            }
            more = true; // anything committed while the baseline was read
        }
        Ok(Fetched::Events(rows)) => {
            if rows.len() == 1000 {
                more = true;
            }
            let mut dropped = vec![];
            for row in rows {
                let seq = row.seq;
                if team.last_seq.is_some_and(|l| seq <= l) {
                    continue;
                }
                let named = to_out(row.clone(), Privacy::Names);
                let at = row.at.and_utc().timestamp_micros();
                let names = frame(seq, &named, at);
                let mut initials: Option<Frame> = None;
                for (id, sub) in team.subs.iter() {
                    let f = match sub.privacy {
                        Privacy::Names => names.clone(),
                        Privacy::Initials => initials
                            .get_or_insert_with(|| {
                                frame(seq, &to_out(row.clone(), Privacy::Initials), at)
                            })
                            .clone(),
                    };
                    if !sub.outbox.try_push(f) {
                        dropped.push(*id);
                    }
                }
                team.last_seq = Some(seq);
                st.stats.events_fanned_out += 1;
            }
            for id in &dropped {
                team.subs.remove(id);
            }
            if !dropped.is_empty() {
                st.stats.slow_closed += dropped.len() as u64;
                presence(st, team_id);
            }
        }
        Err(e) => {
            tracing::warn!(team_id = %team_id, error = %e, "hub could not read events; will retry");
            // Events: retried at the next catch-up. Baseline: the waiting connections fail
            // (their ack is dropped) and reconnect.
            team.waiting.clear();
            more = false;
        }
    }
    let Some(team) = st.teams.get_mut(team_id) else {
        return;
    };
    if team.subs.is_empty() && team.waiting.is_empty() {
        st.teams.remove(team_id);
    } else if more {
        fetch(st, team_id);
    }
}

/// The event's frame for one audience, encoded once for all its connections.
fn frame(seq: i64, e: &EventOut, appended_us: i64) -> Frame {
    Frame::new(
        Some(seq),
        crate::live::protocol::event_frame(e),
        e.revoked_id(),
        Some(appended_us),
    )
}

fn read_last_seqs(st: &State) {
    let ids: Vec<String> = st
        .teams
        .iter()
        .filter(|(_, t)| t.last_seq.is_some())
        .map(|(id, _)| id.clone())
        .collect();
    if ids.is_empty() {
        return;
    }
    let pool = st.pool.clone();
    let tx = st.tx.clone();
    tokio::task::spawn_blocking(move || {
        let result = (|| -> Result<Vec<(String, i64)>, String> {
            let mut conn = pool.get().map_err(|e| e.to_string())?;
            let mut out = vec![];
            for chunk in ids.chunks(500) {
                let rows: Vec<(String, i64)> = teams::table
                    .filter(teams::id.eq_any(chunk))
                    .select((teams::id, teams::last_seq))
                    .load(&mut conn)
                    .map_err(|e| e.to_string())?;
                out.extend(rows);
            }
            Ok(out)
        })();
        let _ = tx.send(Cmd::LastSeqs { result });
    });
}

fn send_ticks(st: &mut State) {
    for team in st.teams.values_mut() {
        let Some(seq) = team.last_seq else { continue };
        let f = Frame::control(ServerFrame::Tick { seq }.text());
        let dropped: Vec<u64> = team
            .subs
            .iter()
            .filter(|(_, s)| !s.outbox.try_push(f.clone()))
            .map(|(id, _)| *id)
            .collect();
        for id in dropped {
            team.subs.remove(&id);
            st.stats.slow_closed += 1;
        }
    }
}

/// Someone came or went: schedule one presence frame for the team.
fn presence(st: &mut State, team_id: &str) {
    let Some(team) = st.teams.get_mut(team_id) else {
        return;
    };
    if std::mem::replace(&mut team.presence_due, true) {
        return;
    }
    let tx = st.tx.clone();
    let team_id = team_id.to_string();
    tokio::spawn(async move {
        tokio::time::sleep(PRESENCE_COALESCE).await;
        let _ = tx.send(Cmd::Presence { team_id });
    });
}

/// Who is watching the team's board, from which kind of device (not written to the log).
fn send_presence(st: &mut State, team_id: &str) {
    let Some(team) = st.teams.get_mut(team_id) else {
        return;
    };
    team.presence_due = false;
    let mut counts: HashMap<(&str, &str), usize> = HashMap::new();
    for s in team.subs.values() {
        *counts.entry((s.who.as_str(), s.device)).or_default() += 1;
    }
    let mut viewers: Vec<Viewer> = counts
        .into_iter()
        .map(|((who, device), connections)| Viewer {
            who: who.to_string(),
            device: device.to_string(),
            connections,
        })
        .collect();
    viewers.sort_by(|a, b| a.who.cmp(&b.who));
    let f = Frame::control(ServerFrame::Presence { viewers }.text());
    for s in team.subs.values() {
        let _ = s.outbox.try_push(f.clone());
    }
}
