//! Small helpers that several test binaries use: ids, a referred client, a contact body, the
//! team's latest seq, validation problems, signed tokens and direct database access.

use super::{Resp, TestApp};
use actboard::db::DbConn;
use serde_json::{json, Value};

/// The `id` of a JSON object (panics, showing the object, when it has none).
pub fn id(v: &Value) -> String {
    v["id"]
        .as_str()
        .unwrap_or_else(|| panic!("no id in {v}"))
        .to_string()
}

/// A fresh UUID, as text (a new contact id, or an id nothing has).
pub fn new_id() -> String {
    uuid::Uuid::new_v4().to_string()
}

/// Refer a client (status referred, no case manager); returns the client (201).
pub async fn refer(app: &TestApp, team_id: &str, token: &str, given: &str, family: &str) -> Value {
    app.post(
        &format!("/api/teams/{team_id}/clients"),
        token,
        json!({"given_name": given, "family_name": family}),
    )
    .await
    .expect(201)
}

/// A contact body: a one-hour face-to-face visit at 09:00 on `day`.
pub fn visit(client: &str, staff: &[&str], day: &str, status: &str) -> Value {
    json!({
        "client_id": client, "staff_ids": staff, "day": day, "start": "09:00", "end": "10:00",
        "kind": "face_to_face", "place": "home", "activity": "check-in", "status": status, "minutes": 60
    })
}

/// The team's latest seq, from its event log.
pub async fn last_seq(app: &TestApp, team_id: &str, token: &str) -> i64 {
    app.get(
        &format!("/api/teams/{team_id}/events?since=0&limit=1"),
        token,
    )
    .await
    .expect(200)["last_seq"]
        .as_i64()
        .unwrap()
}

/// The field names of a validation problem.
pub fn fields(p: &Value) -> Vec<String> {
    p["errors"]
        .as_array()
        .map(|a| {
            a.iter()
                .map(|e| e["field"].as_str().unwrap_or("").to_string())
                .collect()
        })
        .unwrap_or_default()
}

/// A 422 validation_failed naming `field`; returns the problem.
pub fn invalid(r: Resp, field: &str) -> Value {
    let p = r.problem(422, "validation_failed");
    assert!(
        fields(&p).iter().any(|f| f == field),
        "expected an error on '{field}': {p}"
    );
    p
}

/// A JWT with these claims, signed (HS256) with `secret`: forged, expired or short-lived
/// tokens.
pub fn forge_token(claims: &Value, secret: &str) -> String {
    jsonwebtoken::encode(
        &jsonwebtoken::Header::default(),
        claims,
        &jsonwebtoken::EncodingKey::from_secret(secret.as_bytes()),
    )
    .unwrap()
}

/// Run diesel work directly against the test database (off the async runtime).
pub async fn db<T, F>(app: &TestApp, f: F) -> T
where
    F: FnOnce(&mut DbConn) -> T + Send + 'static,
    T: Send + 'static,
{
    let pool = app.state.pool.clone();
    actix_web::web::block(move || {
        let mut conn = pool.get().unwrap();
        f(&mut conn)
    })
    .await
    .unwrap()
}

/// A new session (sign-in) of `staff_id`, made directly in the database: forged access
/// tokens carry its id in `sid`, as every real one does.
pub async fn new_session(app: &TestApp, staff_id: &str) -> String {
    let staff_id = staff_id.to_string();
    db(app, move |conn| {
        actboard::auth::sessions::start(conn, &staff_id, actboard::db::now()).unwrap()
    })
    .await
}

/// A new initials-only (privacy) display token of the team, made by `lead`.
pub async fn privacy_display(app: &TestApp, team_id: &str, lead: &str) -> String {
    app.post(
        &format!("/api/teams/{team_id}/display-tokens"),
        lead,
        serde_json::json!({"label": "wall", "privacy": "initials"}),
    )
    .await
    .expect(201)["token"]
        .as_str()
        .unwrap()
        .to_string()
}

/// The kinds of the team's events after `seq`, in order.
pub async fn kinds_since(app: &TestApp, team_id: &str, token: &str, seq: i64) -> Vec<String> {
    app.get(&format!("/api/teams/{team_id}/events?since={seq}"), token)
        .await
        .expect(200)["events"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["kind"].as_str().unwrap().to_string())
        .collect()
}
