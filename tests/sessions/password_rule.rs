//! The new-password rule (NIST SP 800-63B: a length, a common-password list, not the
//! username; no composition rules) wherever a password is set: staff creation, an admin's
//! reset, one's own change (tests/sessions/password_change.rs) and the CLI (tests/cli.rs).

use crate::common::fixtures::{id, invalid, new_id};
use crate::common::{TestApp, PASSWORD};
use serde_json::json;

both_engines!(staff_creation_and_reset_follow_the_rule,);

async fn staff_creation_and_reset_follow_the_rule(app: TestApp) {
    let t = app.admin_token.clone();
    let staff = |username: &str, password: &str| json!({"username": username, "display_name": "Maria", "discipline": "nurse", "password": password});
    for (password, why) in [
        ("12345678", "at least 12 characters"),
        ("elevenchars", "at least 12 characters"),
        ("qwerty123456", "common"),
        ("Password1234", "common"),
        ("Maria.Lopez.RN", "username"),
        ("zzzzzzzzzzzzzzzz", "repeated"),
    ] {
        let p = invalid(
            app.post("/api/staff", &t, staff("maria.lopez.rn", password))
                .await,
            "password",
        );
        assert!(
            p["detail"].as_str().unwrap().contains(why),
            "{password}: {p}"
        );
    }
    let long = "x".repeat(257);
    invalid(
        app.post("/api/staff", &t, staff("maria.lopez.rn", &long))
            .await,
        "password",
    );
    // Spaces, any letters, no digits or symbols needed: fine.
    let maria = app
        .post("/api/staff", &t, staff("maria.lopez.rn", "ça va très bien"))
        .await
        .expect(201);
    app.login_full("maria.lopez.rn", "ça va très bien")
        .await
        .expect(200);

    // An admin's reset: the same rule, naming `password`; nothing changes when refused.
    for password in ["password1234", "maria.lopez.rn", "short"] {
        invalid(
            app.patch(
                &format!("/api/staff/{}", id(&maria)),
                &t,
                json!({"password": password}),
            )
            .await,
            "password",
        );
    }
    app.login_full("maria.lopez.rn", "ça va très bien")
        .await
        .expect(200);
    // An account that does not exist: 404, whatever the password.
    app.patch(
        &format!("/api/staff/{}", new_id()),
        &t,
        json!({"password": "password1234"}),
    )
    .await
    .problem(404, "not_found");
    app.patch(
        &format!("/api/staff/{}", new_id()),
        &t,
        json!({"password": PASSWORD}),
    )
    .await
    .problem(404, "not_found");
    // A good one is taken.
    app.patch(
        &format!("/api/staff/{}", id(&maria)),
        &t,
        json!({"password": "another fine passphrase"}),
    )
    .await
    .expect(200);
    app.login_full("maria.lopez.rn", "another fine passphrase")
        .await
        .expect(200);
}
