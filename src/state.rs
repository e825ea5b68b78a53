//! What every handler shares: the pool, the token keys, the configuration.

use crate::auth::jwt::JwtKeys;
use crate::config::Config;
use crate::db::{Engine, Pool};

pub struct AppState {
    pub pool: Pool,
    /// The live hub of this process (one, shared by every worker).
    pub hub: crate::live::Hub,
    pub jwt: JwtKeys,
    pub config: Config,
    pub engine: Engine,
    /// Background jobs of this server (the escalation scan) stop once this is dropped.
    pub jobs_alive: std::sync::Arc<()>,
}
