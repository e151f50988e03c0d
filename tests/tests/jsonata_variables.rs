//! JSONata states and workflow variables end to end: Arguments, Output, Assign, Items and
//! ItemSelector with `$states.context.Map.Item`, expression-valued MaxConcurrency, Catch with
//! `$states.errorOutput`, a Choice Condition reading a variable, variables read from inside
//! Map iterations, and `States.QueryEvaluationError` for an undefined value.

use asl_runtime::{Failure, Status};
use serde_json::{Value, json};

asl_runtime::asl!("../fixtures/priced.asl.json");

fn machine(decline: bool) -> asl_runtime::Machine {
    Priced::builder()
        .price(|line: Value| async move {
            let amount = line["amount"].as_f64().unwrap_or_default();
            Ok::<_, Failure>(json!({"total": amount, "position": line["position"]}))
        })
        .charge(move |request: Value| async move {
            if decline {
                return Err(Failure::new("CardDeclined", "no funds"));
            }
            Ok::<_, Failure>(
                json!({"id": format!("r-{}", request["customer"].as_str().unwrap_or(""))}),
            )
        })
        .build()
}

fn order() -> Value {
    json!({"customer": "ada", "rate": 2, "orders": [{"amount": 5}, {"amount": 7.5}, {"amount": 1}]})
}

#[tokio::test]
async fn jsonata_states_price_charge_and_report() {
    let outcome = machine(false).run(order()).await;
    assert_eq!(outcome.status, Status::Succeeded, "{:?}", outcome.failure);
    assert_eq!(
        outcome.output,
        Some(json!({"status": "paid", "receipt": "r-ada", "total": 27, "items": 3}))
    );
}

#[tokio::test]
async fn a_caught_error_assigns_from_the_error_output() {
    let outcome = machine(true).run(order()).await;
    assert_eq!(outcome.status, Status::Succeeded, "{:?}", outcome.failure);
    assert_eq!(
        outcome.output,
        Some(json!({"status": "declined", "why": "no funds", "items": 3}))
    );
}

#[tokio::test]
async fn an_undefined_value_is_a_query_evaluation_error() {
    let outcome = machine(false)
        .run(json!({"customer": "ada", "orders": []}))
        .await;
    assert_eq!(outcome.status, Status::Failed);
    let failure = outcome.failure.expect("a failure");
    assert_eq!(failure.error, "States.QueryEvaluationError");
    assert_eq!(
        failure.cause.as_deref(),
        Some(
            "An error occurred while executing the state 'Prepare' (entered at the event id #2). \
             The JSONata expression '$states.input.rate' specified for the field 'Assign/rate' returned nothing (undefined)."
        )
    );
}

asl_runtime::asl!("../fixtures/remember.asl.json");

#[tokio::test]
async fn variables_flow_between_jsonpath_states_within_their_size_limit() {
    let machine = Remember::builder().build();
    let outcome = machine.run(json!({"blob": "a,b,c"})).await;
    assert_eq!(outcome.output, Some(json!({"length": 3})));
    // 140 kB of input (under the execution's limit) splits into 280 kB of parts (over a
    // variable's).
    let big = "x,".repeat(70_000);
    let outcome = machine.run(json!({ "blob": big })).await;
    assert_eq!(outcome.status, Status::Failed);
    let failure = outcome.failure.expect("a failure");
    assert_eq!(failure.error, "States.Runtime");
    assert!(
        failure.cause.unwrap_or_default().contains("'parts'"),
        "the cause names the variable"
    );
}

#[tokio::test]
async fn a_state_that_assigns_lists_its_variables_in_its_exited_event() {
    let machine = Remember::builder().build();
    let outcome = machine.run(json!({"blob": "a,b"})).await;
    let exited: Vec<serde_json::Value> = outcome
        .history
        .events()
        .iter()
        .filter(|e| e.kind.exited().is_some())
        .map(|e| serde_json::to_value(e).expect("events serialize"))
        .collect();
    // As GetExecutionHistory writes it: each value as JSON text.
    assert_eq!(
        exited[0]["stateExitedEventDetails"]["assignedVariables"],
        json!({"blob": "\"a,b\"", "parts": "[\"a\",\"b\"]"})
    );
    assert_eq!(
        exited[0]["stateExitedEventDetails"]["assignedVariablesDetails"],
        json!({"truncated": false})
    );
    assert!(
        exited[1]["stateExitedEventDetails"]
            .get("assignedVariables")
            .is_none(),
        "a state that assigns nothing lists nothing"
    );
}
