//! The live stream (docs/PROTOCOL.md) over a real websocket client, on SQLite and (when
//! configured) PostgreSQL. One test binary, one module per area:
//!
//! * `snapshot` — snapshot, then live events, on every screen
//! * `resume` — exact resume, the replay window, the replay/live seam
//! * `closes` — refusals and close codes, access removed, idle and deactivated, shutdown
//! * `tokens` — token expiry and renewal
//! * `slow_reader` — a reader that stops reading
//! * `privacy` — a privacy display's stream
//! * `flag_safety` — no typed text on a privacy display, anywhere; a transfer's flags
//! * `presence` — who is watching
//! * `instances` — two instances on one PostgreSQL
//! * `sessions` — ended sessions (deactivation, password changes, sign-out) close streams
//! * `metrics` — GET /metrics after real work; who may read it
//! * `absences` — absences and the visits they move, live (a privacy display without the reason)
//!
//! `helpers` has the HTTP helpers (shared ones come from tests/common/fixtures.rs), `ws` the
//! websocket client.

#[macro_use]
#[path = "../common/mod.rs"]
mod common;

mod helpers;
mod ws;

mod absences;
mod closes;
mod flag_safety;
mod instances;
mod metrics;
mod presence;
mod privacy;
mod resume;
mod sessions;
mod slow_reader;
mod snapshot;
mod tokens;
