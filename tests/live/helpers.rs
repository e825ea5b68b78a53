//! HTTP helpers of the live tests. Those other test binaries use too (`id`, `new_id`,
//! `refer`, `last_seq`, …) live in tests/common/fixtures.rs and are re-exported here.

pub use crate::common::fixtures::{id, last_seq, new_id, refer};
pub use crate::common::{EngineChoice, TestApp, PASSWORD};

use crate::common::fixtures::{forge_token, new_session, visit};
use crate::common::SECRET;
use serde_json::{json, Value};
use std::time::Duration;

/// Every receive waits at most this long unless a test says otherwise.
pub const WAIT: Duration = Duration::from_secs(5);

/// A team with a lead; returns (team id, lead id, lead token).
pub async fn team(app: &TestApp, name: &str, lead: &str) -> (String, String, String) {
    let t = id(&app.create_team(name, "act").await);
    let (lead_id, lead_token) = app.member(&t, lead, "lead").await;
    (t, lead_id, lead_token)
}

/// Raise a flag (201); returns it.
pub async fn raise(app: &TestApp, t: &str, client: &str, token: &str, reason: &str) -> Value {
    app.post(
        &format!("/api/teams/{t}/clients/{client}/flags"),
        token,
        json!({"severity": "watch", "category": "other", "reason": reason}),
    )
    .await
    .expect(201)
}

/// Log a completed visit on 2026-10-14 (201; at 09:00 every time, overlaps allowed);
/// returns the contact.
pub async fn contact(
    app: &TestApp,
    t: &str,
    client: &str,
    staff_id: &str,
    token: &str,
    note: Option<&str>,
) -> Value {
    let mut body = visit(client, &[staff_id], "2026-10-14", "completed");
    body["allow_overlap"] = json!(true);
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

/// A forged access token of `staff_id`, of a new session, that expires `secs` from now.
pub async fn token_expiring_in(app: &TestApp, staff_id: &str, secs: i64) -> (String, i64) {
    let now = chrono::Utc::now().timestamp();
    let exp = now + secs;
    let sid = new_session(app, staff_id).await;
    let claims = json!({"sub": staff_id, "iat": now, "exp": exp, "typ": "access", "sid": sid});
    (forge_token(&claims, SECRET), exp)
}

/// This process's resident memory (the server runs in the test process), in kB.
pub fn vm_rss_kb() -> Option<u64> {
    let s = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = s.lines().find(|l| l.starts_with("VmRSS:"))?;
    line.split_whitespace().nth(1)?.parse().ok()
}
