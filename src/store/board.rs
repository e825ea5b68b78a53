//! The board: everything the huddle, the on-call phone and the wall display show, for one
//! team-local day, in a dozen queries (never one per client), read in one snapshot together
//! with the `seq` a live client continues from.

use crate::auth::Principal;
use crate::db::models::{ClientRow, ContactRow, FlagRow};
use crate::db::schema::{clients, contacts, crisis_flags, huddle_reviews, memberships, staff};
use crate::db::{self, DbConn, Pool};
use crate::domain::board_rules::{self as rules, ContactFacts, RosterKey, SlotFacts};
use crate::domain::care::contact_age::{ContactAgeThresholds, THRESHOLDS};
use crate::domain::client::Status;
use crate::domain::privacy;
use crate::domain::team::Privacy;
use crate::domain::time;
use crate::error::AppResult;
use crate::store::absences::{absent_on, AbsentToday};
use crate::store::access::reader_access;
use crate::store::audit;
use crate::store::contacts::{with_staff, ContactOut};
use crate::store::due::{self, DueCounts, DueItemOut};
use crate::store::flags::{self, FlagOut};
use crate::store::handoffs::{for_board, HandoffOut};
use crate::store::huddle::{focus_of, HuddleFocus};
use crate::store::oncall::{current, next, tz_of, ShiftOut};
use crate::store::teams::{load_team, TeamOut};
use crate::store::Timestamp;
use chrono::{NaiveDate, NaiveDateTime};
use diesel::dsl::sql;
use diesel::prelude::*;
use diesel::sql_types::{Nullable, Timestamp as SqlTimestamp};
use serde::Serialize;
use std::collections::{HashMap, HashSet};
use utoipa::ToSchema;

#[derive(Serialize, ToSchema, Clone, Debug)]
pub struct BoardStaff {
    #[schema(format = Uuid)]
    pub id: String,
    pub display_name: String,
    pub discipline: String,
    pub role: String,
    /// ICM: active and transitioning clients carried on this team (see the team's
    /// caseload_cap; the cap of 15 per person counts every ICM team).
    pub caseload: i32,
    /// Out on the board's day (an absence covering it), and who covers; null when working.
    pub absent_today: Option<AbsentToday>,
}

#[derive(Serialize, ToSchema, Clone, Debug)]
pub struct BoardClient {
    #[schema(format = Uuid)]
    pub id: String,
    /// Preferred (or given) name and family name; the initials on a privacy display.
    pub display_name: String,
    pub given_name: Option<String>,
    pub family_name: Option<String>,
    pub preferred_name: Option<String>,
    pub initials: String,
    pub status: String,
    pub risk_tier: String,
    pub case_manager_id: Option<String>,
    pub version: i32,
    /// Open crisis flags, emergency first.
    pub open_flags: Vec<FlagOut>,
    /// This day's contacts (planned and done), by start time.
    pub today: Vec<ContactOut>,
    /// The last completed contact.
    pub last_contact_at: Option<Timestamp>,
    /// Team-local days since the last completed contact (null: never seen).
    pub days_since_contact: Option<i64>,
    /// Completed contacts this week (Monday–Sunday, team-local). Kept for older screens:
    /// it drops to zero every Monday; prefer `contacts_7d`.
    pub contacts_this_week: i64,
    /// Of which face to face.
    pub face_to_face_this_week: i64,
    /// Completed contacts in the 7 team-local days ending on the board's day (inclusive:
    /// `rolling_start`..=`day`).
    pub contacts_7d: i64,
    /// Of which face to face.
    pub face_to_face_7d: i64,
    /// Completed contacts from the team's previous huddle (`last_huddle_day`, inclusive) to
    /// the board's day; null when the team had no huddle before.
    pub since_last_huddle: Option<i64>,
    /// Reviewed in this day's huddle.
    pub reviewed: bool,
    /// In hospital, a crisis bed or jail (an open episode); null when not away. A privacy
    /// display gets only that (kind and since null).
    pub away: Option<crate::store::episodes::Away>,
}

