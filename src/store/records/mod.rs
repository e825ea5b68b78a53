//! The records that leave the server: responses and the payloads of events. They sit below
//! the use cases so the event vocabulary (`store::events`) can name them without an import
//! circle; each resource module re-exports its own.

pub mod absence;
pub mod assessment;
pub mod client;
pub mod contact;
pub mod display;
pub mod episode;
pub mod flag;
pub mod handoff;
pub mod huddle;
pub mod import;
pub mod member;
pub mod plan;
pub mod rota;
pub mod screening;
pub mod series;
pub mod shift;
pub mod team;
pub mod transition;
