//! CSV import (issue 13): clients matched by external_id (create, update, unchanged, and a
//! second import changes nothing), all rows or none, every row error in words (never a 500),
//! the ICM cap inside the file and against concurrent assignments, staff accounts and
//! memberships, the 20 MB limit.

use crate::helpers::*;
use futures_util::future::join_all;
use serde_json::{json, Value};

both_engines!(
    import_creates_updates_and_changes_nothing_twice,
    import_stores_all_rows_or_none,
    import_row_errors_are_in_words,
    import_unreadable_files_are_reported_by_line,
    import_cap_holds_inside_the_file,
    import_cap_holds_against_concurrent_assignments,
    import_staff_accounts_and_memberships,
    import_body_limit_is_413,
);

const HEADER: &str =
    "external_id,given_name,family_name,preferred_name,status,case_manager_username,risk_tier\n";

fn clients_path(team: &str, dry_run: bool) -> String {
    format!("/api/teams/{team}/import/clients?dry_run={dry_run}")
}

/// Each row's (action, fields of its errors), in file order.
fn actions(report: &Value) -> Vec<(String, Vec<String>)> {
    report["rows"]
        .as_array()
        .unwrap_or_else(|| panic!("no rows in {report}"))
        .iter()
        .map(|r| {
            (
                r["action"].as_str().unwrap().to_string(),
                fields(r).into_iter().collect(),
            )
        })
        .collect()
}

fn counts(report: &Value) -> [i64; 4] {
    ["created", "updated", "unchanged", "failed"].map(|k| report[k].as_i64().unwrap())
}

/// The message of the first error of the row on `line`.
fn message(report: &Value, line: u64) -> String {
    let row = report["rows"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["line"] == line)
        .unwrap_or_else(|| panic!("no line {line} in {report}"));
    row["errors"][0]["message"].as_str().unwrap().to_string()
}

async fn team_clients(app: &TestApp, team: &str) -> Vec<Value> {
    app.get(&format!("/api/teams/{team}/clients"), &app.admin_token)
        .await
        .expect(200)
        .as_array()
        .unwrap()
        .clone()
}

async fn import_creates_updates_and_changes_nothing_twice(app: TestApp) {
    let t = id(&app.create_team("Riverside ACT", "act").await);
    let (_, lead) = app.member(&t, "lead.imp", "lead").await;
    staff(&app, &t, "sam.cm", "member").await;
    let file = format!(
        "{HEADER}RV-1,Ann,Lee,Annie,active,sam.cm,high\nRV-2,Bo,Kim,,,,\nRV-3,Cy,Ng,,screening,SAM.CM,low\n"
    );
    let seq0 = last_seq(&app, &t, &lead).await;

    // A dry run reports and stores nothing.
    let dry = app
        .post_csv(&clients_path(&t, true), Some(&lead), file.clone())
        .await
        .expect(200);
    assert_eq!(counts(&dry), [3, 0, 0, 0], "{dry}");
    assert_eq!(dry["rows"][0]["line"], 2);
    assert_eq!(dry["rows"][0]["key"], "RV-1");
    assert!(team_clients(&app, &t).await.is_empty());
    assert_eq!(last_seq(&app, &t, &lead).await, seq0);

    let done = app
        .post_csv(&clients_path(&t, false), Some(&lead), file.clone())
        .await
        .expect(200);
    assert_eq!(counts(&done), [3, 0, 0, 0], "{done}");
    let list = team_clients(&app, &t).await;
    assert_eq!(list.len(), 3);
    let ann = list.iter().find(|c| c["external_id"] == "RV-1").unwrap();
    assert_eq!(
        (&ann["status"], &ann["risk_tier"], &ann["preferred_name"]),
        (&json!("active"), &json!("high"), &json!("Annie"))
    );
    let bo = list.iter().find(|c| c["external_id"] == "RV-2").unwrap();
    assert_eq!(
        (&bo["status"], &bo["risk_tier"]),
        (&json!("referred"), &json!("medium"))
    );
    // One event for the file, counts only.
    let events = app
        .get(&format!("/api/teams/{t}/events?since={seq0}"), &lead)
        .await
        .expect(200);
    let kinds: Vec<&str> = events["events"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["kind"].as_str().unwrap())
        .collect();
    assert_eq!(kinds, vec!["clients.imported"]);
    assert_eq!(
        events["events"][0]["data"],
        json!({"created": 3, "updated": 0})
    );
    // The board shows them.
    let board = app
        .get(&format!("/api/teams/{t}/board"), &lead)
        .await
        .expect(200);
    assert_eq!(board["clients"].as_array().unwrap().len(), 3);

    // The same file again: nothing changes, no event.
    let seq1 = last_seq(&app, &t, &lead).await;
    let again = app
        .post_csv(&clients_path(&t, false), Some(&lead), file.clone())
        .await
        .expect(200);
    assert_eq!(counts(&again), [0, 0, 3, 0], "{again}");
    assert_eq!(last_seq(&app, &t, &lead).await, seq1);

    // A changed name and a new row: one update, one create, one unchanged.
    let changed = format!(
        "{HEADER}RV-1,Ann,Lee-Park,Annie,active,sam.cm,high\nRV-2,Bo,Kim,,,,\nRV-4,Di,Oz,,,,\n"
    );
    let r = app
        .post_csv(&clients_path(&t, false), Some(&lead), changed)
        .await
        .expect(200);
    assert_eq!(counts(&r), [1, 1, 1, 0], "{r}");
    let list = team_clients(&app, &t).await;
    let ann = list.iter().find(|c| c["external_id"] == "RV-1").unwrap();
    assert_eq!(ann["family_name"], "Lee-Park");
    assert_eq!(ann["version"], 2);
    assert_eq!(list.len(), 4);
}

