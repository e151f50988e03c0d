//! Each example's workflow, run as the README describes it (tokio's paused clock makes the
//! retry back-offs instant).

use asl_examples::{crawler, football, message, order, path, photo};
use asl_runtime::Status;
use serde_json::json;

#[tokio::test(start_paused = true)]
async fn football_positions_take_their_drills() {
    let machine = football::machine();
    let striker = machine.run(json!({"TraningType": "공격수"})).await;
    assert_eq!(
        striker.output,
        Some(json!({"TraningType": "공격수", "log": ["공격 훈련", "볼 경합 훈련"]}))
    );
    let midfielder = machine.run(json!({"TraningType": "미드필더"})).await;
    assert_eq!(
        path(&midfielder),
        ["포지션 확인", "패스 훈련", "프리킥 훈련"]
    );
    let defender = machine.run(json!({"TraningType": "수비수"})).await;
    assert_eq!(
        path(&defender),
        ["포지션 확인", "수비 훈련", "볼 경합 훈련"]
    );
    let keeper = machine.run(json!({"TraningType": "골키퍼"})).await;
    assert_eq!(keeper.status, Status::Failed);
    let f = keeper.failure.expect("failed");
    assert_eq!(
        (f.error.as_str(), f.cause.as_deref()),
        ("UnknownPosition", Some("골키퍼"))
    );
}

#[tokio::test(start_paused = true)]
async fn message_handler_uppercases() {
    let machine = message::machine();
    let ok = machine.run(json!({"message": "hello"})).await;
    assert_eq!(ok.output, Some(json!({"statusCode": 200, "body": "HELLO"})));
    let bad = machine.run(json!({"text": "hello"})).await;
    assert_eq!(
        bad.failure.map(|f| f.error),
        Some("States.TaskFailed".to_owned())
    );
}

#[tokio::test(start_paused = true)]
async fn orders_retry_charge_and_compensate() {
    let machine = order::machine(2);
    let good = machine
        .run(json!({"orderId": "A-1", "address": "x", "items": [{"price": 20.0}, {"price": 5.5}]}))
        .await;
    assert_eq!(good.output, Some(json!({"trackingId": "ship-A-1"})));
    let charges = good
        .history
        .events()
        .iter()
        .filter(|e| {
            e.kind.name() == "TaskScheduled"
                && e.kind
                    .input()
                    .is_some_and(|p| p["FunctionName"] == "charge-payment")
        })
        .count();
    assert_eq!(charges, 3, "two transient failures, then the charge");

    let declined = machine
        .run(json!({"orderId": "A-2", "address": "x", "items": [{"price": 900.0}]}))
        .await;
    assert_eq!(
        path(&declined),
        [
            "Validate order",
            "Is it valid?",
            "Charge payment",
            "Order failed"
        ]
    );
    let unshippable = machine
        .run(json!({"orderId": "A-4", "address": "nowhere", "items": [{"price": 12.0}]}))
        .await;
    assert_eq!(
        path(&unshippable),
        [
            "Validate order",
            "Is it valid?",
            "Charge payment",
            "Arrange shipping",
            "Refund payment",
            "Order failed"
        ]
    );
    assert_eq!(
        unshippable.failure.map(|f| f.error),
        Some("OrderFailed".to_owned())
    );
}

#[tokio::test(start_paused = true)]
async fn crawler_success_and_failure_branch() {
    let machine = crawler::machine();
    let page = machine.run(json!({"url": "https://example.com/"})).await;
    assert_eq!(
        page.output,
        Some(json!({"url": "https://example.com/", "links": ["/a", "/b"]}))
    );
    let json_doc = machine
        .run(json!({"url": "https://example.com/data.json"}))
        .await;
    assert_eq!(json_doc.output, Some(json!({"skipped": true})));
    let offline = machine
        .run(json!({"url": "https://offline.example/"}))
        .await;
    assert_eq!(
        path(&offline),
        ["Fetch page", "Record failure", "Crawl failed"]
    );
    assert_eq!(
        offline.failure.and_then(|f| f.cause),
        Some("could not connect to https://offline.example/".to_owned())
    );
}

#[tokio::test(start_paused = true)]
async fn photos_get_a_proxy_and_documents_do_not() {
    let machine = photo::machine();
    let p = machine.run(photo::upload_event("a/b.png")).await;
    assert_eq!(
        p.output,
        Some(json!({"proxyKey": "proxies/a/b-640w.jpg", "width": 640}))
    );
    let doc = machine.run(photo::upload_event("a/b.pdf")).await;
    assert_eq!(
        path(&doc),
        ["Detect upload", "Is it a photo?", "Not a photo"]
    );
}
