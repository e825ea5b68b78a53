//! Clients: creating, reading (and the access log), listing, versioned PATCH, the
//! lifecycle, validation and which role may change what.

use crate::helpers::*;
use actboard::db::schema::audit_log;
use diesel::prelude::*;
use serde_json::{json, Value};

both_engines!(
    clients_create_read_list_and_audit_views,
    clients_patch_versions_and_lifecycle,
    clients_validated,
    clients_roles_for_patch,
);

async fn clients_create_read_list_and_audit_views(app: TestApp) {
    let team = app.create_team("Riverside ACT", "act").await;
    let t = id(&team);
    let (lead_id, lead) = app.member(&t, "lead1", "lead").await;
    let (member_id, member) = app.member(&t, "nurse1", "member").await;
    let path = format!("/api/teams/{t}/clients");

    let c = app
        .post(&path, &lead, json!({"given_name": "  maria josé ", "family_name": "García-López", "preferred_name": "Majo"}))
        .await
        .expect(201);
    assert_eq!(c["team_id"], t.as_str());
    assert_eq!(c["given_name"], "maria josé", "names are trimmed");
    assert_eq!(c["family_name"], "García-López");
    assert_eq!(c["preferred_name"], "Majo");
    assert_eq!(c["initials"], "MG");
    assert_eq!(c["status"], "referred");
    assert_eq!(c["risk_tier"], "medium");
    assert_eq!(c["case_manager_id"], Value::Null);
    assert_eq!(c["version"], 1);
    let cid = id(&c);
    assert!(uuid::Uuid::parse_str(&cid).is_ok());

    let b = app.post(&path, &lead, json!({"given_name": "Émile", "family_name": "zola", "risk_tier": "high", "status": "screening"})).await.expect(201);
    assert_eq!(b["initials"], "ÉZ");
    assert_eq!(b["risk_tier"], "high");
    assert_eq!(b["status"], "screening");

    // Admission is for leads.
    app.post(
        &path,
        &member,
        json!({"given_name": "No", "family_name": "Way"}),
    )
    .await
    .problem(403, "forbidden");

    // The list, by family name.
    let list = app.get(&path, &member).await.expect(200);
    let names: Vec<&str> = list
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["family_name"].as_str().unwrap())
        .collect();
    assert_eq!(names, vec!["García-López", "zola"]);
    assert_eq!(list.as_array().unwrap().len(), 2);
    assert!(names.contains(&"García-López") && names.contains(&"zola"));
    let filtered = app
        .get(&format!("{path}?status=screening"), &member)
        .await
        .expect(200);
    assert_eq!(filtered.as_array().unwrap().len(), 1);
    assert_eq!(filtered[0]["id"], id(&b).as_str());

    // Listing does not count as reading a record; reading one does, once per GET.
    let none_yet = {
        let cid = cid.clone();
        db(&app, move |c| {
            audit_log::table
                .filter(audit_log::client_id.eq(cid))
                .filter(audit_log::action.eq("view"))
                .count()
                .get_result::<i64>(c)
                .unwrap()
        })
        .await
    };
    assert_eq!(none_yet, 0);
    let got = app.get(&format!("{path}/{cid}"), &member).await.expect(200);
    assert_eq!(got, c, "a read returns the stored client");
    app.get(&format!("{path}/{cid}"), &lead).await.expect(200);
    app.get(&format!("{path}/{cid}"), &member).await.expect(200);
    let rows: Vec<(Option<String>, Option<String>, Option<String>)> = {
        let cid = cid.clone();
        db(&app, move |c| {
            audit_log::table
                .filter(audit_log::client_id.eq(cid))
                .filter(audit_log::action.eq("view"))
                .select((
                    audit_log::staff_id,
                    audit_log::team_id,
                    audit_log::client_id,
                ))
                .load(c)
                .unwrap()
        })
        .await
    };
    assert_eq!(rows.len(), 3, "one audit view entry per GET: {rows:?}");
    let mut who: Vec<String> = rows.iter().map(|r| r.0.clone().unwrap()).collect();
    who.sort();
    let mut expected = vec![member_id.clone(), member_id.clone(), lead_id.clone()];
    expected.sort();
    assert_eq!(who, expected);
    assert!(
        rows.iter()
            .all(|r| r.1.as_deref() == Some(t.as_str()) && r.2.as_deref() == Some(cid.as_str())),
        "{rows:?}"
    );

    // A client that does not exist: 404, and nothing is logged for it.
    let ghost = new_id();
    app.get(&format!("{path}/{ghost}"), &member)
        .await
        .problem(404, "not_found");
    let ghost_rows = db(&app, move |c| {
        audit_log::table
            .filter(audit_log::client_id.eq(ghost))
            .count()
            .get_result::<i64>(c)
            .unwrap()
    })
    .await;
    assert_eq!(ghost_rows, 0);
}

