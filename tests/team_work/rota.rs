//! The on-call rota (issue 12): the repeating week, applying it (DST, exceptions, twice,
//! concurrently), coverage and its gaps, one person never on call twice at once, and the
//! board's rolling counts and next on call.

use crate::helpers::*;
use futures_util::future::join_all;
use serde_json::{json, Value};

both_engines!(
    rota_pattern_is_checked_and_versioned,
    rota_apply_is_dst_correct_keeps_exceptions_and_creates_nothing_twice,
    rota_concurrent_applies_create_each_shift_once,
    rota_coverage_range_is_checked,
    rota_one_person_is_never_on_call_twice_at_once,
    rota_board_counts_roll_over_the_weekend,
    rota_board_says_until_when_and_who_is_next,
);

fn slot(weekday: i64, start: &str, end: &str, staff: &str) -> Value {
    json!({"weekday": weekday, "start": start, "end": end, "staff_id": staff})
}

/// Every day: `day` 09:00–17:00, `night` 17:00–09:00 the next morning.
fn full_week(day: &str, night: &str) -> Value {
    let mut slots = vec![];
    for w in 1..=7 {
        slots.push(slot(w, "09:00", "17:00", day));
        slots.push(slot(w, "17:00", "09:00", night));
    }
    json!({ "slots": slots })
}

fn shifts_of(v: &Value) -> &Vec<Value> {
    v.as_array().unwrap()
}

async fn rota_pattern_is_checked_and_versioned(app: TestApp) {
    let team = app.create_team("Rota", "act").await;
    let t = id(&team);
    let (_, lead) = app.member(&t, "leadrota", "lead").await;
    let (a, m) = app.member(&t, "rotaday", "member").await;
    let (b, _) = app.member(&t, "rotanight", "member").await;
    let (v, _) = app.member(&t, "rotaview", "viewer").await;
    let path = format!("/api/teams/{t}/oncall/pattern");

    let empty = app.get(&path, &m).await.expect(200);
    assert_eq!(
        (
            empty["version"].as_i64(),
            empty["slots"].as_array().map(Vec::len)
        ),
        (Some(0), Some(0))
    );

    // Overlaps: across midnight, and from Sunday night into Monday.
    let p = invalid(
        app.put(
            &path,
            &lead,
            json!({"slots": [slot(1, "17:00", "09:00", &a), slot(2, "08:00", "12:00", &b)]}),
        )
        .await,
        "slots[1].start",
    );
    assert!(p.to_string().contains("overlaps slots[0]"), "{p}");
    invalid(
        app.put(
            &path,
            &lead,
            json!({"slots": [slot(1, "07:00", "09:00", &a), slot(7, "20:00", "08:00", &b)]}),
        )
        .await,
        "slots[1].start",
    );
    // Bad fields, by field; a viewer does not work on call.
    invalid(
        app.put(
            &path,
            &lead,
            json!({"slots": [slot(8, "09:00", "17:00", &a)]}),
        )
        .await,
        "slots[0].weekday",
    );
    invalid(
        app.put(
            &path,
            &lead,
            json!({"slots": [slot(1, "9:00", "17:00", &a)]}),
        )
        .await,
        "slots[0].start",
    );
    invalid(
        app.put(
            &path,
            &lead,
            json!({"slots": [slot(1, "09:00", "24:00", &a)]}),
        )
        .await,
        "slots[0].end",
    );
    invalid(
        app.put(
            &path,
            &lead,
            json!({"slots": [slot(1, "09:00", "17:00", &a), slot(2, "09:00", "17:00", &v)]}),
        )
        .await,
        "slots[1].staff_id",
    );
    invalid(
        app.put(
            &path,
            &lead,
            json!({"slots": [slot(1, "09:00", "17:00", &new_id())]}),
        )
        .await,
        "slots[0].staff_id",
    );
    app.put(&path, &m, json!({"slots": []}))
        .await
        .problem(403, "forbidden");
    assert_eq!(
        app.get(&path, &m).await.expect(200)["version"],
        0,
        "refusals store nothing"
    );

    let before = last_seq(&app, &t, &lead).await;
    let body = json!({"version": 0, "slots": [slot(3, "09:00", "17:00", &a), slot(1, "17:00", "09:00", &b)]});
    let saved = app.put(&path, &lead, body.clone()).await.expect(200);
    assert_eq!(saved["version"], 1);
    // By weekday, then start; with names.
    assert_eq!(saved["slots"][0]["weekday"], 1);
    assert_eq!(saved["slots"][0]["staff_id"], b.as_str());
    assert_eq!(saved["slots"][0]["staff_name"], "rotanight");
    assert_eq!(saved["slots"][1]["end"], "17:00");
    assert_eq!(
        app.get(&path, &m).await.expect(200)["slots"],
        saved["slots"]
    );
    let ev = app
        .get(
            &format!("/api/teams/{t}/events?since={before}&limit=10"),
            &lead,
        )
        .await
        .expect(200);
    assert_eq!(ev["events"][0]["kind"], "oncall.pattern_updated");
    assert_eq!(ev["events"][0]["data"]["version"], 1);

    // A stale version: 409 with the current pattern; no version: replace.
    let p = app
        .put(&path, &lead, body)
        .await
        .problem(409, "version_conflict");
    assert_eq!(p["current"]["version"], 1, "{p}");
    let replaced = app
        .put(&path, &lead, json!({"slots": []}))
        .await
        .expect(200);
    assert_eq!(replaced["version"], 2);
}

