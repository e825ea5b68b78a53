//! PostgreSQL: one dedicated LISTEN connection per instance. Each NOTIFY (sent by a writing
//! transaction, delivered on commit; payload "team_id:seq", never clinical data) wakes the
//! hub, which reads the rows from the events table. After a lost connection it reconnects
//! with backoff and asks the hub to re-read every subscribed team, so nothing is missed.

use crate::live::hub::{Cmd, Hub};
use futures_util::StreamExt;
use std::time::Duration;
use tokio_postgres::{AsyncMessage, NoTls};

pub const CHANNEL: &str = "actboard_events";

pub async fn run(url: String, hub: Hub) {
    let mut backoff = Duration::from_millis(200);
    loop {
        match tokio_postgres::connect(&url, NoTls).await {
            Ok((client, mut connection)) => {
                let (tx, mut rx) = tokio::sync::mpsc::unbounded_channel();
                let driver = tokio::spawn(async move {
                    let mut messages =
                        futures_util::stream::poll_fn(move |cx| connection.poll_message(cx));
                    while let Some(m) = messages.next().await {
                        match m {
                            Ok(AsyncMessage::Notification(n)) => {
                                let _ = tx.send(Some(n.payload().to_string()));
                            }
                            Ok(_) => {}
                            Err(e) => {
                                tracing::warn!(error = %e, "LISTEN connection failed");
                                break;
                            }
                        }
                    }
                    let _ = tx.send(None);
                });
                if let Err(e) = client.batch_execute(&format!("LISTEN {CHANNEL}")).await {
                    tracing::warn!(error = %e, "LISTEN failed");
                    driver.abort();
                } else {
                    tracing::info!("listening for events from other instances");
                    backoff = Duration::from_millis(200);
                    // Whatever was committed while we were not listening.
                    hub.send(Cmd::CatchUpAll);
                    while let Some(Some(payload)) = rx.recv().await {
                        if let Some((team_id, seq)) = payload.split_once(':') {
                            hub.wake(team_id, seq.parse().ok());
                        }
                    }
                    driver.abort();
                }
            }
            Err(e) => tracing::warn!(error = %e, "cannot open the LISTEN connection; retrying"),
        }
        tokio::time::sleep(backoff).await;
        backoff = (backoff * 2).min(Duration::from_secs(10));
    }
}
