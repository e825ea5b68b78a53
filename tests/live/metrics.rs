//! GET /metrics: the Prometheus text of a running server after real work (a websocket, a
//! flag, requests), route patterns instead of paths, and who may read it.

use crate::helpers::*;
use crate::ws::*;
use serde_json::json;
use std::time::Duration;

both_engines!(metrics_describe_a_working_server);
by_engine!(metrics_are_refused_outside_the_allowed_networks);

async fn scrape(app: &TestApp, headers: &[(&str, &str)]) -> (u16, String, String) {
    let mut req = app.client.get(format!("{}/metrics", app.base));
    for (k, v) in headers {
        req = req.header(*k, *v);
    }
    let r = req.send().await.unwrap();
    let status = r.status().as_u16();
    let ct = r
        .headers()
        .get("content-type")
        .map(|v| v.to_str().unwrap().to_string())
        .unwrap_or_default();
    (status, ct, r.text().await.unwrap())
}

/// The value of the sample whose line starts with `prefix` (name and labels).
fn sample(text: &str, prefix: &str) -> Option<f64> {
    text.lines()
        .find(|l| l.starts_with(prefix))
        .and_then(|l| l.rsplit(' ').next())
        .and_then(|v| v.parse().ok())
}

async fn metrics_describe_a_working_server(app: TestApp) {
    let (t, _, lead) = team(&app, "Metrics", "metrics_lead").await;
    let c = id(&refer(&app, &t, &lead, "Mo", "Metric").await);
    let mut ws = connect(&app, &t, &lead, None, "laptop").await;
    snapshot(&mut ws).await;
    let flag = app
        .post(
            &format!("/api/teams/{t}/clients/{c}/flags"),
            &lead,
            json!({"severity": "emergency", "category": "other", "reason": "not answering"}),
        )
        .await
        .expect(201);
    let e = next_frame(&mut ws, Duration::from_secs(3), "flag.raised").await;
    assert_eq!(e["kind"], "flag.raised", "{e}");

    let (status, ct, text) = scrape(&app, &[]).await;
    assert_eq!(status, 200, "{text}");
    assert!(ct.starts_with("text/plain"), "{ct}");
    // One live connection on this server, subscribed to the team.
    assert_eq!(
        sample(&text, "actboard_ws_connections "),
        Some(1.0),
        "{text}"
    );
    assert!(sample(&text, "actboard_events_total{kind=\"flag.raised\"}").unwrap_or(0.0) >= 1.0);
    // The flag's frame was written to the socket: the lag histogram counted it.
    let count = sample(&text, "actboard_fanout_lag_seconds_count").unwrap();
    assert!(count >= 1.0, "{text}");
    let within_5s = sample(&text, "actboard_fanout_lag_seconds_bucket{le=\"5\"}").unwrap();
    assert_eq!(within_5s, count, "every frame within seconds here: {text}");
    // Requests by route pattern: the flag raise, with its ids as placeholders.
    let raised = "actboard_http_requests_total{method=\"POST\",route=\"/api/teams/{team_id}/clients/{client_id}/flags\",status=\"201\"}";
    assert!(sample(&text, raised).unwrap_or(0.0) >= 1.0, "{text}");
    assert!(
        !text
            .lines()
            .filter(|l| l.starts_with("actboard_http_requests_total"))
            .any(|l| l.contains(&t) || l.contains(&c)),
        "an id became a route label: {text}"
    );
    let pool_idle = sample(&text, "actboard_db_pool_connections{state=\"idle\"}").unwrap();
    let pool_used = sample(&text, "actboard_db_pool_connections{state=\"in_use\"}").unwrap();
    assert!(pool_idle + pool_used >= 1.0, "{text}");
    // The emergency nobody acknowledged, by team and severity; gone once acknowledged.
    let unacked = format!(
        "actboard_flags_unacknowledged{{severity=\"emergency\",team=\"{t}\",team_name=\"Metrics\"}}"
    );
    assert_eq!(sample(&text, &unacked), Some(1.0), "{text}");
    let oldest = format!(
        "actboard_flags_unacknowledged_oldest_seconds{{severity=\"emergency\",team=\"{t}\",team_name=\"Metrics\"}}"
    );
    assert!(sample(&text, &oldest).is_some(), "{text}");
    app.post(
        &format!("/api/teams/{t}/flags/{}/acknowledge", id(&flag)),
        &lead,
        json!({}),
    )
    .await
    .expect(200);
    let (_, _, text) = scrape(&app, &[]).await;
    assert_eq!(sample(&text, &unacked), None, "{text}");
    // The connection goes: the gauge follows.
    drop(ws);
    let deadline = std::time::Instant::now() + Duration::from_secs(5);
    loop {
        let (_, _, text) = scrape(&app, &[]).await;
        if sample(&text, "actboard_ws_connections ") == Some(0.0) {
            // The scrapes themselves are counted, by their route.
            assert!(text.contains("route=\"/metrics\",status=\"200\""), "{text}");
            break;
        }
        assert!(std::time::Instant::now() < deadline, "{text}");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

async fn metrics_are_refused_outside_the_allowed_networks(engine: EngineChoice) {
    // Loopback allowed (the default): a proxy passing on a request from elsewhere is refused.
    let Some(app) = TestApp::start(engine).await else {
        return eprintln!("SKIPPED: ACTBOARD_TEST_DATABASE_URL is not set");
    };
    let (status, _, _) = scrape(&app, &[]).await;
    assert_eq!(status, 200);
    for h in [
        ("x-forwarded-for", "203.0.113.9"),
        ("x-forwarded-for", "127.0.0.1, 198.51.100.4"),
        ("x-real-ip", "203.0.113.9"),
        ("forwarded", "for=203.0.113.9;proto=https"),
        ("x-forwarded-for", "unknown"),
    ] {
        let (status, ct, body) = scrape(&app, &[h]).await;
        assert_eq!(status, 403, "{h:?}: {body}");
        assert_eq!(ct, "application/problem+json", "{h:?}");
        let p: serde_json::Value = serde_json::from_str(&body).unwrap();
        assert_eq!(p["code"], "forbidden", "{p}");
    }
    let (status, _, _) = scrape(&app, &[("x-forwarded-for", "127.0.0.1")]).await;
    assert_eq!(status, 200);
    drop(app);
    // A server whose allow-list does not include where the scraper is (here: no network at
    // all, standing in for a scraper outside ACTBOARD_METRICS_ALLOW).
    let Some(app) = TestApp::start_with(engine, |c| c.metrics_allow = vec![]).await else {
        return;
    };
    let (status, ct, body) = scrape(&app, &[]).await;
    assert_eq!(status, 403, "{body}");
    assert_eq!(ct, "application/problem+json");
    assert!(!body.contains("actboard_"), "{body}");
    let (status, _, _) = scrape(
        &app,
        &[("authorization", &format!("Bearer {}", app.admin_token))],
    )
    .await;
    assert_eq!(status, 403, "a token does not open it");
}
