//! Refreshes racing with one refresh token (two tabs, a phone retrying) all get a working
//! session, within the grace window. Reuse outside the window ends the session: tested in
//! tests/foundation.rs (`refresh_rotates_and_detects_reuse`).

use crate::common::{TestApp, PASSWORD};
use crate::{refresh_with, text};
use futures_util::future::join_all;
use reqwest::Method;
use serde_json::json;

both_engines!(racing_refreshes_all_get_a_session,);

async fn racing_refreshes_all_get_a_session(app: TestApp) {
    for round in 0..3 {
        let first = app.login_full("root", PASSWORD).await.expect(200);
        let token = text(&first, "refresh_token");
        let answers = join_all((0..6).map(|_| refresh_with(&app, &token))).await;
        let pairs: Vec<_> = answers.into_iter().map(|r| r.expect(200)).collect();
        // Each got its own pair, and each pair works: the access token and one more refresh.
        let mut refresh_tokens: Vec<String> =
            pairs.iter().map(|p| text(p, "refresh_token")).collect();
        refresh_tokens.sort();
        refresh_tokens.dedup();
        assert_eq!(refresh_tokens.len(), 6, "round {round}");
        for p in &pairs {
            app.get("/api/me", &text(p, "access_token"))
                .await
                .expect(200);
            let next = refresh_with(&app, &text(p, "refresh_token"))
                .await
                .expect(200);
            app.get("/api/me", &text(&next, "access_token"))
                .await
                .expect(200);
        }
        // They are one session: signing out with one ends them all.
        let r = app
            .call(
                Method::POST,
                "/api/auth/logout",
                None,
                Some(json!({"refresh_token": text(&pairs[0], "refresh_token")})),
            )
            .await;
        assert_eq!(r.status, 204);
        for p in &pairs {
            app.get("/api/me", &text(p, "access_token"))
                .await
                .problem(401, "unauthenticated");
        }
        refresh_with(&app, &token)
            .await
            .problem(401, "unauthenticated");
    }
    // The admin's own session (another sign-in) was never touched.
    app.get("/api/me", &app.admin_token).await.expect(200);
}
