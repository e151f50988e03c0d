//! `Machine::test_state`: one state run on its own, as AWS's TestState API runs it.

use asl_runtime::engine::test_state::{ErrorDetails, InspectionLevel, TestStateInput, TestStatus};
use asl_runtime::{Failure, Machine};
use serde_json::{Value, json};

asl_runtime::asl!(path = "tests/test_state/payment.asl.json", name = Payment);

fn payment() -> Machine {
    Payment::builder()
        .charge(|payload: Value| async move {
            if payload["card"] == json!("0000") {
                return Err(Failure::new("CardDeclined", "no funds"));
            }
            Ok::<_, Failure>(json!({"receipt": format!("r-{}", payload["amount"])}))
        })
        .build()
}

fn debug(input: Value) -> TestStateInput {
    TestStateInput {
        input,
        inspection_level: InspectionLevel::Debug,
        ..TestStateInput::default()
    }
}

const ORDER: &str = r#"{"order": {"total": 30, "card": "4111"}}"#;

fn order() -> Value {
    serde_json::from_str(ORDER).unwrap_or_default()
}

#[tokio::test]
async fn a_task_shows_every_step_of_its_data_flow() {
    let out = payment()
        .test_state("Charge", debug(order()))
        .await
        .expect("Charge is tested");
    assert_eq!(out.status, TestStatus::Succeeded);
    assert_eq!(out.output, Some(json!({"receipt": "r-30"})));
    assert_eq!(out.next_state.as_deref(), Some("Large?"));
    let i = out.inspection.expect("DEBUG inspects");
    assert_eq!(i.input, Some(order()));
    assert_eq!(
        i.after_input_path,
        Some(json!({"total": 30, "card": "4111"}))
    );
    assert_eq!(
        i.after_parameters,
        Some(json!({"FunctionName": "charge", "Payload": {"amount": 30, "card": "4111"}}))
    );
    // The raw result is the Lambda integration's envelope around the function's answer.
    let result = i.result.expect("a result");
    assert_eq!(result["Payload"], json!({"receipt": "r-30"}));
    assert_eq!(result["StatusCode"], json!(200));
    assert_eq!(i.after_result_selector, Some(json!({"receipt": "r-30"})));
    // ResultPath places the result in the raw input, not the one InputPath chose.
    assert_eq!(
        i.after_result_path,
        Some(json!({"order": {"total": 30, "card": "4111"}, "payment": {"receipt": "r-30"}}))
    );
    assert_eq!(i.variables, Some(json!({"charged": "r-30"})));
    assert_eq!(i.error_details, None);
}

#[tokio::test]
async fn info_tells_only_the_output_and_the_next_state() {
    let out = payment()
        .test_state(
            "Charge",
            TestStateInput {
                input: order(),
                ..TestStateInput::default()
            },
        )
        .await
        .expect("tested");
    assert_eq!(out.inspection, None);
    assert_eq!(out.output, Some(json!({"receipt": "r-30"})));
}

#[tokio::test]
async fn a_mocked_error_is_retriable_until_the_retrier_gives_up_then_caught() {
    let busy = |count: u64| TestStateInput {
        mock: Some(Err(Failure::new("Busy", "the processor is busy"))),
        retrier_retry_count: count,
        ..debug(order())
    };
    let machine = payment();
    let first = machine.test_state("Charge", busy(0)).await.expect("tested");
    assert_eq!(first.status, TestStatus::Retriable);
    assert_eq!(first.error.as_deref(), Some("Busy"));
    assert_eq!(
        first.inspection.and_then(|i| i.error_details),
        Some(ErrorDetails {
            retry_index: Some(0),
            retry_backoff_interval_seconds: Some(2),
            catch_index: None
        })
    );
    let second = machine.test_state("Charge", busy(1)).await.expect("tested");
    assert_eq!(
        second
            .inspection
            .and_then(|i| i.error_details)
            .and_then(|d| d.retry_backoff_interval_seconds),
        Some(6)
    );
    // MaxAttempts 2 spent: the Catcher takes it.
    let caught = machine.test_state("Charge", busy(2)).await.expect("tested");
    assert_eq!(caught.status, TestStatus::CaughtError);
    assert_eq!(caught.next_state.as_deref(), Some("Declined"));
    assert_eq!(
        caught.output,
        Some(
            json!({"order": {"total": 30, "card": "4111"}, "failure": {"Error": "Busy", "Cause": "the processor is busy"}})
        )
    );
    assert_eq!(
        caught
            .inspection
            .and_then(|i| i.error_details)
            .and_then(|d| d.catch_index),
        Some(0)
    );
}

