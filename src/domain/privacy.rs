//! What a privacy ("initials") display may receive: no client names and no text a person
//! typed (flag reasons and outcomes, contact activities and notes, handoff text). Applied to
//! the board and, through `store::events::EventKind::redact` (which decides every kind, and
//! sends an unknown one without its data), to every event.
//!
//! Records are reduced to a whitelist of fields: a field added to a record later stays off
//! privacy displays until it is listed here.

use serde_json::{json, Map, Value};

/// A flag on a wall: who (initials), how bad, what kind, since when, who is on it (ids,
/// times and the version are not typed text; `reason` is sent blank).
const FLAG_FIELDS: &[&str] = &[
    "id",
    "team_id",
    "client_id",
    "initials",
    "severity",
    "category",
    "raised_by",
    "raised_at",
    "responders",
    "escalated_at",
    "resolved_at",
    "version",
];
const RESPONDER_FIELDS: &[&str] = &["staff_id", "initials", "at"];

/// A client record (event) or board row, without names; `display_name` becomes the initials.
const CLIENT_FIELDS: &[&str] = &[
    "id",
    "team_id",
    "initials",
    "status",
    "risk_tier",
    "case_manager_id",
    "version",
    "created_at",
    "updated_at",
    "discharge_reason",
    "discharged_on",
    "discharged_at",
    // Board rows.
    "open_flags",
    "today",
    "last_contact_at",
    "days_since_contact",
    "contacts_this_week",
    "face_to_face_this_week",
    "contacts_7d",
    "face_to_face_7d",
    "since_last_huddle",
    "reviewed",
    // Away (an open admission, crisis bed or jail): only that, never where or since when.
    "away",
];

/// A visit without its note (and with its activity blank).
const CONTACT_FIELDS: &[&str] = &[
    "id",
    "team_id",
    "client_id",
    "staff_ids",
    "day",
    "start",
    "end",
    "occurred_at",
    "kind",
    "place",
    "status",
    "minutes",
    "version",
    "created_by",
    "created_at",
    "updated_at",
    "series_id",
];

/// A recurring visit without its activity (typed text, sent blank).
const SERIES_FIELDS: &[&str] = &[
    "id",
    "team_id",
    "client_id",
    "staff_ids",
    "first_day",
    "every_days",
    "until",
    "start",
    "end",
    "kind",
    "place",
    "created_by",
    "created_at",
    "ended_at",
    "ended_by",
];

/// A handoff without the read-back; its items keep their documented shape with the text
/// blanked.
const HANDOFF_FIELDS: &[&str] = &[
    "id",
    "from_staff_id",
    "to_staff_id",
    "shift_id",
    "created_at",
    "due_at",
    "acknowledged_at",
    "overdue",
    "items",
];
const HANDOFF_ITEM_FIELDS: &[&str] = &["client_id", "severity"];

/// `flag.escalated`: the flag and whom to alert (ids only).
const ESCALATION_FIELDS: &[&str] = &["flag", "on_call_staff_id", "lead_ids", "alert_staff_ids"];

/// An absence: who, the days and who covers (`reason` is typed text).
const ABSENCE_FIELDS: &[&str] = &[
    "id",
    "team_id",
    "staff_id",
    "from",
    "to",
    "covered_by",
    "created_by",
    "created_at",
];

/// An assessment: that one was recorded, and when the next is due; never the ratings, the
/// evidence or an override's reason (the client's tier reaches the display as `client.updated`).
const ASSESSMENT_FIELDS: &[&str] = &[
    "id",
    "team_id",
    "client_id",
    "assessed_on",
    "next_due",
    "created_at",
];

/// A support plan: that it was written and when it is due for review; never the goals, the
/// client's words or the supports.
const PLAN_FIELDS: &[&str] = &[
    "client_id",
    "team_id",
    "reviewed_on",
    "review_due",
    "version",
    "updated_by",
    "updated_at",
];
/// A screening or its decision: that one was recorded, and when; never the answers, the
/// result, the recommendation, the decision or its reason.
const SCREENING_FIELDS: &[&str] = &["id", "team_id", "client_id", "screened_on", "created_at"];
/// A progress note: that one was added, never the note or the status.
const PROGRESS_FIELDS: &[&str] = &["id", "goal_id", "client_id", "recorded_by", "recorded_at"];

