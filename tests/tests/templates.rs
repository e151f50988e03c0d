//! State machines compiled straight from deployment templates (SAM YAML with short-form tags,
//! CloudFormation JSON with `Fn::Sub` and `DefinitionSubstitutions`, a CDK-synthesized template,
//! Terraform) by the Builder (`build.rs`), and run.

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use asl_runtime::{Failure, Status, TaskContext};
use asl_tests::templates::{
    hello::Hello, inventory::Inventory, notify_state_machine::NotifyStateMachine,
    order_state_machine::OrderStateMachine, ping::Ping, refund_state_machine::RefundStateMachine,
    shipping::Shipping,
};
use serde_json::{Value, json};

/// The line (from 1) of the first line of `file` (under `fixtures/templates`) holding `needle`.
fn line_of(file: &str, needle: &str) -> u32 {
    let path = format!("{}/fixtures/templates/{file}", env!("CARGO_MANIFEST_DIR"));
    let text = std::fs::read_to_string(path).unwrap_or_default();
    text.lines()
        .position(|l| l.contains(needle))
        .map_or(0, |i| i as u32 + 1)
}

#[tokio::test(start_paused = true)]
async fn a_sam_template_with_short_form_tags() {
    let calls = Arc::new(AtomicUsize::new(0));
    let counted = calls.clone();
    let machine = OrderStateMachine::builder()
        .charge(move |order: Value, ctx: TaskContext| {
            let call = counted.fetch_add(1, Ordering::SeqCst);
            async move {
                // `!GetAtt ChargeFunction.Arn`, given a value: a Lambda function, called with
                // its context.
                let function = ctx.function.as_ref().map(|f| f.name.to_string());
                assert_eq!(function.as_deref(), Some("charge"));
                if call == 0 {
                    return Err(Failure::new("Busy", "try again"));
                }
                Ok(json!({"charged": order["total"]}))
            }
        })
        .build();
    let outcome = machine.run(json!({"total": 42})).await;
    assert_eq!(outcome.status, Status::Succeeded, "{:?}", outcome.failure);
    // DefinitionSubstitutions: a `!Sub` of a parameter and a `!Ref`, with the user's values.
    assert_eq!(
        outcome.output,
        Some(json!({"message": "Thanks, from the test shop", "table": "orders", "charged": 42}))
    );
    assert_eq!(outcome.retriers("Charge"), [0]);
    // The state's line is the template's.
    let charge = OrderStateMachine::DEFINITION
        .state("Charge")
        .map(|s| s.line);
    assert_eq!(charge, Some(line_of("sam.yaml", "          Charge:")));
    assert!(OrderStateMachine::DEFINITION.file.ends_with("sam.yaml"));
}

#[tokio::test(start_paused = true)]
async fn a_sam_definition_uri_reads_the_local_file() {
    let machine = RefundStateMachine::builder()
        .refund(|order: Value| async move { Ok::<_, Failure>(json!({"refunded": order["total"]})) })
        .build();
    let outcome = machine.run(json!({"total": 7})).await;
    assert_eq!(
        outcome.output,
        Some(json!({"total": 7, "refund": {"refunded": 7}}))
    );
    assert!(
        RefundStateMachine::DEFINITION
            .file
            .ends_with("statemachine/refund.asl.json")
    );
    assert_eq!(
        RefundStateMachine::DEFINITION
            .state("Refund")
            .map(|s| s.line),
        Some(line_of("statemachine/refund.asl.json", "\"Refund\": {"))
    );
}

#[tokio::test(start_paused = true)]
async fn a_cloudformation_definition_string_with_fn_sub() {
    let machine = NotifyStateMachine::builder()
        .notify(|request: Value, ctx: TaskContext| async move {
            let function = ctx.function.as_ref().map(|f| f.name.to_string());
            Ok::<_, Failure>(json!({"sent": request, "by": function}))
        })
        .build();
    let outcome = machine.run(json!({"customer": "ana@example.com"})).await;
    // Fn::Sub's own variable (the function), DefinitionSubstitutions (the channel) and the
    // pseudo parameter AWS::Region.
    assert_eq!(
        outcome.output,
        Some(json!({
            "sent": {"channel": "email", "region": "us-east-1", "to": "ana@example.com"},
            "by": "notify"
        }))
    );
    assert_eq!(
        NotifyStateMachine::DEFINITION
            .state("Notify")
            .map(|s| s.line),
        Some(line_of("cloudformation.json", "\"Fn::Sub\"") + 1)
    );
}

#[tokio::test(start_paused = true)]
async fn a_cdk_synthesized_template() {
    // `arn:${AWS::Partition}:states:::lambda:invoke` joined: a Lambda invocation, the handler
    // Lambda-shaped (the Payload in, the envelope added, OutputPath taking its Payload out).
    let machine = Hello::builder()
        .say_hello(|payload: Value, ctx: TaskContext| async move {
            let function = ctx.function.as_ref().map(|f| f.name.to_string());
            Ok::<_, Failure>(json!({"greeting": format!("hello, {}", payload["name"].as_str().unwrap_or("?")), "by": function}))
        })
        .build();
    let outcome = machine.run(json!({"name": "cdk"})).await;
    assert_eq!(outcome.status, Status::Succeeded, "{:?}", outcome.failure);
    assert_eq!(
        outcome.output,
        Some(json!({"greeting": "hello, cdk", "by": "hello"}))
    );
    outcome.assert_path(&["Say hello", "Done"]);
}

#[tokio::test(start_paused = true)]
async fn terraform_heredoc_templatefile_and_json_string() {
    let inventory = Inventory::builder()
        .check_stock(|item: Value| async move {
            Ok::<_, Failure>(json!({"sku": item["sku"], "available": item["sku"] == "pen"}))
        })
        .build();
    let pen = inventory.run(json!({"sku": "pen"})).await;
    assert_eq!(
        pen.output,
        Some(json!({"sku": "pen", "available": true, "status": "reserved"}))
    );
    let ink = inventory.run(json!({"sku": "ink"})).await;
    assert_eq!(
        ink.output,
        Some(json!({"sku": "ink", "available": false, "status": "backordered"}))
    );
    assert_eq!(
        Inventory::DEFINITION.state("In stock?").map(|s| s.line),
        Some(line_of("main.tf", "\"In stock?\": {"))
    );

    let shipping = Shipping::builder()
        .ship(|request: Value| async move { Ok::<_, Failure>(request) })
        .build();
    let shipped = shipping.run(json!({"order": "o-1"})).await;
    // templatefile's literal variable, and its reference given by the user.
    assert_eq!(
        shipped.output,
        Some(json!({"carrier": "post", "order": "o-1"}))
    );
    assert!(Shipping::DEFINITION.file.ends_with("shipping.asl.json"));

    let ping = Ping::builder().build();
    assert_eq!(ping.run(json!({})).await.output, Some(json!("pong")));
}
