//! Crisis flags: raise (with a category), acknowledge (several responders), resolve; open
//! and closed lists in severity order.

use crate::helpers::*;
use actboard::db::schema::crisis_flags as f;
use diesel::prelude::*;
use serde_json::{json, Value};

both_engines!(
    flags_raise_acknowledge_resolve,
    flag_categories_are_required_and_old_flags_read_as_other,
    several_responders_never_replace_each_other,
    parallel_responders_are_all_kept,
);

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
    assert_eq!(watch["team_id"], t.as_str());
    assert_eq!(watch["initials"], "AF");
    assert_eq!(watch["severity"], "watch");
    assert_eq!(watch["category"], "medical");
    assert_eq!(watch["responders"], json!([]));
    assert_eq!(watch["escalated_at"], Value::Null);
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
    assert_eq!(ack["responders"][0]["staff_id"], m2_id.as_str());
    assert_eq!(ack["responders"][0]["display_name"], "responder");
    assert_eq!(ack["responders"][0]["initials"], "R");
    assert_eq!(ack["responders"][0]["at"], ack["acknowledged_at"]);
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
    // Nobody had responded: the one who resolved it counts as the responder.
    assert_eq!(res["acknowledged_by"], m1_id.as_str());
    assert_eq!(res["responders"].as_array().unwrap().len(), 1);
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

async fn flag_categories_are_required_and_old_flags_read_as_other(app: TestApp) {
    let t = id(&app.create_team("Flag categories", "act").await);
    let (lead_id, lead) = app.member(&t, "leadcat", "lead").await;
    let c = id(&refer(&app, &t, &lead, "Dee", "Category").await);
    let path = format!("/api/teams/{t}/clients/{c}/flags");
    let before = last_seq(&app, &t, &lead).await;
    invalid(
        app.post(
            &path,
            &lead,
            json!({"severity": "urgent", "reason": "no category"}),
        )
        .await,
        "category",
    );
    invalid(
        app.post(
            &path,
            &lead,
            json!({"severity": "urgent", "category": "vibes", "reason": "r"}),
        )
        .await,
        "category",
    );
    assert_eq!(last_seq(&app, &t, &lead).await, before, "nothing written");
    for cat in [
        "self_harm",
        "harm_to_others",
        "medical",
        "medication",
        "housing",
        "missing",
        "hospital",
        "legal",
        "other",
    ] {
        let fl = app
            .post(
                &path,
                &lead,
                json!({"severity": "watch", "category": cat, "reason": "r"}),
            )
            .await
            .expect(201);
        assert_eq!(fl["category"], cat);
    }

    // A flag stored before categories existed (no category written) reads as `other`.
    let (tt, cc, ll) = (t.clone(), c.clone(), lead_id.clone());
    let old_id = new_id();
    let oid = old_id.clone();
    db(&app, move |conn| {
        diesel::insert_into(f::table)
            .values((
                f::id.eq(&oid),
                f::team_id.eq(&tt),
                f::client_id.eq(&cc),
                f::severity.eq("urgent"),
                f::reason.eq("from before categories"),
                f::raised_by.eq(&ll),
                f::raised_at.eq(actboard::db::now()),
                f::version.eq(1),
            ))
            .execute(conn)
            .unwrap();
    })
    .await;
    let list = app
        .get(&format!("/api/teams/{t}/flags?client_id={c}"), &lead)
        .await
        .expect(200);
    let old = list
        .as_array()
        .unwrap()
        .iter()
        .find(|x| x["id"] == old_id.as_str())
        .expect("the old flag is listed");
    assert_eq!(old["category"], "other");
    assert_eq!(old["responders"], json!([]));
}

