//! An administrator resets a password (issue 13): the old password is refused, every session
//! of the person ends, and the temporary password lets them in only to choose their own —
//! until then every route but `GET /api/me`, `POST /api/me/password` and sign-out answers
//! 403 `password_change_required`, the live stream included.

use crate::common::fixtures::invalid;
use crate::common::{TestApp, PASSWORD};
use crate::{refresh_with, text};
use serde_json::json;

both_engines!(
    reset_ends_sessions_and_forces_a_change,
    new_account_with_a_temporary_password,
    own_reset_is_not_temporary,
);

const TEMP: &str = "temporary words given by admin";
const MINE: &str = "my very own passphrase now";

async fn reset_ends_sessions_and_forces_a_change(app: TestApp) {
    let team = app.create_team("Resets", "act").await;
    let team_id = team["id"].as_str().unwrap().to_string();
    let (pat, before) = app.member(&team_id, "pat.reset", "member").await;
    let before_full = app.login_full("pat.reset", PASSWORD).await.expect(200);
    assert_eq!(before_full["user"]["must_change_password"], false);
    app.get("/api/teams", &before).await.expect(200);

    let out = app
        .patch(
            &format!("/api/staff/{pat}"),
            &app.admin_token,
            json!({"password": TEMP}),
        )
        .await
        .expect(200);
    assert_eq!(out["must_change_password"], true, "{out}");

    // Every session ended: access and refresh tokens alike.
    app.get("/api/me", &before)
        .await
        .problem(401, "unauthenticated");
    refresh_with(&app, &text(&before_full, "refresh_token"))
        .await
        .problem(401, "unauthenticated");
    // The old password is refused; the temporary one signs in, and says it must change.
    app.login_full("pat.reset", PASSWORD)
        .await
        .problem(401, "invalid_credentials");
    let temp = app.login_full("pat.reset", TEMP).await.expect(200);
    assert_eq!(temp["user"]["must_change_password"], true, "{temp}");
    let t = text(&temp, "access_token");

    // Only /api/me and /api/me/password answer; everything else is 403 with its own code.
    let me = app.get("/api/me", &t).await.expect(200);
    assert_eq!(me["user"]["must_change_password"], true, "{me}");
    for path in [
        "/api/teams".to_string(),
        format!("/api/teams/{team_id}"),
        format!("/api/teams/{team_id}/board"),
        format!("/api/teams/{team_id}/clients"),
    ] {
        let p = app
            .get(&path, &t)
            .await
            .problem(403, "password_change_required");
        assert!(
            p["detail"].as_str().unwrap().contains("new password"),
            "{p}"
        );
    }
    app.post(
        &format!("/api/teams/{team_id}/clients"),
        &t,
        json!({"given_name": "No", "family_name": "Way"}),
    )
    .await
    .problem(403, "password_change_required");
    // A refresh keeps the session (and its restriction) going.
    let renewed = refresh_with(&app, &text(&temp, "refresh_token"))
        .await
        .expect(200);
    assert_eq!(renewed["user"]["must_change_password"], true);
    let t = text(&renewed, "access_token");
    app.get("/api/teams", &t)
        .await
        .problem(403, "password_change_required");

    // The new password must pass the rule, and "current" is the temporary one.
    invalid(
        app.post(
            "/api/me/password",
            &t,
            json!({"current": TEMP, "new": "password1234"}),
        )
        .await,
        "new",
    );
    app.post(
        "/api/me/password",
        &t,
        json!({"current": TEMP, "new": MINE}),
    )
    .await
    .expect(204);
    // The same session goes on, now unrestricted.
    let me = app.get("/api/me", &t).await.expect(200);
    assert_eq!(me["user"]["must_change_password"], false, "{me}");
    app.get("/api/teams", &t).await.expect(200);
    app.get(&format!("/api/teams/{team_id}/board"), &t)
        .await
        .expect(200);
    // The temporary password is gone; the person's own signs in without restriction.
    app.login_full("pat.reset", TEMP)
        .await
        .problem(401, "invalid_credentials");
    let mine = app.login_full("pat.reset", MINE).await.expect(200);
    assert_eq!(mine["user"]["must_change_password"], false);
}

async fn new_account_with_a_temporary_password(app: TestApp) {
    let s = app
        .post(
            "/api/staff",
            &app.admin_token,
            json!({"username": "new.starter", "display_name": "New Starter", "discipline": "nurse",
                   "password": TEMP, "must_change_password": true}),
        )
        .await
        .expect(201);
    assert_eq!(s["must_change_password"], true);
    let listed = app.get("/api/staff", &app.admin_token).await.expect(200);
    let row = listed
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["username"] == "new.starter")
        .cloned()
        .unwrap();
    assert_eq!(row["must_change_password"], true, "{row}");
    assert_eq!(row["teams"], json!([]), "{row}");
    let temp = app.login_full("new.starter", TEMP).await.expect(200);
    let t = text(&temp, "access_token");
    app.get("/api/teams", &t)
        .await
        .problem(403, "password_change_required");
    // Signing out works while restricted.
    let r = app
        .call(
            reqwest::Method::POST,
            "/api/auth/logout",
            None,
            Some(json!({"refresh_token": text(&temp, "refresh_token")})),
        )
        .await;
    assert_eq!(r.status, 204, "{r:?}");
    app.get("/api/me", &t).await.problem(401, "unauthenticated");
}

async fn own_reset_is_not_temporary(app: TestApp) {
    // An admin who sets their own password through the staff screen chose it themselves.
    let out = app
        .patch(
            &format!("/api/staff/{}", app.admin_id),
            &app.admin_token,
            json!({"password": MINE}),
        )
        .await
        .expect(200);
    assert_eq!(out["must_change_password"], false, "{out}");
    let t = app.login("root", MINE).await;
    app.get("/api/teams", &t).await.expect(200);
}
