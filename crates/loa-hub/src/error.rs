//! What the hub answers when it refuses: an HTTP status and `{code,
//! message}`, the code being the one the stations localize.

use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};

#[derive(Debug, thiserror::Error)]
pub enum HubError {
    #[error("unknown key {0}")]
    UnknownKey(String),
    #[error("bad signature")]
    BadSignature,
    #[error("request time too far from the hub's clock")]
    Skew,
    #[error("replayed request")]
    Replay,
    #[error("missing or malformed authentication headers")]
    Malformed,
    #[error("the body does not match its signed hash")]
    BodyMismatch,
    #[error("only a province station may do this")]
    Forbidden,
    #[error("not allowed: {0}")]
    NotAllowed(String),
    #[error("package over the size limit ({0} bytes)")]
    TooLarge(u64),
    #[error("package refused: {0}")]
    Package(#[from] loa_core::CoreError),
    #[error("the issuer {0} is not enrolled, or the package is not its own")]
    IssuerNotEnrolled(String),
    #[error("not found")]
    NotFound,
    #[error("bad request: {0}")]
    BadRequest(String),
    #[error("the hub failed on this request")]
    Internal,
    #[error("database: {0}")]
    Db(String),
    #[error("storage: {0}")]
    Io(#[from] std::io::Error),
}

impl From<tokio_postgres::Error> for HubError {
    fn from(e: tokio_postgres::Error) -> Self {
        HubError::Db(e.to_string())
    }
}

impl From<deadpool_postgres::PoolError> for HubError {
    fn from(e: deadpool_postgres::PoolError) -> Self {
        HubError::Db(e.to_string())
    }
}

impl HubError {
    pub fn status(&self) -> StatusCode {
        match self {
            HubError::UnknownKey(_)
            | HubError::BadSignature
            | HubError::Skew
            | HubError::Replay
            | HubError::Malformed => StatusCode::UNAUTHORIZED,
            HubError::BodyMismatch | HubError::BadRequest(_) => StatusCode::BAD_REQUEST,
            HubError::Forbidden | HubError::NotAllowed(_) | HubError::IssuerNotEnrolled(_) => {
                StatusCode::FORBIDDEN
            }
            HubError::TooLarge(_) => StatusCode::PAYLOAD_TOO_LARGE,
            HubError::Package(_) => StatusCode::UNPROCESSABLE_ENTITY,
            HubError::NotFound => StatusCode::NOT_FOUND,
            HubError::Db(_) | HubError::Io(_) => StatusCode::SERVICE_UNAVAILABLE,
            HubError::Internal => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    pub fn code(&self) -> &'static str {
        match self {
            HubError::UnknownKey(_) => "hub-unknown-key",
            HubError::BadSignature => "hub-bad-signature",
            HubError::Skew => "hub-clock-skew",
            HubError::Replay => "hub-replay",
            HubError::Malformed => "hub-malformed",
            HubError::BodyMismatch => "hub-body-mismatch",
            HubError::Forbidden | HubError::NotAllowed(_) => "hub-forbidden",
            HubError::TooLarge(_) => "hub-too-large",
            HubError::Package(e) => e.code(),
            HubError::IssuerNotEnrolled(_) => "hub-issuer-not-enrolled",
            HubError::NotFound => "not-found",
            HubError::BadRequest(_) => "hub-bad-request",
            HubError::Db(_) | HubError::Io(_) | HubError::Internal => "hub-unavailable",
        }
    }
}

impl IntoResponse for HubError {
    fn into_response(self) -> Response {
        let body = serde_json::json!({ "code": self.code(), "message": self.to_string() });
        (self.status(), axum::Json(body)).into_response()
    }
}