async fn rota_apply_is_dst_correct_keeps_exceptions_and_creates_nothing_twice(app: TestApp) {
    let team = app.create_team("Rota Apply", "act").await; // America/New_York
    let t = id(&team);
    let (_, lead) = app.member(&t, "leadapply", "lead").await;
    let (a, m) = app.member(&t, "applyday", "member").await;
    let (b, _) = app.member(&t, "applynight", "member").await;
    let (c, _) = app.member(&t, "applyother", "member").await;
    app.put(
        &format!("/api/teams/{t}/oncall/pattern"),
        &lead,
        full_week(&a, &b),
    )
    .await
    .expect(200);
    let apply = format!("/api/teams/{t}/oncall/pattern/apply");

    // An exception made by hand first: C covers Wednesday 12:00–14:00.
    let exception = app
        .post(
            &format!("/api/teams/{t}/oncall/shifts"),
            &lead,
            json!({"staff_id": c, "starts_local": "2026-10-28T12:00", "ends_local": "2026-10-28T14:00"}),
        )
        .await
        .expect(201);

    invalid(
        app.post(&apply, &lead, json!({"from": "2026-10-26", "weeks": 9}))
            .await,
        "weeks",
    );
    invalid(
        app.post(&apply, &lead, json!({"from": "2026-10-26", "weeks": 0}))
            .await,
        "weeks",
    );
    invalid(
        app.post(&apply, &lead, json!({"from": "2026-02-30", "weeks": 1}))
            .await,
        "from",
    );
    app.post(&apply, &m, json!({"from": "2026-10-26", "weeks": 2}))
        .await
        .problem(403, "forbidden");

    // Two weeks from Monday 2026-10-26, across the fall-back night of Sunday 2026-11-01.
    let before = last_seq(&app, &t, &lead).await;
    let out = app
        .post(&apply, &lead, json!({"from": "2026-10-26", "weeks": 2}))
        .await
        .expect(200);
    let created = shifts_of(&out["created"]);
    let skipped = shifts_of(&out["skipped"]);
    assert_eq!((created.len(), skipped.len()), (27, 1), "{out}");
    assert_eq!(skipped[0]["reason"], "overlaps");
    assert_eq!(skipped[0]["starts_local"], "2026-10-28T09:00");
    assert_eq!(skipped[0]["overlaps"][0], exception["id"]);
    // The Saturday night runs 17:00 EDT to 09:00 EST: 17 hours.
    let sat = created
        .iter()
        .find(|s| s["starts_local"] == "2026-10-31T17:00")
        .unwrap();
    assert_eq!(sat["starts_at"], "2026-10-31T21:00:00.000000Z");
    assert_eq!(sat["ends_at"], "2026-11-01T14:00:00.000000Z");
    assert_eq!(sat["ends_local"], "2026-11-01T09:00");
    assert_eq!(sat["staff_id"], b.as_str());
    let mon = created
        .iter()
        .find(|s| s["starts_local"] == "2026-11-02T09:00")
        .unwrap();
    assert_eq!(
        mon["starts_at"], "2026-11-02T14:00:00.000000Z",
        "EST after the change"
    );
    // One shift.created per created shift.
    let ev = app
        .get(
            &format!("/api/teams/{t}/events?since={before}&limit=100"),
            &lead,
        )
        .await
        .expect(200);
    let kinds: Vec<&str> = ev["events"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["kind"].as_str().unwrap())
        .collect();
    assert_eq!(kinds.len(), 27);
    assert!(kinds.iter().all(|k| *k == "shift.created"), "{kinds:?}");

    // Twice: nothing new.
    let again = app
        .post(&apply, &lead, json!({"from": "2026-10-26", "weeks": 2}))
        .await
        .expect(200);
    assert_eq!(shifts_of(&again["created"]).len(), 0);
    assert_eq!(shifts_of(&again["skipped"]).len(), 28);

    // Coverage of those two weeks: the exception's edges, and the first night before the
    // first Monday's day shift.
    let cov = app
        .get(
            &format!("/api/teams/{t}/oncall/coverage?from=2026-10-26&to=2026-11-08"),
            &m,
        )
        .await
        .expect(200);
    assert_eq!(
        (cov["from"].as_str(), cov["to"].as_str()),
        (Some("2026-10-26"), Some("2026-11-08"))
    );
    assert_eq!(shifts_of(&cov["shifts"]).len(), 28);
    let gaps: Vec<(String, String)> = shifts_of(&cov["gaps"])
        .iter()
        .map(|g| {
            (
                g["starts_local"].as_str().unwrap().into(),
                g["ends_local"].as_str().unwrap().into(),
            )
        })
        .collect();
    assert_eq!(
        gaps,
        [
            ("2026-10-26T00:00".into(), "2026-10-26T09:00".into()),
            ("2026-10-28T09:00".into(), "2026-10-28T12:00".into()),
            ("2026-10-28T14:00".into(), "2026-10-28T17:00".into()),
        ],
        "{cov}"
    );
    assert_eq!(cov["gaps"][0]["starts_at"], "2026-10-26T04:00:00.000000Z");
    let names: Vec<&str> = shifts_of(&cov["shifts"])
        .iter()
        .map(|s| s["staff_name"].as_str().unwrap())
        .collect();
    assert!(
        names.contains(&"applyother") && names.contains(&"applynight"),
        "{names:?}"
    );
}

