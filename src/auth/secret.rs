//! Where the JWT signing secret comes from: configuration, or (SQLite only) a file generated
//! at first start beside the database, readable by the owner only.

use crate::config::Config;
use crate::db::DbTarget;
use rand::RngCore;
use std::io::Write;
use std::path::{Path, PathBuf};

pub fn resolve(config: &Config) -> Result<Vec<u8>, String> {
    if let Some(s) = &config.jwt_secret {
        return Ok(s.as_bytes().to_vec());
    }
    match &config.database {
        DbTarget::Postgres(_) => Err(
            "ACTBOARD_JWT_SECRET must be set when using PostgreSQL: every instance must share \
             one secret (generate one with `openssl rand -hex 32`)"
                .into(),
        ),
        DbTarget::Sqlite(db) => load_or_create(&secret_path(db)),
    }
}

pub fn secret_path(db: &Path) -> PathBuf {
    let mut name = db.file_name().map(|n| n.to_os_string()).unwrap_or_default();
    name.push(".jwt-secret");
    db.with_file_name(name)
}

fn load_or_create(path: &Path) -> Result<Vec<u8>, String> {
    match std::fs::read_to_string(path) {
        Ok(s) if s.trim().len() >= crate::config::MIN_SECRET_LEN => {
            return Ok(s.trim().as_bytes().to_vec())
        }
        Ok(_) => {
            return Err(format!(
                "{} is too short; delete it to regenerate",
                path.display()
            ))
        }
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
        Err(e) => return Err(format!("cannot read {}: {e}", path.display())),
    }
    let mut bytes = [0u8; 32];
    rand::thread_rng().fill_bytes(&mut bytes);
    let secret = hex::encode(bytes);
    let mut opts = std::fs::OpenOptions::new();
    opts.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        opts.mode(0o600);
    }
    match opts.open(path) {
        Ok(mut f) => {
            f.write_all(secret.as_bytes())
                .map_err(|e| format!("cannot write {}: {e}", path.display()))?;
            tracing::info!(path = %path.display(), "generated a new token-signing secret");
            Ok(secret.into_bytes())
        }
        // Another process won the race to create it: use theirs.
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => load_or_create(path),
        Err(e) => Err(format!("cannot create {}: {e}", path.display())),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn generated_once_with_owner_only_mode() {
        let dir = tempfile::tempdir().unwrap();
        let db = dir.path().join("a.db");
        let p = secret_path(&db);
        assert!(p.ends_with("a.db.jwt-secret"));
        let first = load_or_create(&p).unwrap();
        assert_eq!(load_or_create(&p).unwrap(), first);
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(&p).unwrap().permissions().mode() & 0o777;
            assert_eq!(mode, 0o600);
        }
    }
}
