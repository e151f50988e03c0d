//! HTTP routes in the API Gateway manner: `POST /orders` starts the `Order` machine with the
//! request body as its input (answering `executionArn` and `startDate`), or, for an Express
//! machine, runs it and answers its output (its error mapped to a 4xx/5xx). Each route is
//! throttled by its own token bucket (429 `{"message":"Too Many Requests"}` with
//! `Retry-After`); bodies over 10 MB answer 413, malformed JSON 400; CORS as configured.

use std::num::NonZeroU32;
use std::sync::Arc;

use axum::Router;
use axum::body::Bytes;
use axum::extract::DefaultBodyLimit;
use axum::extract::rejection::BytesRejection;
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{MethodFilter, on};
use governor::{DefaultDirectRateLimiter, Quota, RateLimiter};
use serde_json::{Value, json};

use crate::api::Api;
use crate::registry::MachineType;

/// The most bytes of a route's request body, as API Gateway allows.
pub const MAX_ROUTE_BODY: usize = 10 * 1024 * 1024;

/// A route: a method and path, the state machine it starts, its throttling, and how an
/// Express machine's errors become HTTP statuses.
#[derive(Clone, Debug, PartialEq)]
pub struct Route {
    /// `POST`, `PUT`, `GET`…
    pub method: String,
    /// `/orders` (not `/`, which is the AWS APIs').
    pub path: String,
    /// The name of the served state machine to start.
    pub machine: String,
    /// Requests a second (the bucket's refill), and the burst (its size); `None`: unthrottled.
    pub throttle: Option<(u32, u32)>,
    /// An Express machine's error names and the status each answers (500 otherwise).
    pub errors: Vec<(String, u16)>,
}

impl Route {
    /// `POST path` starting `machine`.
    pub fn post(path: &str, machine: &str) -> Self {
        Route {
            method: "POST".to_owned(),
            path: path.to_owned(),
            machine: machine.to_owned(),
            throttle: None,
            errors: Vec::new(),
        }
    }

    /// The route throttled to `rate` requests a second with bursts of `burst`.
    pub fn throttle(mut self, rate: u32, burst: u32) -> Self {
        self.throttle = Some((rate, burst));
        self
    }

    /// An Express machine's error `name` answers `status`.
    pub fn error(mut self, name: &str, status: u16) -> Self {
        self.errors.push((name.to_owned(), status));
        self
    }

    /// Reads routes from a config file's JSON:
    /// `{"routes": [{"method": "POST", "path": "/orders", "machine": "Order", "rate": 10,
    /// "burst": 20, "errors": {"Invalid": 400}}], "cors": ["https://example.com"]}`.
    pub fn from_config(config: &Value) -> Result<(Vec<Route>, Vec<String>), String> {
        let mut routes = Vec::new();
        for r in config["routes"]
            .as_array()
            .ok_or("a config has a list \"routes\"")?
        {
            let text = |k: &str| r[k].as_str().map(str::to_owned);
            let path = text("path").ok_or("each route has a \"path\"")?;
            let machine = text("machine").ok_or("each route names its \"machine\"")?;
            let mut route = Route {
                method: text("method")
                    .unwrap_or_else(|| "POST".to_owned())
                    .to_uppercase(),
                path,
                machine,
                throttle: None,
                errors: Vec::new(),
            };
            if let Some(rate) = r["rate"].as_u64() {
                let burst = r["burst"].as_u64().unwrap_or(rate);
                route.throttle = Some((rate as u32, burst as u32));
            }
            for (name, status) in r["errors"].as_object().into_iter().flatten() {
                let status = status
                    .as_u64()
                    .filter(|s| (400..600).contains(s))
                    .ok_or("error statuses are 4xx or 5xx")?;
                route.errors.push((name.clone(), status as u16));
            }
            routes.push(route);
        }
        let cors = config["cors"]
            .as_array()
            .map(|o| {
                o.iter()
                    .filter_map(|v| v.as_str().map(str::to_owned))
                    .collect()
            })
            .unwrap_or_default();
        Ok((routes, cors))
    }
}

/// A route and its live bucket.
struct Live {
    route: Route,
    limiter: Option<DefaultDirectRateLimiter>,
    /// Origins CORS allows (`*` for any); empty: no CORS headers.
    cors: Arc<Vec<String>>,
}

/// The routes added to `router`.
pub(crate) fn add(
    mut router: Router<Arc<Api>>,
    routes: &[Route],
    cors: &[String],
) -> Result<Router<Arc<Api>>, String> {
    let cors = Arc::new(cors.to_vec());
    for route in routes {
        if route.path == "/" || !route.path.starts_with('/') {
            return Err(format!(
                "route path '{}' must start with / and not be / (the AWS APIs' own)",
                route.path
            ));
        }
        let method = Method::from_bytes(route.method.as_bytes())
            .map_err(|_| format!("'{}' is not an HTTP method", route.method))?;
        let filter = MethodFilter::try_from(method).map_err(|e| e.to_string())?;
        let limiter = match route.throttle {
            Some((rate, burst)) => {
                let rate = NonZeroU32::new(rate).ok_or("a route's rate is at least 1")?;
                let burst = NonZeroU32::new(burst).ok_or("a route's burst is at least 1")?;
                Some(RateLimiter::direct(
                    Quota::per_second(rate).allow_burst(burst),
                ))
            }
            None => None,
        };
        let live = Arc::new(Live {
            route: route.clone(),
            limiter,
            cors: cors.clone(),
        });
        let preflight = live.clone();
        router = router.route(
            &route.path,
            on(
                filter,
                move |state: axum::extract::State<Arc<Api>>,
                      headers: HeaderMap,
                      body: Result<Bytes, BytesRejection>| {
                    let live = live.clone();
                    async move { handle(&state.0, &live, &headers, body).await }
                },
            )
            .options(move |headers: HeaderMap| {
                let live = preflight.clone();
                async move { with_cors(StatusCode::NO_CONTENT.into_response(), &live, &headers) }
            })
            .layer(DefaultBodyLimit::max(MAX_ROUTE_BODY)),
        );
    }
    Ok(router)
}