async fn clients_patch_versions_and_lifecycle(app: TestApp) {
    let team = app.create_team("Lifecycle", "act").await;
    let t = id(&team);
    let (_, lead) = app.member(&t, "leadl", "lead").await;
    let c = refer(&app, &t, &lead, "Ann", "Lee").await;
    let path = format!("/api/teams/{t}/clients/{}", id(&c));

    let v2 = app
        .patch(&path, &lead, json!({"version": 1, "status": "screening"}))
        .await
        .expect(200);
    assert_eq!(v2["status"], "screening");
    assert_eq!(v2["version"], 2);
    // Stale version: 409 with the current state, nothing overwritten.
    let stale = app
        .patch(&path, &lead, json!({"version": 1, "preferred_name": "Bee"}))
        .await
        .problem(409, "version_conflict");
    assert_eq!(stale["current"]["version"], 2);
    assert_eq!(stale["current"]["status"], "screening");
    assert_eq!(stale["current"]["preferred_name"], serde_json::Value::Null);
    // PATCH without a version is refused.
    let p = app
        .patch(&path, &lead, json!({"preferred_name": "Bee"}))
        .await
        .problem(422, "validation_failed");
    assert_eq!(
        p["errors"][0]["field"], "version",
        "the missing field is named: {p}"
    );

    // The lifecycle, step by step.
    let v3 = app
        .patch(&path, &lead, json!({"version": 2, "status": "active"}))
        .await
        .expect(200);
    assert_eq!(v3["status"], "active");
    let v4 = app
        .patch(
            &path,
            &lead,
            json!({"version": 3, "status": "transitioning"}),
        )
        .await
        .expect(200);
    assert_eq!(v4["status"], "transitioning");
    let v5 = app
        .patch(
            &path,
            &lead,
            json!({"version": 4, "status": "discharged", "discharge_reason": "goals_met"}),
        )
        .await
        .expect(200);
    assert_eq!(v5["status"], "discharged");
    assert_eq!(v5["version"], 5);

    // Impossible jumps.
    let p = app
        .patch(
            &path,
            &lead,
            json!({"version": 5, "status": "transitioning"}),
        )
        .await
        .problem(422, "invalid_transition");
    assert!(p["detail"].as_str().unwrap().contains("discharged"), "{p}");
    let fresh = refer(&app, &t, &lead, "Bo", "Diaz").await;
    let fpath = format!("/api/teams/{t}/clients/{}", id(&fresh));
    app.patch(
        &fpath,
        &lead,
        json!({"version": 1, "status": "transitioning"}),
    )
    .await
    .problem(422, "invalid_transition");
    app.patch(&fpath, &lead, json!({"version": 1, "status": "active"}))
        .await
        .problem(422, "invalid_transition");
    // Nothing changed by the refused moves.
    let still = app.get(&path, &lead).await.expect(200);
    assert_eq!(
        (still["status"].as_str(), still["version"].as_i64()),
        (Some("discharged"), Some(5))
    );
    let still = app.get(&fpath, &lead).await.expect(200);
    assert_eq!(
        (still["status"].as_str(), still["version"].as_i64()),
        (Some("referred"), Some(1))
    );

    // A new client cannot start discharged or transitioning.
    let clients_path = format!("/api/teams/{t}/clients");
    invalid(
        app.post(
            &clients_path,
            &lead,
            json!({"given_name": "X", "family_name": "Y", "status": "discharged"}),
        )
        .await,
        "status",
    );
    invalid(
        app.post(
            &clients_path,
            &lead,
            json!({"given_name": "X", "family_name": "Y", "status": "transitioning"}),
        )
        .await,
        "status",
    );
    assert_eq!(
        app.get(&clients_path, &lead)
            .await
            .expect(200)
            .as_array()
            .unwrap()
            .len(),
        2
    );
}