async fn rota_concurrent_applies_create_each_shift_once(app: TestApp) {
    let team = app.create_team("Rota Race", "act").await;
    let t = id(&team);
    let (_, lead) = app.member(&t, "leadrace", "lead").await;
    let (a, _) = app.member(&t, "raceday", "member").await;
    let (b, _) = app.member(&t, "racenight", "member").await;
    app.put(
        &format!("/api/teams/{t}/oncall/pattern"),
        &lead,
        full_week(&a, &b),
    )
    .await
    .expect(200);
    let apply = format!("/api/teams/{t}/oncall/pattern/apply");
    let tasks: Vec<_> = (0..4)
        .map(|_| app.post(&apply, &lead, json!({"from": "2027-01-04", "weeks": 1})))
        .collect();
    let results = join_all(tasks).await;
    let created: usize = results
        .into_iter()
        .map(|r| shifts_of(&r.expect(200)["created"]).len())
        .sum();
    assert_eq!(
        created, 14,
        "each slot occurrence becomes one shift, whoever wins"
    );
    let listed = app
        .get(
            &format!("/api/teams/{t}/oncall/shifts?from=2027-01-04&to=2027-01-10"),
            &lead,
        )
        .await
        .expect(200);
    assert_eq!(shifts_of(&listed).len(), 14, "{listed}");
}

