//! HTTP routes in the API Gateway manner: a Standard machine started per request, an Express
//! machine run per request (its output, or its error mapped to a status), throttling with a
//! burst and `Retry-After`, 413 and 400 for bodies, CORS, and routes read from a config file.

use asl_runtime::Failure;
use asl_server::{Route, Server};
use serde_json::{Value, json};

mod support;

use support::http;

asl_runtime::asl!("fixtures/greet.asl.json");
asl_runtime::asl!(path = "fixtures/approval.asl.json", name = Approval);

async fn server(routes: Vec<Route>) -> std::net::SocketAddr {
    let greet = Greet::builder()
        .greet(|input: Value| async move {
            Ok::<_, Failure>(json!(format!(
                "hello {}",
                input["name"].as_str().unwrap_or("")
            )))
        })
        .build();
    let approval = Approval::builder()
        .ask_for_approval(|_: Value| async move { Ok::<_, Failure>(json!({})) })
        .build();
    let mut builder = Server::builder()
        .express(greet)
        .machine(approval)
        .cors(&["https://shop.example"])
        .bind("127.0.0.1:0");
    for r in routes {
        builder = builder.route(r);
    }
    let server = builder.build().await.expect("the server starts");
    let addr = server.local_addr().expect("an address");
    tokio::spawn(server.serve());
    addr
}

fn routes() -> Vec<Route> {
    vec![
        Route::post("/greet", "Greet").error("Nameless", 422),
        Route::post("/expenses", "Approval"),
        Route::post("/limited", "Greet").throttle(1, 3),
    ]
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn routes_start_and_run_machines() {
    let addr = server(routes()).await;
    let json_type = [("Content-Type", "application/json")];
    let (status, _, body) = http(addr, "POST", "/greet", &json_type, br#"{"name": "Ada"}"#).await;
    assert_eq!((status, body.as_str()), (200, "\"hello Ada\""));
    let (status, _, body) = http(addr, "POST", "/greet", &json_type, br#"{"name": ""}"#).await;
    assert_eq!(status, 422, "{body}");
    let error: Value = serde_json::from_str(&body).expect("JSON");
    assert_eq!(
        error,
        json!({"error": "Nameless", "cause": "no name to greet"})
    );

    let (status, _, body) = http(addr, "POST", "/expenses", &json_type, br#"{"amount": 5}"#).await;
    assert_eq!(status, 200, "{body}");
    let started: Value = serde_json::from_str(&body).expect("JSON");
    assert!(
        started["executionArn"]
            .as_str()
            .is_some_and(|a| a.contains(":execution:Approval:"))
    );
    assert!(started["startDate"].is_number());

    let (status, _, body) = http(addr, "POST", "/greet", &json_type, b"{not json").await;
    assert_eq!(status, 400, "{body}");
    let big = vec![b' '; 11 * 1024 * 1024];
    let (status, _, _) = http(addr, "POST", "/greet", &json_type, &big).await;
    assert_eq!(status, 413);
    let (status, _, _) = http(addr, "GET", "/greet", &[], b"").await;
    assert_eq!(status, 405, "only the route's method");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_burst_past_the_routes_bucket_is_429_with_retry_after() {
    let addr = server(routes()).await;
    let mut passed = 0;
    let mut throttled = 0;
    for _ in 0..10 {
        let (status, head, body) = http(addr, "POST", "/limited", &[], br#"{"name": "x"}"#).await;
        match status {
            200 => passed += 1,
            429 => {
                throttled += 1;
                assert_eq!(body, r#"{"message":"Too Many Requests"}"#);
                assert!(head.contains("retry-after: 1"), "{head}");
            }
            other => panic!("status {other}"),
        }
    }
    // The burst of 3, and at most one refilled if a second went by.
    assert!((3..=4).contains(&passed), "{passed} passed");
    assert_eq!(passed + throttled, 10);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn cors_answers_allowed_origins_only() {
    let addr = server(routes()).await;
    let (status, head, _) = http(
        addr,
        "OPTIONS",
        "/greet",
        &[("Origin", "https://shop.example")],
        b"",
    )
    .await;
    assert_eq!(status, 204);
    assert!(
        head.contains("access-control-allow-origin: https://shop.example"),
        "{head}"
    );
    assert!(
        head.contains("access-control-allow-methods: post, options"),
        "{head}"
    );
    let (_, head, _) = http(
        addr,
        "POST",
        "/greet",
        &[("Origin", "https://elsewhere.example")],
        br#"{"name": "y"}"#,
    )
    .await;
    assert!(!head.contains("access-control-allow-origin"), "{head}");
}

#[test]
fn routes_read_from_a_config_file() {
    let config = json!({
        "routes": [{"method": "post", "path": "/orders", "machine": "Order", "rate": 10, "burst": 20, "errors": {"Invalid": 400}}],
        "cors": ["*"]
    });
    let (routes, cors) = Route::from_config(&config).expect("valid");
    assert_eq!(
        routes,
        vec![
            Route::post("/orders", "Order")
                .throttle(10, 20)
                .error("Invalid", 400)
        ]
    );
    assert_eq!(cors, vec!["*".to_owned()]);
    assert!(Route::from_config(&json!({"routes": [{"path": "/x"}]})).is_err());
}
