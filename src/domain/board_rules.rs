//! The board's rules that the browser applies too: roster order, ICM caseload slots, weekly
//! and rolling contact counts, the "last seen" words, and who is on call now and next. The live model in `frontend/src/live/model.ts`
//! keeps a board current between snapshots with the same rules, so both implementations are
//! checked against one set of test vectors, `tests/vectors/board_rules.json` (this module's
//! tests and `frontend/src/live/board_rules.test.ts`). Change a rule here, in model.ts and in
//! the vectors together.

use crate::domain::client::{self, Status};
use crate::domain::contact::{ContactStatus, Kind};
use crate::domain::flag::Severity;
use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use std::cmp::Ordering;
use std::collections::BTreeMap;

// ---------------------------------------------------------------------------
// Roster order

/// The roster rank of a client without open flags: after every flagged client.
pub const UNFLAGGED: u8 = u8::MAX;

/// A client's roster rank from the severities of its OPEN flags (resolved flags must not be
/// passed): its worst flag's [`Severity::rank`] (emergency 0, urgent 1, watch 2, an unknown
/// severity 3), or [`UNFLAGGED`] without open flags. model.ts: `clientRank`.
pub fn roster_rank<'a>(open_severities: impl IntoIterator<Item = &'a str>) -> u8 {
    open_severities
        .into_iter()
        .map(Severity::rank)
        .min()
        .unwrap_or(UNFLAGGED)
}

/// The order of names (and ids) on the board: Unicode code point order of the exact
/// strings, which is UTF-8 byte order, `str::cmp`, and SQLite's default BINARY collation.
///
/// - Case-sensitive: every ASCII capital comes before every ASCII small letter
///   ("DeVries" < "Dean" < "de Vries").
/// - No locale, no accent folding: a letter outside ASCII sorts after all of ASCII and
///   among others by code point ("Zimmer" < "Ñúñez" (U+00D1) < "Østergaard" (U+00D8)).
/// - No Unicode normalization: a precomposed "é" and "e" + combining accent differ.
/// - A string sorts before every longer string it starts ("Li" < "Lin").
///
/// model.ts `compareText` gives the same order (JavaScript's `<` compares UTF-16 code
/// units, which differs from code point order when a character above U+FFFF meets one in
/// U+E000–U+FFFF, so it corrects for that).
pub fn compare_text(a: &str, b: &str) -> Ordering {
    a.cmp(b)
}

/// What the roster order looks at for one client. The board builder fills it from a row
/// (`family_name`/`given_name` as stored; a missing name counts as "").
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RosterKey<'a> {
    /// [`roster_rank`] of the client's open flags.
    pub rank: u8,
    pub family_name: &'a str,
    pub given_name: &'a str,
    pub id: &'a str,
}

/// The roster order (model.ts `compareClients`), a total order:
/// 1. flagged clients first, by their worst open flag (emergency, urgent, watch, unknown
///    severity), then clients without open flags ([`roster_rank`]);
/// 2. then family name, 3. then given name, 4. then id, each by [`compare_text`]
///    (case-sensitive code point order, see there).
///
/// The id makes the order total: two clients with the same rank and names always stand in
/// the same order on every screen and engine.
pub fn compare_roster(a: &RosterKey<'_>, b: &RosterKey<'_>) -> Ordering {
    a.rank
        .cmp(&b.rank)
        .then_with(|| compare_text(a.family_name, b.family_name))
        .then_with(|| compare_text(a.given_name, b.given_name))
        .then_with(|| compare_text(a.id, b.id))
}

/// A flag as the vectors give it; only open (unresolved) flags rank a client.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FlagFacts {
    pub severity: String,
    #[serde(default)]
    pub resolved: bool,
}

/// A client as the roster order sees it.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RosterEntry {
    pub id: String,
    pub family_name: String,
    pub given_name: String,
    /// The client's flags; resolved ones are ignored.
    #[serde(default)]
    pub flags: Vec<FlagFacts>,
}

impl RosterEntry {
    pub fn key(&self) -> RosterKey<'_> {
        RosterKey {
            rank: roster_rank(
                self.flags
                    .iter()
                    .filter(|f| !f.resolved)
                    .map(|f| f.severity.as_str()),
            ),
            family_name: &self.family_name,
            given_name: &self.given_name,
            id: &self.id,
        }
    }
}

