//! The websocket protocol's frames and close codes (documented in docs/PROTOCOL.md).

use crate::store::board::Board;
use crate::store::events::EventOut;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// No valid `hello` within 5 seconds.
pub const CLOSE_HELLO_TIMEOUT: u16 = 4000;
/// The token in `hello` or `auth` is missing, invalid or expired.
pub const CLOSE_UNAUTHENTICATED: u16 = 4001;
/// Not allowed to read this team (not a member, another team's display token, access removed).
pub const CLOSE_FORBIDDEN: u16 = 4003;
/// The client read too slowly and its queue filled; resume with `since`.
pub const CLOSE_SLOW: u16 = 4008;
/// The access token expired without an `auth` renewal; sign in again and resume.
pub const CLOSE_TOKEN_EXPIRED: u16 = 4009;
/// Nothing received (not even a pong) for 45 seconds.
pub const CLOSE_IDLE: u16 = 4010;
/// A frame that is not valid protocol JSON.
pub const CLOSE_BAD_FRAME: u16 = 4400;
/// The server is shutting down or restarting; reconnect and resume.
pub const CLOSE_GOING_AWAY: u16 = 1001;

pub const HELLO_TIMEOUT_SECS: u64 = 5;

/// A frame the client sends (JSON text).
#[derive(Debug, Deserialize, ToSchema)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum ClientFrame {
    /// The first frame: who, and the last seq seen (null: send a snapshot).
    Hello {
        token: String,
        since: Option<i64>,
        /// board (wall screen), phone or desktop.
        #[serde(default)]
        device: Option<String>,
    },
    /// A fresh access token before the current one expires.
    Auth {
        token: String,
    },
    Ping,
}

/// One viewer of a team's board, as `presence` reports it.
#[derive(Debug, Serialize, ToSchema)]
pub struct Viewer {
    pub who: String,
    pub device: String,
    pub connections: usize,
}

/// A frame the server sends (JSON text); docs/PROTOCOL.md describes the exchange.
#[derive(Debug, Serialize, ToSchema)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum ServerFrame {
    /// The team's board now, and the seq it continues from.
    Snapshot {
        seq: i64,
        /// A `Board` (without names, notes or handoff text on a privacy display).
        #[schema(value_type = Board)]
        board: serde_json::Value,
    },
    /// One event of the log (replayed or live), in seq order.
    Event(EventOut),
    /// The team's latest seq, every 15 s: a client behind it resumes with `since`.
    Tick {
        seq: i64,
    },
    /// Who is watching (not logged).
    Presence {
        viewers: Vec<Viewer>,
    },
    /// A renewed token was accepted; unix seconds of its expiry.
    AuthOk {
        expires_at: Option<i64>,
    },
    Pong,
    /// Why the connection is about to close (`code` is the close code that follows).
    Error {
        code: u16,
        message: String,
    },
}

impl ServerFrame {
    /// The frame's text.
    pub fn text(&self) -> String {
        // Serializing these plain structs cannot fail.
        serde_json::to_string(self).unwrap_or_default()
    }
}

/// An `event` frame's text. Live frames (the hub) and replayed ones (the socket) both come
/// from here, so a client sees the same bytes whichever way an event reaches it.
pub fn event_frame(e: &EventOut) -> String {
    ServerFrame::Event(e.clone()).text()
}

/// The device hint from `hello`: board (wall screen), phone, or desktop.
pub fn device(hint: Option<&str>) -> &'static str {
    match hint {
        Some("board") => "board",
        Some("phone") => "phone",
        _ => "desktop",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn frames() {
        let f: ClientFrame =
            serde_json::from_str(r#"{"type":"hello","token":"t","since":null}"#).unwrap();
        assert!(matches!(f, ClientFrame::Hello { since: None, .. }));
        let f: ClientFrame =
            serde_json::from_str(r#"{"type":"hello","token":"t","since":12,"device":"phone"}"#)
                .unwrap();
        assert!(matches!(
            f,
            ClientFrame::Hello {
                since: Some(12),
                ..
            }
        ));
        assert!(serde_json::from_str::<ClientFrame>(r#"{"type":"nope"}"#).is_err());
        assert_eq!(device(Some("board")), "board");
        assert_eq!(device(Some("toaster")), "desktop");
    }
}