async fn import_stores_all_rows_or_none(app: TestApp) {
    let t = id(&app.create_team("Harbor ACT", "act").await);
    let (_, lead) = app.member(&t, "lead.all", "lead").await;
    let (_, member) = app.member(&t, "member.all", "member").await;
    refer(&app, &t, &lead, "Eve", "Existing").await;
    let seq0 = last_seq(&app, &t, &lead).await;
    let file = format!("{HEADER}H-1,Ann,Lee,,,,\nH-2,Bo,Kim,,,,\nH-3,,Ng,,,,\nH-4,Di,Oz,,,,\n");
    let p = app
        .post_csv(&clients_path(&t, false), Some(&lead), file.clone())
        .await
        .problem(422, "import_failed");
    assert_eq!(counts(&p), [3, 0, 0, 1], "{p}");
    assert_eq!(
        actions(&p)[2],
        ("error".to_string(), vec!["given_name".to_string()])
    );
    assert!(
        p["detail"]
            .as_str()
            .unwrap()
            .contains("nothing was imported"),
        "{p}"
    );
    // Nothing stored, no event.
    assert_eq!(team_clients(&app, &t).await.len(), 1);
    assert_eq!(last_seq(&app, &t, &lead).await, seq0);
    // A dry run of the same file answers 200 with the same report.
    let dry = app
        .post_csv(&clients_path(&t, true), Some(&lead), file)
        .await
        .expect(200);
    assert_eq!(counts(&dry), [3, 0, 0, 1]);
    // Members and viewers may not import (nor preview); leads and admins may.
    app.post_csv(&clients_path(&t, true), Some(&member), HEADER)
        .await
        .problem(403, "forbidden");
    let empty = app
        .post_csv(&clients_path(&t, false), Some(&app.admin_token), HEADER)
        .await
        .expect(200);
    assert_eq!(counts(&empty), [0, 0, 0, 0]);
    assert_eq!(
        last_seq(&app, &t, &lead).await,
        seq0,
        "an empty file appends nothing"
    );
}