/// An episode on a wall: only that the client is away (or back), never the kind, the days or
/// the note.
const EPISODE_FIELDS: &[&str] = &["id", "team_id", "client_id", "away", "version"];
/// A reviewer's fidelity rating: the item and score, never the note.
const RATING_FIELDS: &[&str] = &[
    "id",
    "team_id",
    "item",
    "period_to",
    "score",
    "rated_by",
    "rated_at",
];

/// Keep only `fields` of an object; anything that is not an object becomes `{}`.
/// A client import on a wall: how many clients were created and updated (no ids, no names;
/// the display reads its board again).
const IMPORT_FIELDS: &[&str] = &["created", "updated"];

fn keep_only(v: &mut Value, fields: &[&str]) {
    let kept: Map<String, Value> = match v.as_object_mut() {
        Some(o) => fields
            .iter()
            .filter_map(|f| o.remove(*f).map(|x| (f.to_string(), x)))
            .collect(),
        None => Map::new(),
    };
    *v = Value::Object(kept);
}

fn each(v: &mut Value, key: &str, f: fn(&mut Value)) {
    if let Some(list) = v.get_mut(key).and_then(Value::as_array_mut) {
        list.iter_mut().for_each(f);
    }
}

/// Blanked rather than removed: the record keeps its documented shape (the OpenAPI
/// document's required fields), with no text in it.
fn blank(v: &mut Value, field: &str, with: Value) {
    if let Some(o) = v.as_object_mut() {
        o.insert(field.into(), with);
    }
}

pub fn redact_episode(e: &mut Value) {
    keep_only(e, EPISODE_FIELDS);
}

pub fn redact_rating(r: &mut Value) {
    keep_only(r, RATING_FIELDS);
}

pub fn redact_flag(f: &mut Value) {
    let was_record = f.is_object();
    keep_only(f, FLAG_FIELDS);
    if was_record {
        blank(f, "reason", json!(""));
    }
    each(f, "responders", |r| {
        keep_only(r, RESPONDER_FIELDS);
        let initials = r.get("initials").cloned().unwrap_or(json!(""));
        blank(r, "display_name", initials);
    });
}

/// `flag.escalated`'s payload.
pub fn redact_escalation(e: &mut Value) {
    keep_only(e, ESCALATION_FIELDS);
    if let Some(f) = e.get_mut("flag") {
        redact_flag(f);
    }
}

/// A client object (or board row): no names, `display_name` set to the initials, its flags
/// and visits reduced too.
pub fn redact_client(c: &mut Value) {
    keep_only(c, CLIENT_FIELDS);
    let initials = c.get("initials").cloned().unwrap_or(json!(""));
    c["display_name"] = initials;
    each(c, "today", redact_contact);
    each(c, "open_flags", redact_flag);
    if let Some(a) = c.get_mut("away").filter(|a| a.is_object()) {
        keep_only(a, &["episode_id"]);
        blank(a, "kind", Value::Null);
        blank(a, "since", Value::Null);
    }
}

pub fn redact_contact(c: &mut Value) {
    keep_only(c, CONTACT_FIELDS);
    blank(c, "activity", json!(""));
}

/// `contacts.series_created` / `contacts.series_ended`: the series and its visits, each
/// without typed text.
pub fn redact_series_contacts(v: &mut Value) {
    keep_only(v, &["series", "contacts"]);
    if let Some(s) = v.get_mut("series") {
        keep_only(s, SERIES_FIELDS);
        blank(s, "activity", json!(""));
    }
    each(v, "contacts", redact_contact);
}

pub fn redact_handoff(h: &mut Value) {
    keep_only(h, HANDOFF_FIELDS);
    each(h, "items", |it| {
        keep_only(it, HANDOFF_ITEM_FIELDS);
        // Blanked rather than removed: the item keeps its documented shape.
        it["summary"] = json!("");
        it["actions"] = json!([]);
        it["contingency"] = json!("");
    });
}

/// An absence: the dates and who covers, never the reason someone typed.
pub fn redact_absence(a: &mut Value) {
    keep_only(a, ABSENCE_FIELDS);
}

/// An assessment as a privacy display may see it (see `ASSESSMENT_FIELDS`).
pub fn redact_assessment(a: &mut Value) {
    keep_only(a, ASSESSMENT_FIELDS);
}

/// A support plan as a privacy display may see it (see `PLAN_FIELDS`).
pub fn redact_plan(p: &mut Value) {
    keep_only(p, PLAN_FIELDS);
}