async fn rota_coverage_range_is_checked(app: TestApp) {
    let team = app.create_team("Rota Range", "act").await;
    let t = id(&team);
    let (_, m) = app.member(&t, "rangemember", "member").await;
    let cov = |q: &str| format!("/api/teams/{t}/oncall/coverage{q}");
    invalid(
        app.get(&cov("?from=2026-12-10&to=2026-12-09"), &m).await,
        "to",
    );
    invalid(
        app.get(&cov("?from=2026-12-01&to=2027-01-01"), &m).await,
        "to",
    );
    invalid(app.get(&cov("?from=2026-13-01"), &m).await, "from");
    invalid(app.get(&cov("?to=1999-01-01"), &m).await, "to");
    // 31 days, counting both ends, is allowed; nobody on call is one gap.
    let ok = app
        .get(&cov("?from=2026-12-01&to=2026-12-31"), &m)
        .await
        .expect(200);
    assert_eq!(shifts_of(&ok["gaps"]).len(), 1);
    assert_eq!(ok["gaps"][0]["starts_local"], "2026-12-01T00:00");
    assert_eq!(ok["gaps"][0]["ends_local"], "2027-01-01T00:00");
    // Default: today and 14 more days.
    let d = app.get(&cov(""), &m).await.expect(200);
    let from = chrono::NaiveDate::parse_from_str(d["from"].as_str().unwrap(), "%Y-%m-%d").unwrap();
    let to = chrono::NaiveDate::parse_from_str(d["to"].as_str().unwrap(), "%Y-%m-%d").unwrap();
    assert_eq!((to - from).num_days(), 14);
}

async fn rota_one_person_is_never_on_call_twice_at_once(app: TestApp) {
    let team = app.create_team("Rota Twice", "act").await;
    let t = id(&team);
    let (_, lead) = app.member(&t, "leadtwice", "lead").await;
    let (a, _) = app.member(&t, "twicea", "member").await;
    let (b, _) = app.member(&t, "twiceb", "member").await;
    let path = format!("/api/teams/{t}/oncall/shifts");
    let body = |s: &str, st: &str, en: &str| json!({"staff_id": s, "starts_local": st, "ends_local": en, "allow_overlap": true});
    app.post(
        &path,
        &lead,
        body(&a, "2026-12-02T10:00", "2026-12-02T12:00"),
    )
    .await
    .expect(201);
    let p = app
        .post(
            &path,
            &lead,
            body(&a, "2026-12-02T11:00", "2026-12-02T13:00"),
        )
        .await
        .problem(409, "conflict");
    assert_eq!(p["overlaps"].as_array().unwrap().len(), 1, "{p}");
    assert!(p["detail"].as_str().unwrap().contains("twicea"), "{p}");
    // Someone else may overlap when allowed; back to back is fine for the same person.
    app.post(
        &path,
        &lead,
        body(&b, "2026-12-02T11:00", "2026-12-02T13:00"),
    )
    .await
    .expect(201);
    app.post(
        &path,
        &lead,
        body(&a, "2026-12-02T12:00", "2026-12-02T14:00"),
    )
    .await
    .expect(201);
}

