//! actboard: a live coordination board for community mental-health teams.
//! See docs/ARCHITECTURE.md for how a request flows through these modules.

pub mod api;
pub mod auth;
pub mod cli;
pub mod config;
pub mod db;
pub mod demo;
pub mod domain;
pub mod error;
pub mod live;
pub mod metrics;
pub mod request_id;
pub mod server;
pub mod state;
pub mod store;
