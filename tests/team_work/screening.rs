//! Referral and screening (issue 14): a referral recorded on creation (and corrected while
//! waiting), the contract's screening rules over HTTP, the decision (against the
//! recommendation needs a reason; accept → active with the ICM cap under parallel accepts;
//! decline → declined), the team's narrowed diagnoses, the events and their privacy
//! redaction, the referrals list and the intake rate.

use crate::helpers::*;
use futures_util::future::join_all;
use serde_json::{json, Value};

both_engines!(
    referral_is_recorded_on_create_and_corrected,
    screening_follows_the_contract,
    screening_refuses_bad_input_and_wrong_states,
    decision_rules_and_decline_path,
    parallel_accepts_respect_the_icm_cap,
    a_team_narrows_its_diagnoses,
    referrals_list_and_intake_rate,
);

/// SMI and homeless: recommended for the team.
fn high_need() -> Value {
    json!({"diagnosis": "schizophrenia_spectrum", "illness_years": 5,
           "impairments": ["housing", "self_care"], "psychiatric_admissions_12m": 1,
           "hospital_days_24m": 120, "ed_visits_12m": 0, "homeless": true,
           "justice_involved": false, "co_occurring_sud": false, "not_engaging_office": false})
}

/// SMI without a high-need indicator: standard care.
fn standard() -> Value {
    json!({"diagnosis": "bipolar", "illness_years": 3, "impairments": ["work"],
           "psychiatric_admissions_12m": 0, "hospital_days_24m": 10, "ed_visits_12m": 1,
           "homeless": false, "justice_involved": false, "co_occurring_sud": false,
           "not_engaging_office": false})
}

async fn referred(app: &TestApp, t: &str, lead: &str, family: &str) -> String {
    id(&app
        .post(
            &format!("/api/teams/{t}/clients"),
            lead,
            json!({"given_name": "Ref", "family_name": family,
                   "referral": {"source": "Ward 7, St Mary's", "received_on": "2026-11-02",
                                "reason": "third admission this year"}}),
        )
        .await
        .expect(201))
}

async fn referral_is_recorded_on_create_and_corrected(app: TestApp) {
    let t = id(&app.create_team("Referrals", "act").await);
    let (_, lead) = app.member(&t, "leadref", "lead").await;
    let (_, member) = app.member(&t, "memberref", "member").await;
    let clients = format!("/api/teams/{t}/clients");
    let c = app
        .post(
            &clients,
            &lead,
            json!({"given_name": "Rae", "family_name": "Sent",
                   "referral": {"source": "  GP Dr Okafor ", "reason": "voices, not sleeping"}}),
        )
        .await
        .expect(201);
    assert_eq!(c["status"], "referred");
    assert_eq!(c["referral"]["source"], "GP Dr Okafor");
    assert_eq!(c["referral"]["reason"], "voices, not sleeping");
    assert!(
        c["referral"]["received_on"].is_string(),
        "today by default: {c}"
    );
    assert!(c["enrolled_on"].is_null());

    // Field errors.
    invalid(
        app.post(
            &clients,
            &lead,
            json!({"given_name": "A", "family_name": "B", "referral": {"source": "  "}}),
        )
        .await,
        "referral.source",
    );
    invalid(
        app.post(&clients, &lead, json!({"given_name": "A", "family_name": "B", "referral": {"source": "GP", "received_on": "2026-02-30"}}))
            .await,
        "referral.received_on",
    );
    invalid(
        app.post(&clients, &lead, json!({"given_name": "A", "family_name": "B", "referral": {"source": "GP", "received_on": "2098-01-01"}}))
            .await,
        "referral.received_on",
    );
    invalid(
        app.post(&clients, &lead, json!({"given_name": "A", "family_name": "B", "status": "active", "referral": {"source": "GP"}}))
            .await,
        "referral",
    );
    invalid(
        app.post(
            &clients,
            &lead,
            json!({"given_name": "A", "family_name": "B", "enrolled_on": "2025-01-01"}),
        )
        .await,
        "enrolled_on",
    );
    invalid(
        app.post(&clients, &lead, json!({"given_name": "A", "family_name": "B", "status": "active", "enrolled_on": "2098-01-01"}))
            .await,
        "enrolled_on",
    );
    // An existing caseload keeps its enrolment day.
    let old = app
        .post(&clients, &lead, json!({"given_name": "Old", "family_name": "Hand", "status": "active", "enrolled_on": "2024-03-05"}))
        .await
        .expect(201);
    assert_eq!(old["enrolled_on"], "2024-03-05");

    // A lead corrects the referral while it waits; a member may not; nor once active.
    let path = format!("{clients}/{}", id(&c));
    app.patch(
        &path,
        &member,
        json!({"version": 1, "referral": {"source": "x"}}),
    )
    .await
    .problem(403, "forbidden");
    let fixed = app
        .patch(&path, &lead, json!({"version": 1, "referral": {"source": "Dr Okafor's practice", "received_on": "2026-11-20"}}))
        .await
        .expect(200);
    assert_eq!(fixed["referral"]["source"], "Dr Okafor's practice");
    assert_eq!(fixed["referral"]["received_on"], "2026-11-20");
    assert!(fixed["referral"]["reason"].is_null());
    invalid(
        app.patch(
            &format!("{clients}/{}", id(&old)),
            &lead,
            json!({"version": 1, "referral": {"source": "x"}}),
        )
        .await,
        "referral",
    );
}

