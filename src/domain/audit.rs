//! The audit trail's pure rules: the action vocabulary, the canonical encoding of an entry and
//! its chained hash, the report's time bounds and its page cursor. No I/O; the store
//! (`store::audit`) writes, chains and verifies with these.

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use chrono::{DateTime, NaiveDateTime, TimeDelta, Utc};
use sha2::{Digest, Sha256};

/// The hash before the first entry (64 zeros).
pub const GENESIS: &str = "0000000000000000000000000000000000000000000000000000000000000000";

/// What an entry records.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action {
    /// Someone read client data (a record, card, history, contacts, flags, the board).
    View,
    /// A change (one per event of the team event log; `detail` is the event kind).
    Change,
    /// Data left the server as a file (the audit CSV export).
    Export,
    SignIn,
    /// A sign-in refused (wrong password, unknown or inactive user, or throttled); `detail`
    /// names the attempted username, never a password.
    SignInFailed,
}

impl Action {
    pub const ALL: [Action; 5] = [
        Action::View,
        Action::Change,
        Action::Export,
        Action::SignIn,
        Action::SignInFailed,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Action::View => "view",
            Action::Change => "change",
            Action::Export => "export",
            Action::SignIn => "sign_in",
            Action::SignInFailed => "sign_in_failed",
        }
    }

    pub fn parse(s: &str) -> Option<Action> {
        Action::ALL.into_iter().find(|a| a.as_str() == s)
    }
}

/// The fields of one entry that its hash covers, in the order they are encoded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Chained<'a> {
    pub seq: i64,
    pub id: &'a str,
    pub at: NaiveDateTime,
    pub staff_id: Option<&'a str>,
    pub action: &'a str,
    pub team_id: Option<&'a str>,
    pub client_id: Option<&'a str>,
    pub detail: &'a str,
}

/// The instant as every entry encodes it: UTC, six fractional digits.
pub fn instant_text(at: NaiveDateTime) -> String {
    at.and_utc().format("%Y-%m-%dT%H:%M:%S%.6fZ").to_string()
}

/// The canonical encoding: a JSON array `[seq, id, at, staff_id, action, team_id, client_id,
/// detail]` (absent values as `null`; serde_json escapes strings one way only), so a value
/// cannot move from one field into the next without changing the bytes.
pub fn canonical(e: &Chained) -> String {
    serde_json::json!([
        e.seq,
        e.id,
        instant_text(e.at),
        e.staff_id,
        e.action,
        e.team_id,
        e.client_id,
        e.detail,
    ])
    .to_string()
}

/// `hex(SHA-256(prev_hash ‖ canonical(entry)))`, `prev_hash` being the previous entry's hex
/// hash (or [`GENESIS`]) as ASCII.
pub fn hash(prev_hash: &str, e: &Chained) -> String {
    let mut h = Sha256::new();
    h.update(prev_hash.as_bytes());
    h.update(canonical(e).as_bytes());
    hex::encode(h.finalize())
}

/// A report bound from a request: an RFC 3339 instant, or a day `YYYY-MM-DD` (UTC) meaning
/// its start for `from` and its end (the next day's start, exclusive) for `to`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Bound {
    From,
    To,
}

/// The instant a bound names; `to` is exclusive.
pub fn parse_bound(s: &str, which: Bound) -> Result<NaiveDateTime, String> {
    if s.len() == 10 {
        let day = crate::domain::time::parse_day(s)?;
        let start = day.and_hms_opt(0, 0, 0).unwrap_or_default();
        return Ok(match which {
            Bound::From => start,
            Bound::To => start + TimeDelta::days(1),
        });
    }
    let t: DateTime<Utc> = crate::domain::time::parse_instant(s)
        .map_err(|_| format!("'{s}' is neither a day YYYY-MM-DD nor an RFC 3339 time"))?;
    let t = t.naive_utc();
    Ok(match which {
        Bound::From => t,
        // An instant is inclusive: the first microsecond after it.
        Bound::To => t + TimeDelta::microseconds(1),
    })
}

/// Where a page ends: the last entry's instant and id (entries sort by both).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Cursor {
    pub at: NaiveDateTime,
    pub id: String,
}

impl Cursor {
    /// Opaque to clients: base64url of "<microseconds since 1970>:<id>".
    pub fn encode(&self) -> String {
        URL_SAFE_NO_PAD.encode(format!(
            "{}:{}",
            self.at.and_utc().timestamp_micros(),
            self.id
        ))
    }

    pub fn decode(s: &str) -> Result<Cursor, String> {
        let bad = || "not a cursor this server gave out".to_string();
        let bytes = URL_SAFE_NO_PAD.decode(s).map_err(|_| bad())?;
        let text = String::from_utf8(bytes).map_err(|_| bad())?;
        let (micros, id) = text.split_once(':').ok_or_else(bad)?;
        let micros: i64 = micros.parse().map_err(|_| bad())?;
        let at = DateTime::from_timestamp_micros(micros)
            .ok_or_else(bad)?
            .naive_utc();
        if id.is_empty() || id.len() > 64 {
            return Err(bad());
        }
        Ok(Cursor {
            at,
            id: id.to_string(),
        })
    }
}