#[derive(Serialize, ToSchema, Clone, Debug)]
pub struct Board {
    pub team: TeamOut,
    /// Team-local day shown.
    pub day: String,
    pub week_start: String,
    pub week_end: String,
    /// First day of the rolling week (the board's day minus 6): the window of `contacts_7d`.
    pub rolling_start: String,
    /// The team's previous huddle: the latest day before the board's day with a review mark
    /// (null: none); the start of `since_last_huddle`.
    pub last_huddle_day: Option<String>,
    /// The team's latest event number when this board was read; a live client continues
    /// from it (`since`).
    pub seq: i64,
    pub generated_at: Timestamp,
    /// `names`, or `initials` on a privacy display.
    pub privacy: String,
    /// Who is on call now, and until when (`ends_at`, `ends_local`).
    pub on_call: Option<ShiftOut>,
    /// Who is on call next: the shift starting soonest after now (null: none planned).
    pub on_call_next: Option<ShiftOut>,
    /// Unacknowledged handoffs and those acknowledged in the last 24 hours.
    pub handoffs: Vec<HandoffOut>,
    pub staff: Vec<BoardStaff>,
    /// Every open flag of the team, emergency first (the board's pinned strip).
    pub open_flags: Vec<FlagOut>,
    /// The roster (every client not discharged): clients with open flags first, highest
    /// severity first, then by family name.
    pub clients: Vec<BoardClient>,
    pub roster_count: usize,
    pub reviewed_count: usize,
    /// Where the team's huddle is on this day (every screen follows it), if it has started.
    pub huddle_focus: Option<HuddleFocus>,
    /// Care-cycle items due within `BOARD_DUE_DAYS` of today (reassessments, plan reviews,
    /// goal targets, check-ins after a client left), overdue first; as `GET …/due`. Empty on a
    /// privacy display, which gets `due_counts` only.
    pub due: Vec<DueItemOut>,
    pub due_counts: DueCounts,
    /// Days since the last completed contact at which a client's contact age shows as late,
    /// per risk tier (`domain::care::contact_age`).
    pub contact_age_days: ContactAgeThresholds,
}

/// How far ahead the board's due list looks (overdue items are always in it).
pub const BOARD_DUE_DAYS: u32 = 7;

fn roster_key(c: &BoardClient) -> RosterKey<'_> {
    RosterKey {
        rank: rules::roster_rank(c.open_flags.iter().map(|f| f.severity.as_str())),
        family_name: c.family_name.as_deref().unwrap_or(""),
        given_name: c.given_name.as_deref().unwrap_or(""),
        id: &c.id,
    }
}

fn display_name(c: &ClientRow) -> String {
    format!(
        "{} {}",
        c.preferred_name.as_deref().unwrap_or(&c.given_name),
        c.family_name
    )
}