async fn screening_follows_the_contract(app: TestApp) {
    let t = id(&app.create_team("Screen ACT", "act").await);
    let (lead_id, lead) = app.member(&t, "leadscr", "lead").await;
    let (_, member) = app.member(&t, "memberscr", "member").await;
    let cid = referred(&app, &t, &lead, "Screened").await;
    let path = format!("/api/teams/{t}/clients/{cid}/screening");
    assert!(app.get(&path, &member).await.expect(200).is_null());
    let seq = last_seq(&app, &t, &lead).await;

    app.put(&path, &member, high_need())
        .await
        .problem(403, "forbidden");
    let r = app.put(&path, &lead, high_need()).await.expect(200);
    assert_eq!(r["smi"], true);
    assert_eq!(r["high_need"], true);
    assert_eq!(r["recommendation"], "act");
    assert_eq!(r["smi_reasons"].as_array().unwrap().len(), 3);
    assert_eq!(r["high_need_reasons"].as_array().unwrap().len(), 2, "{r}");
    assert!(r["high_need_reasons"][0]
        .as_str()
        .unwrap()
        .contains("120 hospital days"));
    assert!(r["explanation"].as_str().unwrap().contains("ACT"), "{r}");
    assert_eq!(r["hospital_days_per_month"], 5.0);
    assert_eq!(r["screened_by"], lead_id.as_str());
    assert!(r["decision"].is_null());
    let client = app
        .get(&format!("/api/teams/{t}/clients/{cid}"), &member)
        .await
        .expect(200);
    assert_eq!(client["status"], "screening");

    // The log: the client moves, then the screening; a privacy display sees no answer.
    let kinds = kinds_since(&app, &t, &lead, seq).await;
    assert_eq!(kinds, ["client.updated", "screening.recorded"]);
    let dt = privacy_display(&app, &t, &lead).await;
    let shown = app
        .get(&format!("/api/teams/{t}/events?since={seq}"), &dt)
        .await
        .expect(200);
    let s = &shown["events"][1];
    assert_eq!(s["kind"], "screening.recorded");
    let keys: Vec<&String> = s["data"].as_object().unwrap().keys().collect();
    assert!(
        keys.iter().all(
            |k| ["id", "team_id", "client_id", "screened_on", "created_at"].contains(&k.as_str())
        ),
        "{s}"
    );
    let text = shown.to_string();
    for secret in [
        "third admission",
        "Ward 7",
        "schizophrenia",
        "hospital days",
        "Homeless",
        "act\"",
        "Screened",
    ] {
        assert!(
            !text.contains(secret),
            "{secret} reached a privacy display: {text}"
        );
    }

    // Screening again keeps the history; GET answers the latest.
    let again = app.put(&path, &lead, standard()).await.expect(200);
    assert_eq!(again["recommendation"], "standard");
    assert_eq!(again["smi"], true);
    assert_eq!(again["high_need"], false);
    let latest = app.get(&path, &member).await.expect(200);
    assert_eq!(latest["id"], again["id"]);
    assert_eq!(latest["answers"]["diagnosis"], "bipolar");
    assert_eq!(latest["answers"]["impairments"], json!(["work"]));

    // Not SMI: refer elsewhere.
    let mut not = standard();
    not["illness_years"] = json!(1);
    let r = app.put(&path, &lead, not).await.expect(200);
    assert_eq!(r["recommendation"], "refer_elsewhere");
    assert!(
        r["smi_reasons"][1]
            .as_str()
            .unwrap()
            .contains("under the 2 years"),
        "{r}"
    );
}

