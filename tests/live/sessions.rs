//! Ended sessions close their streams at once, not at the periodic access check (60 s here,
//! the default, so a close within `WAIT` can only come from the revocation signal):
//! deactivation closes with 4003, a new password set by an admin, one's own password change
//! (for the OTHER sessions only) and signing out with 4001; on PostgreSQL a change made
//! through one instance closes the sockets held by another.

use crate::helpers::*;
use crate::ws::*;
use serde_json::json;
use std::time::Duration;

both_engines!(
    ended_sessions_close_their_streams,
    other_instances_close_too,
    a_temporary_password_opens_no_stream,
);

/// The close's `error` frame says why, in words.
fn reason(frames: &[serde_json::Value]) -> String {
    frames
        .iter()
        .rev()
        .find(|f| f["type"] == "error")
        .and_then(|f| f["message"].as_str())
        .unwrap_or_default()
        .to_string()
}

async fn ended_sessions_close_their_streams(app: TestApp) {
    assert!(
        app.state.config.live_timing.recheck >= Duration::from_secs(60),
        "the periodic check must not be what closes the streams below"
    );
    let (t, _, lead) = team(&app, "Live Sessions", "lead.s").await;
    let c = id(&refer(&app, &t, &lead, "Ida", "Sessions").await);

    // Deactivation: 4003 (signing in again cannot help), and the access token is refused.
    let (m_id, member) = app.member(&t, "member.s1", "member").await;
    let mut phone = connect(&app, &t, &member, None, "phone").await;
    snapshot(&mut phone).await;
    app.patch(
        &format!("/api/staff/{m_id}"),
        &app.admin_token,
        json!({"active": false}),
    )
    .await
    .expect(200);
    let frames = expect_close(&mut phone, 4003, WAIT).await;
    assert!(reason(&frames).contains("no longer active"), "{frames:?}");
    app.get("/api/me", &member)
        .await
        .problem(401, "unauthenticated");

    // A new password set by an admin: 4001, every session of the person.
    let (n_id, nurse) = app.member(&t, "member.s2", "member").await;
    let mut nurse_phone = connect(&app, &t, &nurse, None, "phone").await;
    snapshot(&mut nurse_phone).await;
    app.patch(
        &format!("/api/staff/{n_id}"),
        &app.admin_token,
        json!({"password": "a brand new passphrase"}),
    )
    .await
    .expect(200);
    let frames = expect_close(&mut nurse_phone, 4001, WAIT).await;
    assert!(
        reason(&frames).contains("admin set a new password"),
        "{frames:?}"
    );
    let p = app
        .get("/api/me", &nurse)
        .await
        .problem(401, "unauthenticated");
    assert!(
        p["detail"].as_str().unwrap().contains("new password"),
        "{p}"
    );

    // One's own change: the other session's socket closes with 4001; the calling session's
    // socket stays open and keeps receiving.
    let (_, here) = app.member(&t, "member.s3", "member").await;
    let there = app.login("member.s3", PASSWORD).await;
    let mut here_ws = connect(&app, &t, &here, None, "desktop").await;
    let seq = snapshot(&mut here_ws).await["seq"].as_i64().unwrap();
    let mut there_ws = connect(&app, &t, &there, None, "phone").await;
    snapshot(&mut there_ws).await;
    assert_eq!(
        app.post(
            "/api/me/password",
            &here,
            json!({"current": PASSWORD, "new": "my own new passphrase"}),
        )
        .await
        .status,
        204
    );
    let frames = expect_close(&mut there_ws, 4001, WAIT).await;
    assert!(
        reason(&frames).contains("password was changed"),
        "{frames:?}"
    );
    raise(&app, &t, &c, &lead, "after the password change").await;
    events_through(
        &mut here_ws,
        seq,
        seq + 1,
        WAIT,
        "the session that changed it",
    )
    .await;
    app.get("/api/me", &here).await.expect(200);
    app.get("/api/me", &there)
        .await
        .problem(401, "unauthenticated");

    // Signing out ends that session's stream too.
    let s = app.login_full("lead.s", PASSWORD).await.expect(200);
    let mut desk = connect(
        &app,
        &t,
        s["access_token"].as_str().unwrap(),
        None,
        "desktop",
    )
    .await;
    snapshot(&mut desk).await;
    assert_eq!(
        app.call(
            reqwest::Method::POST,
            "/api/auth/logout",
            None,
            Some(json!({"refresh_token": s["refresh_token"]})),
        )
        .await
        .status,
        204
    );
    let frames = expect_close(&mut desk, 4001, WAIT).await;
    assert!(reason(&frames).contains("signed out"), "{frames:?}");
    // The lead's first session is untouched.
    app.get(&format!("/api/teams/{t}"), &lead).await.expect(200);
}

/// PostgreSQL, two instances: deactivating through A closes the person's socket held by B,
/// and B refuses the person's access token at once. (SQLite runs one instance: the test of
/// the same path on one server is above.)
async fn other_instances_close_too(app: TestApp) {
    if app.engine == actboard::db::Engine::Sqlite {
        return;
    }
    let (t, _, _) = team(&app, "Live Sessions B", "lead.sb").await;
    let b = app.second_instance().await;
    let (m_id, member) = app.member(&t, "member.sb", "member").await;
    let (n_id, nurse) = app.member(&t, "nurse.sb", "member").await;
    let mut on_b = connect(&b, &t, &member, None, "phone").await;
    snapshot(&mut on_b).await;
    let mut nurse_on_b = connect(&b, &t, &nurse, None, "phone").await;
    snapshot(&mut nurse_on_b).await;
    // Both instances are listening (a NOTIFY sent before B listens would only reach it at
    // the periodic check).
    let deadline = std::time::Instant::now() + WAIT;
    while crate::instances::listeners(app.db.url.clone()).await < 2 {
        assert!(std::time::Instant::now() < deadline, "B does not LISTEN");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    app.patch(
        &format!("/api/staff/{m_id}"),
        &app.admin_token,
        json!({"active": false}),
    )
    .await
    .expect(200);
    expect_close(&mut on_b, 4003, WAIT).await;
    b.get("/api/me", &member)
        .await
        .problem(401, "unauthenticated");
    app.patch(
        &format!("/api/staff/{n_id}"),
        &app.admin_token,
        json!({"password": "reset by the admin on A"}),
    )
    .await
    .expect(200);
    expect_close(&mut nurse_on_b, 4001, WAIT).await;
    b.get("/api/me", &nurse)
        .await
        .problem(401, "unauthenticated");
}

/// A person whose password an administrator reset (issue 13) signs in with the temporary one
/// but gets no live stream (4003, "choose a new password first") until they chose their own.
async fn a_temporary_password_opens_no_stream(app: TestApp) {
    let (t, _, _) = team(&app, "Live Temporary", "lead.tmp").await;
    let (m_id, _) = app.member(&t, "member.tmp", "member").await;
    app.patch(
        &format!("/api/staff/{m_id}"),
        &app.admin_token,
        json!({"password": "a temporary passphrase"}),
    )
    .await
    .expect(200);
    let temp = app.login("member.tmp", "a temporary passphrase").await;
    let mut ws = connect(&app, &t, &temp, None, "phone").await;
    let frames = expect_close(&mut ws, 4003, WAIT).await;
    assert!(reason(&frames).contains("new password"), "{frames:?}");
    app.post(
        "/api/me/password",
        &temp,
        json!({"current": "a temporary passphrase", "new": "my own chosen passphrase"}),
    )
    .await
    .expect(204);
    let mut ws = connect(&app, &t, &temp, None, "phone").await;
    snapshot(&mut ws).await;
}
