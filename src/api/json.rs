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
pub fn present<'de, D: serde::Deserializer<'de>, T: serde::Deserialize<'de>>(d: D) -> Result<Option<Option<T>>, D::Error> {
    Option::<T>::deserialize(d).map(Some)
}

pub fn parse<T: DeserializeOwned>(bytes: &[u8]) -> Result<T, AppError> {
    let de = &mut serde_json::Deserializer::from_slice(bytes);
    serde_path_to_error::deserialize(de).map_err(|e| {
        let path = e.path().to_string();
        let inner = e.into_inner();
        if inner.is_data() {
            let message = clean(&inner.to_string());
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
        } else {
            AppError::BadRequest(format!("malformed JSON: {inner}"))
        }
    })
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
    }
}
