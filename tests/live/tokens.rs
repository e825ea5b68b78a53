//! Token expiry (4009 at, not before, the expiry) and renewal on the open socket.

use crate::helpers::*;
use crate::ws::*;
use serde_json::json;
use std::time::Duration;

both_engines!(token_expiry_and_renewal,);

async fn token_expiry_and_renewal(app: TestApp) {
    let (t, _, lead) = team(&app, "Live Tokens", "lead5").await;
    let (m_id, _) = app.member(&t, "member5", "member").await;
    let (other_id, _) = app.member(&t, "other5", "member").await;
    let c = id(&refer(&app, &t, &lead, "Dee", "Token").await);

    // Expires without renewal: 4009, at (not before) the expiry.
    let (short, exp) = token_expiring_in(&app, &m_id, 3).await;
    let mut ws = connect(&app, &t, &short, None, "phone").await;
    snapshot(&mut ws).await;
    expect_close(&mut ws, 4009, Duration::from_secs(8)).await;
    let now = chrono::Utc::now().timestamp();
    assert!(
        now >= exp - 1,
        "closed as expired {} s before the expiry",
        exp - now
    );

    // Renewed before the expiry: auth_ok, and the socket outlives the old token.
    let (short, exp) = token_expiring_in(&app, &m_id, 3).await;
    let mut ws = connect(&app, &t, &short, None, "phone").await;
    let snap = snapshot(&mut ws).await;
    let seq = snap["seq"].as_i64().unwrap();
    let fresh = app.login("member5", PASSWORD).await;
    send_json(&mut ws, json!({"type": "auth", "token": fresh})).await;
    let ok = next_frame(&mut ws, WAIT, "auth_ok").await;
    assert_eq!(ok["type"], "auth_ok", "{ok}");
    assert!(
        ok["expires_at"].as_i64().is_some_and(|e| e > exp + 600),
        "{ok}"
    );
    while chrono::Utc::now().timestamp() <= exp + 2 {
        quiet(
            &mut ws,
            Duration::from_millis(500),
            "after the renewal, past the old expiry",
        )
        .await;
    }
    raise(&app, &t, &c, &lead, "after renewal").await;
    events_through(
        &mut ws,
        seq,
        seq + 1,
        Duration::from_secs(2),
        "after the renewal",
    )
    .await;

    // A renewal token of another person: 4001.
    let (short, _) = token_expiring_in(&app, &m_id, 60).await;
    let mut ws = connect(&app, &t, &short, None, "phone").await;
    snapshot(&mut ws).await;
    let (someone_else, _) = token_expiring_in(&app, &other_id, 900).await;
    send_json(&mut ws, json!({"type": "auth", "token": someone_else})).await;
    expect_close(&mut ws, 4001, WAIT).await;

    // A renewal that is not a valid token: 4001.
    let (short, _) = token_expiring_in(&app, &m_id, 60).await;
    let mut ws = connect(&app, &t, &short, None, "phone").await;
    snapshot(&mut ws).await;
    send_json(&mut ws, json!({"type": "auth", "token": "garbage"})).await;
    expect_close(&mut ws, 4001, WAIT).await;
}