async fn import_row_errors_are_in_words(app: TestApp) {
    let t = id(&app.create_team("Bridge ICM", "icm").await);
    let other = id(&app.create_team("Other ICM", "icm").await);
    let (_, lead) = app.member(&t, "lead.err", "lead").await;
    staff(&app, &t, "cm.ok", "member").await;
    staff(&app, &t, "cm.viewer", "viewer").await;
    staff(&app, &other, "cm.elsewhere", "member").await;
    let gone = staff(&app, &t, "cm.gone", "member").await;
    app.patch(
        &format!("/api/staff/{gone}"),
        &app.admin_token,
        json!({"active": false}),
    )
    .await
    .expect(200);
    let file = format!(
        "{HEADER}\
E-1,Ann,Lee,,active,cm.ok,high\n\
E-2,Bo,Kim,,discharged,,\n\
E-3,Cy,Ng,,referred,,extreme\n\
,Di,Oz,,,,\n\
E-5,,,,,,\n\
E-6,Ed,Po,,active,nobody.here,\n\
E-7,Flo,Ra,,active,cm.elsewhere,\n\
E-8,Gus,Su,,active,cm.viewer,\n\
E-9,Hal,Tu,,active,cm.gone,\n\
E-1,Ann,Lee,,active,cm.ok,high\n\
E-11,Ida,Vo,,active,,\n\
E-12,Jo,Wu,,transitioning,cm.ok,\n"
    );
    let r = app
        .post_csv(&clients_path(&t, true), Some(&lead), file)
        .await
        .expect(200);
    let a = actions(&r);
    let expect: Vec<(&str, Vec<&str>)> = vec![
        ("create", vec![]),
        ("error", vec!["status"]),
        ("error", vec!["risk_tier"]),
        ("error", vec!["external_id"]),
        ("error", vec!["given_name", "family_name"]),
        ("error", vec!["case_manager_username"]),
        ("error", vec!["case_manager_username"]),
        ("error", vec!["case_manager_username"]),
        ("error", vec!["case_manager_username"]),
        ("error", vec!["external_id"]),
        ("error", vec!["case_manager_username"]),
        ("error", vec!["status"]),
    ];
    let expect: Vec<(String, Vec<String>)> = expect
        .into_iter()
        .map(|(a, f)| (a.to_string(), f.into_iter().map(String::from).collect()))
        .collect();
    assert_eq!(a, expect, "{r}");
    assert_eq!(counts(&r), [1, 0, 0, 11]);
    assert!(
        message(&r, 3).contains("referred, screening or active"),
        "{r}"
    );
    assert!(message(&r, 4).contains("low, medium or high"));
    assert!(message(&r, 5).contains("1 to 64 characters"));
    assert!(message(&r, 7).contains("no staff member has the username 'nobody.here'"));
    assert!(message(&r, 8).contains("is not a member of this team"));
    assert!(message(&r, 9).contains("a viewer cannot carry clients"));
    assert!(message(&r, 10).contains("deactivated"));
    assert!(message(&r, 11).contains("also on line 2"));
    assert!(message(&r, 12).contains("needs a case manager"));
    assert!(message(&r, 13).contains("'transitioning'"));
}

async fn import_unreadable_files_are_reported_by_line(app: TestApp) {
    let t = id(&app.create_team("Encoding ACT", "act").await);
    let (_, lead) = app.member(&t, "lead.enc", "lead").await;
    // Latin-1 "Renée" on line 3; a UTF-8 BOM before the header is fine.
    let mut file = b"\xEF\xBB\xBF".to_vec();
    file.extend_from_slice(HEADER.as_bytes());
    file.extend_from_slice(b"L-1,Ann,Lee,,,,\nL-2,Ren\xE9e,Lee,,,,\nL-3,Bo\n");
    let r = app
        .post_csv(&clients_path(&t, true), Some(&lead), file.clone())
        .await
        .expect(200);
    assert_eq!(counts(&r), [1, 0, 0, 2], "{r}");
    let m = message(&r, 3);
    assert!(
        m.contains("line 3") && m.contains("save the file as UTF-8"),
        "{m}"
    );
    assert!(message(&r, 4).contains("has 2 values"), "{r}");
    let p = app
        .post_csv(&clients_path(&t, false), Some(&lead), file)
        .await
        .problem(422, "import_failed");
    assert_eq!(p["failed"], 2);

    // A wrong header: which columns are expected, on line 1.
    for header in ["id,first,last\n1,Ann,Lee\n", "", "external_id,given_name\n"] {
        let r = app
            .post_csv(&clients_path(&t, true), Some(&lead), header)
            .await
            .expect(200);
        assert_eq!(counts(&r), [0, 0, 0, 1], "{r}");
        assert_eq!(r["rows"][0]["line"], 1);
        assert_eq!(r["rows"][0]["errors"][0]["field"], "header");
        assert!(
            message(&r, 1).contains(HEADER.trim()),
            "names the expected columns: {r}"
        );
    }
    // Columns in another order and any case are fine.
    let r = app
        .post_csv(
            &clients_path(&t, false),
            Some(&lead),
            "Given_Name,FAMILY_NAME,external_id,risk_tier,status,preferred_name,case_manager_username\nZed,Ace,O-1,low,,,\n",
        )
        .await
        .expect(200);
    assert_eq!(counts(&r), [1, 0, 0, 0], "{r}");
    assert!(team_clients(&app, &t)
        .await
        .iter()
        .any(|c| c["given_name"] == "Zed"));
}