pub const DEFAULT_LIMIT: i64 = 100;
pub const MAX_LIMIT: i64 = 1000;

/// The page size asked for, within 1..=1000 (default 100).
pub fn check_limit(limit: Option<i64>) -> Result<i64, String> {
    match limit {
        None => Ok(DEFAULT_LIMIT),
        Some(n) if (1..=MAX_LIMIT).contains(&n) => Ok(n),
        Some(n) => Err(format!("{n} is not between 1 and {MAX_LIMIT}")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::NaiveDate;

    fn at() -> NaiveDateTime {
        NaiveDate::from_ymd_opt(2026, 12, 1)
            .unwrap()
            .and_hms_micro_opt(3, 4, 5, 6)
            .unwrap()
    }

    fn entry<'a>(detail: &'a str, client: Option<&'a str>) -> Chained<'a> {
        Chained {
            seq: 1,
            id: "e1",
            at: at(),
            staff_id: Some("s1"),
            action: "view",
            team_id: Some("t1"),
            client_id: client,
            detail,
        }
    }

    #[test]
    fn the_encoding_is_fixed_and_unambiguous() {
        assert_eq!(
            canonical(&entry("record", Some("c1"))),
            r#"[1,"e1","2026-12-01T03:04:05.000006Z","s1","view","t1","c1","record"]"#
        );
        // Moving text between fields changes the bytes.
        let a = Chained {
            team_id: Some("t1\",\"c1"),
            client_id: None,
            ..entry("record", None)
        };
        assert_ne!(canonical(&a), canonical(&entry("record", Some("c1"))));
    }

    #[test]
    fn the_hash_chains_over_the_previous_one() {
        let e = entry("record", Some("c1"));
        let h1 = hash(GENESIS, &e);
        assert_eq!(h1.len(), 64);
        assert_eq!(h1, hash(GENESIS, &e), "deterministic");
        assert_ne!(h1, hash(&h1, &e), "depends on the previous hash");
        assert_ne!(h1, hash(GENESIS, &entry("card", Some("c1"))));
        assert_ne!(
            h1,
            hash(
                GENESIS,
                &Chained {
                    seq: 2,
                    ..e.clone()
                }
            )
        );
        // A known vector: SHA-256 of GENESIS followed by the encoding above.
        let mut h = Sha256::new();
        h.update(GENESIS.as_bytes());
        h.update(br#"[1,"e1","2026-12-01T03:04:05.000006Z","s1","view","t1","c1","record"]"#);
        assert_eq!(h1, hex::encode(h.finalize()));
    }

    #[test]
    fn bounds_take_days_and_instants() {
        let day = NaiveDate::from_ymd_opt(2026, 12, 1).unwrap();
        assert_eq!(
            parse_bound("2026-12-01", Bound::From).unwrap(),
            day.and_hms_opt(0, 0, 0).unwrap()
        );
        assert_eq!(
            parse_bound("2026-12-01", Bound::To).unwrap(),
            day.succ_opt().unwrap().and_hms_opt(0, 0, 0).unwrap()
        );
        assert_eq!(
            parse_bound("2026-12-01T05:00:00+02:00", Bound::From).unwrap(),
            day.and_hms_opt(3, 0, 0).unwrap()
        );
        assert_eq!(
            parse_bound("2026-12-01T03:00:00Z", Bound::To).unwrap(),
            day.and_hms_micro_opt(3, 0, 0, 1).unwrap()
        );
        for bad in ["2026-13-01", "yesterday", "2026-12-01 03:00", ""] {
            assert!(parse_bound(bad, Bound::From).is_err(), "{bad}");
        }
    }

    #[test]
    fn cursors_round_trip_and_refuse_junk() {
        let c = Cursor {
            at: at(),
            id: "0b0e6a5e-1d2c-4d8e-9a57-9e1f3f3c7a10".into(),
        };
        assert_eq!(Cursor::decode(&c.encode()).unwrap(), c);
        for bad in ["", "!!", "bm8tY29sb24", &URL_SAFE_NO_PAD.encode("x:id")] {
            assert!(Cursor::decode(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn limits_and_actions() {
        assert_eq!(check_limit(None), Ok(100));
        assert_eq!(check_limit(Some(1000)), Ok(1000));
        assert!(check_limit(Some(0)).is_err());
        assert!(check_limit(Some(1001)).is_err());
        for a in Action::ALL {
            assert_eq!(Action::parse(a.as_str()), Some(a));
        }
        assert_eq!(Action::parse("delete"), None);
    }
}