async fn screening_refuses_bad_input_and_wrong_states(app: TestApp) {
    let t = id(&app.create_team("Screen Bad", "act").await);
    let (_, lead) = app.member(&t, "leadbad", "lead").await;
    let cid = referred(&app, &t, &lead, "Bad").await;
    let path = format!("/api/teams/{t}/clients/{cid}/screening");
    let mut b = high_need();
    b["diagnosis"] = json!("flu");
    app.put(&path, &lead, b)
        .await
        .problem(422, "validation_failed");
    let mut b = high_need();
    b["impairments"] = json!(["housing", "mood"]);
    app.put(&path, &lead, b)
        .await
        .problem(422, "validation_failed");
    for (field, v) in [
        ("illness_years", json!(-1)),
        ("illness_years", json!(101)),
        ("hospital_days_24m", json!(800)),
        ("psychiatric_admissions_12m", json!(-3)),
        ("ed_visits_12m", json!(400)),
    ] {
        let mut b = high_need();
        b[field] = v;
        invalid(app.put(&path, &lead, b).await, field);
    }
    let mut b = high_need();
    b["extra"] = json!(1);
    app.put(&path, &lead, b)
        .await
        .problem(422, "validation_failed");
    // Nothing was stored.
    assert!(app.get(&path, &lead).await.expect(200).is_null());

    // A decision needs a screening first.
    let dpath = format!("{path}/decision");
    app.post(&dpath, &lead, json!({"decision": "decline", "reason": "x"}))
        .await
        .problem(409, "not_screened");

    // An active client is not screened; another team's client is not found.
    let active = app
        .post(
            &format!("/api/teams/{t}/clients"),
            &lead,
            json!({"given_name": "On", "family_name": "Load", "status": "active"}),
        )
        .await
        .expect(201);
    app.put(
        &format!("/api/teams/{t}/clients/{}/screening", id(&active)),
        &lead,
        high_need(),
    )
    .await
    .problem(409, "conflict");
    app.put(
        &format!("/api/teams/{t}/clients/{}/screening", new_id()),
        &lead,
        high_need(),
    )
    .await
    .problem(404, "not_found");
}