async fn rota_board_counts_roll_over_the_weekend(app: TestApp) {
    let team = app.create_team("Rota Board", "act").await;
    let t = id(&team);
    let (_, lead) = app.member(&t, "leadroll", "lead").await;
    let (s, m) = app.member(&t, "rollnurse", "member").await;
    let seen = id(&refer(&app, &t, &lead, "Sam", "Seen").await);
    let unseen = id(&refer(&app, &t, &lead, "Una", "Unseen").await);
    let log = |day: &str, kind: &str| {
        let mut v = visit(&seen, &[&s], day, "completed");
        v["kind"] = json!(kind);
        app.put(&format!("/api/teams/{t}/contacts/{}", new_id()), &m, v)
    };
    log("2026-11-20", "face_to_face").await.expect(201); // 10 days before Monday
    log("2026-11-27", "face_to_face").await.expect(201); // Friday
    log("2026-11-28", "phone").await.expect(201); // Saturday
    let planned = visit(&seen, &[&s], "2026-11-29", "planned");
    app.put(
        &format!("/api/teams/{t}/contacts/{}", new_id()),
        &m,
        planned,
    )
    .await
    .expect(201);
    // Friday's huddle.
    app.put(
        &format!("/api/teams/{t}/huddle/2026-11-27/reviews/{unseen}"),
        &m,
        json!({}),
    )
    .await
    .expect(200);

    let board = app
        .get(&format!("/api/teams/{t}/board?day=2026-11-30"), &m)
        .await
        .expect(200);
    assert_eq!(board["rolling_start"], "2026-11-24");
    assert_eq!(board["last_huddle_day"], "2026-11-27");
    let row = |id: &str| {
        board["clients"]
            .as_array()
            .unwrap()
            .iter()
            .find(|c| c["id"] == id)
            .unwrap()
            .clone()
    };
    let c = row(&seen);
    // Monday: the week's count reset, the rolling ones did not.
    assert_eq!(c["contacts_this_week"], 0, "{c}");
    assert_eq!(
        (c["contacts_7d"].as_i64(), c["face_to_face_7d"].as_i64()),
        (Some(2), Some(1)),
        "{c}"
    );
    assert_eq!(c["since_last_huddle"], 2, "{c}");
    let u = row(&unseen);
    assert_eq!(
        (u["contacts_7d"].as_i64(), u["since_last_huddle"].as_i64()),
        (Some(0), Some(0)),
        "{u}"
    );

    // On Friday itself there was no earlier huddle.
    let friday = app
        .get(&format!("/api/teams/{t}/board?day=2026-11-27"), &m)
        .await
        .expect(200);
    assert_eq!(friday["last_huddle_day"], Value::Null);
    let c = friday["clients"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["id"] == seen.as_str())
        .unwrap();
    assert_eq!(c["since_last_huddle"], Value::Null, "{c}");
    assert_eq!(c["contacts_7d"], 1, "{c}"); // the 27th; the 20th is 7 days back, outside

    // A privacy display keeps the counts.
    let shown = app
        .get(
            &format!("/api/teams/{t}/board?day=2026-11-30&privacy=initials"),
            &m,
        )
        .await
        .expect(200);
    let c = shown["clients"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["id"] == seen.as_str())
        .unwrap();
    assert_eq!(
        (c["contacts_7d"].as_i64(), c["since_last_huddle"].as_i64()),
        (Some(2), Some(2)),
        "{c}"
    );
}

async fn rota_board_says_until_when_and_who_is_next(app: TestApp) {
    let team = app.create_team("Rota Next", "act").await;
    let t = id(&team);
    let (_, lead) = app.member(&t, "leadnext", "lead").await;
    let (a, m) = app.member(&t, "nowperson", "member").await;
    let (b, _) = app.member(&t, "nextperson", "member").await;
    let path = format!("/api/teams/{t}/oncall/shifts");
    let board = app
        .get(&format!("/api/teams/{t}/board"), &m)
        .await
        .expect(200);
    assert_eq!(
        (board["on_call"].clone(), board["on_call_next"].clone()),
        (Value::Null, Value::Null)
    );
    let now = app
        .post(
            &path,
            &lead,
            json!({"staff_id": a, "starts_local": ny_local(-60), "ends_local": ny_local(60)}),
        )
        .await
        .expect(201);
    let next = app
        .post(
            &path,
            &lead,
            json!({"staff_id": b, "starts_local": ny_local(60), "ends_local": ny_local(600)}),
        )
        .await
        .expect(201);
    app.post(
        &path,
        &lead,
        json!({"staff_id": a, "starts_local": ny_local(600), "ends_local": ny_local(900)}),
    )
    .await
    .expect(201);
    let board = app
        .get(&format!("/api/teams/{t}/board"), &m)
        .await
        .expect(200);
    assert_eq!(board["on_call"]["id"], now["id"]);
    assert_eq!(board["on_call"]["ends_at"], now["ends_at"], "until when");
    assert_eq!(board["on_call_next"]["id"], next["id"], "{board}");
    assert_eq!(board["on_call_next"]["staff_name"], "nextperson");
}
