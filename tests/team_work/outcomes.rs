//! Episodes, outcomes before and after enrolment, and DACTS fidelity (issue 15): the day
//! rules (422 by field), overlapping stays (409 in words), an open admission away on the board
//! (and only "away" on a privacy display), hand-computed outcome figures for a client and the
//! team, hand-computed fidelity items, reviewer ratings, CSV exports.

use crate::helpers::*;
use actboard::db::schema::clients;
use chrono::{Days, Months, NaiveDate};
use diesel::prelude::*;
use serde_json::{json, Value};

both_engines!(
    parallel_overlapping_stays_one_wins,
    episodes_are_checked_and_show_away,
    outcomes_hand_computed,
    fidelity_hand_computed_and_rated,
);

async fn setup(app: &TestApp, name: &str) -> (String, String, NaiveDate) {
    let t = id(&app.create_team(name, "act").await);
    let (_, lead) = app.member(&t, &format!("lead{name}"), "lead").await;
    let board = app
        .get(&format!("/api/teams/{t}/board"), &lead)
        .await
        .expect(200);
    let today = NaiveDate::parse_from_str(board["day"].as_str().unwrap(), "%Y-%m-%d").unwrap();
    (t, lead, today)
}

async fn active_client(
    app: &TestApp,
    t: &str,
    token: &str,
    family: &str,
    enrolled: NaiveDate,
) -> String {
    let c = app
        .post(
            &format!("/api/teams/{t}/clients"),
            token,
            json!({"given_name": "Ana", "family_name": family, "status": "active"}),
        )
        .await
        .expect(201);
    let cid = id(&c);
    let (c2, e) = (cid.clone(), enrolled.to_string());
    db(app, move |conn| {
        diesel::update(clients::table.filter(clients::id.eq(&c2)))
            .set(clients::enrolled_on.eq(Some(e)))
            .execute(conn)
            .unwrap()
    })
    .await;
    cid
}

fn d(x: NaiveDate) -> String {
    x.to_string()
}

async fn episode(app: &TestApp, t: &str, c: &str, token: &str, body: Value) -> Value {
    app.post(&format!("/api/teams/{t}/clients/{c}/episodes"), token, body)
        .await
        .expect(201)
}

