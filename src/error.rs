//! The one error type. Every failure leaves the server as `application/problem+json`
//! (RFC 9457) with a stable machine `code`; internals are logged, never sent.

pub use crate::domain::FieldError;
use actix_web::http::{header, StatusCode};
use actix_web::{HttpResponse, ResponseError};
use serde_json::{json, Map, Value};

#[derive(Debug, thiserror::Error)]
pub enum AppError {
    /// 401 `unauthenticated`: no token, or a token that is invalid or expired.
    #[error("{0}")]
    Unauthenticated(String),
    /// 401 `invalid_credentials`: the same answer for an unknown user and a wrong password.
    #[error("invalid username or password")]
    InvalidCredentials,
    /// 403 `forbidden`.
    #[error("{0}")]
    Forbidden(String),
    /// 403 `password_change_required`: the account's password was set by an administrator
    /// (a reset, or a new account); until its owner chooses their own, only `GET /api/me`,
    /// `POST /api/me/password` and sign-out answer.
    #[error(
        "choose a new password first: an administrator set a temporary one for this account \
         (POST /api/me/password)"
    )]
    PasswordChangeRequired,
    /// 404 `not_found`.
    #[error("{0}")]
    NotFound(String),
    /// 400 `validation_failed`: the request could not be read (malformed JSON, bad path or query).
    #[error("{0}")]
    BadRequest(String),
    /// 422 `validation_failed` with per-field errors.
    #[error("{detail}")]
    Validation {
        detail: String,
        errors: Vec<FieldError>,
    },
    /// 422 with a code of its own (an impossible lifecycle move, a DST gap, …).
    #[error("{detail}")]
    Unprocessable { code: &'static str, detail: String },
    /// 422 `import_failed`: some rows of an import failed and nothing was stored; `extra` is
    /// the import's report (rows, counts).
    #[error("{detail}")]
    ImportFailed {
        detail: String,
        extra: Map<String, Value>,
    },
    /// 409 `version_conflict`, carrying the current state so the caller can merge.
    #[error("the record was changed by someone else")]
    VersionConflict { current: Value },
    /// 409 with a code of its own (`conflict`, `caseload_full`, …) and extra members.
    #[error("{detail}")]
    Conflict {
        code: &'static str,
        detail: String,
        extra: Map<String, Value>,
    },
    /// 405 `method_not_allowed`: the path exists, the method does not (`allow` lists those that do).
    #[error("{method} is not allowed here; use {allow}")]
    MethodNotAllowed { method: String, allow: String },
    /// 413 `payload_too_large`.
    #[error("{0}")]
    PayloadTooLarge(String),
    /// 429 `rate_limited`.
    #[error("too many failed attempts; try again in {retry_after_secs} seconds")]
    RateLimited { retry_after_secs: u64 },
    /// 503 `unavailable`: the database does not answer.
    #[error("{0}")]
    Unavailable(String),
    /// 500 `internal`: logged with the request id, answered without internals.
    #[error("{0}")]
    Internal(String),
}

pub type AppResult<T> = Result<T, AppError>;

impl AppError {
    pub fn validation(field: &str, message: impl Into<String>) -> Self {
        let message = message.into();
        AppError::Validation {
            detail: format!("{field}: {message}"),
            errors: vec![FieldError::new(field, message)],
        }
    }

    /// 422 `validation_failed` for one field.
    pub fn from_field(error: FieldError) -> Self {
        Self::from_fields(vec![error])
    }

    pub fn from_fields(errors: Vec<FieldError>) -> Self {
        let detail = errors
            .iter()
            .map(|e| format!("{}: {}", e.field, e.message))
            .collect::<Vec<_>>()
            .join("; ");
        AppError::Validation { detail, errors }
    }

    pub fn conflict(detail: impl Into<String>) -> Self {
        AppError::Conflict {
            code: "conflict",
            detail: detail.into(),
            extra: Map::new(),
        }
    }

    pub fn not_found(what: &str) -> Self {
        AppError::NotFound(format!("{what} not found"))
    }

    pub fn internal(e: impl std::fmt::Display) -> Self {
        AppError::Internal(e.to_string())
    }

