//! Team B's records named through team A's own paths, by team A's lead: never a success,
//! never a hint of B's record, and team B is left as it was.
//!
//! The other direction, team B's lead or display token on team A's paths, is the `oth.lead`
//! and `oth.disp` columns of `MATRIX`: never a success, and each 404 exactly like a missing
//! team's.

use crate::common::fixtures::{db, fields, id, last_seq, new_id, refer, visit};
use crate::common::{Resp, TestApp};
use crate::fixture::DAY;
use crate::unchanged;
use actboard::db::schema::audit_log;
use diesel::prelude::*;
use reqwest::Method;
use serde_json::{json, Value};
use Answer::*;

both_engines!(other_teams_records_are_invisible);

/// What team A's lead gets.
#[derive(Clone, Copy, Debug)]
enum Answer {
    /// 404 not_found: on team A, B's record does not exist.
    NotFound,
    /// 422 validation_failed naming this field: B's record is no valid input on team A.
    Invalid(&'static str),
    /// 200 and `[]`: one of A's lists filtered by B's record finds nothing.
    Nothing,
    /// 404, 409 or 422, and nothing of B's record in the answer.
    RefusedWithoutLeak,
}

struct Foreign {
    method: &'static str,
    /// Team A's path: `{a}` and `{a_client}` are team A's, `{b_client}`, `{b_member}`,
    /// `{b_contact}`, … team B's (see `Ids`), `{new}` a fresh id, `{day}` the fixture's day.
    path: &'static str,
    body: fn(&Ids) -> Option<Value>,
    answer: Answer,
}

const fn f(
    method: &'static str,
    path: &'static str,
    body: fn(&Ids) -> Option<Value>,
    answer: Answer,
) -> Foreign {
    Foreign {
        method,
        path,
        body,
        answer,
    }
}

#[rustfmt::skip]
const FOREIGN: &[Foreign] = &[
    // B's records in the path: not found on team A.
    f("GET",    "/api/teams/{a}/clients/{b_client}",               |_| None,                                               NotFound),
    f("GET",    "/api/teams/{a}/clients/{b_client}/history",       |_| None,                                               NotFound),
    f("PATCH",  "/api/teams/{a}/clients/{b_client}",               |_| Some(json!({"version": 1, "external_id": "X"})),     NotFound),
    f("PUT",    "/api/teams/{a}/clients/{b_client}/case-manager",  |x| Some(json!({"staff_id": x.a_member})),              NotFound),
    f("POST",   "/api/teams/{a}/clients/{b_client}/transfer",      |x| Some(json!({"to_team_id": x.c})),                   NotFound),
    f("POST",   "/api/teams/{a}/clients/{b_client}/flags",         |_| Some(json!({"severity": "watch", "category": "other", "reason": "r"})),  NotFound),
    f("PUT",    "/api/teams/{a}/huddle/{day}/reviews/{b_client}",  |_| Some(json!({})),                                    NotFound),
    f("DELETE", "/api/teams/{a}/huddle/{day}/reviews/{b_client}",  |_| None,                                               NotFound),
    f("PATCH",  "/api/teams/{a}/contacts/{b_contact}",             |_| Some(json!({"version": 1, "status": "cancelled"})), NotFound),
    f("POST",   "/api/teams/{a}/flags/{b_flag}/acknowledge",       |_| Some(json!({})),                                    NotFound),
    f("POST",   "/api/teams/{a}/flags/{b_flag}/resolve",           |_| Some(json!({"outcome": "x"})),                      NotFound),
    f("POST",   "/api/teams/{a}/handoffs/{b_handoff}/acknowledge", |_| Some(json!({"synthesis": "x"})),                    NotFound),
    f("DELETE", "/api/teams/{a}/oncall/shifts/{b_shift}",          |_| None,                                               NotFound),
    f("DELETE", "/api/teams/{a}/display-tokens/{b_token}",         |_| None,                                               NotFound),
    f("DELETE", "/api/teams/{a}/members/{b_member}",               |_| None,                                               NotFound),
    f("DELETE", "/api/teams/{a}/absences/{b_absence}",             |_| None,                                               NotFound),
    f("GET",    "/api/teams/{a}/clients/{b_client}/card",          |_| None,                                               NotFound),
    f("GET",    "/api/teams/{a}/clients/{b_client}/assessments",   |_| None,                                               NotFound),
    f("GET",    "/api/teams/{a}/clients/{b_client}/plan",          |_| None,                                               NotFound),
    f("PUT",    "/api/teams/{a}/clients/{b_client}/plan",
      |_| Some(json!({"reviewed_on": "2026-01-05", "goals": []})),                                                         NotFound),
    f("POST",   "/api/teams/{a}/clients/{b_client}/assessments",
      |_| Some(json!({"factors": {"biomedical": 0, "behavioral": 0, "circumstantial": 0}})),                                NotFound),
    f("GET",    "/api/teams/{a}/clients/{b_client}/screening",     |_| None,                                               NotFound),
    f("PUT",    "/api/teams/{a}/clients/{b_client}/screening",     |_| Some(crate::fixture::screening_body()),             NotFound),
    f("POST",   "/api/teams/{a}/clients/{b_client}/screening/decision",
      |_| Some(json!({"decision": "decline", "reason": "r"})),                                                              NotFound),
    f("DELETE", "/api/teams/{a}/visit-series/{b_series}",          |_| None,                                               NotFound),
    f("GET",    "/api/teams/{a}/clients/{b_client}/transition",    |_| None,                                               NotFound),
    f("GET",    "/api/teams/{a}/clients/{b_client}/checkins",      |_| None,                                               NotFound),
    f("POST",   "/api/teams/{a}/clients/{b_client}/return",        |_| Some(json!({})),                                    NotFound),
    f("POST",   "/api/teams/{a}/clients/{b_client}/transition/cancel", |_| None,                                           NotFound),
    f("POST",   "/api/teams/{a}/clients/{b_client}/transition",
      |_| Some(json!({"readiness": {"housing": "ready", "hospitalization": "ready", "emergency_use": "ready",
                                    "engagement": "ready", "medication": "ready", "justice": "ready"}, "plan": "discharge"})), NotFound),
    f("GET",    "/api/teams/{a}/clients/{b_client}/episodes",      |_| None,                                               NotFound),
    f("POST",   "/api/teams/{a}/clients/{b_client}/episodes",
      |_| Some(json!({"kind": "ed_visit", "start": "2025-06-01"})),                                                         NotFound),
    f("GET",    "/api/teams/{a}/clients/{b_client}/outcomes",      |_| None,                                               NotFound),

    // B's records in the body: invalid input on team A, naming the field.
    f("PUT",    "/api/teams/{a}/contacts/{new}",
      |x| Some(visit(&x.b_client, &[&x.a_member], DAY, "planned")),                                                        Invalid("client_id")),
    f("PUT",    "/api/teams/{a}/contacts/{new}",
      |x| Some(visit(&x.a_client, &[&x.b_member], DAY, "planned")),                                                        Invalid("staff_ids")),
    f("POST",   "/api/teams/{a}/handoffs",
      |x| Some(json!({"to_staff_id": x.a_member, "items": [{"client_id": x.b_client, "severity": "stable", "summary": "s"}]})),
                                                                                                                           Invalid("items[0].client_id")),
    f("POST",   "/api/teams/{a}/handoffs",
      |x| Some(json!({"to_staff_id": x.b_member, "items": [{"client_id": x.a_client, "severity": "stable", "summary": "s"}]})),
                                                                                                                           Invalid("to_staff_id")),
    f("PUT",    "/api/teams/{a}/huddle/{day}/focus",               |x| Some(json!({"client_id": x.b_client})),             Invalid("client_id")),
    f("PUT",    "/api/teams/{a}/clients/{a_client}/case-manager",  |x| Some(json!({"staff_id": x.b_member})),              Invalid("case_manager_id")),
    f("PATCH",  "/api/teams/{a}/clients/{a_client}",
      |x| Some(json!({"version": 1, "case_manager_id": x.b_member})),                                                      Invalid("case_manager_id")),
    f("POST",   "/api/teams/{a}/clients",
      |x| Some(json!({"given_name": "X", "family_name": "Y", "case_manager_id": x.b_member})),                             Invalid("case_manager_id")),
    f("POST",   "/api/teams/{a}/oncall/shifts",
      |x| Some(json!({"staff_id": x.b_member, "starts_local": "2030-02-01T09:00", "ends_local": "2030-02-01T17:00"})),     Invalid("staff_id")),
    f("POST",   "/api/teams/{a}/contacts/reassign",
      |x| Some(json!({"day": DAY, "from_staff_id": x.a_member, "to_staff_id": x.b_member})),                              Invalid("to_staff_id")),
    f("POST",   "/api/teams/{a}/absences",
      |x| Some(json!({"staff_id": x.b_member, "from": DAY, "to": DAY})),                                                   Invalid("staff_id")),
    f("POST",   "/api/teams/{a}/absences",
      |x| Some(json!({"staff_id": x.a_member, "from": DAY, "to": DAY, "covered_by": x.b_member})),                          Invalid("covered_by")),
    f("POST",   "/api/teams/{a}/handoffs",
      |x| Some(json!({"to_staff_id": x.a_member, "items": [{"client_id": x.a_client, "severity": "stable", "summary": "s",
                      "actions": [{"text": "call", "owner_id": x.b_member}]}]})),
                                                                                                                           Invalid("items[0].actions[0].owner_id")),

    f("POST",   "/api/teams/{a}/visit-series",
      |x| Some(series(&x.b_client, &x.a_member)),                                                                          Invalid("client_id")),
    f("POST",   "/api/teams/{a}/visit-series",
      |x| Some(series(&x.a_client, &x.b_member)),                                                                          Invalid("staff_ids")),

    // B's contact id reused on team A, with A's own visit.
    f("PUT",    "/api/teams/{a}/contacts/{b_contact}",
      |x| Some(visit(&x.a_client, &[&x.a_member], DAY, "planned")),                                                        RefusedWithoutLeak),

    // A's lists filtered by B's records.
    f("GET",    "/api/teams/{a}/contacts?client_id={b_client}",    |_| None,                                               Nothing),
    f("GET",    "/api/teams/{a}/contacts?staff_id={b_member}",     |_| None,                                               Nothing),
    f("GET",    "/api/teams/{a}/flags?client_id={b_client}",       |_| None,                                               Nothing),
    f("GET",    "/api/teams/{a}/handoffs?client_id={b_client}",    |_| None,                                               Nothing),
];

/// Team A (a lead, a member, a client), team B with one record of each kind, and team C,
/// which team A's lead leads too (a transfer's destination).
struct Ids {
    a: String,
    a_client: String,
    a_member: String,
    c: String,
    b_client: String,
    b_member: String,
    b_contact: String,
    b_flag: String,
    b_handoff: String,
    b_shift: String,
    b_token: String,
    b_absence: String,
    b_series: String,
}

fn series(client: &str, staff: &str) -> Value {
    json!({"client_id": client, "staff_ids": [staff], "first_day": DAY, "every_days": 7,
           "start": "07:00", "end": "07:30", "kind": "phone", "place": "office", "activity": "a"})
}

impl Ids {
    fn path(&self, template: &str) -> String {
        let path = [
            ("{a}", &self.a),
            ("{a_client}", &self.a_client),
            ("{b_client}", &self.b_client),
            ("{b_member}", &self.b_member),
            ("{b_contact}", &self.b_contact),
            ("{b_flag}", &self.b_flag),
            ("{b_handoff}", &self.b_handoff),
            ("{b_shift}", &self.b_shift),
            ("{b_token}", &self.b_token),
            ("{b_absence}", &self.b_absence),
            ("{b_series}", &self.b_series),
        ]
        .iter()
        .fold(template.to_string(), |p, (k, v)| p.replace(k, v))
        .replace("{day}", DAY)
        .replace("{new}", &new_id());
        assert!(!path.contains('{'), "no value for a placeholder: {path}");
        path
    }
}

async fn other_teams_records_are_invisible(app: TestApp) {
    let a = id(&app.create_team("Team A", "act").await);
    let b = id(&app.create_team("Team B", "act").await);
    let (a_lead_id, a_lead) = app.member(&a, "alead", "lead").await;
    let c = id(&app.create_team("Team C", "act").await);
    app.put(
        &format!("/api/teams/{c}/members/{a_lead_id}"),
        &app.admin_token,
        json!({"role": "lead"}),
    )
    .await
    .expect(200);
    let (a_member, _) = app.member(&a, "amember", "member").await;
    let (_, b_lead) = app.member(&b, "blead", "lead").await;
    let (b_member, b_member_token) = app.member(&b, "bmember", "member").await;
    let a_client = id(&refer(&app, &a, &a_lead, "Ann", "Ours").await);
    let b_client = id(&refer(&app, &b, &b_lead, "Ben", "Theirs").await);
    let b_contact = new_id();
    app.put(
        &format!("/api/teams/{b}/contacts/{b_contact}"),
        &b_member_token,
        visit(&b_client, &[&b_member], DAY, "planned"),
    )
    .await
    .expect(201);
    let b_flag = id(&app
        .post(
            &format!("/api/teams/{b}/clients/{b_client}/flags"),
            &b_member_token,
            json!({"severity": "urgent", "category": "other", "reason": "r"}),
        )
        .await
        .expect(201));
    let b_handoff = id(&app
        .post(
            &format!("/api/teams/{b}/handoffs"),
            &b_lead,
            json!({"to_staff_id": b_member, "items": [{"client_id": b_client, "severity": "watcher", "summary": "s"}]}),
        )
        .await
        .expect(201));
    let b_shift = id(&app
        .post(
            &format!("/api/teams/{b}/oncall/shifts"),
            &b_lead,
            json!({"staff_id": b_member, "starts_local": format!("{DAY}T09:00"), "ends_local": format!("{DAY}T17:00")}),
        )
        .await
        .expect(201));
    let b_token = id(&app
        .post(
            &format!("/api/teams/{b}/display-tokens"),
            &b_lead,
            json!({"label": "B's room", "privacy": "initials"}),
        )
        .await
        .expect(201));
    let b_absence = id(&app
        .post(
            &format!("/api/teams/{b}/absences"),
            &b_lead,
            json!({"staff_id": b_member, "from": DAY, "to": DAY}),
        )
        .await
        .expect(201)["absence"]);
    let b_series = id(&app
        .post(
            &format!("/api/teams/{b}/visit-series"),
            &b_lead,
            series(&b_client, &b_member),
        )
        .await
        .expect(201)["series"]);
    app.put(
        &format!("/api/teams/{b}/huddle/{DAY}/reviews/{b_client}"),
        &b_lead,
        json!({}),
    )
    .await
    .expect(200);
    let b_seq = last_seq(&app, &b, &b_lead).await;
    let x = Ids {
        a,
        a_client,
        a_member,
        c,
        b_client: b_client.clone(),
        b_member,
        b_contact,
        b_flag,
        b_handoff,
        b_shift,
        b_token,
        b_absence,
        b_series,
    };

    let mut failures = vec![];
    for row in FOREIGN {
        let path = x.path(row.path);
        let cell = format!("{} {path} ({:?})", row.method, row.answer);
        let method = Method::from_bytes(row.method.as_bytes()).unwrap();
        let before = unchanged::fingerprint(&app).await;
        let r = app.call(method, &path, Some(&a_lead), (row.body)(&x)).await;
        let after = unchanged::fingerprint(&app).await;
        if let Some(d) = unchanged::difference(&before, &after) {
            failures.push(format!("{cell}: changed {d}"));
        }
        let ok = match row.answer {
            NotFound => is_problem(&r, 404, "not_found"),
            Invalid(field) => {
                is_problem(&r, 422, "validation_failed")
                    && fields(&r.body).iter().any(|f| f == field)
            }
            Nothing => r.status == 200 && r.body == json!([]),
            RefusedWithoutLeak => {
                matches!(r.status.as_u16(), 404 | 409 | 422)
                    && !r.body.to_string().contains(&b_client)
                    && r.body.get("current").is_none()
            }
        };
        if !ok {
            failures.push(format!("{cell}: got {r:?}"));
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {} requests naming team B's records through team A's paths answered wrongly:\n  {}",
        failures.len(),
        FOREIGN.len(),
        failures.join("\n  ")
    );

    // B is untouched, and no one on A read B's client.
    assert_eq!(last_seq(&app, &b, &b_lead).await, b_seq);
    let client = app
        .get(&format!("/api/teams/{b}/clients/{b_client}"), &b_lead)
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
    let b_team = b.clone();
    let readers: Vec<Option<String>> = db(&app, move |c| {
        audit_log::table
            .filter(audit_log::client_id.eq(b_client))
            .filter(audit_log::action.eq("view"))
            .filter(audit_log::team_id.eq(b_team.clone()))
            .select(audit_log::staff_id)
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

/// A problem+json answer with this status and code, and a detail.
fn is_problem(r: &Resp, status: u16, code: &str) -> bool {
    r.status == status
        && r.content_type == "application/problem+json"
        && r.body["code"] == code
        && r.body["detail"].as_str().is_some_and(|d| !d.is_empty())
}
