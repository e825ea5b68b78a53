//! PostgreSQL: one dedicated LISTEN connection per instance. Each NOTIFY (sent by a writing
//! transaction, delivered on commit; payload "team_id:seq", never clinical data) wakes the
//! hub, which reads the rows from the events table. After a lost connection it reconnects
//! with backoff and asks the hub to re-read every subscribed team, so nothing is missed.
//! The same connection hears ended sessions (`db::revocations`, payload a staff id); a lost
//! one is covered by the live connections' periodic access check.

use crate::db::events::CHANNEL;
use crate::db::revocations::CHANNEL as SESSIONS_CHANNEL;
use futures_util::StreamExt;
use std::time::Duration;
use tokio_postgres::{AsyncMessage, NoTls};

/// What the LISTEN connection tells the hub.
pub enum Notice {
    /// Re-read every subscribed team: we were not listening for a while.
    CatchUpAll,
    /// This team committed events up to this seq (if the payload named one).
    Wake { team_id: String, seq: Option<i64> },
    /// This person's sessions (some or all) ended: their live connections check again.
    Revoked { staff_id: String },
}

/// Listen forever (reconnecting with backoff), telling `notify` what arrives.
pub async fn run(url: String, notify: impl Fn(Notice) + Send + 'static) {
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
                                let _ = tx
                                    .send(Some((n.channel().to_string(), n.payload().to_string())));
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
                if let Err(e) = client
                    .batch_execute(&format!("LISTEN {CHANNEL}; LISTEN {SESSIONS_CHANNEL}"))
                    .await
                {
                    tracing::warn!(error = %e, "LISTEN failed");
                    driver.abort();
                } else {
                    tracing::info!("listening for events from other instances");
                    backoff = Duration::from_millis(200);
                    // Whatever was committed while we were not listening.
                    notify(Notice::CatchUpAll);
                    while let Some(Some((channel, payload))) = rx.recv().await {
                        if channel == SESSIONS_CHANNEL {
                            notify(Notice::Revoked { staff_id: payload });
                        } else if let Some((team_id, seq)) = payload.split_once(':') {
                            notify(Notice::Wake {
                                team_id: team_id.to_string(),
                                seq: seq.parse().ok(),
                            });
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
