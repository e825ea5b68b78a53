//! Failed sign-ins are counted BEFORE the password is checked, atomically, per username and
//! address: under any number of parallel wrong attempts at most ten are checked (401), the
//! rest are refused (429 with Retry-After), and the owner still signs in from elsewhere.

use crate::common::{TestApp, PASSWORD};
use crate::from_address;
use futures_util::future::join_all;
use serde_json::json;

both_engines!(
    parallel_wrong_logins_are_capped,
    other_addresses_are_slowed_not_locked,
    a_success_clears_its_pair,
    wrong_current_passwords_count,
);

/// One login attempt from `client`: (status, Retry-After).
async fn attempt(
    app: &TestApp,
    client: &reqwest::Client,
    username: &str,
    password: &str,
) -> (u16, Option<u64>) {
    let r = client
        .post(format!("{}/api/auth/login", app.base))
        .json(&json!({"username": username, "password": password}))
        .send()
        .await
        .unwrap();
    let retry = r
        .headers()
        .get("retry-after")
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse().ok());
    (r.status().as_u16(), retry)
}

/// The pilot's finding: 300 parallel guesses got 25 password checks. Now 64 parallel wrong
/// attempts (same username, same address) get exactly ten 401s and 54 429s.
async fn parallel_wrong_logins_are_capped(app: TestApp) {
    let client = from_address("127.0.0.1");
    let answers = join_all((0..64).map(|i| {
        let (app, client) = (&app, &client);
        async move { attempt(app, client, "root", &format!("wrong guess {i}")).await }
    }))
    .await;
    let checked = answers.iter().filter(|(s, _)| *s == 401).count();
    let refused: Vec<_> = answers.iter().filter(|(s, _)| *s == 429).collect();
    assert!(
        checked <= 10,
        "{checked} guesses reached the password check: {answers:?}"
    );
    assert_eq!(checked, 10, "{answers:?}");
    assert_eq!(refused.len(), 54, "{answers:?}");
    for (_, retry) in refused {
        assert!(retry.is_some_and(|r| (1..=300).contains(&r)), "{answers:?}");
    }
    // The right password from the same address is refused too (it is not even checked)…
    assert_eq!(attempt(&app, &client, "root", PASSWORD).await.0, 429);
    // …but from another address it works.
    assert_eq!(
        attempt(&app, &from_address("127.0.0.2"), "root", PASSWORD)
            .await
            .0,
        200
    );
}

/// Guesses from several addresses at once: at most ten checks per address, and the owner
/// still signs in from a third (after a delay that grows with the guesses, capped).
async fn other_addresses_are_slowed_not_locked(app: TestApp) {
    let (a, b) = (from_address("127.0.0.3"), from_address("127.0.0.4"));
    let answers = join_all((0..60).map(|i| {
        let (app, client) = (&app, if i % 2 == 0 { &a } else { &b });
        async move {
            (
                i % 2,
                attempt(app, client, "root", "not the password").await.0,
            )
        }
    }))
    .await;
    for side in [0, 1] {
        let checked = answers
            .iter()
            .filter(|(s, st)| *s == side && *st == 401)
            .count();
        assert_eq!(checked, 10, "address {side}: {answers:?}");
    }
    assert!(
        answers.iter().all(|(_, s)| *s == 401 || *s == 429),
        "{answers:?}"
    );
    assert_eq!(
        attempt(&app, &from_address("127.0.0.5"), "root", PASSWORD)
            .await
            .0,
        200
    );
}

/// A success clears that username and address's count (and only that pair's).
async fn a_success_clears_its_pair(app: TestApp) {
    let client = from_address("127.0.0.6");
    for _ in 0..9 {
        assert_eq!(attempt(&app, &client, "root", "wrong").await.0, 401);
    }
    assert_eq!(attempt(&app, &client, "root", PASSWORD).await.0, 200);
    for _ in 0..10 {
        assert_eq!(attempt(&app, &client, "root", "wrong").await.0, 401);
    }
    let (status, retry) = attempt(&app, &client, "root", "wrong").await;
    assert_eq!(status, 429);
    assert!(retry.is_some());
}

/// A wrong current password in a password change counts like a failed sign-in: ten are
/// checked, then 429, and the same username and address cannot sign in either.
async fn wrong_current_passwords_count(app: TestApp) {
    let answers = join_all((0..20).map(|i| {
        app.post(
            "/api/me/password",
            &app.admin_token,
            json!({"current": format!("wrong {i}"), "new": "a perfectly new passphrase"}),
        )
    }))
    .await;
    let wrong = answers.iter().filter(|r| r.status == 422).count();
    let refused = answers.iter().filter(|r| r.status == 429).count();
    assert_eq!((wrong, refused), (10, 10), "{answers:?}");
    app.post(
        "/api/me/password",
        &app.admin_token,
        json!({"current": PASSWORD, "new": "a perfectly new passphrase"}),
    )
    .await
    .problem(429, "rate_limited");
    app.login_full("root", PASSWORD)
        .await
        .problem(429, "rate_limited");
    // Nothing changed: the old password still works from elsewhere.
    assert_eq!(
        attempt(&app, &from_address("127.0.0.7"), "root", PASSWORD)
            .await
            .0,
        200
    );
}