async fn import_cap_holds_inside_the_file(app: TestApp) {
    let t = id(&app.create_team("Cap ICM", "icm").await);
    let (_, lead) = app.member(&t, "lead.cap", "lead").await;
    let cm = staff(&app, &t, "cm.cap", "member").await;
    staff(&app, &t, "cm.free", "member").await;
    for i in 0..13 {
        admit(&app, &t, &lead, &format!("Held{i:02}"), &cm).await;
    }
    // Three more for cm.cap: the first two fit (15), the third is over the cap. A referred
    // client holds no slot; a client moved off cm.cap frees one for the row after it.
    let file = format!(
        "{HEADER}C-1,Ann,Lee,,active,cm.cap,\nC-2,Bo,Kim,,active,cm.cap,\nC-3,Cy,Ng,,referred,cm.cap,\nC-4,Di,Oz,,active,cm.cap,\n"
    );
    let r = app
        .post_csv(&clients_path(&t, true), Some(&lead), file)
        .await
        .expect(200);
    assert_eq!(counts(&r), [3, 0, 0, 1], "{r}");
    let m = message(&r, 5);
    assert!(m.contains("no case manager carries more than 15"), "{m}");
    assert_eq!(
        caseload(&app, &t, &cm).await,
        13,
        "a dry run stores nothing"
    );

    // The team's own lower cap, within the team.
    let t2 = id(&app.create_team("Small ICM", "icm").await);
    let team = app
        .get(&format!("/api/teams/{t2}"), &app.admin_token)
        .await
        .expect(200);
    app.patch(
        &format!("/api/teams/{t2}"),
        &app.admin_token,
        json!({"version": team["version"], "caseload_cap": 2}),
    )
    .await
    .expect(200);
    staff(&app, &t2, "cm.small", "member").await;
    let file = format!(
        "{HEADER}S-1,Ann,Lee,,active,cm.small,\nS-2,Bo,Kim,,active,cm.small,\nS-3,Cy,Ng,,active,cm.small,\n"
    );
    let p = app
        .post_csv(&clients_path(&t2, false), Some(&app.admin_token), file)
        .await
        .problem(422, "import_failed");
    assert_eq!(counts(&p), [2, 0, 0, 1], "{p}");
    assert!(message(&p, 4).contains("holds 2 of 2"), "{p}");
    assert!(team_clients(&app, &t2).await.is_empty());
}

