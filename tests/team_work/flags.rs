//! Crisis flags: raise, acknowledge, resolve; open and closed lists in severity order.

use crate::helpers::*;
use serde_json::{json, Value};

both_engines!(flags_raise_acknowledge_resolve,);

async fn flags_raise_acknowledge_resolve(app: TestApp) {
    let team = app.create_team("Flags", "act").await;
    let t = id(&team);
    let (_, lead) = app.member(&t, "leadf", "lead").await;
    let (m1_id, m1) = app.member(&t, "raiser", "member").await;
    let (m2_id, m2) = app.member(&t, "responder", "member").await;
    let (_, viewer) = app.member(&t, "viewerf", "viewer").await;
    let c1 = id(&refer(&app, &t, &lead, "Ann", "Flagged").await);
    let c2 = id(&refer(&app, &t, &lead, "Ben", "Flagged").await);
    let c3 = id(&refer(&app, &t, &lead, "Cat", "Flagged").await);
    let raise = |c: &str, tok: &str, sev: &str| {
        app.post(
            &format!("/api/teams/{t}/clients/{c}/flags"),
            tok,
            json!({"severity": sev, "category": "medical", "reason": format!("{sev} concern")}),
        )
    };

    let watch = raise(&c1, &m1, "watch").await.expect(201);
    assert_eq!(watch["client_id"], c1.as_str());
    assert_eq!(watch["severity"], "watch");
    assert_eq!(watch["reason"], "watch concern");
    assert_eq!(watch["raised_by"], m1_id.as_str());
    assert!(watch["raised_at"].is_string());
    for k in [
        "acknowledged_by",
        "acknowledged_at",
        "resolved_by",
        "resolved_at",
        "outcome",
    ] {
        assert_eq!(watch[k], Value::Null, "{k}");
    }
    let emergency = raise(&c2, &m1, "emergency").await.expect(201);
    let urgent_resolved = raise(&c3, &m1, "urgent").await.expect(201);
    let urgent_open = raise(&c1, &m2, "urgent").await.expect(201);

    raise(&c1, &viewer, "watch").await.problem(403, "forbidden");
    invalid(raise(&c1, &m1, "apocalyptic").await, "severity");
    invalid(
        app.post(
            &format!("/api/teams/{t}/clients/{c1}/flags"),
            &m1,
            json!({"severity": "watch", "category": "other", "reason": "  "}),
        )
        .await,
        "reason",
    );
    app.post(
        &format!("/api/teams/{t}/clients/{}/flags", new_id()),
        &m1,
        json!({"severity": "watch", "category": "other", "reason": "x"}),
    )
    .await
    .problem(404, "not_found");

    let fpath = |f: &Value, action: &str| format!("/api/teams/{t}/flags/{}/{action}", id(f));
    let ack = app
        .post(&fpath(&emergency, "acknowledge"), &m2, json!({}))
        .await
        .expect(200);
    assert_eq!(ack["acknowledged_by"], m2_id.as_str());
    assert!(ack["acknowledged_at"].is_string());
    assert_eq!(ack["resolved_at"], Value::Null);
    app.post(&fpath(&emergency, "acknowledge"), &viewer, json!({}))
        .await
        .problem(403, "forbidden");

    let res = app
        .post(
            &fpath(&urgent_resolved, "resolve"),
            &m1,
            json!({"outcome": "seen at home, safe"}),
        )
        .await
        .expect(200);
    assert_eq!(res["resolved_by"], m1_id.as_str());
    assert_eq!(res["outcome"], "seen at home, safe");
    assert!(res["resolved_at"].is_string());
    app.post(
        &fpath(&urgent_resolved, "resolve"),
        &m2,
        json!({"outcome": "again"}),
    )
    .await
    .problem(409, "conflict");
    app.post(&fpath(&urgent_resolved, "acknowledge"), &m2, json!({}))
        .await
        .problem(409, "conflict");
    invalid(
        app.post(&fpath(&watch, "resolve"), &m1, json!({"outcome": ""}))
            .await,
        "outcome",
    );
    app.post(
        &format!("/api/teams/{t}/flags/{}/resolve", new_id()),
        &m1,
        json!({"outcome": "x"}),
    )
    .await
    .problem(404, "not_found");

    let open = app
        .get(&format!("/api/teams/{t}/flags?open=true"), &viewer)
        .await
        .expect(200);
    let sev: Vec<&str> = open
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["severity"].as_str().unwrap())
        .collect();
    assert_eq!(sev, vec!["emergency", "urgent", "watch"], "{open}");
    assert!(open
        .as_array()
        .unwrap()
        .iter()
        .all(|f| f["resolved_at"].is_null()));
    let open_ids: Vec<String> = open.as_array().unwrap().iter().map(id).collect();
    assert_eq!(open_ids, vec![id(&emergency), id(&urgent_open), id(&watch)]);
    let closed = app
        .get(&format!("/api/teams/{t}/flags?open=false"), &viewer)
        .await
        .expect(200);
    assert_eq!(
        closed
            .as_array()
            .unwrap()
            .iter()
            .map(id)
            .collect::<Vec<_>>(),
        vec![id(&urgent_resolved)]
    );
}