/// A goal's progress note as a privacy display may see it (see `PROGRESS_FIELDS`).
pub fn redact_progress(p: &mut Value) {
    keep_only(p, PROGRESS_FIELDS);
}

/// A screening as a privacy display may see it (see `SCREENING_FIELDS`).
pub fn redact_screening(v: &mut Value) {
    keep_only(v, SCREENING_FIELDS);
}

/// `clients.imported`: counts only.
pub fn redact_clients_imported(v: &mut Value) {
    keep_only(v, IMPORT_FIELDS);
}

/// A transition: ids, its state and days (no readiness, plan, target or hand-off words).
const TRANSITION_FIELDS: &[&str] = &[
    "id",
    "team_id",
    "client_id",
    "state",
    "started_at",
    "completed_on",
    "version",
];

/// A check-in: ids and its day (no outcome, no note).
const CHECKIN_FIELDS: &[&str] = &["id", "team_id", "client_id", "after_days", "due_on"];

/// A transition as a privacy display may see it (see `TRANSITION_FIELDS`).
pub fn redact_transition(t: &mut Value) {
    keep_only(t, TRANSITION_FIELDS);
}

/// A check-in as a privacy display may see it (see `CHECKIN_FIELDS`).
pub fn redact_checkin(c: &mut Value) {
    keep_only(c, CHECKIN_FIELDS);
}