async fn import_cap_holds_against_concurrent_assignments(app: TestApp) {
    // cm.race works on two ICM teams: 14 clients on A; imports into B and assignments on A
    // race for the 15th slot (the person's cap counts both teams).
    let a = id(&app.create_team("Race A ICM", "icm").await);
    let b = id(&app.create_team("Race B ICM", "icm").await);
    let (lead_id, lead) = app.member(&a, "lead.race", "lead").await;
    app.put(
        &format!("/api/teams/{b}/members/{lead_id}"),
        &app.admin_token,
        json!({"role": "lead"}),
    )
    .await
    .expect(200);
    let cm = staff(&app, &a, "cm.race", "member").await;
    app.put(
        &format!("/api/teams/{b}/members/{cm}"),
        &app.admin_token,
        json!({"role": "member"}),
    )
    .await
    .expect(200);
    let others = [
        staff(&app, &a, "cm.o1", "member").await,
        staff(&app, &a, "cm.o2", "member").await,
    ];
    for i in 0..14 {
        admit(&app, &a, &lead, &format!("Held{i:02}"), &cm).await;
    }
    let mut movers = vec![];
    for i in 0..6 {
        movers.push(admit(&app, &a, &lead, &format!("Mover{i:02}"), &others[i % 2]).await);
    }
    let imports: Vec<_> = (0..4)
        .map(|i| {
            app.post_csv(
                &clients_path(&b, false),
                Some(&lead),
                format!("{HEADER}R-{i},Race,Client{i},,active,cm.race,\n"),
            )
        })
        .collect();
    let assigns: Vec<_> = movers
        .iter()
        .map(|c| {
            app.put(
                &format!("/api/teams/{a}/clients/{c}/case-manager"),
                &lead,
                json!({"staff_id": cm}),
            )
        })
        .collect();
    let (imports, assigns) = futures_util::join!(join_all(imports), join_all(assigns));
    let import_wins = imports.iter().filter(|r| r.status == 200).count();
    let assign_wins = assigns.iter().filter(|r| r.status == 200).count();
    assert_eq!(
        import_wins + assign_wins,
        1,
        "exactly one takes the last slot: {imports:?} {assigns:?}"
    );
    for r in imports.into_iter().filter(|r| r.status != 200) {
        let p = r.problem(422, "import_failed");
        assert!(message(&p, 2).contains("more than 15"), "{p}");
    }
    for r in assigns.into_iter().filter(|r| r.status != 200) {
        r.problem(409, "caseload_full");
    }
    let total = caseload(&app, &a, &cm).await + caseload(&app, &b, &cm).await;
    assert_eq!(total, 15);
    assert_caseloads_match(&app, &a).await;
    assert_caseloads_match(&app, &b).await;
}

