//! `POST /api/me/password {current, new}`: 204, the other sessions end (refresh and access
//! tokens), the calling one stays signed in; a wrong `current` is 422 on `current`.

use crate::common::fixtures::invalid;
use crate::common::{TestApp, PASSWORD};
use crate::{refresh_with, text};
use serde_json::json;

both_engines!(change_own_password, refused_changes_change_nothing,);

const NEW: &str = "a fresh passphrase for me";

async fn change_own_password(app: TestApp) {
    let team = app.create_team("Passwords", "act").await;
    let (_, _) = app
        .member(team["id"].as_str().unwrap(), "pat.nurse", "member")
        .await;
    let here = app.login_full("pat.nurse", PASSWORD).await.expect(200);
    let there = app.login_full("pat.nurse", PASSWORD).await.expect(200);
    let here_token = text(&here, "access_token");
    let r = app
        .post(
            "/api/me/password",
            &here_token,
            json!({"current": PASSWORD, "new": NEW}),
        )
        .await;
    assert_eq!(r.status, 204, "{r:?}");
    // This session goes on: its access token, and its refresh token.
    app.get("/api/me", &here_token).await.expect(200);
    let renewed = refresh_with(&app, &text(&here, "refresh_token"))
        .await
        .expect(200);
    app.get("/api/me", &text(&renewed, "access_token"))
        .await
        .expect(200);
    // The other session is over: both its tokens, with the reason in words.
    let p = app
        .get("/api/me", &text(&there, "access_token"))
        .await
        .problem(401, "unauthenticated");
    assert!(
        p["detail"]
            .as_str()
            .unwrap()
            .contains("password was changed"),
        "{p}"
    );
    refresh_with(&app, &text(&there, "refresh_token"))
        .await
        .problem(401, "unauthenticated");
    // The old password no longer signs in; the new one does.
    app.login_full("pat.nurse", PASSWORD)
        .await
        .problem(401, "invalid_credentials");
    app.login_full("pat.nurse", NEW).await.expect(200);
    // Other people's sessions are untouched.
    app.get("/api/me", &app.admin_token).await.expect(200);
}

async fn refused_changes_change_nothing(app: TestApp) {
    let t = app.admin_token.clone();
    // A wrong current password: 422 naming `current`.
    let p = invalid(
        app.post(
            "/api/me/password",
            &t,
            json!({"current": "not it at all", "new": NEW}),
        )
        .await,
        "current",
    );
    assert!(
        p["detail"].as_str().unwrap().contains("current password"),
        "{p}"
    );
    // New passwords the rule refuses: 422 naming `new`, with the reason in words.
    for (new, why) in [
        ("12345678", "at least 12 characters"),
        ("password1234", "common"),
        ("ROOT", "at least 12"),
        ("qwertyuiop123", "common"),
    ] {
        let p = invalid(
            app.post(
                "/api/me/password",
                &t,
                json!({"current": PASSWORD, "new": new}),
            )
            .await,
            "new",
        );
        assert!(p["detail"].as_str().unwrap().contains(why), "{new}: {p}");
    }
    // Missing or unknown fields.
    let r = app
        .post("/api/me/password", &t, json!({"current": PASSWORD}))
        .await;
    assert!(matches!(r.status.as_u16(), 400 | 422), "{r:?}");
    let r = app
        .post(
            "/api/me/password",
            &t,
            json!({"current": PASSWORD, "new": NEW, "extra": 1}),
        )
        .await;
    assert!(matches!(r.status.as_u16(), 400 | 422), "{r:?}");
    // No token.
    app.call(
        reqwest::Method::POST,
        "/api/me/password",
        None,
        Some(json!({"current": PASSWORD, "new": NEW})),
    )
    .await
    .problem(401, "unauthenticated");
    // Nothing changed.
    app.login_full("root", PASSWORD).await.expect(200);
    app.get("/api/me", &t).await.expect(200);
}
