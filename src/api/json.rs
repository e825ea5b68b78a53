//! `Json<T>`: the request-body extractor. Unlike actix's, every failure is problem+json and a
//! type error names the field (`mode: unknown variant …`).

use crate::error::{AppError, FieldError};
use actix_web::{dev::Payload, http::header, web, FromRequest, HttpRequest};
use futures_util::future::LocalBoxFuture;
use serde::de::DeserializeOwned;
use serde::Deserialize;

/// Largest JSON body accepted (a handoff of a whole caseload fits easily).
pub const MAX_BODY: usize = 256 * 1024;

pub struct Json<T>(pub T);

impl<T: DeserializeOwned + 'static> FromRequest for Json<T> {
    type Error = AppError;
    type Future = LocalBoxFuture<'static, Result<Self, Self::Error>>;

    fn from_request(req: &HttpRequest, payload: &mut Payload) -> Self::Future {
        let is_json = req
            .headers()
            .get(header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .map(|v| {
                let v = v.to_ascii_lowercase();
                v.starts_with("application/json") || v.contains("+json")
            })
            .unwrap_or(false);
        let body = web::Bytes::from_request(req, payload);
        Box::pin(async move {
            if !is_json {
                return Err(AppError::BadRequest(
                    "send the body as JSON with Content-Type: application/json".into(),
                ));
            }
            let bytes = body.await.map_err(|e| {
                if e.as_response_error().status_code()
                    == actix_web::http::StatusCode::PAYLOAD_TOO_LARGE
                {
                    AppError::PayloadTooLarge(format!("the body is larger than {MAX_BODY} bytes"))
                } else {
                    AppError::BadRequest(format!("the body could not be read: {e}"))
                }
            })?;
            parse(&bytes).map(Json)
        })
    }
}

/// For PATCH fields: `null` clears the field, a missing field leaves it as it is
/// (`Option<Option<T>>` with `#[serde(default, deserialize_with = "present")]`).
pub fn present<'de, D: serde::Deserializer<'de>, T: serde::Deserialize<'de>>(
    d: D,
) -> Result<Option<Option<T>>, D::Error> {
    Option::<T>::deserialize(d).map(Some)
}

pub fn parse<T: DeserializeOwned>(bytes: &[u8]) -> Result<T, AppError> {
    // Almost every body: one streaming pass (a duplicated key is refused by the derive).
    // A NUL can only arrive escaped, and `3.0` for an integer fails as a float: only those
    // take the second path through a `Value` tree.
    if !bytes.windows(6).any(|w| w == br"\u0000") {
        let de = &mut serde_json::Deserializer::from_slice(bytes);
        match serde_path_to_error::deserialize(&mut *de) {
            Ok(v) => {
                de.end()
                    .map_err(|e| AppError::BadRequest(format!("malformed JSON: {e}")))?;
                return Ok(v);
            }
            Err(e)
                if e.inner().is_data()
                    && e.inner()
                        .to_string()
                        .starts_with("invalid type: floating point") => {}
            Err(e) => {
                // Syntax and depth come first (as a whole-body read would find them), then the type.
                serde_json::from_slice::<serde_json::Value>(bytes).map_err(syntax_problem)?;
                return Err(problem(e));
            }
        }
    }
    let mut value: serde_json::Value = serde_json::from_slice(bytes).map_err(syntax_problem)?;
    integral_floats_to_integers(&mut value);
    if let Some(field) = nul_in(&value, String::new()) {
        // PostgreSQL cannot store U+0000 in text; refuse it on every engine alike.
        return Err(AppError::validation(
            &field,
            "must not contain the NUL character (U+0000)",
        ));
    }
    serde_path_to_error::deserialize(value).map_err(problem)
}

/// An unreadable body is a 400; one nested too deep is a limit, like the field limits (422).
fn syntax_problem(e: serde_json::Error) -> AppError {
    if e.to_string().starts_with("recursion limit exceeded") {
        AppError::validation("body", "is nested more than 128 levels deep")
    } else {
        AppError::BadRequest(format!("malformed JSON: {e}"))
    }
}