/// The ids of `entries` in roster order ([`compare_roster`]).
pub fn roster_order(entries: &[RosterEntry]) -> Vec<&str> {
    let mut keys: Vec<RosterKey<'_>> = entries.iter().map(RosterEntry::key).collect();
    keys.sort_by(compare_roster);
    keys.into_iter().map(|k| k.id).collect()
}

// ---------------------------------------------------------------------------
// ICM caseload slots

/// Whose ICM slot a client holds: its case manager while the client is active or
/// transitioning; nobody for a referred, screening or discharged client (or an unknown
/// status), nor without a case manager. [`client::slot_holder`] on a stored status string;
/// model.ts `slotHolder`.
pub fn holds_slot<'a>(status: &str, case_manager: Option<&'a str>) -> Option<&'a str> {
    client::slot_holder(Status::parse(status)?, case_manager)
}

/// A client as the caseload rule sees it.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SlotFacts {
    pub status: String,
    pub case_manager_id: Option<String>,
}

impl SlotFacts {
    /// [`holds_slot`] of this client.
    pub fn holder(&self) -> Option<&str> {
        holds_slot(&self.status, self.case_manager_id.as_deref())
    }
}

/// Every case manager's caseload: how many of `clients` hold their slot (what
/// the board shows and `db::caseload` counts). Case managers holding none are absent.
pub fn slot_counts(clients: &[SlotFacts]) -> BTreeMap<String, i32> {
    let mut out = BTreeMap::new();
    for id in clients.iter().filter_map(SlotFacts::holder) {
        *out.entry(id.to_string()).or_insert(0) += 1;
    }
    out
}

/// One client write (`before` → `after`; None: not on the team before, or gone after, as a
/// transfer out) applied to the board's caseload counts, as model.ts `moveSlot` does (a
/// fresh board recounts with [`slot_counts`]): the slot of `before`'s holder is released (never below 0) and
/// `after`'s holder takes one; nothing changes when the holder stays the same. Only
/// counters present in `counts` change (a non-member holds no counter). The cap is not
/// checked here: the server refuses a write that would exceed it.
pub fn move_slot(
    counts: &mut BTreeMap<String, i32>,
    before: Option<&SlotFacts>,
    after: Option<&SlotFacts>,
) {
    let (release, take) = client::slot_change(
        before.and_then(SlotFacts::holder),
        after.and_then(SlotFacts::holder),
    );
    if let Some(n) = release.and_then(|id| counts.get_mut(id)) {
        *n = (*n - 1).max(0);
    }
    if let Some(n) = take.and_then(|id| counts.get_mut(id)) {
        *n += 1;
    }
}

// ---------------------------------------------------------------------------
// Weekly counts

/// A contact as the weekly counts see it.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ContactFacts {
    pub client_id: String,
    /// Team-local day of the contact.
    pub day: NaiveDate,
    pub status: String,
    pub kind: String,
}

/// A client's completed contacts in the board's week, and how many of them face to face.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct WeekCounts {
    pub all: i64,
    pub face_to_face: i64,
}

/// What one contact adds to its client's counts in the week `week_start..=week_end` (the
/// Monday and Sunday from `time::week_of` of the board's day): a completed contact on a day
/// of the week counts (any kind), and in `face_to_face` too when it was face to face;
/// planned, attempted (no answer), missed and cancelled contacts and days outside the week
/// count nothing.
/// model.ts `weekCounts`.
pub fn week_contribution(
    week_start: NaiveDate,
    week_end: NaiveDate,
    c: &ContactFacts,
) -> WeekCounts {
    if c.status != ContactStatus::Completed.as_str() || c.day < week_start || c.day > week_end {
        return WeekCounts::default();
    }
    WeekCounts {
        all: 1,
        face_to_face: i64::from(c.kind == Kind::FaceToFace.as_str()),
    }
}

/// Each client's [`WeekCounts`] from its contacts; clients with nothing counted are absent
/// (the board shows 0 for them).
pub fn week_counts(
    week_start: NaiveDate,
    week_end: NaiveDate,
    contacts: &[ContactFacts],
) -> BTreeMap<String, WeekCounts> {
    let mut out: BTreeMap<String, WeekCounts> = BTreeMap::new();
    for c in contacts {
        let w = week_contribution(week_start, week_end, c);
        if w.all > 0 {
            let e = out.entry(c.client_id.clone()).or_default();
            e.all += w.all;
            e.face_to_face += w.face_to_face;
        }
    }
    out
}

