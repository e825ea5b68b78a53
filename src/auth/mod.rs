//! Authentication (passwords, tokens, the request extractors) and team-level authorization.

pub mod access;
pub mod client_ip;
pub mod extractor;
pub mod jwt;
pub mod password;
pub mod secret;
pub mod sessions;
pub mod throttle;
pub mod tokens;

pub use access::{team_access, write_access, Access};
pub use extractor::{AuthUser, DisplayPrincipal, PendingUser, Principal};