/// A readable body that does not fit the type: 422 naming the field.
fn problem(e: serde_path_to_error::Error<serde_json::Error>) -> AppError {
    if !e.inner().is_data() {
        return syntax_problem(e.into_inner());
    }
    let path = e.path().to_string();
    let message = clean(&e.into_inner().to_string());
    // serde reports a missing field at the parent; name the field itself.
    let missing = message
        .strip_prefix("missing field `")
        .and_then(|m| m.split('`').next());
    let field = match (path.as_str(), missing) {
        (".", Some(m)) => m.to_string(),
        (".", None) => "body".to_string(),
        (p, Some(m)) => format!("{p}.{m}"),
        (p, None) => p.to_string(),
    };
    AppError::Validation {
        detail: format!("{field}: {message}"),
        errors: vec![FieldError::new(field, message)],
    }
}

/// The path (`items[0].summary`) of the first string or key holding U+0000, if any.
fn nul_in(v: &serde_json::Value, path: String) -> Option<String> {
    use serde_json::Value;
    let here = || {
        if path.is_empty() {
            "body".to_string()
        } else {
            path.clone()
        }
    };
    match v {
        Value::String(s) if s.contains('\0') => Some(here()),
        Value::Array(items) => items
            .iter()
            .enumerate()
            .find_map(|(i, x)| nul_in(x, format!("{}[{i}]", here()))),
        Value::Object(map) => map.iter().find_map(|(k, x)| {
            let p = if path.is_empty() {
                k.clone()
            } else {
                format!("{path}.{k}")
            };
            if k.contains('\0') {
                Some(p)
            } else {
                nul_in(x, p)
            }
        }),
        _ => None,
    }
}

/// JSON has one number type: `3.0` is the integer 3 (as JSON Schema says), so an integer
/// field accepts it. Fractions and out-of-range values stay floats and are refused by type.
fn integral_floats_to_integers(v: &mut serde_json::Value) {
    use serde_json::Value;
    match v {
        Value::Number(n) if n.is_f64() => {
            if let Some(f) = n.as_f64() {
                if f.fract() == 0.0 && f.abs() < 9.0e15 {
                    *v = Value::from(f as i64);
                }
            }
        }
        Value::Array(items) => items.iter_mut().for_each(integral_floats_to_integers),
        Value::Object(map) => map.values_mut().for_each(integral_floats_to_integers),
        _ => {}
    }
}

/// serde's messages end in " at line 1 column 42"; the field name is more useful.
fn clean(msg: &str) -> String {
    match msg.rfind(" at line ") {
        Some(i) => msg[..i].to_string(),
        None => msg.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(serde::Deserialize, Debug)]
    #[allow(dead_code)]
    struct T {
        mode: crate::domain::team::Mode,
        n: i32,
    }

    #[test]
    fn names_the_field() {
        match parse::<T>(br#"{"mode":"xyz","n":1}"#) {
            Err(AppError::Validation { errors, .. }) => {
                assert_eq!(errors[0].field, "mode");
                assert!(errors[0].message.contains("unknown variant"));
            }
            other => panic!("{other:?}"),
        }
        assert!(matches!(
            parse::<T>(br#"{"mode":"act""#),
            Err(AppError::BadRequest(_))
        ));
        assert!(matches!(
            parse::<T>(br#"{"mode":"act"}"#),
            Err(AppError::Validation { .. })
        ));
        match parse::<T>(br#"{"mode":"act","n":1,"x":["ok","a\u0000b"]}"#) {
            Err(AppError::Validation { errors, .. }) => assert_eq!(errors[0].field, "x[1]"),
            other => panic!("{other:?}"),
        }
        // 3.0 is the integer 3; 3.5 is not an integer.
        assert_eq!(parse::<T>(br#"{"mode":"act","n":3.0}"#).unwrap().n, 3);
        match parse::<T>(br#"{"mode":"act","n":3.5}"#) {
            Err(AppError::Validation { errors, .. }) => assert_eq!(errors[0].field, "n"),
            other => panic!("{other:?}"),
        }
        // A key given twice is refused, not "last one wins"; trailing garbage is unreadable.
        match parse::<T>(br#"{"mode":"act","n":1,"n":2}"#) {
            Err(AppError::Validation { errors, .. }) => {
                assert!(errors[0].message.contains("duplicate field"), "{errors:?}")
            }
            other => panic!("{other:?}"),
        }
        assert!(matches!(
            parse::<T>(br#"{"mode":"act","n":1} x"#),
            Err(AppError::BadRequest(_))
        ));
        let deep = format!("{}{}", "[".repeat(200), "]".repeat(200));
        assert!(matches!(
            parse::<Vec<serde_json::Value>>(deep.as_bytes()),
            Err(AppError::Validation { .. })
        ));
    }
}