// ---------------------------------------------------------------------------
// Rolling counts and "last seen"

/// The first day of the rolling week of the board of `day`: the 7 team-local days ending on
/// `day`, inclusive. model.ts `rollingStart`.
pub fn rolling_start(day: NaiveDate) -> NaiveDate {
    day - chrono::Days::new(6)
}

/// A client's counts that roll with the board's day (no Monday reset): completed contacts in
/// the 7 days ending on it, of which face to face, and since the team's previous huddle
/// (null when the team had none before the board's day).
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RollingCounts {
    pub contacts_7d: i64,
    pub face_to_face_7d: i64,
    pub since_last_huddle: Option<i64>,
}

/// What one contact adds to its client's [`RollingCounts`] on the board of `day`, the team's
/// previous huddle being `last_huddle` (the latest day before `day` with a review mark): a
/// completed contact counts in the 7 days `rolling_start(day)..=day` (any kind; face to face
/// also on its own), and since the huddle when its day is in `last_huddle..=day` (the
/// huddle's own day included: visits follow the morning huddle). Days after the board's day
/// never count. model.ts `rollingCounts`.
pub fn rolling_contribution(
    day: NaiveDate,
    last_huddle: Option<NaiveDate>,
    c: &ContactFacts,
) -> RollingCounts {
    let done = c.status == ContactStatus::Completed.as_str() && c.day <= day;
    let in_week = done && c.day >= rolling_start(day);
    RollingCounts {
        contacts_7d: i64::from(in_week),
        face_to_face_7d: i64::from(in_week && c.kind == Kind::FaceToFace.as_str()),
        since_last_huddle: last_huddle.map(|h| i64::from(done && c.day >= h)),
    }
}

/// Each client's [`RollingCounts`]; clients with nothing counted are absent (the board shows
/// 0, and null since the huddle when there was none).
pub fn rolling_counts(
    day: NaiveDate,
    last_huddle: Option<NaiveDate>,
    contacts: &[ContactFacts],
) -> BTreeMap<String, RollingCounts> {
    let mut out: BTreeMap<String, RollingCounts> = BTreeMap::new();
    for c in contacts {
        let r = rolling_contribution(day, last_huddle, c);
        if r.contacts_7d > 0 || r.since_last_huddle.unwrap_or(0) > 0 {
            let e = out.entry(c.client_id.clone()).or_insert(RollingCounts {
                since_last_huddle: last_huddle.map(|_| 0),
                ..Default::default()
            });
            e.contacts_7d += r.contacts_7d;
            e.face_to_face_7d += r.face_to_face_7d;
            e.since_last_huddle = e
                .since_last_huddle
                .map(|n| n + r.since_last_huddle.unwrap_or(0));
        }
    }
    out
}

/// The words a screen shows for a client's last completed contact, from the team-local days
/// since it (the board's `days_since_contact`): never a "last 24 hours" window, so a client
/// seen on Friday reads "seen 3 days ago" on Monday, not "no contact". model.ts `lastSeenWords`.
pub fn last_seen_words(days_since_contact: Option<i64>) -> String {
    match days_since_contact {
        None => "never seen".into(),
        Some(d) if d <= 0 => "seen today".into(),
        Some(1) => "seen yesterday".into(),
        Some(d) => format!("seen {d} days ago"),
    }
}

// ---------------------------------------------------------------------------
// On call now

/// What the on-call rule needs of a shift (implement it for the server's shift type).
pub trait ShiftTimes {
    fn id(&self) -> &str;
    fn starts_at(&self) -> DateTime<Utc>;
    fn ends_at(&self) -> DateTime<Utc>;
}

/// A shift as the vectors give it.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ShiftFacts {
    pub id: String,
    pub starts_at: DateTime<Utc>,
    pub ends_at: DateTime<Utc>,
}

impl ShiftTimes for ShiftFacts {
    fn id(&self) -> &str {
        &self.id
    }
    fn starts_at(&self) -> DateTime<Utc> {
        self.starts_at
    }
    fn ends_at(&self) -> DateTime<Utc> {
        self.ends_at
    }
}