async fn decision_rules_and_decline_path(app: TestApp) {
    let t = id(&app.create_team("Decide ACT", "act").await);
    let (_, lead) = app.member(&t, "leaddec", "lead").await;
    let (_, member) = app.member(&t, "memberdec", "member").await;
    let clients = format!("/api/teams/{t}/clients");

    // Recommended: accept without a reason; the client is active and enrolled today.
    let a = referred(&app, &t, &lead, "Accepted").await;
    app.put(&format!("{clients}/{a}/screening"), &lead, high_need())
        .await
        .expect(200);
    let dpath = format!("{clients}/{a}/screening/decision");
    app.post(&dpath, &member, json!({"decision": "accept"}))
        .await
        .problem(403, "forbidden");
    // Declining what is recommended needs a reason.
    invalid(
        app.post(&dpath, &lead, json!({"decision": "decline"}))
            .await,
        "reason",
    );
    invalid(
        app.post(
            &dpath,
            &lead,
            json!({"decision": "decline", "reason": "   "}),
        )
        .await,
        "reason",
    );
    let seq = last_seq(&app, &t, &lead).await;
    let out = app
        .post(&dpath, &lead, json!({"decision": "accept"}))
        .await
        .expect(200);
    assert_eq!(out["client"]["status"], "active");
    assert!(out["client"]["enrolled_on"].is_string());
    assert_eq!(out["screening"]["decision"], "accept");
    assert_eq!(out["screening"]["against_recommendation"], false);
    let kinds = kinds_since(&app, &t, &lead, seq).await;
    assert_eq!(kinds, ["client.updated", "screening.decided"]);
    // Decided once: a second decision or screening is refused.
    app.post(&dpath, &lead, json!({"decision": "decline", "reason": "x"}))
        .await
        .problem(409, "conflict");
    app.put(&format!("{clients}/{a}/screening"), &lead, high_need())
        .await
        .problem(409, "conflict");

    // Standard care recommended: accepting needs a reason; declining does not.
    let s = referred(&app, &t, &lead, "Standard").await;
    app.put(&format!("{clients}/{s}/screening"), &lead, standard())
        .await
        .expect(200);
    let spath = format!("{clients}/{s}/screening/decision");
    invalid(
        app.post(&spath, &lead, json!({"decision": "accept"})).await,
        "reason",
    );
    invalid(
        app.post(
            &spath,
            &lead,
            json!({"decision": "decline", "case_manager_id": new_id()}),
        )
        .await,
        "case_manager_id",
    );
    let out = app
        .post(&spath, &lead, json!({"decision": "decline"}))
        .await
        .expect(200);
    assert_eq!(out["client"]["status"], "declined");
    assert!(out["client"]["enrolled_on"].is_null());
    assert_eq!(out["screening"]["decision"], "decline");

    // Declined against the recommendation, with a reason kept on the screening.
    let d = referred(&app, &t, &lead, "Declined").await;
    app.put(&format!("{clients}/{d}/screening"), &lead, high_need())
        .await
        .expect(200);
    let out = app
        .post(
            &format!("{clients}/{d}/screening/decision"),
            &lead,
            json!({"decision": "decline", "reason": "  wants to stay with her own psychiatrist  "}),
        )
        .await
        .expect(200);
    assert_eq!(
        out["screening"]["decision_reason"],
        "wants to stay with her own psychiatrist"
    );
    assert_eq!(out["screening"]["against_recommendation"], true);
    let got = app
        .get(&format!("{clients}/{d}/screening"), &member)
        .await
        .expect(200);
    assert_eq!(got["decision"], "decline");
    assert!(got["decided_at"].is_string());

    // A declined person may be referred again and screened afresh.
    let c = app.get(&format!("{clients}/{d}"), &lead).await.expect(200);
    app.patch(
        &format!("{clients}/{d}"),
        &lead,
        json!({"version": c["version"], "status": "referred"}),
    )
    .await
    .expect(200);
    let again = app
        .put(&format!("{clients}/{d}/screening"), &lead, high_need())
        .await
        .expect(200);
    assert!(again["decision"].is_null());
}