    pub fn code(&self) -> &'static str {
        match self {
            AppError::Unauthenticated(_) => "unauthenticated",
            AppError::InvalidCredentials => "invalid_credentials",
            AppError::Forbidden(_) => "forbidden",
            AppError::PasswordChangeRequired => "password_change_required",
            AppError::NotFound(_) => "not_found",
            AppError::BadRequest(_) | AppError::Validation { .. } => "validation_failed",
            AppError::Unprocessable { code, .. } => code,
            AppError::ImportFailed { .. } => "import_failed",
            AppError::VersionConflict { .. } => "version_conflict",
            AppError::Conflict { code, .. } => code,
            AppError::MethodNotAllowed { .. } => "method_not_allowed",
            AppError::PayloadTooLarge(_) => "payload_too_large",
            AppError::RateLimited { .. } => "rate_limited",
            AppError::Unavailable(_) => "unavailable",
            AppError::Internal(_) => "internal",
        }
    }

    fn title(&self) -> &'static str {
        match self {
            AppError::Unauthenticated(_) | AppError::InvalidCredentials => "Not signed in",
            AppError::Forbidden(_) => "Not allowed",
            AppError::PasswordChangeRequired => "Password change required",
            AppError::NotFound(_) => "Not found",
            AppError::BadRequest(_) => "Unreadable request",
            AppError::Validation { .. } | AppError::Unprocessable { .. } => "Invalid request",
            AppError::ImportFailed { .. } => "Import refused",
            AppError::VersionConflict { .. } => "Changed by someone else",
            AppError::Conflict { .. } => "Conflict",
            AppError::MethodNotAllowed { .. } => "Method not allowed",
            AppError::PayloadTooLarge(_) => "Request too large",
            AppError::RateLimited { .. } => "Too many attempts",
            AppError::Unavailable(_) => "Service unavailable",
            AppError::Internal(_) => "Internal error",
        }
    }

    /// The problem+json body.
    pub fn body(&self) -> Value {
        let status = self.status_code();
        let mut body = json!({
            "type": format!("urn:actboard:problem:{}", self.code()),
            "title": self.title(),
            "status": status.as_u16(),
            "code": self.code(),
        });
        let detail = match self {
            AppError::Internal(_) => {
                let id = crate::request_id::current();
                body["request_id"] = json!(id);
                format!("an unexpected error occurred; quote request id {id} when reporting it")
            }
            AppError::Unavailable(_) => "the database is not answering; try again shortly".into(),
            other => other.to_string(),
        };
        body["detail"] = json!(detail);
        match self {
            AppError::Validation { errors, .. } => body["errors"] = json!(errors),
            AppError::VersionConflict { current } => body["current"] = current.clone(),
            AppError::Conflict { extra, .. } | AppError::ImportFailed { extra, .. } => {
                for (k, v) in extra {
                    body[k] = v.clone();
                }
            }
            AppError::RateLimited { retry_after_secs } => {
                body["retry_after"] = json!(retry_after_secs)
            }
            _ => {}
        }
        body
    }
}

impl ResponseError for AppError {
    fn status_code(&self) -> StatusCode {
        match self {
            AppError::Unauthenticated(_) | AppError::InvalidCredentials => StatusCode::UNAUTHORIZED,
            AppError::Forbidden(_) | AppError::PasswordChangeRequired => StatusCode::FORBIDDEN,
            AppError::NotFound(_) => StatusCode::NOT_FOUND,
            AppError::BadRequest(_) => StatusCode::BAD_REQUEST,
            AppError::Validation { .. }
            | AppError::Unprocessable { .. }
            | AppError::ImportFailed { .. } => StatusCode::UNPROCESSABLE_ENTITY,
            AppError::VersionConflict { .. } | AppError::Conflict { .. } => StatusCode::CONFLICT,
            AppError::MethodNotAllowed { .. } => StatusCode::METHOD_NOT_ALLOWED,
            AppError::PayloadTooLarge(_) => StatusCode::PAYLOAD_TOO_LARGE,
            AppError::RateLimited { .. } => StatusCode::TOO_MANY_REQUESTS,
            AppError::Unavailable(_) => StatusCode::SERVICE_UNAVAILABLE,
            AppError::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    fn error_response(&self) -> HttpResponse {
        match self {
            AppError::Internal(msg) => tracing::error!(
                request_id = %crate::request_id::current(), error = %msg, "internal error"
            ),
            AppError::Unavailable(msg) => tracing::warn!(
                request_id = %crate::request_id::current(), error = %msg, "database unavailable"
            ),
            _ => {}
        }
        let mut resp = HttpResponse::build(self.status_code());
        resp.insert_header((header::CONTENT_TYPE, "application/problem+json"));
        if let AppError::RateLimited { retry_after_secs } = self {
            resp.insert_header((header::RETRY_AFTER, retry_after_secs.to_string()));
        }
        if let AppError::MethodNotAllowed { allow, .. } = self {
            resp.insert_header((header::ALLOW, allow.as_str()));
        }
        resp.body(self.body().to_string())
    }
}

impl From<diesel::result::Error> for AppError {
    fn from(e: diesel::result::Error) -> Self {
        use diesel::result::{DatabaseErrorKind as K, Error as E};
        match e {
            E::NotFound => AppError::NotFound("not found".into()),
            E::DatabaseError(K::UniqueViolation, info) => {
                AppError::conflict(format!("already exists ({})", info.message()))
            }
            E::DatabaseError(K::ForeignKeyViolation, _) => {
                AppError::validation("id", "refers to something that does not exist")
            }
            E::DatabaseError(K::ClosedConnection, info) => {
                AppError::Unavailable(info.message().to_string())
            }
            E::DatabaseError(K::SerializationFailure, _) => {
                AppError::conflict("a concurrent change interfered; retry the request")
            }
            E::DatabaseError(_, info) if info.message().contains("database is locked") => {
                AppError::Unavailable("the database stayed busy; try again".into())
            }
            other => AppError::Internal(format!("database: {other}")),
        }
    }
}

impl From<r2d2::Error> for AppError {
    fn from(e: r2d2::Error) -> Self {
        AppError::Unavailable(e.to_string())
    }
}

impl From<actix_web::error::BlockingError> for AppError {
    fn from(e: actix_web::error::BlockingError) -> Self {
        AppError::Internal(format!("blocking task failed: {e}"))
    }
}
