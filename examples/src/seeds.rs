//! The seeds' system, running: the order, football, crawler, message and photo workflows
//! behind all three doors, with the Step Functions and EventBridge APIs on the same port.
//!
//! - HTTP routes: `POST /orders` starts `Order` (throttled to 10 a second, bursts of 20);
//!   `POST /training` runs the Express `Football` machine and answers its output
//!   (`UnknownPosition` answers 400).
//! - Event rules: an `Object Created` event from `aws.s3` for a `.jpg` or `.png` starts
//!   `Photo` with the event; a `chat` `Message` event starts `MessageProcessor` with its
//!   detail; a `shop` `OrderPlaced` event starts `Order` with its detail.
//! - A schedule: `Crawler` crawls `https://example.com/` every hour.

use asl_server::events::transform::TargetInput;
use asl_server::{EventRule, Route, ServerBuilder};
use serde_json::json;

/// The example server with the seeds' routes, rules and schedule.
pub fn builder() -> ServerBuilder {
    let detail = || {
        TargetInput::from_target(&json!({"InputPath": "$.detail"})).unwrap_or(TargetInput::Event)
    };
    crate::server::builder()
        .route(Route::post("/orders", "Order").throttle(10, 20))
        .route(Route::post("/training", "Football").error("UnknownPosition", 400))
        .cors(&["*"])
        .rule(
            EventRule::on_events(
                "photo-uploads",
                json!({"source": ["aws.s3"], "detail-type": ["Object Created"],
                       "detail": {"object": {"key": [{"suffix": ".jpg"}, {"suffix": ".png"}]}}}),
            )
            .target("Photo"),
        )
        .rule(
            EventRule::on_events(
                "chat",
                json!({"source": ["chat"], "detail-type": ["Message"]}),
            )
            .target_with("MessageProcessor", detail()),
        )
        .rule(
            EventRule::on_events(
                "orders",
                json!({"source": ["shop"], "detail-type": ["OrderPlaced"]}),
            )
            .target_with("Order", detail()),
        )
        .rule(
            EventRule::on_schedule("crawl-hourly", "rate(1 hour)").target_with(
                "Crawler",
                TargetInput::Constant(json!({"url": "https://example.com/"})),
            ),
        )
}
