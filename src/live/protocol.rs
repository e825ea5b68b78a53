//! The websocket protocol's frames and close codes (documented in docs/PROTOCOL.md).

use serde::Deserialize;

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

/// A live connection's clocks. The defaults are the protocol's (docs/PROTOCOL.md); tests
/// shorten them to see the idle close and the periodic access check happen.
#[derive(Debug, Clone, Copy)]
pub struct LiveTiming {
    /// A websocket ping this often.
    pub heartbeat: std::time::Duration,
    /// Closed with 4010 when nothing (not even a pong) was heard for this long.
    pub idle: std::time::Duration,
    /// How often a connection's access (account, membership, display token) is checked again.
    pub recheck: std::time::Duration,
}

impl Default for LiveTiming {
    fn default() -> Self {
        use std::time::Duration;
        LiveTiming {
            heartbeat: Duration::from_secs(15),
            idle: Duration::from_secs(45),
            recheck: Duration::from_secs(60),
        }
    }
}

#[derive(Debug, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum ClientFrame {
    Hello {
        token: String,
        since: Option<i64>,
        #[serde(default)]
        device: Option<String>,
    },
    Auth {
        token: String,
    },
    Ping,
}

/// An `event` frame's text. Live frames (the hub) and replayed ones (the socket) both come
/// from here, so a client sees the same bytes whichever way an event reaches it.
pub fn event_frame(e: &crate::api::events::EventOut) -> String {
    serde_json::json!({"type": "event", "seq": e.seq, "kind": e.kind, "data": e.data, "actor": e.actor, "at": e.at}).to_string()
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
