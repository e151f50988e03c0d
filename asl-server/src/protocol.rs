//! AWS's JSON 1.0 protocol: `POST /` with `Content-Type: application/x-amz-json-1.0` and
//! `X-Amz-Target: AWSStepFunctions.<Operation>`, a JSON object in, a JSON object out, errors as
//! [`ApiError`]s.

use std::sync::Arc;

use axum::body::Bytes;
use axum::extract::State;
use axum::extract::rejection::BytesRejection;
use axum::http::{HeaderMap, Method, StatusCode, Uri, header};
use axum::response::{IntoResponse, Response};
use serde_json::Value;
use tracing::Instrument as _;

use crate::api::Api;
use crate::error::ApiError;

/// The content type of requests and answers.
pub const CONTENT_TYPE: &str = "application/x-amz-json-1.0";

/// What `X-Amz-Target` starts with for the Step Functions API.
const TARGET_PREFIX: &str = "AWSStepFunctions.";

/// What `X-Amz-Target` starts with for the EventBridge API.
const EVENTS_PREFIX: &str = "AWSEvents.";

/// The content type of EventBridge's answers.
const EVENTS_CONTENT_TYPE: &str = "application/x-amz-json-1.1";

/// The API a request is for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Service {
    StepFunctions,
    Events,
}

/// The most bytes a request body may have: an execution's input (256 KiB) and a definition
/// (1 MiB) with room for the rest of the request.
pub const MAX_BODY: usize = 2 * 1024 * 1024;

/// The operation a request names, and its body as a JSON object.
fn read(
    headers: &HeaderMap,
    body: Result<Bytes, BytesRejection>,
) -> Result<(Service, String, Value), ApiError> {
    let content_type = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    let media = content_type.split(';').next().unwrap_or("").trim();
    if !media.eq_ignore_ascii_case(CONTENT_TYPE)
        && !media.eq_ignore_ascii_case("application/x-amz-json-1.1")
    {
        return Err(ApiError::new(
            "UnsupportedMediaTypeException",
            format!("Requests are {CONTENT_TYPE}, not '{content_type}'"),
        )
        .with_status(StatusCode::UNSUPPORTED_MEDIA_TYPE));
    }
    let target = headers
        .get("x-amz-target")
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    let named = |prefix: &str| target.strip_prefix(prefix).filter(|op| !op.is_empty());
    let (service, op) = match (named(TARGET_PREFIX), named(EVENTS_PREFIX)) {
        (Some(op), _) => (Service::StepFunctions, op),
        (None, Some(op)) => (Service::Events, op),
        (None, None) => {
            return Err(ApiError::new(
                "UnknownOperationException",
                format!(
                    "X-Amz-Target '{target}' names no operation: it is {TARGET_PREFIX}<Operation> or {EVENTS_PREFIX}<Operation>"
                ),
            ));
        }
    };
    let body = body.map_err(|e| {
        let status = e.status();
        ApiError::new(
            if status == StatusCode::PAYLOAD_TOO_LARGE {
                "RequestEntityTooLargeException"
            } else {
                "SerializationException"
            },
            if status == StatusCode::PAYLOAD_TOO_LARGE {
                format!("The request body is larger than {MAX_BODY} bytes")
            } else {
                e.body_text()
            },
        )
        .with_status(status)
    })?;
    let value = if body.iter().all(u8::is_ascii_whitespace) {
        Value::Object(Default::default())
    } else {
        serde_json::from_slice::<Value>(&body)
            .map_err(|e| ApiError::serialization(format!("The request body is not JSON: {e}")))?
    };
    if !value.is_object() {
        return Err(ApiError::serialization(
            "The request body is a JSON object of the operation's members",
        ));
    }
    Ok((service, op.to_owned(), value))
}

/// `POST /`: one API call.
pub(crate) async fn call(
    State(api): State<Arc<Api>>,
    method: Method,
    uri: Uri,
    headers: HeaderMap,
    body: Result<Bytes, BytesRejection>,
) -> Response {
    // Who is asking first (a body too large to read cannot be signed for), then how often,
    // then what.
    if !api.credentials.is_empty() {
        let bytes = body.as_ref().map(|b| b.as_ref()).unwrap_or_default();
        let request = crate::sigv4::Request {
            method: &method,
            uri: &uri,
            headers: &headers,
            body: bytes,
        };
        // Signed for the service the request is for.
        let events = headers
            .get("x-amz-target")
            .and_then(|v| v.to_str().ok())
            .is_some_and(|t| t.starts_with(EVENTS_PREFIX));
        let service = if events { "events" } else { "states" };
        if let Err(e) = crate::sigv4::verify(
            &request,
            &api.credentials,
            &api.region,
            service,
            jiff::Timestamp::now(),
        ) {
            tracing::info!(code = e.code, "refused an unauthenticated request");
            return e.into_response();
        }
    }
    let (service, op, body) = match read(&headers, body) {
        Ok(read) => read,
        Err(e) => return e.into_response(),
    };
    if let Err(e) = api.limiters.take(&op) {
        return e.into_response();
    }
    // The execution's ARN is recorded on the span by the operations that name one.
    let span = tracing::info_span!("request", operation = %op, execution = tracing::field::Empty);
    let answer = match service {
        Service::StepFunctions => {
            crate::ops::dispatch(&api, &op, &body)
                .instrument(span.clone())
                .await
        }
        Service::Events => {
            crate::ops::events::dispatch(&api, &op, &body)
                .instrument(span.clone())
                .await
        }
    };
    let content_type = match service {
        Service::StepFunctions => CONTENT_TYPE,
        Service::Events => EVENTS_CONTENT_TYPE,
    };
    match answer {
        Ok(value) => (
            StatusCode::OK,
            [(header::CONTENT_TYPE, content_type)],
            value.to_string(),
        )
            .into_response(),
        Err(e) => {
            span.in_scope(|| tracing::debug!(code = e.code, message = %e.message, "refused"));
            e.into_response()
        }
    }
}
