//! The team's work through the real HTTP server, on SQLite and (when configured) PostgreSQL.
//! One test binary, one module per area:
//!
//! * `clients` — create, read (and the audit trail), list, versioned PATCH, lifecycle, roles
//! * `icm_cap` — the ICM caseload cap, under concurrency and on every path
//! * `contacts` — idempotent PUT, PATCH, filters, validation, reassignment, retries
//! * `flags` — crisis flags: raise (categories), several responders, resolve
//! * `escalation` — unanswered emergencies escalate once, across instances
//! * `discharge` — discharge reasons, open flags refused or resolved with it
//! * `transfer` — a transfer carries the client's open flags; the client's history
//! * `oncall` — on-call shifts in the team's local time
//! * `rota` — the on-call pattern, applying it, coverage and gaps, rolling board counts
//! * `pagination` — every list in pages (`limit`, `cursor`, `Link: rel="next"`), keyset order
//! * `handoffs` — handoffs: only the receiver acknowledges
//! * `huddle_board` — huddle reviews and the board
//! * `event_log` — the event log: gap-free, limits, paging
//! * `display_tokens` — privacy displays read only their own board
//! * `mode_switch` — switching a team between ACT and ICM
//! * `caseload_person` — the ICM cap per person over every ICM team, under concurrency
//! * `carriers` — a carrier cannot vanish: deactivation and removal with `reassign_to`
//! * `handover` — deactivation and removal with a plan (a case manager per client), races
//! * `double_booking` — no overlapping visits for one person (PUT, PATCH, reassign, races)
//! * `absences` — someone out, visits moved to the cover, the board's `absent_today`
//! * `handoff_rules` — receiver, actions with owners and due times, contingency
//! * `sane_dates` — dates outside 2000–2099 are 422 by field, never 500
//! * `visits` — "attempted" contacts, closing out a planned visit on the same record
//! * `visit_series` — recurring visits: all or none, ended with cancellations, races
//! * `client_card` — on-call details and the phone's quick card, never on boards or displays
//! * `assessments` — the tier rule, overrides, `risk_tier` following the latest assessment
//! * `outcomes` — episodes (day rules, overlaps, away on the board), outcomes and fidelity by hand
//! * `plans` — support plans: versions, goal rules, progress notes, privacy
//! * `audit` — the audit trail: views, changes, exports, sign-ins; filters, pages, the hash
//!   chain and its verification (edited and deleted entries), parallel writers
//! * `screening` — referral, screening, the decision (the ICM cap under parallel accepts),
//!   narrowed diagnoses, the referrals list and the intake rate
//! * `transitions` — transition, warm hand-off, check-ins, return within a year, caps
//! * `import` — CSV import of clients and staff: all or none, row errors in words, the cap
//!
//! Helpers are in `helpers` (and, when other test binaries use them too, in
//! tests/common/fixtures.rs). Isolation between teams is in the authorization matrix,
//! tests/authz_matrix/: who may call which route (another team's lead gets 404 exactly like
//! for a missing team, and a refusal changes nothing) in `MATRIX`, and team B's records
//! named through team A's paths in `other_teams` (`other_teams_records_are_invisible`).

#[macro_use]
#[path = "../common/mod.rs"]
mod common;

mod helpers;

mod absences;
mod assessments;
mod audit;
mod carriers;
mod caseload_person;
mod client_card;
mod clients;
mod contacts;
mod discharge;
mod display_tokens;
mod double_booking;
mod escalation;
mod event_log;
mod flags;
mod handoff_rules;
mod handoffs;
mod handover;
mod huddle_board;
mod icm_cap;
mod import;
mod mode_switch;
mod oncall;
mod outcomes;
mod pagination;
mod plans;
mod rota;
mod sane_dates;
mod screening;
mod transfer;
mod transitions;
mod visit_series;
mod visits;
