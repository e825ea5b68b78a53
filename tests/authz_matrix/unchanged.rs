//! What a refused request must leave as it was.

use crate::common::fixtures::db;
use crate::common::TestApp;
use actboard::db::schema::{
    absences, audit_log, clients, contact_staff, contacts, crisis_flags, display_tokens, events,
    handoff_items, handoffs, huddle_focus, huddle_reviews, memberships, oncall_shifts,
    refresh_tokens, staff, teams, visit_series,
};
use diesel::prelude::*;

/// The state of every table a request can write (login_failures aside: failed sign-ins are
/// counted on purpose): small tables row by row, the others by their count, their versions
/// and their marks (acknowledged, resolved, revoked). Every change also appends an event,
/// and every read of a client an access-log row, so both are counted too.
pub type Fingerprint = Vec<(&'static str, String)>;

pub async fn fingerprint(app: &TestApp) -> Fingerprint {
    db(app, |c| {
        macro_rules! rows {
            ($q:expr, $t:ty) => {
                format!("{:?}", $q.load::<$t>(c).unwrap())
            };
        }
        macro_rules! count {
            ($q:expr) => {
                $q.count().get_result::<i64>(c).unwrap().to_string()
            };
        }
        macro_rules! versions {
            ($q:expr) => {
                $q.load::<i32>(c)
                    .unwrap()
                    .into_iter()
                    .map(i64::from)
                    .sum::<i64>()
                    .to_string()
            };
        }
        vec![
            (
                "teams",
                rows!(
                    teams::table.order(teams::id).select((
                        teams::id,
                        teams::name,
                        teams::mode,
                        teams::caseload_cap,
                        teams::privacy,
                        teams::last_seq,
                        teams::version
                    )),
                    (String, String, String, i32, String, i64, i32)
                ),
            ),
            (
                "staff",
                rows!(
                    staff::table.order(staff::id).select((
                        staff::id,
                        staff::username,
                        staff::display_name,
                        staff::discipline,
                        staff::is_admin,
                        staff::active
                    )),
                    (String, String, String, String, bool, bool)
                ),
            ),
            (
                "memberships",
                rows!(
                    memberships::table
                        .order((memberships::team_id, memberships::staff_id))
                        .select((
                            memberships::team_id,
                            memberships::staff_id,
                            memberships::role
                        )),
                    (String, String, String)
                ),
            ),
            ("refresh tokens", count!(refresh_tokens::table)),
            (
                "revoked refresh tokens",
                count!(refresh_tokens::table.filter(refresh_tokens::revoked_at.is_not_null())),
            ),
            ("display tokens", count!(display_tokens::table)),
            (
                "revoked display tokens",
                count!(display_tokens::table.filter(display_tokens::revoked_at.is_not_null())),
            ),
            ("events", count!(events::table)),
            // A read that answers (even with an empty list) is a `view` entry; anything else in
            // the audit trail (a change, an export, a sign-in) a refusal must not leave.
            (
                "audit trail (not views)",
                count!(audit_log::table.filter(audit_log::action.ne("view"))),
            ),
            ("clients", count!(clients::table)),
            (
                "client versions",
                versions!(clients::table.select(clients::version)),
            ),
            ("contacts", count!(contacts::table)),
            (
                "contact versions",
                versions!(contacts::table.select(contacts::version)),
            ),
            ("contact staff", count!(contact_staff::table)),
            ("flags", count!(crisis_flags::table)),
            (
                "flag versions",
                versions!(crisis_flags::table.select(crisis_flags::version)),
            ),
            (
                "acknowledged flags",
                count!(crisis_flags::table.filter(crisis_flags::acknowledged_at.is_not_null())),
            ),
            (
                "resolved flags",
                count!(crisis_flags::table.filter(crisis_flags::resolved_at.is_not_null())),
            ),
            ("shifts", count!(oncall_shifts::table)),
            ("handoffs", count!(handoffs::table)),
            (
                "acknowledged handoffs",
                count!(handoffs::table.filter(handoffs::acknowledged_at.is_not_null())),
            ),
            ("handoff items", count!(handoff_items::table)),
            ("huddle reviews", count!(huddle_reviews::table)),
            ("absences", count!(absences::table)),
            ("visit series", count!(visit_series::table)),
            (
                "ended visit series",
                count!(visit_series::table.filter(visit_series::ended_at.is_not_null())),
            ),
            (
                "huddle focus",
                rows!(
                    huddle_focus::table.order(huddle_focus::team_id).select((
                        huddle_focus::team_id,
                        huddle_focus::day,
                        huddle_focus::client_id,
                        huddle_focus::staff_id
                    )),
                    (String, String, Option<String>, String)
                ),
            ),
        ]
    })
    .await
}

/// What differs between two fingerprints, e.g. "events 57 → 58", or `None`.
pub fn difference(before: &Fingerprint, after: &Fingerprint) -> Option<String> {
    let changed: Vec<String> = before
        .iter()
        .zip(after)
        .filter(|(b, a)| b != a)
        .map(|((name, b), (_, a))| format!("{name}: {b} → {a}"))
        .collect();
    (!changed.is_empty()).then(|| changed.join("; "))
}
