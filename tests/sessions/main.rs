//! Sign-in and sessions (issue 11), through the real HTTP server on SQLite and (when
//! configured) PostgreSQL. One test binary, one module per finding:
//!
//! * `throttle` — failed sign-ins are counted before the password check, per username and
//!   address; parallel guesses never get more than ten checks
//! * `refresh` — racing refreshes with one token all get a working session
//! * `password_change` — `POST /api/me/password`, and the other sessions it ends
//! * `password_rule` — the new-password rule wherever a password is set
//! * `no_store` — `Cache-Control: no-store` on API answers
//! * `admin_reset` — an administrator's reset: sessions end, the person must change it first
//!
//! Websockets closed by ended sessions are tested with the live stream (tests/live/sessions.rs).

#[macro_use]
#[path = "../common/mod.rs"]
mod common;

mod admin_reset;
mod no_store;
mod password_change;
mod password_rule;
mod refresh;
mod throttle;

use reqwest::Method;
use serde_json::{json, Value};

/// POST /api/auth/refresh with this refresh token.
pub async fn refresh_with(app: &common::TestApp, token: &str) -> common::Resp {
    app.call(
        Method::POST,
        "/api/auth/refresh",
        None,
        Some(json!({ "refresh_token": token })),
    )
    .await
}

/// A string member of a JSON answer.
pub fn text(v: &Value, key: &str) -> String {
    v[key]
        .as_str()
        .unwrap_or_else(|| panic!("no {key} in {v}"))
        .to_string()
}

/// A client whose requests come from another loopback address (a different workstation).
pub fn from_address(ip: &str) -> reqwest::Client {
    reqwest::Client::builder()
        .local_address(ip.parse::<std::net::IpAddr>().unwrap())
        .build()
        .unwrap()
}