/// Build the board of `team_id` for `day` (default today) inside one snapshot.
pub fn build(
    conn: &mut DbConn,
    team_id: &str,
    day: Option<NaiveDate>,
    now: NaiveDateTime,
) -> AppResult<Board> {
    db::read_tx(conn, |conn| {
        let team = load_team(conn, team_id)?;
        let tz = tz_of(&team)?;
        let day = day.unwrap_or_else(|| time::today(tz, now.and_utc()));
        let today_local = time::today(tz, now.and_utc());
        let (week_start, week_end) = time::week_of(day);
        let rolling_start = rules::rolling_start(day);
        let day_s = day.format("%Y-%m-%d").to_string();

        let staff_rows: Vec<(String, String, String, String)> = memberships::table
            .inner_join(staff::table)
            .filter(memberships::team_id.eq(team_id))
            .select((
                staff::id,
                staff::display_name,
                staff::discipline,
                memberships::role,
            ))
            .order(staff::display_name.asc())
            .load(conn)?;

        let roster: Vec<ClientRow> = clients::table
            .filter(clients::team_id.eq(team_id))
            .filter(clients::status.ne_all(Status::CLOSED))
            .select(ClientRow::as_select())
            .order((clients::family_name.asc(), clients::given_name.asc()))
            .load(conn)?;

        let mut flags: Vec<FlagRow> = crisis_flags::table
            .filter(crisis_flags::team_id.eq(team_id))
            .filter(crisis_flags::resolved_at.is_null())
            .select(FlagRow::as_select())
            .load(conn)?;
        flags::sort(&mut flags);

        let day_rows: Vec<ContactRow> = contacts::table
            .filter(contacts::team_id.eq(team_id))
            .filter(contacts::day.eq(&day_s))
            .select(ContactRow::as_select())
            // Untimed visits last on both engines (SQLite and PostgreSQL sort NULL differently).
            .order((
                contacts::start_time.is_null().asc(),
                contacts::start_time.asc(),
                contacts::id.asc(),
            ))
            .load(conn)?;
        let day_contacts = with_staff(conn, &day_rows)?;

        // One index seek per client (client_id, status, occurred_at), not a scan of the
        // team's whole history. Any team's contacts count: a client transferred in was last
        // seen when the sending team saw them, not "never".
        let last: Vec<(String, Option<NaiveDateTime>)> = clients::table
            .filter(clients::team_id.eq(team_id))
            .filter(clients::status.ne_all(Status::CLOSED))
            .select((
                clients::id,
                sql::<Nullable<SqlTimestamp>>(
                    "(SELECT MAX(x.occurred_at) FROM contacts x \
                     WHERE x.client_id = clients.id AND x.status = 'completed')",
                ),
            ))
            .load(conn)?;
        let last: HashMap<String, NaiveDateTime> = last
            .into_iter()
            .filter_map(|(c, t)| Some((c, t?)))
            .collect();

        // The team's previous huddle: the latest earlier day with a review mark.
        let last_huddle: Option<String> = huddle_reviews::table
            .filter(huddle_reviews::team_id.eq(team_id))
            .filter(huddle_reviews::day.lt(&day_s))
            .select(diesel::dsl::max(huddle_reviews::day))
            .first(conn)?;
        let last_huddle = last_huddle.and_then(|d| time::parse_day(&d).ok());

        // The contacts of the week, the rolling week and since the last huddle, as facts;
        // which of them count is the rules' (board_rules).
        let first_day = [Some(week_start), Some(rolling_start), last_huddle]
            .into_iter()
            .flatten()
            .min()
            .unwrap_or(week_start);
        let week_rows: Vec<(String, String, String, String)> = contacts::table
            .filter(contacts::team_id.eq(team_id))
            .filter(contacts::day.ge(first_day.format("%Y-%m-%d").to_string()))
            .filter(contacts::day.le(week_end.max(day).format("%Y-%m-%d").to_string()))
            .select((
                contacts::client_id,
                contacts::day,
                contacts::status,
                contacts::kind,
            ))
            .load(conn)?;
        let week_facts: Vec<ContactFacts> = week_rows
            .into_iter()
            .filter_map(|(client_id, day, status, kind)| {
                Some(ContactFacts {
                    client_id,
                    day: time::parse_day(&day).ok()?,
                    status,
                    kind,
                })
            })
            .collect();
        let week = rules::week_counts(week_start, week_end, &week_facts);
        let rolling = rules::rolling_counts(day, last_huddle, &week_facts);

        let reviewed: HashSet<String> = huddle_reviews::table
            .filter(huddle_reviews::team_id.eq(team_id))
            .filter(huddle_reviews::day.eq(&day_s))
            .select(huddle_reviews::client_id)
            .load::<String>(conn)?
            .into_iter()
            .collect();

        // ICM caseloads: the roster's slot holders (board_rules, as the browser counts them).
        let caseloads = if team.mode == "icm" {
            rules::slot_counts(
                &roster
                    .iter()
                    .map(|c| SlotFacts {
                        status: c.status.clone(),
                        case_manager_id: c.case_manager_id.clone(),
                    })
                    .collect::<Vec<_>>(),
            )
        } else {
            Default::default()
        };

        let mut absent = absent_on(conn, team_id, &day_s)?;
        let mut away = crate::store::episodes::away_on_team(conn, team_id)?;

        let seq = team.last_seq;
        let on_call = current(conn, team_id, now)?;
        let on_call_next = next(conn, team_id, now)?;
        let handoffs = for_board(conn, team_id, now)?;

        let flags = flags::outs(conn, &flags)?;
        let mut by_client_flags: HashMap<&str, Vec<FlagOut>> = HashMap::new();
        for f in &flags {
            by_client_flags
                .entry(f.client_id.as_str())
                .or_default()
                .push(f.clone());
        }
        let mut by_client_day: HashMap<&str, Vec<ContactOut>> = HashMap::new();
        for c in &day_contacts {
            by_client_day
                .entry(c.client_id.as_str())
                .or_default()
                .push(c.clone());
        }
        let mut out: Vec<BoardClient> = roster
            .iter()
            .map(|c| {
                let last_at = last.get(&c.id).copied();
                BoardClient {
                    id: c.id.clone(),
                    display_name: display_name(c),
                    given_name: Some(c.given_name.clone()),
                    family_name: Some(c.family_name.clone()),
                    preferred_name: c.preferred_name.clone(),
                    initials: c.initials.clone(),
                    status: c.status.clone(),
                    risk_tier: c.risk_tier.clone(),
                    case_manager_id: c.case_manager_id.clone(),
                    version: c.version,
                    open_flags: by_client_flags.remove(c.id.as_str()).unwrap_or_default(),
                    today: by_client_day.remove(c.id.as_str()).unwrap_or_default(),
                    last_contact_at: last_at.map(Into::into),
                    days_since_contact: last_at
                        .map(|t| (today_local - time::today(tz, t.and_utc())).num_days()),
                    contacts_this_week: week.get(&c.id).map_or(0, |w| w.all),
                    face_to_face_this_week: week.get(&c.id).map_or(0, |w| w.face_to_face),
                    contacts_7d: rolling.get(&c.id).map_or(0, |r| r.contacts_7d),
                    face_to_face_7d: rolling.get(&c.id).map_or(0, |r| r.face_to_face_7d),
                    since_last_huddle: rolling
                        .get(&c.id)
                        .map_or(last_huddle.map(|_| 0), |r| r.since_last_huddle),
                    reviewed: reviewed.contains(&c.id),
                    away: away.remove(&c.id),
                }
            })
            .collect();
        // Flagged first (by their worst flag), then by name: the rule the browser applies too.
        out.sort_by(|a, b| rules::compare_roster(&roster_key(a), &roster_key(b)));
        let reviewed_count = out.iter().filter(|c| c.reviewed).count();
        let huddle_focus = focus_of(conn, team_id, &day_s)?;
        let due = due::items(conn, &team, today_local, BOARD_DUE_DAYS)?;
        Ok(Board {
            due_counts: DueCounts::of(&due),
            due,
            contact_age_days: THRESHOLDS,
            team: TeamOut::from(&team),
            day: day_s,
            week_start: week_start.to_string(),
            week_end: week_end.to_string(),
            rolling_start: rolling_start.to_string(),
            last_huddle_day: last_huddle.map(|d| d.to_string()),
            seq,
            generated_at: now.into(),
            privacy: "names".into(),
            on_call,
            on_call_next,
            handoffs,
            staff: staff_rows
                .into_iter()
                .map(|(id, display_name, discipline, role)| BoardStaff {
                    caseload: caseloads.get(&id).copied().unwrap_or(0),
                    absent_today: absent.remove(&id),
                    id,
                    display_name,
                    discipline,
                    role,
                })
                .collect(),
            open_flags: flags,
            roster_count: out.len(),
            reviewed_count,
            huddle_focus,
            clients: out,
        })
    })
}