fn answer(status: StatusCode, body: Value) -> Response {
    (
        status,
        [(header::CONTENT_TYPE, "application/json")],
        body.to_string(),
    )
        .into_response()
}

async fn handle(
    api: &Api,
    live: &Live,
    headers: &HeaderMap,
    body: Result<Bytes, BytesRejection>,
) -> Response {
    let response = respond(api, live, body).await;
    with_cors(response, live, headers)
}

async fn respond(api: &Api, live: &Live, body: Result<Bytes, BytesRejection>) -> Response {
    if let Some(limiter) = &live.limiter
        && let Err(not_until) = limiter.check()
    {
        let wait = not_until.wait_time_from(governor::clock::Clock::now(
            &governor::clock::DefaultClock::default(),
        ));
        let mut response = answer(
            StatusCode::TOO_MANY_REQUESTS,
            json!({"message": "Too Many Requests"}),
        );
        let seconds = wait.as_secs() + u64::from(wait.subsec_nanos() > 0);
        if let Ok(v) = HeaderValue::from_str(&seconds.max(1).to_string()) {
            response.headers_mut().insert(header::RETRY_AFTER, v);
        }
        return response;
    }
    let body = match body {
        Ok(b) => b,
        Err(e) if e.status() == StatusCode::PAYLOAD_TOO_LARGE => {
            return answer(
                StatusCode::PAYLOAD_TOO_LARGE,
                json!({"message": "Request Entity Too Large"}),
            );
        }
        Err(e) => return answer(StatusCode::BAD_REQUEST, json!({"message": e.body_text()})),
    };
    let input: Value = if body.iter().all(u8::is_ascii_whitespace) {
        json!({})
    } else {
        match serde_json::from_slice(&body) {
            Ok(v) => v,
            Err(e) => {
                return answer(
                    StatusCode::BAD_REQUEST,
                    json!({"message": format!("Malformed JSON: {e}")}),
                );
            }
        }
    };
    let machine = match api.machine(&api.machine_arn(&live.route.machine)) {
        Ok(m) => m,
        Err(e) => {
            return answer(
                StatusCode::INTERNAL_SERVER_ERROR,
                json!({"message": e.message}),
            );
        }
    };
    let name = uuid::Uuid::new_v4().to_string();
    let arn = api.execution_arn(&machine, &name);
    match machine.kind {
        MachineType::Standard => {
            match crate::api::start_standard(&machine, &name, &arn, input, None).await {
                Ok((arn, start)) => answer(
                    StatusCode::OK,
                    json!({"executionArn": arn, "startDate": crate::wire::epoch(start)}),
                ),
                Err(e) => answer(
                    StatusCode::INTERNAL_SERVER_ERROR,
                    json!({"message": format!("{}: {}", e.code, e.message)}),
                ),
            }
        }
        MachineType::Express => {
            let config = Api::config(&machine, &name, &arn);
            let outcome = machine.machine.run_with(input, &config).await;
            match (outcome.status, outcome.output, outcome.failure) {
                (asl_runtime::Status::Succeeded, Some(output), _) => answer(StatusCode::OK, output),
                (asl_runtime::Status::TimedOut, _, _) => answer(
                    StatusCode::GATEWAY_TIMEOUT,
                    json!({"error": "States.Timeout"}),
                ),
                (_, _, failure) => {
                    let (error, cause) = failure.map(|f| (f.error, f.cause)).unwrap_or_default();
                    let status = live
                        .route
                        .errors
                        .iter()
                        .find(|(n, _)| *n == error)
                        .and_then(|(_, s)| StatusCode::from_u16(*s).ok())
                        .unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
                    answer(status, json!({"error": error, "cause": cause}))
                }
            }
        }
    }
}

/// The response with CORS headers when the request's origin is allowed.
fn with_cors(mut response: Response, live: &Live, headers: &HeaderMap) -> Response {
    let origin = headers.get(header::ORIGIN).and_then(|v| v.to_str().ok());
    let allowed = match origin {
        Some(o) => live.cors.iter().any(|a| a == "*" || a == o),
        None => false,
    };
    if let (true, Some(origin)) = (allowed, origin)
        && let Ok(value) = HeaderValue::from_str(origin)
    {
        let h = response.headers_mut();
        h.insert(header::ACCESS_CONTROL_ALLOW_ORIGIN, value);
        if let Ok(m) = HeaderValue::from_str(&format!("{}, OPTIONS", live.route.method)) {
            h.insert(header::ACCESS_CONTROL_ALLOW_METHODS, m);
        }
        h.insert(
            header::ACCESS_CONTROL_ALLOW_HEADERS,
            HeaderValue::from_static("content-type"),
        );
    }
    response
}
