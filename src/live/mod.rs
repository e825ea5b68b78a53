//! Live board: the websocket stream (exact resume from the event log), the per-process hub
//! that fans events out, and the PostgreSQL LISTEN connection for several instances.
//! Protocol: docs/PROTOCOL.md.

pub mod hub;
pub mod listen;
pub mod outbox;
pub mod protocol;
pub mod socket;

pub use hub::Hub;