async fn episodes_are_checked_and_show_away(app: TestApp) {
    let (t, lead, today) = setup(&app, "Episodes").await;
    let (_, member) = app.member(&t, "memberep", "member").await;
    let (_, viewer) = app.member(&t, "viewerep", "viewer").await;
    let c = active_client(&app, &t, &lead, "Away", today - Days::new(300)).await;
    let path = format!("/api/teams/{t}/clients/{c}/episodes");

    // Day rules, by field.
    invalid(
        app.post(
            &path,
            &member,
            json!({"kind": "jail", "start": d(today + Days::new(1))}),
        )
        .await,
        "start",
    );
    invalid(
        app.post(&path, &member, json!({"kind": "jail", "start": d(today - Days::new(3)), "end": d(today - Days::new(4))}))
            .await,
        "end",
    );
    invalid(
        app.post(&path, &member, json!({"kind": "jail", "start": d(today - Days::new(3)), "end": d(today + Days::new(1))}))
            .await,
        "end",
    );
    app.post(&path, &viewer, json!({"kind": "jail", "start": d(today)}))
        .await
        .problem(403, "forbidden");

    // An emergency visit without an end is one day; it does not take the client away.
    let ed = episode(
        &app,
        &t,
        &c,
        &member,
        json!({"kind": "ed_visit", "start": d(today - Days::new(20))}),
    )
    .await;
    assert_eq!(ed["end"], d(today - Days::new(20)));
    assert_eq!(ed["away"], false);

    // An open admission: away on the board (kind and since), only "away" on a wall.
    let eid = new_id();
    let adm = episode(
        &app,
        &t,
        &c,
        &member,
        json!({"id": eid, "kind": "psychiatric_admission", "start": d(today - Days::new(2)),
               "team_involved": true, "note": "Brought in by the team"}),
    )
    .await;
    assert_eq!(adm["away"], true);
    assert_eq!(adm["end"], Value::Null);
    // A retry of the same request is the same episode.
    let again = episode(
        &app,
        &t,
        &c,
        &member,
        json!({"id": eid, "kind": "psychiatric_admission", "start": d(today - Days::new(2))}),
    )
    .await;
    assert_eq!(again["id"], adm["id"]);
    let board = app
        .get(&format!("/api/teams/{t}/board"), &lead)
        .await
        .expect(200);
    let row = board["clients"]
        .as_array()
        .unwrap()
        .iter()
        .find(|x| x["id"] == c.as_str())
        .unwrap();
    assert_eq!(
        row["away"],
        json!({"episode_id": eid, "kind": "psychiatric_admission", "since": d(today - Days::new(2))})
    );
    let tok = app
        .post(
            &format!("/api/teams/{t}/display-tokens"),
            &lead,
            json!({"label": "Wall", "privacy": "initials"}),
        )
        .await
        .expect(201);
    let wall = app
        .get(
            &format!("/api/teams/{t}/board"),
            tok["token"].as_str().unwrap(),
        )
        .await
        .expect(200);
    let wrow = &wall["clients"][0];
    assert_eq!(
        wrow["away"],
        json!({"episode_id": eid, "kind": null, "since": null})
    );
    let events = app
        .get(
            &format!("/api/teams/{t}/events?since=0"),
            tok["token"].as_str().unwrap(),
        )
        .await
        .expect(200);
    let recorded: Vec<&Value> = events["events"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["kind"] == "episode.recorded")
        .collect();
    assert_eq!(recorded.len(), 2);
    assert_eq!(
        recorded[1]["data"],
        json!({"id": eid, "team_id": t, "client_id": c, "away": true, "version": 1})
    );

    // Overlapping stays: 409 in words, naming the other; a homeless period may overlap.
    let p = app
        .post(
            &path,
            &member,
            json!({"kind": "jail", "start": d(today - Days::new(1))}),
        )
        .await
        .problem(409, "overlapping_episode");
    assert_eq!(p["episode_id"], eid.as_str());
    assert!(p["detail"].as_str().unwrap().contains("still open"), "{p}");
    app.post(&path, &member, json!({"kind": "medical_admission", "start": d(today - Days::new(5)), "end": d(today - Days::new(1))}))
        .await
        .problem(409, "overlapping_episode");
    episode(
        &app,
        &t,
        &c,
        &member,
        json!({"kind": "homeless", "start": d(today - Days::new(60))}),
    )
    .await;
    // A move from another ward on the admission's first day is not an overlap.
    episode(
        &app,
        &t,
        &c,
        &member,
        json!({"kind": "medical_admission", "start": d(today - Days::new(4)), "end": d(today - Days::new(2))}),
    )
    .await;

    // End it: no longer away.
    let epath = format!("{path}/{eid}");
    invalid(
        app.patch(&epath, &member, json!({"end": d(today - Days::new(3))}))
            .await,
        "end",
    );
    let ended = app
        .patch(&epath, &member, json!({"version": 1, "end": d(today)}))
        .await
        .expect(200);
    assert_eq!(ended["away"], false);
    assert_eq!(ended["version"], 2);
    app.patch(&epath, &member, json!({"version": 1, "end": d(today)}))
        .await
        .problem(409, "version_conflict");
    let board = app
        .get(&format!("/api/teams/{t}/board"), &lead)
        .await
        .expect(200);
    assert_eq!(board["clients"][0]["away"], Value::Null);
    let list = app.get(&path, &viewer).await.expect(200);
    assert_eq!(list.as_array().unwrap().len(), 4);
    assert_eq!(list[0]["id"], eid.as_str(), "latest first");
    // Another client's episode through this client's path: 404.
    let other = active_client(&app, &t, &lead, "Other", today).await;
    app.patch(
        &format!("/api/teams/{t}/clients/{other}/episodes/{eid}"),
        &member,
        json!({"end": d(today)}),
    )
    .await
    .problem(404, "not_found");
}