async fn several_responders_never_replace_each_other(app: TestApp) {
    let t = id(&app.create_team("Responders", "act").await);
    let (_, lead) = app.member(&t, "leadresp", "lead").await;
    let (a_id, a) = app.member(&t, "ann.responder", "member").await;
    let (b_id, b) = app.member(&t, "bob.responder", "member").await;
    let c = id(&refer(&app, &t, &lead, "Eve", "Responded").await);
    let fl = app
        .post(
            &format!("/api/teams/{t}/clients/{c}/flags"),
            &lead,
            json!({"severity": "emergency", "category": "self_harm", "reason": "r"}),
        )
        .await
        .expect(201);
    let ack = format!("/api/teams/{t}/flags/{}/acknowledge", id(&fl));
    let first = app.post(&ack, &a, json!({})).await.expect(200);
    let second = app.post(&ack, &b, json!({})).await.expect(200);
    let who = |v: &Value| -> Vec<String> {
        v["responders"]
            .as_array()
            .unwrap()
            .iter()
            .map(|r| r["staff_id"].as_str().unwrap().to_string())
            .collect()
    };
    assert_eq!(who(&first), vec![a_id.clone()]);
    assert_eq!(who(&second), vec![a_id.clone(), b_id.clone()]);
    // The first responder stays `acknowledged_by` (older clients read that).
    assert_eq!(second["acknowledged_by"], a_id.as_str());
    assert_eq!(second["acknowledged_at"], first["acknowledged_at"]);
    assert_eq!(second["version"], 3);

    // A repeat: 200 with the unchanged flag, no event.
    let seq = last_seq(&app, &t, &lead).await;
    let again = app.post(&ack, &a, json!({})).await.expect(200);
    assert_eq!(again, second);
    assert_eq!(
        last_seq(&app, &t, &lead).await,
        seq,
        "a repeat appends nothing"
    );

    // The board shows both, in order.
    let board = app
        .get(&format!("/api/teams/{t}/board"), &lead)
        .await
        .expect(200);
    assert_eq!(
        who(&board["open_flags"][0]),
        vec![a_id.clone(), b_id.clone()]
    );
    assert_eq!(
        who(&board["clients"][0]["open_flags"][0]),
        vec![a_id.clone(), b_id.clone()]
    );

    // Resolving keeps the responders (and does not add the resolver).
    let res = app
        .post(
            &format!("/api/teams/{t}/flags/{}/resolve", id(&fl)),
            &lead,
            json!({"outcome": "safe"}),
        )
        .await
        .expect(200);
    assert_eq!(who(&res), vec![a_id, b_id]);
}

async fn parallel_responders_are_all_kept(app: TestApp) {
    const N: usize = 8;
    let t = id(&app.create_team("Parallel responders", "act").await);
    let (_, lead) = app.member(&t, "leadpar", "lead").await;
    let c = id(&refer(&app, &t, &lead, "Fay", "Parallel").await);
    let mut members = vec![];
    for i in 0..N {
        members.push(app.member(&t, &format!("par.responder{i}"), "member").await);
    }
    let fl = app
        .post(
            &format!("/api/teams/{t}/clients/{c}/flags"),
            &lead,
            json!({"severity": "emergency", "category": "missing", "reason": "r"}),
        )
        .await
        .expect(201);
    let ack = format!("/api/teams/{t}/flags/{}/acknowledge", id(&fl));
    let seq = last_seq(&app, &t, &lead).await;

    for round in 0..2 {
        let answers = futures_util::future::join_all(
            members
                .iter()
                .map(|(_, tok)| app.post(&ack, tok, json!({}))),
        )
        .await;
        for a in answers {
            assert_eq!(a.status.as_u16(), 200, "round {round}: {a:?}");
        }
        let flags = app
            .get(&format!("/api/teams/{t}/flags?open=true"), &lead)
            .await
            .expect(200);
        let fl = &flags[0];
        let mut got: Vec<String> = fl["responders"]
            .as_array()
            .unwrap()
            .iter()
            .map(|r| r["staff_id"].as_str().unwrap().to_string())
            .collect();
        assert_eq!(
            fl["acknowledged_by"],
            got[0].as_str(),
            "the first responder"
        );
        got.sort();
        let mut want: Vec<String> = members.iter().map(|(i, _)| i.clone()).collect();
        want.sort();
        assert_eq!(got, want, "round {round}: every responder, once");
        assert_eq!(
            fl["version"],
            1 + N as i64,
            "round {round}: one version per responder"
        );
    }

    // Exactly one event per responder (the second round added none), versions 2..=N+1.
    let events = app
        .get(&format!("/api/teams/{t}/events?since={seq}"), &lead)
        .await
        .expect(200);
    let events = events["events"].as_array().unwrap();
    assert_eq!(events.len(), N, "{events:?}");
    let mut versions: Vec<i64> = events
        .iter()
        .map(|e| {
            assert_eq!(e["kind"], "flag.acknowledged");
            e["data"]["version"].as_i64().unwrap()
        })
        .collect();
    versions.sort();
    assert_eq!(versions, (2..=1 + N as i64).collect::<Vec<_>>());
    // Each event carries the responders so far: 1, 2, …, N of them.
    let counts: Vec<usize> = events
        .iter()
        .map(|e| e["data"]["responders"].as_array().unwrap().len())
        .collect();
    assert_eq!(counts, (1..=N).collect::<Vec<_>>());
}