async fn clients_validated(app: TestApp) {
    let team = app.create_team("Validation", "act").await;
    let t = id(&team);
    let (_, lead) = app.member(&t, "leadv", "lead").await;
    let path = format!("/api/teams/{t}/clients");

    let p = invalid(
        app.post(&path, &lead, json!({"given_name": "  ", "family_name": ""}))
            .await,
        "given_name",
    );
    assert_eq!(
        fields(&p),
        vec!["given_name", "family_name"],
        "both names reported: {p}"
    );
    invalid(
        app.post(
            &path,
            &lead,
            json!({"given_name": "x".repeat(101), "family_name": "Ok"}),
        )
        .await,
        "given_name",
    );
    let p = app
        .post(
            &path,
            &lead,
            json!({"given_name": "A", "family_name": "B", "nickname": "x"}),
        )
        .await
        .problem(422, "validation_failed");
    assert!(
        p.to_string().contains("nickname"),
        "the unknown field is named: {p}"
    );
    invalid(
        app.post(
            &path,
            &lead,
            json!({"given_name": "A", "family_name": "B", "risk_tier": "extreme"}),
        )
        .await,
        "risk_tier",
    );
    invalid(
        app.post(
            &path,
            &lead,
            json!({"given_name": "A", "family_name": "B", "status": "asleep"}),
        )
        .await,
        "status",
    );
    let p = app
        .post(&path, &lead, json!({"given_name": "A"}))
        .await
        .problem(422, "validation_failed");
    assert!(
        p["errors"].to_string().contains("family_name"),
        "the missing field is named: {p}"
    );
    // A case manager who is not on the team.
    invalid(
        app.post(
            &path,
            &lead,
            json!({"given_name": "A", "family_name": "B", "case_manager_id": new_id()}),
        )
        .await,
        "case_manager_id",
    );
    assert_eq!(
        app.get(&path, &lead).await.expect(200),
        json!([]),
        "nothing half-written"
    );

    let c = refer(&app, &t, &lead, "Cy", "Dee").await;
    let cpath = format!("{path}/{}", id(&c));
    invalid(
        app.patch(&cpath, &lead, json!({"version": 1, "family_name": " "}))
            .await,
        "family_name",
    );
    let p = app
        .patch(&cpath, &lead, json!({"version": 1, "colour": "blue"}))
        .await
        .problem(422, "validation_failed");
    assert!(p.to_string().contains("colour"), "{p}");
    // Initials follow a rename.
    let r = app
        .patch(&cpath, &lead, json!({"version": 1, "given_name": "Zed"}))
        .await
        .expect(200);
    assert_eq!(r["initials"], "ZD");
}

async fn clients_roles_for_patch(app: TestApp) {
    let team = app.create_team("Roles", "act").await;
    let t = id(&team);
    let (_, lead) = app.member(&t, "leadr", "lead").await;
    let (member_id, member) = app.member(&t, "memberr", "member").await;
    let (_, viewer) = app.member(&t, "viewerr", "viewer").await;
    let c = refer(&app, &t, &lead, "Ivy", "Ng").await;
    let path = format!("/api/teams/{t}/clients/{}", id(&c));

    let r = app
        .patch(
            &path,
            &member,
            json!({"version": 1, "preferred_name": "Ives"}),
        )
        .await
        .expect(200);
    assert_eq!(r["preferred_name"], "Ives");
    // The tier follows the latest assessment: nobody sets it by hand.
    let p = app
        .patch(&path, &lead, json!({"version": 2, "risk_tier": "high"}))
        .await
        .problem(422, "validation_failed");
    assert_eq!(p["errors"][0]["field"], "risk_tier", "{p}");
    app.patch(&path, &member, json!({"version": 2, "status": "screening"}))
        .await
        .problem(403, "forbidden");
    app.patch(
        &path,
        &member,
        json!({"version": 2, "case_manager_id": member_id}),
    )
    .await
    .problem(403, "forbidden");
    app.put(
        &format!("{path}/case-manager"),
        &member,
        json!({"staff_id": member_id}),
    )
    .await
    .problem(403, "forbidden");
    app.patch(
        &path,
        &viewer,
        json!({"version": 2, "preferred_name": "Iv"}),
    )
    .await
    .problem(403, "forbidden");
    app.get(&path, &viewer).await.expect(200);
    let now = app.get(&path, &lead).await.expect(200);
    assert_eq!(
        (
            now["version"].as_i64(),
            now["preferred_name"].as_str(),
            now["status"].as_str()
        ),
        (Some(2), Some("Ives"), Some("referred"))
    );
}