async fn parallel_accepts_respect_the_icm_cap(app: TestApp) {
    let t = id(&app.create_team("Accept ICM", "icm").await);
    let (_, lead) = app.member(&t, "leadacc", "lead").await;
    let m = staff(&app, &t, "near.full", "member").await;
    for i in 0..13 {
        admit(&app, &t, &lead, &format!("Held{i:02}"), &m).await;
    }
    let mut waiting = vec![];
    for i in 0..8 {
        let c = referred(&app, &t, &lead, &format!("Wait{i}")).await;
        let r = app
            .put(
                &format!("/api/teams/{t}/clients/{c}/screening"),
                &lead,
                high_need(),
            )
            .await
            .expect(200);
        assert_eq!(r["recommendation"], "icm");
        waiting.push(c);
    }
    // ICM: accepting needs a case manager.
    invalid(
        app.post(
            &format!("/api/teams/{t}/clients/{}/screening/decision", waiting[0]),
            &lead,
            json!({"decision": "accept"}),
        )
        .await,
        "case_manager_id",
    );
    let tasks: Vec<_> = waiting
        .iter()
        .map(|c| {
            app.post(
                &format!("/api/teams/{t}/clients/{c}/screening/decision"),
                &lead,
                json!({"decision": "accept", "case_manager_id": m}),
            )
        })
        .collect();
    let results = join_all(tasks).await;
    let wins = results.iter().filter(|r| r.status == 200).count();
    assert_eq!(wins, 2, "two slots were left: {results:?}");
    for r in results {
        if r.status != 200 {
            let p = r.problem(409, "caseload_full");
            assert_eq!(
                (p["cap"].as_i64(), p["current"].as_i64()),
                (Some(15), Some(15)),
                "{p}"
            );
        }
    }
    assert_eq!(caseload(&app, &t, &m).await, 15);
    assert_caseloads_match(&app, &t).await;
    // The refused stay in screening, undecided.
    let left = app
        .get(&format!("/api/teams/{t}/clients?status=screening"), &lead)
        .await
        .expect(200);
    assert_eq!(left.as_array().unwrap().len(), 6);
    for c in left.as_array().unwrap() {
        let s = app
            .get(
                &format!("/api/teams/{t}/clients/{}/screening", id(c)),
                &lead,
            )
            .await
            .expect(200);
        assert!(s["decision"].is_null(), "{s}");
    }
}

async fn a_team_narrows_its_diagnoses(app: TestApp) {
    let team = app.create_team("Narrow", "act").await;
    let t = id(&team);
    assert_eq!(team["qualifying_diagnoses"].as_array().unwrap().len(), 5);
    assert_eq!(team["qualifying_diagnoses_narrowed"], false);
    let (_, lead) = app.member(&t, "leadnar", "lead").await;
    let (_, member) = app.member(&t, "membernar", "member").await;
    let tpath = format!("/api/teams/{t}");
    app.patch(
        &tpath,
        &member,
        json!({"version": 1, "qualifying_diagnoses": ["bipolar"]}),
    )
    .await
    .problem(403, "forbidden");
    invalid(
        app.patch(
            &tpath,
            &lead,
            json!({"version": 1, "qualifying_diagnoses": []}),
        )
        .await,
        "qualifying_diagnoses",
    );
    invalid(
        app.patch(
            &tpath,
            &lead,
            json!({"version": 1, "qualifying_diagnoses": ["major_depression"]}),
        )
        .await,
        "qualifying_diagnoses",
    );
    let narrowed = app
        .patch(&tpath, &lead, json!({"version": 1, "qualifying_diagnoses": ["personality", "schizophrenia_spectrum", "bipolar", "bipolar"]}))
        .await
        .expect(200);
    assert_eq!(
        narrowed["qualifying_diagnoses"],
        json!(["schizophrenia_spectrum", "bipolar", "personality"])
    );
    let narrowed = app
        .patch(
            &tpath,
            &lead,
            json!({"version": 2, "qualifying_diagnoses": ["schizophrenia_spectrum", "bipolar"]}),
        )
        .await
        .expect(200);
    assert_eq!(narrowed["qualifying_diagnoses_narrowed"], true);
    let c = referred(&app, &t, &lead, "Personality").await;
    let mut b = high_need();
    b["diagnosis"] = json!("personality");
    let r = app
        .put(
            &format!("/api/teams/{t}/clients/{c}/screening"),
            &lead,
            b.clone(),
        )
        .await
        .expect(200);
    assert_eq!(r["smi"], false);
    assert_eq!(r["recommendation"], "refer_elsewhere");
    // Back to the default: the same answers qualify.
    let back = app
        .patch(
            &tpath,
            &lead,
            json!({"version": 3, "qualifying_diagnoses": null}),
        )
        .await
        .expect(200);
    assert_eq!(back["qualifying_diagnoses_narrowed"], false);
    let r2 = app
        .put(&format!("/api/teams/{t}/clients/{c}/screening"), &lead, b)
        .await
        .expect(200);
    assert_eq!(r2["recommendation"], "act");
    // The earlier screening kept its result.
    assert!(r["smi_reasons"][0]
        .as_str()
        .unwrap()
        .contains("not a qualifying"));
    // Other settings leave the list alone.
    let renamed = app
        .patch(&tpath, &lead, json!({"version": 4, "name": "Narrow Two"}))
        .await
        .expect(200);
    assert_eq!(renamed["qualifying_diagnoses_narrowed"], false);
}