#[tokio::test]
async fn the_handler_s_own_error_is_caught_and_a_mocked_result_replaces_the_call() {
    let declined = json!({"order": {"total": 30, "card": "0000"}});
    let out = payment()
        .test_state("Charge", debug(declined))
        .await
        .expect("tested");
    assert_eq!(out.status, TestStatus::CaughtError);
    assert_eq!(out.error.as_deref(), Some("CardDeclined"));

    // The mock is the service's raw response: the handler is not called.
    let mocked = TestStateInput {
        mock: Some(Ok(
            json!({"Payload": {"receipt": "mocked"}, "StatusCode": 200}),
        )),
        ..debug(json!({"order": {"total": 1, "card": "0000"}}))
    };
    let out = payment()
        .test_state("Charge", mocked)
        .await
        .expect("tested");
    assert_eq!(out.status, TestStatus::Succeeded);
    assert_eq!(out.output, Some(json!({"receipt": "mocked"})));
}

#[tokio::test]
async fn choice_pass_and_fail_states() {
    let machine = payment();
    let large = machine
        .test_state("Large?", debug(json!({"amount": 150})))
        .await
        .expect("tested");
    assert_eq!(large.next_state.as_deref(), Some("Review"));
    let small = machine
        .test_state("Large?", debug(json!({"amount": 5})))
        .await
        .expect("tested");
    assert_eq!(small.next_state.as_deref(), Some("Done"));

    let review = machine
        .test_state("Review", debug(json!({"amount": 150})))
        .await
        .expect("tested");
    assert_eq!(
        review.output,
        Some(json!({"amount": 150, "review": {"review": 150}}))
    );
    assert_eq!(
        review.inspection.and_then(|i| i.after_parameters),
        Some(json!({"review": 150}))
    );

    let declined = machine
        .test_state("Declined", debug(json!({"failure": {"Cause": "no funds"}})))
        .await
        .expect("tested");
    assert_eq!(declined.status, TestStatus::Failed);
    assert_eq!(declined.error.as_deref(), Some("Declined"));
    assert_eq!(declined.cause.as_deref(), Some("no funds"));
    assert_eq!(declined.next_state, None);
}

#[tokio::test]
async fn what_test_state_refuses_is_named() {
    let machine = payment();
    let e = machine
        .test_state("Nope", debug(json!({})))
        .await
        .expect_err("no such state");
    assert!(e.to_string().contains("no state named 'Nope'"), "{e}");
    let mocked_choice = TestStateInput {
        mock: Some(Ok(json!({}))),
        ..debug(json!({}))
    };
    let e = machine
        .test_state("Large?", mocked_choice)
        .await
        .expect_err("a Choice takes no mock");
    assert!(
        e.to_string()
            .contains("only be given for a Task, Map or Parallel"),
        "{e}"
    );
}

asl_runtime::asl!(path = "tests/test_state/quote.asl.json", name = Quote);

#[tokio::test]
async fn a_jsonata_task_shows_its_arguments_result_and_variables() {
    let machine = Quote::builder()
        .quote(|request: Value| async move {
            Ok::<_, Failure>(json!({"unit": 2, "sku": request["sku"]}))
        })
        .build();
    let mut variables = serde_json::Map::new();
    variables.insert("currency".into(), json!("EUR"));
    let out = machine
        .test_state(
            "Quote",
            TestStateInput {
                variables,
                ..debug(json!({"sku": "pen", "qty": 3}))
            },
        )
        .await
        .expect("tested");
    assert_eq!(out.status, TestStatus::Succeeded);
    assert_eq!(out.output, Some(json!({"price": 6, "currency": "EUR"})));
    assert_eq!(out.next_state.as_deref(), Some("Done"));
    let i = out.inspection.expect("DEBUG inspects");
    assert_eq!(i.after_arguments, Some(json!({"sku": "pen", "qty": 3})));
    assert_eq!(i.after_input_path, None, "JSONata has no InputPath");
    assert_eq!(i.result, Some(json!({"unit": 2, "sku": "pen"})));
    assert_eq!(
        i.variables,
        Some(json!({"currency": "EUR", "lastSku": "pen"}))
    );
}
