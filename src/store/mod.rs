//! The use cases: everything the server does below HTTP, one module per resource.
//!
//! A use case is an `async fn(pool, who, checked input) -> AppResult<output>` that runs one
//! transaction (`db::tx`) or one read (`db::run`): access check (`auth::write_access` /
//! `team_access`), domain rules (`domain::…`, pure), writes, and the event append
//! (`events::append` with a typed `Event`). The `fn(conn, …)` steps inside them are public
//! where another use case, the demo loader or the CLI composes them in its own transaction.
//! The response types and the event payloads live here too; the HTTP layer (`api/`) only
//! reads requests, calls one use case and maps the result to a status code.

pub mod absences;
pub mod access;
pub mod admin;
pub mod assessments;
pub mod audit;
pub mod board;
pub mod carriers;
pub mod client_card;
pub mod clients;
pub mod contacts;
pub mod discharge;
pub mod display_tokens;
pub mod due;
pub mod episodes;
pub mod escalation;
pub mod events;
pub mod fidelity;
pub mod flags;
pub mod handoffs;
pub mod history;
pub mod huddle;
pub mod import;
pub mod members;
pub mod monitoring;
pub mod oncall;
pub mod outcomes;
pub mod passwords;
pub mod plans;
pub mod records;
pub mod rota;
pub mod screenings;
pub mod sessions;
pub mod staff;
pub mod teams;
pub mod timestamp;
pub mod transitions;
pub mod visit_series;

pub use timestamp::Timestamp;
