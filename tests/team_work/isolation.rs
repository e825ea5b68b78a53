//! Isolation between teams: another team's records are invisible.

use crate::helpers::*;
use actboard::db::schema::access_log;
use diesel::prelude::*;
use serde_json::{json, Value};

both_engines!(other_teams_records_are_invisible);

async fn other_teams_records_are_invisible(app: TestApp) {
    let a = id(&app.create_team("Team A", "act").await);
    let b = id(&app.create_team("Team B", "act").await);
    let (_, a_lead) = app.member(&a, "alead", "lead").await;
    let (a_member, _) = app.member(&a, "amember", "member").await;
    let (_, b_lead) = app.member(&b, "blead", "lead").await;
    let (b_member_id, b_member) = app.member(&b, "bmember", "member").await;
    let ca = id(&refer(&app, &a, &a_lead, "Ann", "Ours").await);
    let cb = id(&refer(&app, &b, &b_lead, "Ben", "Theirs").await);
    let kb = new_id();
    app.put(
        &format!("/api/teams/{b}/contacts/{kb}"),
        &b_member,
        visit(&cb, &[&b_member_id], "2026-10-14", "planned"),
    )
    .await
    .expect(201);
    let fb = id(&app
        .post(
            &format!("/api/teams/{b}/clients/{cb}/flags"),
            &b_member,
            json!({"severity": "urgent", "reason": "r"}),
        )
        .await
        .expect(201));
    let hb = id(&app
        .post(&format!("/api/teams/{b}/handoffs"), &b_lead, json!({"to_staff_id": b_member_id, "items": [{"client_id": cb, "severity": "watcher", "summary": "s"}]}))
        .await
        .expect(201));
    let b_tokens_before = app
        .get(&format!("/api/teams/{b}/events?since=0"), &b_lead)
        .await
        .expect(200)["last_seq"]
        .as_i64()
        .unwrap();

    // Through team B's paths: everything is 404, as if B did not exist.
    let nf = |r: Resp| {
        r.problem(404, "not_found");
    };
    let tok = a_lead.as_str();
    nf(app.get(&format!("/api/teams/{b}/clients"), tok).await);
    nf(app.get(&format!("/api/teams/{b}/clients/{cb}"), tok).await);
    nf(app
        .patch(
            &format!("/api/teams/{b}/clients/{cb}"),
            tok,
            json!({"version": 1, "risk_tier": "low"}),
        )
        .await);
    nf(app
        .put(
            &format!("/api/teams/{b}/clients/{cb}/case-manager"),
            tok,
            json!({"staff_id": a_member}),
        )
        .await);
    nf(app
        .post(
            &format!("/api/teams/{b}/clients/{cb}/transfer"),
            tok,
            json!({"to_team_id": a}),
        )
        .await);
    nf(app
        .post(
            &format!("/api/teams/{b}/clients"),
            tok,
            json!({"given_name": "X", "family_name": "Y"}),
        )
        .await);
    nf(app
        .post(
            &format!("/api/teams/{b}/clients/{cb}/flags"),
            tok,
            json!({"severity": "watch", "reason": "r"}),
        )
        .await);
    nf(app.get(&format!("/api/teams/{b}/contacts"), tok).await);
    nf(app
        .put(
            &format!("/api/teams/{b}/contacts/{kb}"),
            tok,
            visit(&cb, &[&b_member_id], "2026-10-14", "planned"),
        )
        .await);
    nf(app
        .patch(
            &format!("/api/teams/{b}/contacts/{kb}"),
            tok,
            json!({"version": 1, "status": "cancelled"}),
        )
        .await);
    nf(app
        .post(
            &format!("/api/teams/{b}/contacts/reassign"),
            tok,
            json!({"day": "2026-10-14", "from_staff_id": b_member_id, "to_staff_id": a_member}),
        )
        .await);
    nf(app.get(&format!("/api/teams/{b}/flags"), tok).await);
    nf(app
        .post(
            &format!("/api/teams/{b}/flags/{fb}/acknowledge"),
            tok,
            json!({}),
        )
        .await);
    nf(app
        .post(
            &format!("/api/teams/{b}/flags/{fb}/resolve"),
            tok,
            json!({"outcome": "x"}),
        )
        .await);
    nf(app.get(&format!("/api/teams/{b}/board"), tok).await);
    nf(app
        .get(&format!("/api/teams/{b}/board?day=2026-10-14"), tok)
        .await);
    nf(app
        .get(&format!("/api/teams/{b}/events?since=0"), tok)
        .await);
    nf(app.get(&format!("/api/teams/{b}/oncall/now"), tok).await);
    nf(app.get(&format!("/api/teams/{b}/oncall/shifts"), tok).await);
    nf(app.post(&format!("/api/teams/{b}/oncall/shifts"), tok, json!({"staff_id": b_member_id, "starts_local": "2026-12-01T08:00", "ends_local": "2026-12-01T09:00"})).await);
    nf(app.get(&format!("/api/teams/{b}/handoffs"), tok).await);
    nf(app
        .post(
            &format!("/api/teams/{b}/handoffs/{hb}/acknowledge"),
            tok,
            json!({"synthesis": "x"}),
        )
        .await);
    nf(app
        .put(
            &format!("/api/teams/{b}/huddle/2026-10-14/reviews/{cb}"),
            tok,
            json!({}),
        )
        .await);
    nf(app
        .post(
            &format!("/api/teams/{b}/display-tokens"),
            tok,
            json!({"label": "x", "privacy": "names"}),
        )
        .await);

    // Through team A's paths with team B's ids: never a success.
    nf(app.get(&format!("/api/teams/{a}/clients/{cb}"), tok).await);
    nf(app
        .patch(
            &format!("/api/teams/{a}/clients/{cb}"),
            tok,
            json!({"version": 1, "risk_tier": "low"}),
        )
        .await);
    nf(app
        .put(
            &format!("/api/teams/{a}/clients/{cb}/case-manager"),
            tok,
            json!({"staff_id": a_member}),
        )
        .await);
    nf(app
        .post(
            &format!("/api/teams/{a}/clients/{cb}/flags"),
            tok,
            json!({"severity": "watch", "reason": "r"}),
        )
        .await);
    nf(app
        .put(
            &format!("/api/teams/{a}/huddle/2026-10-14/reviews/{cb}"),
            tok,
            json!({}),
        )
        .await);
    nf(app
        .patch(
            &format!("/api/teams/{a}/contacts/{kb}"),
            tok,
            json!({"version": 1, "status": "cancelled"}),
        )
        .await);
    nf(app
        .post(
            &format!("/api/teams/{a}/flags/{fb}/acknowledge"),
            tok,
            json!({}),
        )
        .await);
    nf(app
        .post(
            &format!("/api/teams/{a}/flags/{fb}/resolve"),
            tok,
            json!({"outcome": "x"}),
        )
        .await);
    nf(app
        .post(
            &format!("/api/teams/{a}/handoffs/{hb}/acknowledge"),
            tok,
            json!({"synthesis": "x"}),
        )
        .await);
    invalid(
        app.put(
            &format!("/api/teams/{a}/contacts/{}", new_id()),
            tok,
            visit(&cb, &[&a_member], "2026-10-14", "planned"),
        )
        .await,
        "client_id",
    );
    invalid(
        app.put(
            &format!("/api/teams/{a}/contacts/{}", new_id()),
            tok,
            visit(&ca, &[&b_member_id], "2026-10-14", "planned"),
        )
        .await,
        "staff_ids",
    );
    invalid(
        app.post(&format!("/api/teams/{a}/handoffs"), tok, json!({"to_staff_id": a_member, "items": [{"client_id": cb, "severity": "stable", "summary": "s"}]})).await,
        "items[0].client_id",
    );
    invalid(
        app.put(
            &format!("/api/teams/{a}/huddle/2026-10-14/focus"),
            tok,
            json!({"client_id": cb}),
        )
        .await,
        "client_id",
    );
    invalid(app.post(&format!("/api/teams/{a}/handoffs"), tok, json!({"to_staff_id": b_member_id, "items": [{"client_id": ca, "severity": "stable", "summary": "s"}]})).await, "to_staff_id");
    invalid(
        app.put(
            &format!("/api/teams/{a}/clients/{ca}/case-manager"),
            tok,
            json!({"staff_id": b_member_id}),
        )
        .await,
        "case_manager_id",
    );
    // Reusing B's contact id on A: refused, and none of B's contact is revealed.
    let r = app
        .put(
            &format!("/api/teams/{a}/contacts/{kb}"),
            tok,
            visit(&ca, &[&a_member], "2026-10-14", "planned"),
        )
        .await;
    assert!(matches!(r.status.as_u16(), 404 | 409 | 422), "{r:?}");
    assert!(
        !r.body.to_string().contains(&cb) && r.body.get("current").is_none(),
        "B's contact leaks: {r:?}"
    );
    // Filtering A's lists by B's ids finds nothing.
    assert_eq!(
        app.get(&format!("/api/teams/{a}/contacts?client_id={cb}"), tok)
            .await
            .expect(200),
        json!([])
    );
    assert_eq!(
        app.get(&format!("/api/teams/{a}/flags?client_id={cb}"), tok)
            .await
            .expect(200),
        json!([])
    );
    assert_eq!(
        app.get(&format!("/api/teams/{a}/handoffs?client_id={cb}"), tok)
            .await
            .expect(200),
        json!([])
    );

    // B is untouched, and no one on A read B's client.
    assert_eq!(
        app.get(&format!("/api/teams/{b}/events?since=0"), &b_lead)
            .await
            .expect(200)["last_seq"]
            .as_i64()
            .unwrap(),
        b_tokens_before
    );
    let client = app
        .get(&format!("/api/teams/{b}/clients/{cb}"), &b_lead)
        .await
        .expect(200);
    assert_eq!(
        (client["version"].as_i64(), client["team_id"].as_str()),
        (Some(1), Some(b.as_str()))
    );
    let flags = app
        .get(&format!("/api/teams/{b}/flags?open=true"), &b_lead)
        .await
        .expect(200);
    assert_eq!(flags[0]["acknowledged_by"], Value::Null);
    let cbx = cb.clone();
    let readers: Vec<Option<String>> = db(&app, move |c| {
        access_log::table
            .filter(access_log::client_id.eq(cbx))
            .select(access_log::staff_id)
            .load(c)
            .unwrap()
    })
    .await;
    assert_eq!(
        readers.len(),
        1,
        "only B's lead read B's client: {readers:?}"
    );
}