/// A whole board as a privacy display may see it.
pub fn redact_board(board: &mut Value) {
    each(board, "clients", redact_client);
    each(board, "open_flags", redact_flag);
    each(board, "handoffs", redact_handoff);
    // Care items due: the counts (`due_counts`) only.
    if board.get("due").is_some() {
        board["due"] = json!([]);
    }
    board["privacy"] = json!("initials");
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn transitions_and_checkins_keep_no_words() {
        let mut t = json!({"id": "t", "team_id": "a", "client_id": "c", "readiness": {"housing": "ready"},
            "readiness_words": "Consider", "plan": "discharge", "note": "moving to her sister",
            "handoff": {"summary": "Ann stable"}, "state": "open", "started_at": "x", "version": 1});
        redact_transition(&mut t);
        assert_eq!(
            t,
            json!({"id": "t", "team_id": "a", "client_id": "c", "state": "open", "started_at": "x", "version": 1})
        );
        let mut c = json!({"id": "k", "team_id": "a", "client_id": "c", "after_days": 30, "due_on": "2027-01-01",
            "outcome": "needs_support", "note": "relapsed"});
        redact_checkin(&mut c);
        assert_eq!(
            c,
            json!({"id": "k", "team_id": "a", "client_id": "c", "after_days": 30, "due_on": "2027-01-01"})
        );
        let mut b = json!({"clients": [], "due": [{"client_id": "c", "display_name": "Ann Lee"}], "due_counts": {"due": 1, "overdue": 0}});
        redact_board(&mut b);
        assert_eq!(b["due"], json!([]));
        assert_eq!(b["due_counts"]["due"], 1);
    }

    #[test]
    fn away_is_all_a_wall_learns_of_an_episode() {
        let mut e = json!({"id": "e", "team_id": "t", "client_id": "c", "kind": "psychiatric_admission",
            "start": "2026-11-30", "end": null, "note": "sectioned", "team_involved": true, "away": true, "version": 1});
        redact_episode(&mut e);
        assert_eq!(
            e,
            json!({"id": "e", "team_id": "t", "client_id": "c", "away": true, "version": 1})
        );
        let mut c = json!({"id": "c", "initials": "A.L.", "display_name": "Ann Lee",
            "away": {"episode_id": "e", "kind": "jail", "since": "2026-11-30"}});
        redact_client(&mut c);
        assert_eq!(
            c["away"],
            json!({"episode_id": "e", "kind": null, "since": null})
        );
        assert_eq!(c["display_name"], json!("A.L."));
        let mut r = json!({"id": "r", "item": "H4", "score": 3, "note": "lead rarely visits"});
        redact_rating(&mut r);
        assert_eq!(r, json!({"id": "r", "item": "H4", "score": 3}));
    }

    #[test]
    fn plans_and_progress_keep_no_words() {
        let mut p = json!({"client_id": "c", "goals": [{"in_own_words": "get my kids back"}], "natural_supports": "sister Ana",
            "reviewed_on": "2026-12-01", "review_due": "2027-03-01", "version": 2});
        redact_plan(&mut p);
        assert_eq!(
            p,
            json!({"client_id": "c", "reviewed_on": "2026-12-01", "review_due": "2027-03-01", "version": 2})
        );
        let mut n = json!({"id": "n", "goal_id": "g", "client_id": "c", "achievement": "worsening", "note": "relapsed"});
        redact_progress(&mut n);
        assert_eq!(n, json!({"id": "n", "goal_id": "g", "client_id": "c"}));
    }

    #[test]
    fn assessments_keep_only_ids_and_days() {
        let mut a = json!({"id": "a", "client_id": "c", "factors": {"biomedical": 3}, "evidence": {"behavioral": "overdosed at home"},
            "override_reason": "her son called", "explanation": "High", "tier": "high", "assessed_on": "2026-12-01", "next_due": "2027-06-01"});
        redact_assessment(&mut a);
        assert_eq!(
            a,
            json!({"id": "a", "client_id": "c", "assessed_on": "2026-12-01", "next_due": "2027-06-01"})
        );
    }

    #[test]
    fn clients_lose_names() {
        let mut c = json!({"id": "1", "given_name": "Ann", "family_name": "Lee", "preferred_name": "Annie",
            "display_name": "Annie Lee", "initials": "AL", "today": [{"id": "c", "note": "talked about Ann's sister", "activity": "Ann's sister"}],
            "open_flags": [{"id": "f", "reason": "Ann Lee at 12 Elm St", "severity": "urgent"}]});
        redact_client(&mut c);
        let s = c.to_string();
        assert!(
            !s.contains("Ann") && !s.contains("Lee") && !s.contains("sister"),
            "{s}"
        );
        assert_eq!(c["display_name"], "AL");
        assert_eq!(c["open_flags"][0]["severity"], "urgent");
    }

    #[test]
    fn flags_are_a_whitelist() {
        let mut f = json!({"id": "f", "client_id": "c", "initials": "AL", "severity": "emergency",
            "category": "self_harm", "reason": "Ann Lee overdosed at 12 Elm St", "outcome": "her son called 911",
            "raised_by": "s", "raised_at": "t", "some_future_note": "Ann", "escalated_at": null,
            "responders": [{"staff_id": "s", "initials": "SM", "display_name": "Sam Moss", "at": "t"}]});
        redact_flag(&mut f);
        assert_eq!(
            f,
            json!({"id": "f", "client_id": "c", "initials": "AL", "severity": "emergency",
                "category": "self_harm", "raised_by": "s", "raised_at": "t", "escalated_at": null,
                "reason": "", "responders": [{"staff_id": "s", "initials": "SM", "display_name": "SM", "at": "t"}]})
        );
        let mut not_an_object = json!("Ann Lee");
        redact_flag(&mut not_an_object);
        assert_eq!(not_an_object, json!({}));
    }

    #[test]
    fn handoffs_keep_their_shape_without_text() {
        let mut h = json!({"id": "h", "synthesis": "Ann", "items": [{"client_id": "c", "severity": "watcher",
            "summary": "Ann", "actions": [{"what": "call Ann"}], "contingency": "Ann", "owner_note": "Ann"}]});
        redact_handoff(&mut h);
        assert!(!h.to_string().contains("Ann"), "{h}");
        assert_eq!(h["items"][0]["summary"], "");
    }

    #[test]
    fn client_details_never_reach_a_display() {
        let mut c = json!({"id": "1", "initials": "AL", "status": "active", "details": {
            "phone": "555-0199", "address": "12 Elm St", "crisis_plan": "call her sister",
            "emergency_contact": "Sis 555-0100"}, "phone": "555-0199", "crisis_plan": "x"});
        redact_client(&mut c);
        let s = c.to_string();
        assert!(
            !s.contains("555")
                && !s.contains("Elm")
                && !s.contains("details")
                && !s.contains("crisis"),
            "{s}"
        );
    }

    #[test]
    fn series_events_lose_typed_text() {
        let mut v = json!({"series": {"id": "s", "activity": "Ann's depot", "every_days": 14,
            "note": "Ann"}, "contacts": [{"id": "k", "activity": "Ann's depot", "note": "Ann",
            "series_id": "s", "status": "planned"}], "extra": "Ann"});
        redact_series_contacts(&mut v);
        assert!(!v.to_string().contains("Ann"), "{v}");
        assert_eq!(v["series"]["activity"], "");
        assert_eq!(v["series"]["every_days"], 14);
        assert_eq!(v["contacts"][0]["series_id"], "s");
        assert_eq!(v["contacts"][0]["activity"], "");
    }
}