/// Six overlapping admissions of one client sent at once (two phones, a desk): exactly one is
/// stored, the others are 409 in words.
async fn parallel_overlapping_stays_one_wins(app: TestApp) {
    let (t, lead, today) = setup(&app, "Parallel").await;
    let c = active_client(&app, &t, &lead, "Racer", today - Days::new(100)).await;
    let path = format!("/api/teams/{t}/clients/{c}/episodes");
    let calls: Vec<_> = (0..6u64)
        .map(|k| {
            let kind = if k % 2 == 0 {
                "psychiatric_admission"
            } else {
                "jail"
            };
            app.post(
                &path,
                &lead,
                json!({"kind": kind, "start": d(today - Days::new(5 + k))}),
            )
        })
        .collect();
    let results = futures_util::future::join_all(calls).await;
    let stored = results.iter().filter(|r| r.status == 201).count();
    assert_eq!(stored, 1, "{results:?}");
    for r in results.into_iter().filter(|r| r.status != 201) {
        r.problem(409, "overlapping_episode");
    }
    let list = app.get(&path, &lead).await.expect(200);
    assert_eq!(list.as_array().unwrap().len(), 1);
}

/// The figures by hand. Client A enrolled E = today − 200 days:
/// * psychiatric admission E−30..E−21: 10 days before;
/// * medical admission E−3..E+2: 3 days before (an admission before), 3 after;
/// * jail E−50..E−46: 5 days before; homeless E−100..E−71: 30 days before;
/// * emergency visit E+10; psychiatric admission today−4.., open: 5 days after, 1 admission.
///
/// 12 months before: 13 hospital days, 2 admissions, 5 jail days, 30 homeless days,
/// 13/12 = 1.08 a month. After: 8 hospital days, 1 admission, 1 emergency visit, over 201
/// days of the 12-month window (not complete).
/// Client B enrolled today − 400 days: a 6-day admission starting 10 days after: the 12-month
/// after window is complete.
async fn outcomes_hand_computed(app: TestApp) {
    let (t, lead, today) = setup(&app, "Outcomes").await;
    let e = today - Days::new(200);
    let a = active_client(&app, &t, &lead, "Alpha", e).await;
    for body in [
        json!({"kind": "psychiatric_admission", "start": d(e - Days::new(30)), "end": d(e - Days::new(21))}),
        json!({"kind": "medical_admission", "start": d(e - Days::new(3)), "end": d(e + Days::new(2))}),
        json!({"kind": "jail", "start": d(e - Days::new(50)), "end": d(e - Days::new(46))}),
        json!({"kind": "homeless", "start": d(e - Days::new(100)), "end": d(e - Days::new(71))}),
        json!({"kind": "ed_visit", "start": d(e + Days::new(10))}),
        json!({"kind": "psychiatric_admission", "start": d(today - Days::new(4))}),
    ] {
        episode(&app, &t, &a, &lead, body).await;
    }
    let o = app
        .get(&format!("/api/teams/{t}/clients/{a}/outcomes"), &lead)
        .await
        .expect(200);
    assert_eq!(o["enrolled_on"], d(e));
    let w = &o["windows"][0];
    assert_eq!(w["months"], 12);
    let b = &w["before"];
    assert_eq!(b["from"], d(e - Months::new(12)));
    assert_eq!(b["to"], d(e - Days::new(1)));
    assert_eq!(b["hospital_days"], 13);
    assert_eq!(b["admissions"], 2);
    assert_eq!(b["psychiatric_admissions"], 1);
    assert_eq!(b["ed_visits"], 0);
    assert_eq!(b["jail_days"], 5);
    assert_eq!(b["homeless_days"], 30);
    assert_eq!(b["months"], 12.0);
    assert_eq!(b["hospital_days_per_month"], 1.08);
    let af = &w["after"];
    assert_eq!(af["from"], d(e));
    assert_eq!(af["to"], d(today));
    assert_eq!(af["days"], 201);
    assert_eq!(af["complete"], false);
    assert_eq!(af["hospital_days"], 8);
    assert_eq!(af["admissions"], 1);
    assert_eq!(af["ed_visits"], 1);
    let full = ((e + Months::new(12)) - e).num_days() as f64;
    let months = 12.0 * 201.0 / full;
    assert_eq!(af["months"], (months * 100.0).round() / 100.0);
    assert_eq!(
        af["hospital_days_per_month"],
        (8.0 / months * 100.0).round() / 100.0
    );
    // 24 months: the same episodes (all within 24 months before).
    assert_eq!(o["windows"][1]["before"]["hospital_days"], 13);

    let b_id = active_client(&app, &t, &lead, "Bravo", today - Days::new(400)).await;
    let eb = today - Days::new(390);
    episode(
        &app,
        &t,
        &b_id,
        &lead,
        json!({"kind": "psychiatric_admission", "start": d(eb), "end": d(eb + Days::new(5))}),
    )
    .await;
    // A referred client (never enrolled) counts nowhere.
    refer(&app, &t, &lead, "Rae", "Referred").await;
    let team = app
        .get(&format!("/api/teams/{t}/outcomes"), &lead)
        .await
        .expect(200);
    assert_eq!(team["enrolled_clients"], 2);
    let w = &team["windows"][0];
    assert_eq!(w["clients"], 2);
    assert_eq!(w["before"]["clients"], 2);
    assert_eq!(w["before"]["hospital_days"], 13);
    assert_eq!(w["before"]["hospital_days_mean"], 6.5);
    assert_eq!(w["after"]["hospital_days"], 14);
    assert_eq!(w["after"]["clients_complete"], 1);
    assert_eq!(w["after"]["hospital_days_mean"], 7.0);
    let client_months = 12.0 + months;
    assert_eq!(
        w["after"]["hospital_days_per_month"],
        (14.0 / ((client_months * 100.0).round() / 100.0) * 100.0).round() / 100.0
    );

    let csv = app
        .get(&format!("/api/teams/{t}/outcomes.csv"), &lead)
        .await;
    assert!(csv.content_type.starts_with("text/csv"), "{csv:?}");
    let text = csv.expect(200).as_str().unwrap().to_string();
    assert!(text.starts_with("months,side,clients,"), "{text}");
    assert!(text.contains("\n12,after,2,1,"), "{text}");
}

