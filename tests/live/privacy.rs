//! A privacy display's stream: initials only, never names or notes.

use crate::helpers::*;
use crate::ws::*;
use serde_json::json;

both_engines!(privacy_display_stream,);

async fn privacy_display_stream(app: TestApp) {
    let (t, _, lead) = team(&app, "Live Display", "lead8").await;
    let (m_id, member) = app.member(&t, "member8", "member").await;
    let (lead2_id, _) = app.member(&t, "lead82", "lead").await;
    let names = ["Philomena", "Quartermaine", "Pippa"];
    let c = app
        .post(&format!("/api/teams/{t}/clients"), &lead, json!({"given_name": "Philomena", "family_name": "Quartermaine", "preferred_name": "Pippa"}))
        .await
        .expect(201);
    let cid = id(&c);
    let dt = app
        .post(
            &format!("/api/teams/{t}/display-tokens"),
            &lead,
            json!({"label": "Team room", "privacy": "initials"}),
        )
        .await
        .expect(201);
    let dt = dt["token"].as_str().unwrap().to_string();

    let mut display = connect(&app, &t, &dt, None, "board").await;
    let snap = snapshot(&mut display).await;
    assert_eq!(snap["board"]["privacy"], "initials", "{snap}");
    let row = snap["board"]["clients"]
        .as_array()
        .unwrap()
        .iter()
        .find(|x| x["id"] == cid.as_str())
        .cloned();
    let row =
        row.unwrap_or_else(|| panic!("the display's snapshot does not list the client: {snap}"));
    assert_eq!(row["display_name"], "PQ", "{row}");
    let s = snap.to_string();
    for n in names {
        assert!(!s.contains(n), "the display's snapshot contains '{n}': {s}");
    }
    presence_becomes(&mut display, &[("Display: Team room", "board", 1)], WAIT).await;

    // A staff member joins from a phone: the display sees who.
    let mut staff = connect(&app, &t, &member, None, "phone").await;
    let staff_seq = snapshot(&mut staff).await["seq"].as_i64().unwrap();
    assert_eq!(staff_seq, snap["seq"].as_i64().unwrap());
    presence_becomes(
        &mut display,
        &[("Display: Team room", "board", 1), ("member8", "phone", 1)],
        WAIT,
    )
    .await;

    // Changes that carry names for staff.
    app.patch(
        &format!("/api/teams/{t}/clients/{cid}"),
        &member,
        json!({"version": 1, "external_id": "MRN-1"}),
    )
    .await
    .expect(200);
    contact(
        &app,
        &t,
        &cid,
        &m_id,
        &member,
        Some("Pippa's sister Quartermaine called"),
    )
    .await;
    raise(&app, &t, &cid, &member, "missed depot").await;
    app.post(
        &format!("/api/teams/{t}/handoffs"),
        &member,
        json!({"to_staff_id": lead2_id, "items": [{"client_id": cid, "severity": "unstable", "summary": "Philomena is unstable", "actions": ["call Pippa"], "contingency": "if Quartermaine calls, go"}]}),
    )
    .await
    .expect(201);
    let fin = last_seq(&app, &t, &lead).await;
    let seq = snap["seq"].as_i64().unwrap();
    assert_eq!(fin, seq + 4);

    let staff_events = events_through(&mut staff, seq, fin, WAIT, "staff socket").await;
    let s = serde_json::to_string(&staff_events).unwrap();
    assert!(
        names.iter().all(|n| s.contains(n)),
        "the staff socket should see the names (else the check below means nothing): {s}"
    );
    let shown = events_through(&mut display, seq, fin, WAIT, "display socket").await;
    assert_eq!(kinds(&shown), kinds(&staff_events));
    let s = serde_json::to_string(&shown).unwrap();
    for n in names {
        assert!(!s.contains(n), "a display event contains '{n}': {s}");
    }
    let updated = shown
        .iter()
        .find(|e| e["kind"] == "client.updated")
        .unwrap();
    assert_eq!(updated["data"]["display_name"], "PQ", "{updated}");
    let contact_ev = shown
        .iter()
        .find(|e| e["kind"] == "contact.created")
        .unwrap();
    assert!(contact_ev["data"]["note"].is_null(), "{contact_ev}");

    // The staff member leaves.
    staff.close(None).await.unwrap();
    presence_becomes(&mut display, &[("Display: Team room", "board", 1)], WAIT).await;
}
