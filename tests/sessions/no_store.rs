//! Every `/api/` answer carries `Cache-Control: no-store` (clinical data must not stay in a
//! browser's or a proxy's cache), errors included.

use crate::common::fixtures::{id, new_id, refer};
use crate::common::{TestApp, PASSWORD};
use serde_json::{json, Value};

both_engines!(api_answers_are_not_stored,);

/// (status, Cache-Control) of one request.
async fn cache_control(
    app: &TestApp,
    method: reqwest::Method,
    path: &str,
    token: Option<&str>,
    body: Option<Value>,
) -> (u16, String) {
    let mut req = app.client.request(method, format!("{}{path}", app.base));
    if let Some(t) = token {
        req = req.bearer_auth(t);
    }
    if let Some(b) = body {
        req = req.json(&b);
    }
    let r = req.send().await.unwrap();
    let cc = r
        .headers()
        .get("cache-control")
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .to_string();
    (r.status().as_u16(), cc)
}

/// Method, path, token, body, expected status.
type Case<'a> = (reqwest::Method, String, Option<&'a str>, Option<Value>, u16);

async fn api_answers_are_not_stored(app: TestApp) {
    use reqwest::Method as M;
    let team = app.create_team("Cache", "act").await;
    let t = id(&team);
    let (_, lead) = app.member(&t, "cache.lead", "lead").await;
    let client = id(&refer(&app, &t, &lead, "Cal", "Cache").await);
    let login = json!({"username": "cache.lead", "password": PASSWORD});
    let cases: Vec<Case> = vec![
        (M::POST, "/api/auth/login".into(), None, Some(login), 200),
        (M::GET, "/api/me".into(), Some(&lead), None, 200),
        (
            M::GET,
            format!("/api/teams/{t}/clients"),
            Some(&lead),
            None,
            200,
        ),
        (
            M::GET,
            format!("/api/teams/{t}/clients/{client}"),
            Some(&lead),
            None,
            200,
        ),
        (
            M::GET,
            format!("/api/teams/{t}/board"),
            Some(&lead),
            None,
            200,
        ),
        (
            M::GET,
            format!("/api/teams/{t}/events?since=0"),
            Some(&lead),
            None,
            200,
        ),
        // Errors too.
        (M::GET, "/api/me".into(), None, None, 401),
        (
            M::GET,
            format!("/api/teams/{}/clients", new_id()),
            Some(&lead),
            None,
            404,
        ),
        (
            M::POST,
            format!("/api/teams/{t}/clients"),
            Some(&lead),
            Some(json!({"given_name": ""})),
            422,
        ),
        (M::GET, "/api/no-such-route".into(), Some(&lead), None, 404),
    ];
    for (method, path, token, body, status) in cases {
        let (got, cc) = cache_control(&app, method.clone(), &path, token, body).await;
        assert_eq!(got, status, "{method} {path}");
        assert_eq!(cc, "no-store", "{method} {path} ({got})");
    }
}
