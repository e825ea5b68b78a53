//! Discharge: a reason is required and kept, the day is recorded, open flags are refused
//! (409 `open_flags`) or resolved in the same transaction, and a return clears the record.

use crate::helpers::*;
use serde_json::{json, Value};

both_engines!(discharge_needs_a_reason_and_no_open_flags,);

async fn discharge_needs_a_reason_and_no_open_flags(app: TestApp) {
    let t = id(&app.create_team("Discharge", "act").await);
    let (lead_id, lead) = app.member(&t, "leaddis", "lead").await;
    let (_, member) = app.member(&t, "memberdis", "member").await;
    let c = app
        .post(
            &format!("/api/teams/{t}/clients"),
            &lead,
            json!({"given_name": "Hal", "family_name": "Leaving", "status": "active"}),
        )
        .await
        .expect(201);
    let cid = id(&c);
    assert_eq!(c["discharge_reason"], Value::Null);
    let cpath = format!("/api/teams/{t}/clients/{cid}");
    let raise = |sev: &str| {
        app.post(
            &format!("/api/teams/{t}/clients/{cid}/flags"),
            &member,
            json!({"severity": sev, "category": "housing", "reason": "r"}),
        )
    };
    let f1 = id(&raise("urgent").await.expect(201));
    let f2 = id(&raise("watch").await.expect(201));
    let seq = last_seq(&app, &t, &lead).await;

    // No reason: 422 naming it; an unknown reason too.
    invalid(
        app.patch(&cpath, &lead, json!({"version": 1, "status": "discharged"}))
            .await,
        "discharge_reason",
    );
    invalid(
        app.patch(
            &cpath,
            &lead,
            json!({"version": 1, "status": "discharged", "discharge_reason": "bored"}),
        )
        .await,
        "discharge_reason",
    );
    // The fields only go with a discharge.
    invalid(
        app.patch(
            &cpath,
            &lead,
            json!({"version": 1, "preferred_name": "Bo", "discharge_reason": "moved"}),
        )
        .await,
        "discharge_reason",
    );
    invalid(
        app.patch(
            &cpath,
            &lead,
            json!({"version": 1, "status": "discharged", "discharge_reason": "moved", "discharged_on": "2999-01-01"}),
        )
        .await,
        "discharged_on",
    );
    invalid(
        app.patch(
            &cpath,
            &lead,
            json!({"version": 1, "status": "discharged", "discharge_reason": "moved", "resolve_open_flags": {"outcome": " "}}),
        )
        .await,
        "resolve_open_flags.outcome",
    );
    // Members do not discharge.
    app.patch(
        &cpath,
        &member,
        json!({"version": 1, "status": "discharged", "discharge_reason": "moved"}),
    )
    .await
    .problem(403, "forbidden");

    // Open flags: 409 listing them, nothing written.
    let p = app
        .patch(
            &cpath,
            &lead,
            json!({"version": 1, "status": "discharged", "discharge_reason": "moved"}),
        )
        .await
        .problem(409, "open_flags");
    let mut listed: Vec<String> = p["flags"]
        .as_array()
        .unwrap()
        .iter()
        .map(|x| x.as_str().unwrap().to_string())
        .collect();
    listed.sort();
    let mut want = vec![f1.clone(), f2.clone()];
    want.sort();
    assert_eq!(listed, want);
    assert_eq!(last_seq(&app, &t, &lead).await, seq, "nothing written");
    let same = app.get(&cpath, &lead).await.expect(200);
    assert_eq!(same["status"], "active");
    assert_eq!(same["version"], 1);

    // With resolve_open_flags: the flags are resolved and the client discharged, together.
    let d = app
        .patch(
            &cpath,
            &lead,
            json!({"version": 1, "status": "discharged", "discharge_reason": "goals_met",
                   "resolve_open_flags": {"outcome": "Discharged: goals met"}}),
        )
        .await
        .expect(200);
    assert_eq!(d["status"], "discharged");
    assert_eq!(d["discharge_reason"], "goals_met");
    let today = chrono::Utc::now()
        .with_timezone(&chrono_tz::America::New_York)
        .date_naive()
        .to_string();
    assert_eq!(
        d["discharged_on"],
        today.as_str(),
        "default: today, team-local"
    );
    assert!(d["discharged_at"].is_string());
    let open = app
        .get(&format!("/api/teams/{t}/flags?open=true"), &lead)
        .await
        .expect(200);
    assert_eq!(open, json!([]));
    let closed = app
        .get(
            &format!("/api/teams/{t}/flags?open=false&client_id={cid}"),
            &lead,
        )
        .await
        .expect(200);
    for fl in closed.as_array().unwrap() {
        assert_eq!(fl["outcome"], "Discharged: goals met");
        assert_eq!(fl["resolved_by"], lead_id.as_str());
    }
    let events = app
        .get(&format!("/api/teams/{t}/events?since={seq}"), &lead)
        .await
        .expect(200);
    let kinds: Vec<&str> = events["events"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["kind"].as_str().unwrap())
        .collect();
    assert_eq!(
        kinds,
        vec!["flag.resolved", "flag.resolved", "client.updated"]
    );
    let client_ev = &events["events"][2]["data"];
    assert_eq!(client_ev["discharge_reason"], "goals_met");
    // The board no longer lists the client nor its flags.
    let board = app
        .get(&format!("/api/teams/{t}/board"), &lead)
        .await
        .expect(200);
    assert_eq!(board["open_flags"], json!([]));
    assert!(board["clients"]
        .as_array()
        .unwrap()
        .iter()
        .all(|x| x["id"] != cid.as_str()));

    // No new flag on a discharged client (it would be pinned to nobody).
    raise("watch").await.problem(409, "conflict");

    // A correction of the reason and the day on a discharged client.
    let past = |days: u64| (chrono::Utc::now().date_naive() - chrono::Days::new(days)).to_string();
    let fixed = app
        .patch(
            &cpath,
            &lead,
            json!({"version": 2, "discharge_reason": "moved", "discharged_on": past(30)}),
        )
        .await
        .expect(200);
    assert_eq!(fixed["discharge_reason"], "moved");
    assert_eq!(fixed["discharged_on"], past(30).as_str());
    assert_eq!(fixed["discharged_at"], d["discharged_at"]);

    // A return clears the record (the event log keeps the old one).
    let back = app
        .patch(&cpath, &lead, json!({"version": 3, "status": "active"}))
        .await
        .expect(200);
    assert_eq!(back["discharge_reason"], Value::Null);
    assert_eq!(back["discharged_on"], Value::Null);
    assert_eq!(back["discharged_at"], Value::Null);

    // A referral that never became active is discharged with a reason too, on a given day.
    let r = id(&refer(&app, &t, &lead, "Ida", "Declined").await);
    let dr = app
        .patch(
            &format!("/api/teams/{t}/clients/{r}"),
            &lead,
            json!({"version": 1, "status": "discharged", "discharge_reason": "declined_services", "discharged_on": past(3)}),
        )
        .await
        .expect(200);
    assert_eq!(dr["discharge_reason"], "declined_services");
    assert_eq!(dr["discharged_on"], past(3).as_str());
}