/// Fidelity by hand: three active clients, two working staff (and a psychiatrist, not counted
/// in H1), contacts in the 4 weeks ending today.
async fn fidelity_hand_computed_and_rated(app: TestApp) {
    let (t, lead, today) = setup(&app, "Fidelity").await;
    let (s1, _) = app.member(&t, "fidnurse", "member").await;
    let (_, viewer) = app.member(&t, "fidviewer", "viewer").await;
    let lead_id = app.get("/api/me", &lead).await.expect(200)["user"]["id"]
        .as_str()
        .unwrap()
        .to_string();
    let a = active_client(&app, &t, &lead, "Able", today - Days::new(500)).await;
    let b = active_client(&app, &t, &lead, "Baker", today - Days::new(10)).await;
    let c = active_client(&app, &t, &lead, "Cole", today - Days::new(60)).await;
    let put = |body: Value| {
        let app = &app;
        let lead = lead.clone();
        let t = t.clone();
        async move {
            app.put(
                &format!("/api/teams/{t}/contacts/{}", new_id()),
                &lead,
                body,
            )
            .await
            .expect(201)
        }
    };
    let day = |n: u64| d(today - Days::new(n));
    // a: two staff face to face this week (one at the office), one collateral contact.
    put(visit(&a, &[&s1], &day(1), "completed")).await;
    let mut office = visit(&a, &[&lead_id], &day(2), "completed");
    office["place"] = json!("office");
    put(office).await;
    let mut coll = visit(&a, &[&s1], &day(3), "completed");
    coll["kind"] = json!("collateral");
    put(coll).await;
    // b: one visit by both, 9 days ago (inside H2's 2 weeks).
    put(visit(&b, &[&s1, &lead_id], &day(9), "completed")).await;
    // A missed visit and one before the period do not count.
    put(visit(&c, &[&s1], &day(4), "missed")).await;
    put(visit(&c, &[&s1], &day(40), "completed")).await;
    // The huddle reviewed every client today.
    for x in [&a, &b, &c] {
        app.put(
            &format!("/api/teams/{t}/huddle/{}/reviews/{x}", d(today)),
            &lead,
            json!({}),
        )
        .await
        .expect(200);
    }
    let f = app
        .get(&format!("/api/teams/{t}/fidelity?months=3"), &viewer)
        .await
        .expect(200);
    assert_eq!(f["period"]["to"], d(today));
    assert_eq!(f["period"]["from"], day(27));
    let items = f["items"].as_array().unwrap();
    assert_eq!(items.len(), 28);
    let item = |id: &str| items.iter().find(|i| i["id"] == id).unwrap().clone();
    // H1: 3 clients / 2 working staff (lead and nurse; the viewer not) = 1.5 → 5.
    assert_eq!(item("H1")["value"], 1.5);
    assert_eq!(item("H1")["score"], 5);
    // H2: a (two staff) and b (both on one visit): 2 of 3.
    assert_eq!(item("H2")["value"], 66.67);
    assert_eq!(item("H2")["score"], 4);
    // H3: one day with every client reviewed in 4 weeks: 0.25 a week → 1.
    assert_eq!(item("H3")["value"], 0.25);
    assert_eq!(item("H3")["score"], 1);
    // S1: 3 face-to-face contacts in the period, 1 at the office: 66.67 % → 4.
    assert_eq!(item("S1")["value"], 66.67);
    // S5: a 2, b 1, c 0 contacts in 4 weeks → 0.5, 0.25, 0 a week: mean 0.25, median 0.25.
    assert_eq!(item("S5")["value"], 0.25);
    assert_eq!(item("S5")["evidence"]["median"], 0.25);
    // S4: 120, 60, 0 minutes → 30, 15, 0 a week: mean 15 → 2.
    assert_eq!(item("S4")["value"], 15.0);
    assert_eq!(item("S4")["score"], 2);
    // S6: one collateral contact over 3 clients: 0.33 → 1.
    assert_eq!(item("S6")["value"], 0.33);
    // O2: b enrolled this month or last, c two months ago: at most 1 in a month → 5.
    assert_eq!(item("O2")["score"], 5);
    // Evidence: H2's rows name the clients and the contacts behind them.
    let h2 = item("H2");
    let row_a = h2["evidence"]["rows"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["client_id"] == a.as_str())
        .unwrap()
        .clone();
    assert_eq!(row_a["value"], 2.0);
    assert_eq!(row_a["contact_ids"].as_array().unwrap().len(), 2);
    assert_eq!(item("H4")["needs_rating"], true);
    assert_eq!(item("H4")["score"], Value::Null);
    assert_eq!(f["trend"].as_array().unwrap().len(), 3);
    assert_eq!(f["trend"][2]["to"], d(today));
    assert!(f["slipping"].as_array().unwrap().len() <= 3);

    // Ratings: leads only, rated items only, 1–5.
    let rpath = format!("/api/teams/{t}/fidelity/ratings");
    let body = json!({"item": "H4", "period_to": d(today), "score": 4, "note": "The lead carries four clients"});
    app.put(&rpath, &viewer, body.clone())
        .await
        .problem(403, "forbidden");
    invalid(
        app.put(
            &rpath,
            &lead,
            json!({"item": "H1", "period_to": d(today), "score": 4}),
        )
        .await,
        "item",
    );
    invalid(
        app.put(
            &rpath,
            &lead,
            json!({"item": "H4", "period_to": d(today), "score": 6}),
        )
        .await,
        "score",
    );
    invalid(
        app.put(
            &rpath,
            &lead,
            json!({"item": "H4", "period_to": d(today + Days::new(1)), "score": 3}),
        )
        .await,
        "period_to",
    );
    let r = app.put(&rpath, &lead, body).await.expect(200);
    assert_eq!(r["score"], 4);
    // Again for the same period replaces it.
    let r2 = app
        .put(
            &rpath,
            &lead,
            json!({"item": "H4", "period_to": d(today), "score": 3}),
        )
        .await
        .expect(200);
    assert_eq!(r2["id"], r["id"]);
    let f = app
        .get(&format!("/api/teams/{t}/fidelity"), &viewer)
        .await
        .expect(200);
    let h4 = f["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["id"] == "H4")
        .unwrap()
        .clone();
    assert_eq!(h4["score"], 3);
    assert_eq!(h4["rating"]["period_to"], d(today));
    let scored = f["items"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|i| !i["score"].is_null())
        .count();
    assert_eq!(f["scored"], scored);
    invalid(
        app.get(
            &format!("/api/teams/{t}/fidelity?to={}", d(today + Days::new(1))),
            &viewer,
        )
        .await,
        "to",
    );
    invalid(
        app.get(&format!("/api/teams/{t}/fidelity?months=14"), &viewer)
            .await,
        "months",
    );
    let csv = app
        .get(&format!("/api/teams/{t}/fidelity.csv"), &viewer)
        .await;
    assert!(csv.content_type.starts_with("text/csv"), "{csv:?}");
    let text = csv.expect(200).as_str().unwrap().to_string();
    assert!(
        text.starts_with("period_from,period_to,id,name,value"),
        "{text}"
    );
    assert_eq!(text.lines().count(), 1 + 28 + 1);
}