async fn referrals_list_and_intake_rate(app: TestApp) {
    let t = id(&app.create_team("Intake", "act").await);
    let (_, lead) = app.member(&t, "leadint", "lead").await;
    let (_, viewer) = app.member(&t, "viewint", "viewer").await;
    let clients = format!("/api/teams/{t}/clients");
    let low = referred(&app, &t, &lead, "LowNeed").await;
    let high = referred(&app, &t, &lead, "HighNeed").await;
    let fresh = app
        .post(
            &clients,
            &lead,
            json!({"given_name": "New", "family_name": "Fresh", "referral": {"source": "self"}}),
        )
        .await
        .expect(201);
    app.put(&format!("{clients}/{low}/screening"), &lead, standard())
        .await
        .expect(200);
    app.put(&format!("{clients}/{high}/screening"), &lead, high_need())
        .await
        .expect(200);
    app.post(
        &clients,
        &lead,
        json!({"given_name": "On", "family_name": "Caseload", "status": "active"}),
    )
    .await
    .expect(201);

    let list = app
        .get(&format!("/api/teams/{t}/referrals"), &viewer)
        .await
        .expect(200);
    let names: Vec<&str> = list
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["client"]["family_name"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["HighNeed", "LowNeed", "Fresh"], "{list}");
    assert!(list[0]["days_waiting"].as_i64().unwrap() >= 28);
    assert_eq!(list[2]["days_waiting"], 0);
    assert!(list[2]["screening"].is_null());
    assert_eq!(list[0]["screening"]["hospital_days_per_month"], 5.0);
    let _ = fresh;

    // Intake: this month has one admission; bad months are 422.
    let i = app
        .get(&format!("/api/teams/{t}/intake?months=12"), &viewer)
        .await
        .expect(200);
    let months = i["months"].as_array().unwrap();
    assert_eq!(months.len(), 12);
    let now = &months[11];
    assert_eq!(now["accepted"], 1, "{i}");
    assert!(now["referred"].as_i64().unwrap() >= 1);
    assert_eq!(i["max_accepted_6m"], 1);
    assert_eq!(i["o2_score"], 5);
    assert!(i["note"].as_str().unwrap().contains("O2"));
    invalid(
        app.get(&format!("/api/teams/{t}/intake?months=0"), &viewer)
            .await,
        "months",
    );
    invalid(
        app.get(&format!("/api/teams/{t}/intake?months=25"), &viewer)
            .await,
        "months",
    );
    let d = app
        .get(&format!("/api/teams/{t}/intake"), &viewer)
        .await
        .expect(200);
    assert_eq!(d["months"].as_array().unwrap().len(), 12);
}