/// The board as `principal` may see it (privacy displays get no names and no typed text).
pub fn board_json(board: &Board, privacy: Privacy) -> serde_json::Value {
    let mut v = serde_json::to_value(board).unwrap_or_default();
    if privacy == Privacy::Initials {
        privacy::redact_board(&mut v);
    }
    v
}

/// Who is reading a board, for the audit trail: a staff id, or a display token's words.
pub fn viewer(principal: &Principal) -> (Option<String>, &'static str) {
    match principal {
        Principal::Staff(u) => (Some(u.id.clone()), "board"),
        Principal::Display(_) => (None, "board.display"),
    }
}

/// Audit a board read just after its snapshot, on the same connection: the snapshot is a
/// read-only transaction (PostgreSQL REPEATABLE READ), so the entry is its own statement;
/// the board leaves the server only once the entry is stored.
///
/// On PostgreSQL this one entry commits without waiting for its WAL flush
/// (`synchronous_commit = off` for this transaction only): a team's screens all connecting at
/// once (a restart, a network coming back) would otherwise queue on flushes and slow the
/// team's writes by half (measured with `live::resume::seam_between_replay_and_live`). The
/// entry is durable within a fraction of a second; a database crash in that window could
/// lose the last board-view entries, never a client record's (those commit with their read).
fn audit_board(
    conn: &mut DbConn,
    team_id: &str,
    (staff_id, detail): (Option<String>, &'static str),
) -> AppResult<()> {
    use diesel::connection::SimpleConnection;
    conn.transaction(|conn| {
        if let DbConn::Postgres(pg) = conn {
            pg.batch_execute("SET LOCAL synchronous_commit = off")?;
        }
        audit::view(conn, staff_id.as_deref(), team_id, None, detail)
    })
}

/// The board of today for a live client's snapshot: its seq and the board as `privacy` sees it.
pub async fn snapshot(
    pool: &Pool,
    team_id: String,
    privacy: Privacy,
    viewer: (Option<String>, &'static str),
) -> AppResult<(i64, serde_json::Value)> {
    db::run(pool, move |conn| {
        let b = build(conn, &team_id, None, db::now())?;
        audit_board(conn, &team_id, viewer)?;
        Ok((b.seq, board_json(&b, privacy)))
    })
    .await
}

/// The board of one team-local day (default today) as `principal` may see it: staff of the
/// team (names, unless they ask for `initials`), or the team's display token (its privacy).
pub async fn get(
    pool: &Pool,
    principal: Principal,
    team_id: String,
    day: Option<NaiveDate>,
    wanted: Option<Privacy>,
) -> AppResult<serde_json::Value> {
    db::run(pool, move |conn| {
        let privacy = reader_access(conn, &principal, &team_id, wanted)?;
        let board = build(conn, &team_id, day, db::now())?;
        audit_board(conn, &team_id, viewer(&principal))?;
        Ok(board_json(&board, privacy))
    })
    .await
}
