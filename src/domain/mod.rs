//! Domain rules as pure functions: no I/O, unit-tested beside the code.

pub mod absence;
pub mod audit;
pub mod board_rules;
pub mod booking;
pub mod care;
pub mod caseload;
pub mod client;
pub mod contact;
pub mod episode;
pub mod fidelity;
pub mod field_error;
pub mod flag;
pub mod handoff;
pub mod handover;
pub mod import;
pub mod outcomes;
pub mod page;
pub mod privacy;
pub mod roles;
pub mod rota;
pub mod series;
pub mod staff;
pub mod team;
pub mod text;
pub mod time;

pub use field_error::FieldError;
