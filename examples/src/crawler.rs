//! (d) A web crawler: fetching a page either works (then a Choice looks at the answer) or fails
//! (then a Catch takes the failure branch), and each way has its own states.

use asl_runtime::{Failure, Machine};
use serde_json::{Value, json};

asl_runtime::asl!(path = "../workflows/crawler.asl.json", name = Crawler);

/// A pretend web: the page each URL answers with.
fn fetch(url: &str) -> Result<Value, Failure> {
    match url {
        "https://example.com/" => Ok(json!({
            "StatusCode": 200,
            "Headers": {"content-type": "text/html; charset=utf-8"},
            "ResponseBody": "<a href=\"/a\">a</a> <a href=\"/b\">b</a>",
        })),
        "https://example.com/data.json" => Ok(
            json!({"StatusCode": 200, "Headers": {"content-type": "application/json"}, "ResponseBody": "{}"}),
        ),
        _ => Err(Failure::new(
            "Crawler.ConnectionFailed",
            format!("could not connect to {url}"),
        )),
    }
}

/// The machine.
pub fn machine() -> Machine {
    Crawler::builder()
        .fetch_page(|request: Value| async move {
            fetch(request["ApiEndpoint"].as_str().unwrap_or_default())
        })
        .extract_links(|page: Value| async move {
            let html = page["html"].as_str().unwrap_or_default();
            let links: Vec<&str> = html
                .split("href=\"")
                .skip(1)
                .filter_map(|s| s.split('"').next())
                .collect();
            Ok::<_, Failure>(json!({"url": page["url"], "links": links}))
        })
        .build()
}

/// Crawls an HTML page, a JSON document and a host that does not answer.
pub async fn demo() {
    let machine = machine();
    for url in [
        "https://example.com/",
        "https://example.com/data.json",
        "https://offline.example/",
    ] {
        println!("{url}:");
        crate::report(&machine.run(json!({"url": url})).await);
    }
}
