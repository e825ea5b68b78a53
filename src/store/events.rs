//! The event vocabulary and the team's event log as read and written by use cases.
//!
//! Every change to a team's state is one `Event`: its kind (the `kind` of the websocket
//! frame and of the `events` row) and its payload (the changed record). The enum is the one
//! list of kinds: appends take it, the privacy redaction and the live layer's revocation
//! match on `EventKind` exhaustively, and the OpenAPI document describes it for clients.

use crate::auth::Principal;
use crate::db::events::{insert_event, last_seq};
use crate::db::models::EventRow;
use crate::db::schema::events as e;
use crate::db::{self, DbConn, Pool};
use crate::domain::privacy;
use crate::domain::team::Privacy;
use crate::error::{AppError, AppResult};
use crate::store::access::reader_access;
use crate::store::records::absence::{AbsenceDeleted, AbsenceOut};
use crate::store::records::assessment::AssessmentOut;
use crate::store::records::client::{ClientOut, ClientTransferredOut};
use crate::store::records::contact::{ContactOut, ContactsReassigned};
use crate::store::records::display::DisplayTokenRevoked;
use crate::store::records::episode::{EpisodeOut, FidelityRatingOut};
use crate::store::records::flag::{FlagEscalated, FlagOut};
use crate::store::records::handoff::HandoffOut;
use crate::store::records::huddle::{HuddleFocus, ReviewOut, ReviewUnmarked};
use crate::store::records::import::ClientsImported;
use crate::store::records::member::{MemberOut, MemberRemoved};
use crate::store::records::plan::{PlanOut, ProgressOut};
use crate::store::records::rota::PatternOut;
use crate::store::records::screening::ScreeningOut;
use crate::store::records::series::SeriesContacts;
use crate::store::records::shift::{ShiftDeleted, ShiftOut};
use crate::store::records::team::TeamOut;
use crate::store::records::transition::{CheckinOut, CheckinsScheduled, TransitionOut};
use crate::store::Timestamp;
use diesel::prelude::*;
use serde::Serialize;
use serde_json::Value;
use utoipa::ToSchema;

pub const MAX_LIMIT: i64 = 1000;