async fn import_staff_accounts_and_memberships(app: TestApp) {
    let t = id(&app.create_team("Staff ACT", "act").await);
    let t2 = id(&app.create_team("Second ICM", "icm").await);
    let (_, lead) = app.member(&t, "lead.staff", "lead").await;
    let path = |dry: bool| format!("/api/import/staff?dry_run={dry}");
    let file = "username,display_name,discipline,team,role\n\
new.nurse,New Nurse,nurse,Staff ACT,member\n\
new.nurse,New Nurse,nurse,second icm,viewer\n\
lead.staff,Lead Staff,team_lead,,\n\
solo.peer,Solo Peer,peer_specialist,,\n";
    // Leads may not; admins may.
    app.post_csv(&path(true), Some(&lead), file)
        .await
        .problem(403, "forbidden");
    let dry = app
        .post_csv(&path(true), Some(&app.admin_token), file)
        .await
        .expect(200);
    assert_eq!(counts(&dry), [2, 2, 0, 0], "{dry}");
    assert!(
        dry["notice"].as_str().unwrap().contains("cannot sign in"),
        "{dry}"
    );
    let staff_list = app.get("/api/staff", &app.admin_token).await.expect(200);
    assert!(
        !staff_list.to_string().contains("new.nurse"),
        "a dry run stores nothing"
    );

    let done = app
        .post_csv(&path(false), Some(&app.admin_token), file)
        .await
        .expect(200);
    assert_eq!(counts(&done), [2, 2, 0, 0], "{done}");
    let members = app
        .get(&format!("/api/teams/{t}/members"), &app.admin_token)
        .await
        .expect(200);
    let nurse = members
        .as_array()
        .unwrap()
        .iter()
        .find(|m| m["username"] == "new.nurse")
        .unwrap_or_else(|| panic!("{members}"));
    assert_eq!(nurse["role"], "member");
    assert_eq!(nurse["discipline"], "nurse");
    let members2 = app
        .get(&format!("/api/teams/{t2}/members"), &app.admin_token)
        .await
        .expect(200);
    assert!(members2.to_string().contains("\"viewer\""), "{members2}");
    // An imported account has no password: nothing signs in with it.
    for pw in ["", "correct horse battery", "!no password set"] {
        let r = app.login_full("new.nurse", pw).await;
        assert!(r.status == 401 || r.status == 422, "{r:?}");
    }
    // Again: unchanged. A role change: update.
    let again = app
        .post_csv(&path(false), Some(&app.admin_token), file)
        .await
        .expect(200);
    assert_eq!(counts(&again), [0, 0, 4, 0], "{again}");
    assert!(again.get("notice").is_none(), "{again}");
    let promote =
        "username,display_name,discipline,team,role\nnew.nurse,New Nurse,nurse,Staff ACT,lead\n";
    let r = app
        .post_csv(&path(false), Some(&app.admin_token), promote)
        .await
        .expect(200);
    assert_eq!(counts(&r), [0, 1, 0, 0], "{r}");

    // Row errors, all or none.
    let bad = "username,display_name,discipline,team,role\n\
fresh.one,Fresh One,nurse,Staff ACT,member\n\
x,Bad Name,wizard,Staff ACT,boss\n\
fresh.two,Fresh Two,nurse,No Such Team,member\n\
fresh.one,Fresh One,nurse,Staff ACT,viewer\n\
fresh.three,Fresh Three,nurse,Staff ACT,\n";
    let p = app
        .post_csv(&path(false), Some(&app.admin_token), bad)
        .await
        .problem(422, "import_failed");
    let a = actions(&p);
    assert_eq!(a[0].0, "create", "{p}");
    assert_eq!(a[1].1, vec!["username", "discipline", "role"], "{p}");
    assert_eq!(a[2].1, vec!["team"], "{p}");
    assert_eq!(a[3].1, vec!["username"], "{p}");
    assert_eq!(a[4].1, vec!["role"], "{p}");
    assert!(
        message(&p, 4).contains("no team named 'No Such Team'"),
        "{p}"
    );
    assert!(!app
        .get("/api/staff", &app.admin_token)
        .await
        .expect(200)
        .to_string()
        .contains("fresh.one"));
    // The team's only lead cannot become a viewer through a file either.
    let demote = "username,display_name,discipline,team,role\nlead.staff,Lead Staff,team_lead,Staff ACT,viewer\nnew.nurse,New Nurse,nurse,Staff ACT,viewer\n";
    let p = app
        .post_csv(&path(false), Some(&app.admin_token), demote)
        .await
        .problem(422, "import_failed");
    assert_eq!(p["failed"], 1, "{p}");
    assert!(message(&p, 3).contains("only lead"), "{p}");
}

async fn import_body_limit_is_413(app: TestApp) {
    let t = id(&app.create_team("Big ACT", "act").await);
    let mut file = HEADER.as_bytes().to_vec();
    let row = b"B-0000000,Ann,Lee,,,,\n";
    while file.len() <= 20 * 1024 * 1024 {
        file.extend_from_slice(row);
    }
    let p = app
        .post_csv(&clients_path(&t, true), Some(&app.admin_token), file)
        .await
        .problem(413, "payload_too_large");
    assert!(p["detail"].as_str().unwrap().contains("20 MB"), "{p}");
}

both_engines!(import_needs_a_csv_body);

async fn import_needs_a_csv_body(app: TestApp) {
    let t = id(&app.create_team("Body ACT", "act").await);
    // No body and no content type, or JSON: 400 in words, nothing read.
    let r = app
        .call(
            reqwest::Method::POST,
            &clients_path(&t, true),
            Some(&app.admin_token),
            None,
        )
        .await;
    let p = unreadable(r);
    assert!(p["detail"].as_str().unwrap().contains("text/csv"), "{p}");
    let r = app
        .post(
            "/api/import/staff?dry_run=true",
            &app.admin_token,
            json!({"username": "x"}),
        )
        .await;
    unreadable(r);
}
