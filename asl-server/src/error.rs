//! Errors as AWS's JSON protocol writes them: an HTTP status and
//! `{"__type": "com.amazonaws.states#Code", "message": "..."}`, which botocore and the AWS SDKs
//! turn into their exception classes by `Code`.

use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde_json::json;

/// An error answer of the API.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ApiError {
    /// AWS's error code (`ExecutionDoesNotExist`, `ValidationException`, …).
    pub code: &'static str,
    /// AWS's message text.
    pub message: String,
    /// The HTTP status (400 for every error of the service's own, as AWS answers).
    pub status: StatusCode,
}

impl ApiError {
    /// A 400 error with `code` and `message`.
    pub fn new(code: &'static str, message: impl Into<String>) -> Self {
        ApiError {
            code,
            message: message.into(),
            status: StatusCode::BAD_REQUEST,
        }
    }

    /// The error with another HTTP status.
    pub fn with_status(mut self, status: StatusCode) -> Self {
        self.status = status;
        self
    }

    /// `InvalidArn` with AWS's wording: `Invalid Arn: '<why>'`.
    pub fn invalid_arn(why: impl std::fmt::Display) -> Self {
        Self::new("InvalidArn", format!("Invalid Arn: '{why}'"))
    }

    /// `ValidationException` for one member, with AWS's wording.
    pub fn validation(value: impl std::fmt::Display, member: &str, constraint: &str) -> Self {
        Self::new(
            "ValidationException",
            format!(
                "1 validation error detected: Value '{value}' at '{member}' failed to satisfy constraint: {constraint}"
            ),
        )
    }

    /// A refusal of the service a machine's executions run on (503 when it could not be
    /// asked, as AWS answers `ServiceUnavailable`).
    pub fn service(e: asl_runtime::service::ServiceError) -> Self {
        let status = if e.code == "ServiceUnavailable" {
            StatusCode::SERVICE_UNAVAILABLE
        } else {
            StatusCode::BAD_REQUEST
        };
        Self::new(e.code, e.message).with_status(status)
    }

    /// `ExecutionDoesNotExist` for `arn`.
    pub fn no_execution(arn: &str) -> Self {
        Self::new(
            "ExecutionDoesNotExist",
            format!("Execution Does Not Exist: '{arn}'"),
        )
    }

    /// `StateMachineDoesNotExist` for `arn`.
    pub fn no_state_machine(arn: &str) -> Self {
        Self::new(
            "StateMachineDoesNotExist",
            format!("State Machine Does Not Exist: '{arn}'"),
        )
    }

    /// `StateMachineTypeNotSupported`, as AWS words it.
    pub fn type_not_supported() -> Self {
        Self::new(
            "StateMachineTypeNotSupported",
            "This operation is not supported by this type of state machine",
        )
    }

    /// `SerializationException`: the body is not the JSON the operation takes.
    pub fn serialization(message: impl Into<String>) -> Self {
        Self::new("SerializationException", message)
    }

    /// `InternalFailure` (500): the server could not do what was asked (its store failed).
    pub fn internal(message: impl Into<String>) -> Self {
        Self::new("InternalFailure", message).with_status(StatusCode::INTERNAL_SERVER_ERROR)
    }
}

impl std::fmt::Display for ApiError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: {}", self.code, self.message)
    }
}

impl std::error::Error for ApiError {}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let body = json!({
            "__type": format!("com.amazonaws.states#{}", self.code),
            "message": self.message,
        });
        let mut response = (self.status, body.to_string()).into_response();
        let headers = response.headers_mut();
        headers.insert(
            axum::http::header::CONTENT_TYPE,
            axum::http::HeaderValue::from_static(crate::protocol::CONTENT_TYPE),
        );
        if let Ok(code) = axum::http::HeaderValue::from_str(self.code) {
            headers.insert("x-amzn-errortype", code);
        }
        response
    }
}