/// Declares `Event` (kind + payload) and `EventKind` (the kind alone) from one list, so the
/// two can never disagree.
macro_rules! vocabulary {
    ($($(#[doc = $doc:literal])* $variant:ident = $name:tt ($payload:ty),)*) => {
        /// One change to a team's state: `kind` names it, `data` is the changed record.
        #[derive(Serialize, ToSchema, Clone, Debug)]
        #[serde(tag = "kind", content = "data")]
        pub enum Event {
            $($(#[doc = $doc])* #[serde(rename = $name)] $variant($payload),)*
        }

        /// The kinds of event, as stored in `events.kind` and sent in live frames.
        #[derive(Serialize, ToSchema, Clone, Copy, Debug, PartialEq, Eq)]
        pub enum EventKind {
            $($(#[doc = $doc])* #[serde(rename = $name)] $variant,)*
        }

        impl Event {
            pub fn kind(&self) -> EventKind {
                match self {
                    $(Event::$variant(_) => EventKind::$variant,)*
                }
            }
        }

        impl EventKind {
            pub const ALL: &'static [EventKind] = &[$(EventKind::$variant,)*];

            pub fn as_str(self) -> &'static str {
                match self {
                    $(EventKind::$variant => $name,)*
                }
            }

            /// A stored kind; `None` for one this build does not know.
            pub fn parse(s: &str) -> Option<EventKind> {
                match s {
                    $($name => Some(EventKind::$variant),)*
                    _ => None,
                }
            }
        }
    };
}

vocabulary! {
    /// A team was created (its first event).
    TeamCreated = "team.created" (TeamOut),
    /// Team settings changed (name, mode, cap, time zone, privacy).
    TeamUpdated = "team.updated" (TeamOut),
    /// Someone joined the team, changed role, or was renamed.
    MemberUpdated = "member.updated" (MemberOut),
    /// Someone left the team: their live connections to it close.
    MemberRemoved = "member.removed" (MemberRemoved),
    ClientCreated = "client.created" (ClientOut),
    ClientUpdated = "client.updated" (ClientOut),
    /// The client moved to another team, its open flags with it (the receiving team gets
    /// `client.updated`, then `flag.transferred_in` for each flag).
    ClientTransferredOut = "client.transferred_out" (ClientTransferredOut),
    ContactCreated = "contact.created" (ContactOut),
    ContactUpdated = "contact.updated" (ContactOut),
    /// One person's planned visits of a day moved to another.
    ContactsReassigned = "contacts.reassigned" (ContactsReassigned),
    FlagRaised = "flag.raised" (FlagOut),
    FlagAcknowledged = "flag.acknowledged" (FlagOut),
    FlagResolved = "flag.resolved" (FlagOut),
    /// An emergency nobody answered in time: alert the on-call person and the leads.
    FlagEscalated = "flag.escalated" (FlagEscalated),
    /// An open flag arrived with a client transferred in from another team.
    FlagTransferredIn = "flag.transferred_in" (FlagOut),
    ShiftCreated = "shift.created" (ShiftOut),
    ShiftDeleted = "shift.deleted" (ShiftDeleted),
    /// The team's repeating on-call week was replaced (applying it creates shifts, each a
    /// `shift.created`).
    OncallPatternUpdated = "oncall.pattern_updated" (PatternOut),
    HandoffCreated = "handoff.created" (HandoffOut),
    HandoffAcknowledged = "handoff.acknowledged" (HandoffOut),
    ReviewMarked = "review.marked" (ReviewOut),
    ReviewUnmarked = "review.unmarked" (ReviewUnmarked),
    /// The huddle stepped to a client (or ended): every screen follows.
    HuddleFocus = "huddle.focus" (HuddleFocus),
    /// Screens using this display token lose access at once.
    DisplayTokenRevoked = "display_token.revoked" (DisplayTokenRevoked),
    /// Someone is out for some days (their planned visits moved first, in
    /// `contacts.reassigned` events of the same transaction).
    AbsenceCreated = "absence.created" (AbsenceOut),
    /// An absence was cancelled; moved visits stay where they are.
    AbsenceDeleted = "absence.deleted" (AbsenceDeleted),
    /// A recurring visit was set up: the series and all its planned visits (one event, not
    /// one `contact.created` per visit, to keep the log small).
    SeriesCreated = "contacts.series_created" (SeriesContacts),
    /// A recurring visit was ended: its future planned visits, now `cancelled`.
    SeriesEnded = "contacts.series_ended" (SeriesContacts),
    /// A client was assessed (when it is the latest and changes the tier, `client.updated`
    /// follows in the same transaction).
    AssessmentRecorded = "assessment.recorded" (AssessmentOut),
    /// A client's support plan was written (the whole plan, with its goals).
    PlanUpdated = "plan.updated" (PlanOut),
    /// A progress note was added to a goal of a client's plan.
    GoalProgressRecorded = "goal.progress_recorded" (ProgressOut),
    /// A CSV file of clients was imported: one event for the whole file (counts only), after
    /// which every board reads the team's clients again.
    ClientsImported = "clients.imported" (ClientsImported),
    /// A referred client was screened (the client moves to `screening`: `client.updated`
    /// comes first in the same transaction).
    ScreeningRecorded = "screening.recorded" (ScreeningOut),
    /// A lead accepted or declined a screened client (`client.updated` follows, with the
    /// status `active` or `declined`).
    ScreeningDecided = "screening.decided" (ScreeningOut),
    /// A lead started a client's transition (the client is `transitioning`: `client.updated`
    /// follows in the same transaction).
    TransitionStarted = "transition.started" (TransitionOut),
    /// The transition was carried out (transfer or discharge events come first in the same
    /// transaction); its check-ins are in the payload.
    TransitionCompleted = "transition.completed" (TransitionOut),
    /// The transition was called off (the client is active again).
    TransitionCancelled = "transition.cancelled" (TransitionOut),
    /// Check-ins at 30, 60 and 90 days were scheduled for a client who left the team.
    CheckinsScheduled = "checkins.scheduled" (CheckinsScheduled),
    /// A check-in was recorded.
    CheckinRecorded = "checkin.recorded" (CheckinOut),
    /// An admission, emergency visit, crisis bed, jail or homeless period was recorded; an
    /// open stay (`away`) shows the client as away on the board.
    EpisodeRecorded = "episode.recorded" (EpisodeOut),
    /// An episode ended (or was corrected).
    EpisodeUpdated = "episode.updated" (EpisodeOut),
    /// A reviewer rated a DACTS item the data cannot compute.
    FidelityRated = "fidelity.rated" (FidelityRatingOut),
}

impl EventKind {
    /// Redact `data` of this kind for a privacy ("initials") display: no client names and no
    /// typed text (flag reasons and outcomes, contact activities and notes, handoff text).
    /// Every kind is decided here (the match is exhaustive); the records are reduced to
    /// whitelists (`domain::privacy`).
    pub fn redact(self, data: &mut Value) {
        use EventKind::*;
        match self {
            ClientCreated | ClientUpdated => privacy::redact_client(data),
            ContactCreated | ContactUpdated => privacy::redact_contact(data),
            ContactsReassigned => {
                if let Some(list) = data.get_mut("contacts").and_then(Value::as_array_mut) {
                    list.iter_mut().for_each(privacy::redact_contact);
                }
            }
            HandoffCreated | HandoffAcknowledged => privacy::redact_handoff(data),
            FlagRaised | FlagAcknowledged | FlagResolved | FlagTransferredIn => {
                privacy::redact_flag(data)
            }
            FlagEscalated => privacy::redact_escalation(data),
            AbsenceCreated => privacy::redact_absence(data),
            AssessmentRecorded => privacy::redact_assessment(data),
            PlanUpdated => privacy::redact_plan(data),
            GoalProgressRecorded => privacy::redact_progress(data),
            SeriesCreated | SeriesEnded => privacy::redact_series_contacts(data),
            ClientsImported => privacy::redact_clients_imported(data),
            ScreeningRecorded | ScreeningDecided => privacy::redact_screening(data),
            TransitionStarted | TransitionCompleted | TransitionCancelled => {
                privacy::redact_transition(data)
            }
            CheckinsScheduled => {
                if let Some(list) = data.get_mut("checkins").and_then(Value::as_array_mut) {
                    list.iter_mut().for_each(privacy::redact_checkin);
                }
            }
            CheckinRecorded => privacy::redact_checkin(data),
            EpisodeRecorded | EpisodeUpdated => privacy::redact_episode(data),
            FidelityRated => privacy::redact_rating(data),
            // Names of teams and staff, ids, times, days: no client's name, no typed text
            // about a client.
            TeamCreated | TeamUpdated | MemberUpdated | MemberRemoved | ClientTransferredOut
            | ShiftCreated | ShiftDeleted | ReviewMarked | ReviewUnmarked | HuddleFocus
            | DisplayTokenRevoked | AbsenceDeleted | OncallPatternUpdated => {}
        }
    }

    /// The field of the payload naming whose access this event may have ended (a staff id or
    /// a display token id). A role change cannot end read access (viewers read too); a
    /// deactivation is caught by the live layer's periodic check.
    pub fn revokes(self) -> Option<&'static str> {
        use EventKind::*;
        match self {
            MemberRemoved => Some("staff_id"),
            DisplayTokenRevoked => Some("id"),
            TeamCreated | TeamUpdated | MemberUpdated | ClientCreated | ClientUpdated
            | ClientTransferredOut | ContactCreated | ContactUpdated | ContactsReassigned
            | FlagRaised | FlagAcknowledged | FlagResolved | FlagEscalated | FlagTransferredIn
            | ShiftCreated | ShiftDeleted | HandoffCreated | HandoffAcknowledged | ReviewMarked
            | ReviewUnmarked | HuddleFocus | AbsenceCreated | AbsenceDeleted
            | OncallPatternUpdated | SeriesCreated | SeriesEnded | AssessmentRecorded
            | PlanUpdated | GoalProgressRecorded | ClientsImported | ScreeningRecorded
            | ScreeningDecided | TransitionStarted | TransitionCompleted | TransitionCancelled
            | CheckinsScheduled | CheckinRecorded | EpisodeRecorded | EpisodeUpdated
            | FidelityRated => None,
        }
    }
}

/// The data of a stored event as a reader with `privacy` may see it; a kind this build does
/// not know is sent without its data (fail closed).
pub fn redact(kind: &str, data: &mut Value, privacy: Privacy) {
    if privacy == Privacy::Names {
        return;
    }
    match EventKind::parse(kind) {
        Some(k) => k.redact(data),
        None => *data = Value::Object(Default::default()),
    }
}

/// Append one event in the current transaction (after `lock_team`); returns its seq.
pub fn append(
    conn: &mut DbConn,
    team_id: &str,
    event: Event,
    actor: Option<&str>,
) -> AppResult<i64> {
    let kind = event.kind().as_str();
    let payload = match serde_json::to_value(&event).map_err(AppError::internal)? {
        Value::Object(mut m) => m.remove("data").unwrap_or(Value::Null),
        _ => return Err(AppError::internal("an event serialized to a non-object")),
    };
    let payload = serde_json::to_string(&payload).map_err(AppError::internal)?;
    // Every change is in the audit trail too (same transaction): who, which kind, which client.
    crate::store::audit::record(
        conn,
        actor,
        crate::domain::audit::Action::Change,
        Some(team_id),
        event.client_id(),
        kind,
    )?;
    insert_event(conn, team_id, kind, &payload, actor)
}

impl Event {
    /// The one client this change is about, for the audit trail (None: a team-wide change, or
    /// one about several clients).
    pub fn client_id(&self) -> Option<&str> {
        use Event::*;
        match self {
            ClientCreated(c) | ClientUpdated(c) => Some(&c.id),
            ClientTransferredOut(c) => Some(&c.id),
            ContactCreated(c) | ContactUpdated(c) => Some(&c.client_id),
            FlagRaised(f) | FlagAcknowledged(f) | FlagResolved(f) | FlagTransferredIn(f) => {
                Some(&f.client_id)
            }
            FlagEscalated(e) => Some(&e.flag.client_id),
            ReviewMarked(r) => Some(&r.client_id),
            ReviewUnmarked(r) => Some(&r.client_id),
            HuddleFocus(h) => h.client_id.as_deref(),
            SeriesCreated(s) | SeriesEnded(s) => Some(&s.series.client_id),
            AssessmentRecorded(a) => Some(&a.client_id),
            PlanUpdated(p) => Some(&p.client_id),
            GoalProgressRecorded(p) => Some(&p.client_id),
            ScreeningRecorded(x) | ScreeningDecided(x) => Some(&x.client_id),
            TransitionStarted(t) | TransitionCompleted(t) | TransitionCancelled(t) => {
                Some(&t.client_id)
            }
            CheckinsScheduled(c) => Some(&c.client_id),
            CheckinRecorded(c) => Some(&c.client_id),
            EpisodeRecorded(e) | EpisodeUpdated(e) => Some(&e.client_id),
            TeamCreated(_)
            | TeamUpdated(_)
            | MemberUpdated(_)
            | MemberRemoved(_)
            | ContactsReassigned(_)
            | ShiftCreated(_)
            | ShiftDeleted(_)
            | OncallPatternUpdated(_)
            | HandoffCreated(_)
            | HandoffAcknowledged(_)
            | DisplayTokenRevoked(_)
            | AbsenceCreated(_)
            | AbsenceDeleted(_)
            | ClientsImported(_)
            | FidelityRated(_) => None,
        }
    }
}

/// An event as clients receive it (the REST log, replay and live frames).
#[derive(Serialize, ToSchema, Clone, Debug)]
pub struct EventOut {
    pub seq: i64,
    /// One of `EventKind`.
    #[schema(value_type = EventKind)]
    pub kind: String,
    /// The changed record (the payload of `Event` for this kind), redacted on a privacy display.
    #[schema(value_type = Object)]
    pub data: Value,
    pub actor: Option<String>,
    pub at: Timestamp,
}

impl EventOut {
    pub fn kind(&self) -> Option<EventKind> {
        EventKind::parse(&self.kind)
    }

    /// The staff id or display token id whose access this event may have ended.
    pub fn revoked_id(&self) -> Option<&str> {
        self.kind()?.revokes().and_then(|f| self.data[f].as_str())
    }
}

#[derive(Serialize, ToSchema)]
pub struct EventPage {
    pub events: Vec<EventOut>,
    /// The team's latest seq when read: more remain when the last event's seq is below it.
    pub last_seq: i64,
}

pub fn to_out(r: EventRow, privacy: Privacy) -> EventOut {
    let mut data: Value = serde_json::from_str(&r.payload).unwrap_or(Value::Null);
    redact(&r.kind, &mut data, privacy);
    EventOut {
        seq: r.seq,
        kind: r.kind,
        data,
        actor: r.actor,
        at: r.at.into(),
    }
}

/// Events of a team after `since`, in seq order.
pub fn after(conn: &mut DbConn, team_id: &str, since: i64, limit: i64) -> AppResult<Vec<EventRow>> {
    Ok(e::table
        .filter(e::team_id.eq(team_id))
        .filter(e::seq.gt(since))
        .order(e::seq.asc())
        .limit(limit)
        .select(EventRow::as_select())
        .load(conn)?)
}

/// The team's events after `since`, oldest first, as `principal` may see them.
pub async fn page(
    pool: &Pool,
    principal: Principal,
    team_id: String,
    since: i64,
    limit: i64,
) -> AppResult<EventPage> {
    db::run(pool, move |conn| {
        let privacy = reader_access(conn, &principal, &team_id, None)?;
        db::read_tx(conn, |conn| {
            let last_seq = last_seq(conn, &team_id)?;
            let events = after(conn, &team_id, since, limit)?
                .into_iter()
                .map(|r| to_out(r, privacy))
                .collect();
            Ok(EventPage { events, last_seq })
        })
    })
    .await
}

/// Up to `limit` events after `from`, as a reader with `privacy` sees them (a live replay).
pub async fn replay(
    pool: &Pool,
    team_id: String,
    from: i64,
    limit: i64,
    privacy: Privacy,
) -> AppResult<Vec<EventOut>> {
    db::run(pool, move |conn| {
        Ok(after(conn, &team_id, from, limit)?
            .into_iter()
            .map(|r| to_out(r, privacy))
            .collect())
    })
    .await
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn kinds_round_trip_and_are_unique() {
        let mut seen = std::collections::HashSet::new();
        for k in EventKind::ALL {
            assert_eq!(EventKind::parse(k.as_str()), Some(*k));
            assert_eq!(serde_json::to_value(k).unwrap(), json!(k.as_str()));
            assert!(seen.insert(k.as_str()), "{} twice", k.as_str());
        }
        assert_eq!(EventKind::parse("something.new"), None);
    }

    #[test]
    fn an_event_is_its_kind_and_payload() {
        let e = Event::ShiftDeleted(ShiftDeleted { id: "s1".into() });
        assert_eq!(e.kind(), EventKind::ShiftDeleted);
        assert_eq!(
            serde_json::to_value(&e).unwrap(),
            json!({"kind": "shift.deleted", "data": {"id": "s1"}})
        );
    }

    #[test]
    fn redaction_fails_closed() {
        let mut d = json!({"secret": "Ann Lee"});
        redact("something.new", &mut d, Privacy::Initials);
        assert_eq!(d, json!({}));
        let mut d = json!({"secret": "Ann Lee"});
        redact("something.new", &mut d, Privacy::Names);
        assert_eq!(d, json!({"secret": "Ann Lee"}));
        let mut h = json!({"items": [{"client_id": "x", "severity": "watcher", "summary": "Ann", "actions": ["a"], "contingency": "c"}], "synthesis": "s"});
        redact("handoff.created", &mut h, Privacy::Initials);
        assert_eq!(
            h,
            json!({"items": [{"client_id": "x", "severity": "watcher", "summary": "", "actions": [], "contingency": ""}]})
        );
        let mut a = json!({"id": "a", "staff_id": "s", "from": "2026-12-01", "reason": "flu"});
        redact("absence.created", &mut a, Privacy::Initials);
        assert_eq!(a, json!({"id": "a", "staff_id": "s", "from": "2026-12-01"}));
        for kind in [
            "flag.raised",
            "flag.acknowledged",
            "flag.resolved",
            "flag.transferred_in",
        ] {
            let mut f = json!({"severity": "urgent", "reason": "Ann Lee, 12 Elm St", "outcome": "Ann safe"});
            redact(kind, &mut f, Privacy::Initials);
            assert_eq!(f, json!({"severity": "urgent", "reason": ""}), "{kind}");
        }
        let mut e = json!({"flag": {"id": "f", "reason": "Ann"}, "lead_ids": ["l"], "note": "Ann"});
        redact("flag.escalated", &mut e, Privacy::Initials);
        assert_eq!(
            e,
            json!({"flag": {"id": "f", "reason": ""}, "lead_ids": ["l"]})
        );
    }

    /// A real flag record, redacted: exactly the wall's whitelist (each listed field exists in
    /// the record, so a rename cannot silently drop it), no typed text.
    #[test]
    fn a_redacted_flag_is_the_whitelist() {
        let t = chrono::DateTime::UNIX_EPOCH.naive_utc();
        let row = crate::db::models::FlagRow {
            id: "f".into(),
            team_id: "t".into(),
            client_id: "c".into(),
            severity: "emergency".into(),
            reason: "Ann Lee at 12 Elm St".into(),
            raised_by: "s".into(),
            raised_at: t,
            acknowledged_by: Some("s".into()),
            acknowledged_at: Some(t),
            resolved_by: Some("s".into()),
            resolved_at: Some(t),
            outcome: Some("Ann safe at 12 Elm St".into()),
            version: 3,
            category: "self_harm".into(),
            escalated_at: Some(t),
        };
        let responder = crate::store::records::flag::ResponderOut {
            staff_id: "s".into(),
            display_name: "Sam Moss".into(),
            initials: "SM".into(),
            at: t.into(),
        };
        let flag = FlagOut::new(&row, "AL".into(), vec![responder]);
        let mut data = serde_json::to_value(Event::FlagResolved(flag)).unwrap()["data"].take();
        redact("flag.resolved", &mut data, Privacy::Initials);
        let keys: Vec<&str> = data
            .as_object()
            .unwrap()
            .keys()
            .map(String::as_str)
            .collect();
        let mut keys = keys;
        keys.sort_unstable();
        assert_eq!(
            keys,
            vec![
                "category",
                "client_id",
                "escalated_at",
                "id",
                "initials",
                "raised_at",
                "raised_by",
                "reason",
                "resolved_at",
                "responders",
                "severity",
                "team_id",
                "version"
            ]
        );
        assert_eq!(
            data["responders"],
            json!([{"staff_id": "s", "initials": "SM", "display_name": "SM", "at": "1970-01-01T00:00:00.000000Z"}])
        );
        let s = data.to_string();
        assert!(
            !s.contains("Ann") && !s.contains("Elm") && !s.contains("Sam"),
            "{s}"
        );
    }

    #[test]
    fn revocations_name_their_field() {
        let out = |kind: &str, data: Value| EventOut {
            seq: 1,
            kind: kind.into(),
            data,
            actor: None,
            at: chrono::DateTime::UNIX_EPOCH.into(),
        };
        assert_eq!(
            out("member.removed", json!({"staff_id": "s"})).revoked_id(),
            Some("s")
        );
        assert_eq!(
            out("display_token.revoked", json!({"id": "d"})).revoked_id(),
            Some("d")
        );
        assert_eq!(
            out("member.updated", json!({"staff_id": "s"})).revoked_id(),
            None
        );
    }
}
