//! Absences reach every screen live: the visits moved (`contacts.reassigned`) and the
//! absence (`absence.created`, `absence.deleted`), a privacy display without the reason;
//! a fresh snapshot shows who is out today.

use crate::helpers::*;
use crate::ws::*;
use serde_json::json;

both_engines!(absences_stream_live,);

async fn absences_stream_live(app: TestApp) {
    let (t, _, lead) = team(&app, "Live Absences", "lead.abs").await;
    let (x, member) = app.member(&t, "member.abs", "member").await;
    let (y, _) = app.member(&t, "cover.abs", "member").await;
    let c = id(&refer(&app, &t, &lead, "Ona", "Client").await);
    let today = chrono::Utc::now()
        .with_timezone(&chrono_tz::America::New_York)
        .format("%Y-%m-%d")
        .to_string();
    let k = new_id();
    app.put(
        &format!("/api/teams/{t}/contacts/{k}"),
        &member,
        json!({"client_id": c, "staff_ids": [x], "day": today, "start": "23:00", "end": "23:30",
               "kind": "phone", "place": "office", "activity": "check-in", "status": "planned"}),
    )
    .await
    .expect(201);
    let dt = app
        .post(
            &format!("/api/teams/{t}/display-tokens"),
            &lead,
            json!({"label": "Room", "privacy": "initials"}),
        )
        .await
        .expect(201)["token"]
        .as_str()
        .unwrap()
        .to_string();
    let mut display = connect(&app, &t, &dt, None, "board").await;
    let seq = snapshot(&mut display).await["seq"].as_i64().unwrap();
    let mut staff = connect(&app, &t, &member, Some(seq), "phone").await;

    let made = app
        .post(
            &format!("/api/teams/{t}/absences"),
            &lead,
            json!({"staff_id": x, "from": today, "to": today, "covered_by": y, "reason": "dentist emergency"}),
        )
        .await
        .expect(201);
    let aid = id(&made["absence"]);
    app.delete(&format!("/api/teams/{t}/absences/{aid}"), &lead)
        .await
        .expect(204);
    let fin = seq + 3;
    assert_eq!(last_seq(&app, &t, &lead).await, fin);

    for (ws, who) in [(&mut staff, "staff"), (&mut display, "display")] {
        let got = events_through(ws, seq, fin, WAIT, who).await;
        let names: Vec<&str> = got.iter().map(|e| e["kind"].as_str().unwrap()).collect();
        assert_eq!(
            names,
            vec!["contacts.reassigned", "absence.created", "absence.deleted"]
        );
        assert_eq!(
            got[0]["data"]["contacts"][0]["staff_ids"],
            json!([y]),
            "{who}"
        );
        assert_eq!(got[1]["data"]["staff_id"], x.as_str());
        let has_reason = got[1]["data"].get("reason").is_some();
        assert_eq!(has_reason, who == "staff", "{who}: {}", got[1]);
        if who == "display" {
            assert!(!serde_json::to_string(&got).unwrap().contains("dentist"));
        }
    }

    // Recorded again: a new screen's snapshot shows who is out today and who covers.
    let again = app
        .post(
            &format!("/api/teams/{t}/absences"),
            &lead,
            json!({"staff_id": x, "from": today, "to": today, "covered_by": y}),
        )
        .await
        .expect(201);
    let mut late = connect(&app, &t, &dt, None, "board").await;
    let snap = snapshot(&mut late).await;
    let row = snap["board"]["staff"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["id"] == x.as_str())
        .unwrap()
        .clone();
    assert_eq!(
        row["absent_today"]["absence_id"],
        id(&again["absence"]).as_str(),
        "{row}"
    );
    assert_eq!(row["absent_today"]["covered_by"], y.as_str());
    assert_eq!(row["absent_today"]["until"], today.as_str());
}