/// A shift covers the instants `[starts_at, ends_at)`: its start, not its end.
/// model.ts `covers`.
pub fn covers<S: ShiftTimes + ?Sized>(s: &S, now: DateTime<Utc>) -> bool {
    s.starts_at() <= now && now < s.ends_at()
}

/// Who is on call at `now`: of the shifts covering it, the one starting latest; of several
/// starting at the same instant, the one with the greatest id ([`compare_text`]), so every
/// screen and the server name the same person. None when no shift covers `now`.
/// model.ts `latestCovering` (and `onCallNow`).
pub fn on_call_now<S: ShiftTimes>(shifts: &[S], now: DateTime<Utc>) -> Option<&S> {
    shifts.iter().filter(|s| covers(*s, now)).max_by(|a, b| {
        a.starts_at()
            .cmp(&b.starts_at())
            .then_with(|| compare_text(a.id(), b.id()))
    })
}

/// Who is on call next after `now`: the shift starting soonest after `now` (not one already
/// covering it); of several starting at the same instant, the greatest id, as
/// [`on_call_now`] would pick once it starts. model.ts `nextOnCall`.
pub fn next_on_call<S: ShiftTimes>(shifts: &[S], now: DateTime<Utc>) -> Option<&S> {
    shifts
        .iter()
        .filter(|s| s.starts_at() > now)
        .min_by(|a, b| {
            a.starts_at()
                .cmp(&b.starts_at())
                .then_with(|| compare_text(b.id(), a.id()))
        })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::time;
    use serde::de::DeserializeOwned;
    use serde_json::Value;

    const VECTORS: &str = include_str!("../../tests/vectors/board_rules.json");

    #[derive(Deserialize)]
    #[serde(deny_unknown_fields)]
    struct Case<I, E> {
        name: String,
        #[serde(default)]
        #[allow(dead_code)]
        note: Option<String>,
        input: I,
        expected: E,
    }

    #[derive(Deserialize)]
    #[serde(deny_unknown_fields)]
    struct RosterInput {
        clients: Vec<RosterEntry>,
    }

    #[derive(Deserialize)]
    #[serde(deny_unknown_fields)]
    struct SlotHolderInput {
        status: String,
        case_manager_id: Option<String>,
    }

    #[derive(Deserialize)]
    #[serde(deny_unknown_fields)]
    struct SlotCountsInput {
        clients: Vec<SlotFacts>,
    }

    #[derive(Deserialize)]
    #[serde(deny_unknown_fields)]
    struct SlotMoveInput {
        counts: BTreeMap<String, i32>,
        before: Option<SlotFacts>,
        after: Option<SlotFacts>,
    }

    #[derive(Deserialize)]
    #[serde(deny_unknown_fields)]
    struct WeekInput {
        week_start: NaiveDate,
        week_end: NaiveDate,
        contacts: Vec<ContactFacts>,
    }

    #[derive(Deserialize)]
    #[serde(deny_unknown_fields)]
    struct OnCallInput {
        now: DateTime<Utc>,
        shifts: Vec<ShiftFacts>,
    }

    #[derive(Deserialize)]
    #[serde(deny_unknown_fields)]
    struct RollingInput {
        day: NaiveDate,
        last_huddle_day: Option<NaiveDate>,
        contacts: Vec<ContactFacts>,
    }

    #[derive(Deserialize)]
    #[serde(deny_unknown_fields)]
    struct LastSeenInput {
        days_since_contact: Option<i64>,
    }

    /// The cases of one rule; every rule must have some (an emptied list fails).
    fn cases<I: DeserializeOwned, E: DeserializeOwned>(rule: &str) -> Vec<Case<I, E>> {
        let all: Value = serde_json::from_str(VECTORS).expect("the vector file is JSON");
        let list = all
            .get(rule)
            .unwrap_or_else(|| panic!("no \"{rule}\" in the vector file"))
            .clone();
        let cases: Vec<Case<I, E>> = serde_path_to_error::deserialize(list)
            .unwrap_or_else(|e| panic!("\"{rule}\" vectors: {e}"));
        assert!(
            cases.len() >= 3,
            "\"{rule}\" has only {} cases",
            cases.len()
        );
        cases
    }

    /// Check every case, then fail naming every case that disagrees.
    fn check<I, E: PartialEq + std::fmt::Debug>(
        rule: &str,
        cases: &[Case<I, E>],
        run: impl Fn(&I) -> E,
    ) {
        let failures: Vec<String> = cases
            .iter()
            .filter_map(|c| {
                let got = run(&c.input);
                (got != c.expected).then(|| {
                    format!(
                        "{rule} / {}: expected {:?}, got {got:?}",
                        c.name, c.expected
                    )
                })
            })
            .collect();
        assert!(failures.is_empty(), "\n{}", failures.join("\n"));
    }

    #[test]
    fn the_vector_file_has_every_rule_and_nothing_else() {
        let all: Value = serde_json::from_str(VECTORS).unwrap();
        let mut keys: Vec<&str> = all
            .as_object()
            .unwrap()
            .keys()
            .map(|k| k.as_str())
            .collect();
        keys.sort_unstable();
        assert_eq!(
            keys,
            [
                "about",
                "last_seen",
                "next_on_call",
                "on_call_now",
                "rolling_counts",
                "roster_order",
                "slot_counts",
                "slot_holder",
                "slot_moves",
                "week_counts"
            ]
        );
    }

    #[test]
    fn roster_order_vectors() {
        let cases = cases::<RosterInput, Vec<String>>("roster_order");
        check("roster_order", &cases, |i| {
            roster_order(&i.clients)
                .into_iter()
                .map(String::from)
                .collect()
        });
    }

    #[test]
    fn slot_holder_vectors() {
        let cases = cases::<SlotHolderInput, Option<String>>("slot_holder");
        check("slot_holder", &cases, |i| {
            holds_slot(&i.status, i.case_manager_id.as_deref()).map(String::from)
        });
    }

    #[test]
    fn slot_counts_vectors() {
        let cases = cases::<SlotCountsInput, BTreeMap<String, i32>>("slot_counts");
        check("slot_counts", &cases, |i| slot_counts(&i.clients));
    }

    #[test]
    fn slot_moves_vectors() {
        let cases = cases::<SlotMoveInput, BTreeMap<String, i32>>("slot_moves");
        check("slot_moves", &cases, |i| {
            let mut counts = i.counts.clone();
            move_slot(&mut counts, i.before.as_ref(), i.after.as_ref());
            counts
        });
    }

    #[test]
    fn week_counts_vectors() {
        let cases = cases::<WeekInput, BTreeMap<String, WeekCounts>>("week_counts");
        for c in &cases {
            // The vectors' weeks are real Monday–Sunday weeks.
            assert_eq!(
                time::week_of(c.input.week_start),
                (c.input.week_start, c.input.week_end),
                "{}",
                c.name
            );
        }
        check("week_counts", &cases, |i| {
            week_counts(i.week_start, i.week_end, &i.contacts)
        });
    }

    #[test]
    fn on_call_now_vectors() {
        let cases = cases::<OnCallInput, Option<String>>("on_call_now");
        check("on_call_now", &cases, |i| {
            on_call_now(&i.shifts, i.now).map(|s| s.id.clone())
        });
    }

    #[test]
    fn next_on_call_vectors() {
        let cases = cases::<OnCallInput, Option<String>>("next_on_call");
        check("next_on_call", &cases, |i| {
            next_on_call(&i.shifts, i.now).map(|s| s.id.clone())
        });
    }

    #[test]
    fn rolling_counts_vectors() {
        let cases = cases::<RollingInput, BTreeMap<String, RollingCounts>>("rolling_counts");
        check("rolling_counts", &cases, |i| {
            rolling_counts(i.day, i.last_huddle_day, &i.contacts)
        });
    }

    #[test]
    fn last_seen_vectors() {
        let cases = cases::<LastSeenInput, String>("last_seen");
        check("last_seen", &cases, |i| {
            last_seen_words(i.days_since_contact)
        });
    }

    #[test]
    fn rank_and_text_order() {
        assert_eq!(roster_rank([]), UNFLAGGED);
        assert_eq!(roster_rank(["watch", "emergency", "urgent"]), 0);
        assert_eq!(roster_rank(["bogus"]), 3);
        assert_eq!(compare_text("Zed", "abe"), Ordering::Less);
        assert_eq!(compare_text("Zimmer", "Ñúñez"), Ordering::Less);
        // Code point order, not UTF-16 order: U+FF21 before U+1D49C.
        assert_eq!(compare_text("\u{FF21}", "\u{1D49C}"), Ordering::Less);
    }
}
