//! HS256 access tokens: short-lived, validated for signature, algorithm, type and expiry.

use jsonwebtoken::{decode, encode, Algorithm, DecodingKey, EncodingKey, Header, Validation};
use serde::{Deserialize, Serialize};

pub const ACCESS_TTL_SECS: i64 = 15 * 60;

#[derive(Debug, Serialize, Deserialize, Clone)]
pub struct Claims {
    /// Staff id.
    pub sub: String,
    pub iat: i64,
    pub exp: i64,
    /// Always "access": a token minted for something else must not pass as one.
    pub typ: String,
    /// The session (sign-in) this token belongs to (`auth::sessions`): ending the session
    /// ends the token. A token without one is refused (`extractor::user_from_token`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sid: Option<String>,
}

#[derive(Clone)]
pub struct JwtKeys {
    encoding: EncodingKey,
    decoding: DecodingKey,
    validation: Validation,
}

impl JwtKeys {
    pub fn new(secret: &[u8]) -> Self {
        let mut validation = Validation::new(Algorithm::HS256);
        validation.algorithms = vec![Algorithm::HS256];
        validation.leeway = 5;
        validation.validate_exp = true;
        validation.set_required_spec_claims(&["exp", "sub", "iat"]);
        JwtKeys {
            encoding: EncodingKey::from_secret(secret),
            decoding: DecodingKey::from_secret(secret),
            validation,
        }
    }

    pub fn issue(
        &self,
        staff_id: &str,
        session_id: &str,
        now: i64,
    ) -> Result<(String, Claims), String> {
        let claims = Claims {
            sub: staff_id.to_string(),
            iat: now,
            exp: now + ACCESS_TTL_SECS,
            typ: "access".into(),
            sid: Some(session_id.to_string()),
        };
        encode(&Header::new(Algorithm::HS256), &claims, &self.encoding)
            .map(|t| (t, claims))
            .map_err(|e| format!("token signing failed: {e}"))
    }

    pub fn verify(&self, token: &str) -> Result<Claims, String> {
        let data =
            decode::<Claims>(token, &self.decoding, &self.validation).map_err(|e| {
                match e.kind() {
                    jsonwebtoken::errors::ErrorKind::ExpiredSignature => {
                        "token expired".to_string()
                    }
                    _ => "invalid token".to_string(),
                }
            })?;
        if data.claims.typ != "access" {
            return Err("invalid token".into());
        }
        Ok(data.claims)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use base64::engine::general_purpose::URL_SAFE_NO_PAD;
    use base64::Engine;

    fn keys() -> JwtKeys {
        JwtKeys::new(b"0123456789abcdef0123456789abcdef")
    }

    fn now() -> i64 {
        chrono::Utc::now().timestamp()
    }

    #[test]
    fn round_trip() {
        let (t, _) = keys().issue("abc", "s1", now()).unwrap();
        let claims = keys().verify(&t).unwrap();
        assert_eq!(claims.sub, "abc");
        assert_eq!(claims.sid.as_deref(), Some("s1"));
    }

    #[test]
    fn rejects_other_secret_expired_and_alg_none() {
        let (t, _) = keys().issue("abc", "s1", now()).unwrap();
        assert!(JwtKeys::new(b"another secret another secret!!!")
            .verify(&t)
            .is_err());
        let (old, _) = keys().issue("abc", "s1", now() - 3600).unwrap();
        assert_eq!(keys().verify(&old).unwrap_err(), "token expired");
        let header = URL_SAFE_NO_PAD.encode(br#"{"alg":"none","typ":"JWT"}"#);
        let body = t.split('.').nth(1).unwrap();
        assert!(keys().verify(&format!("{header}.{body}.")).is_err());
        let hs512 = URL_SAFE_NO_PAD.encode(br#"{"alg":"HS512","typ":"JWT"}"#);
        let sig = t.split('.').nth(2).unwrap();
        assert!(keys().verify(&format!("{hs512}.{body}.{sig}")).is_err());
    }
}
