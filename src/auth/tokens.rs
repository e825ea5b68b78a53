//! Opaque random tokens (refresh and display tokens). Only their SHA-256 is stored, so a
//! leaked database does not hand out working tokens.

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use rand::RngCore;
use sha2::{Digest, Sha256};

pub const DISPLAY_PREFIX: &str = "dt_";
pub const REFRESH_PREFIX: &str = "rt_";

pub fn generate(prefix: &str) -> String {
    let mut bytes = [0u8; 32];
    rand::thread_rng().fill_bytes(&mut bytes);
    format!("{prefix}{}", URL_SAFE_NO_PAD.encode(bytes))
}

pub fn digest(token: &str) -> String {
    hex::encode(Sha256::digest(token.as_bytes()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_are_random_and_hashed() {
        let a = generate(DISPLAY_PREFIX);
        let b = generate(DISPLAY_PREFIX);
        assert_ne!(a, b);
        assert!(a.starts_with("dt_") && a.len() > 40);
        assert_eq!(digest(&a), digest(&a));
        assert_eq!(digest(&a).len(), 64);
    }
}
