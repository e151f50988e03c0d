//! A machine as a Lambda function, its Task handled by a function written for
//! `lambda_runtime`, both through `lambda_runtime`'s own types.

use asl_aws::lambda;
use lambda_runtime::{Context, Diagnostic, LambdaEvent};
use serde_json::{Value, json};

asl_runtime::asl!(path = "tests/workflows/charge.asl.json", name = Charge);

/// A Lambda function as its authors wrote it for `lambda_runtime`.
async fn charge(event: LambdaEvent<Value>) -> Result<Value, Diagnostic> {
    let amount = event.payload["amount"].as_u64().unwrap_or(0);
    if amount > 100 {
        return Err(Diagnostic {
            error_type: "CardDeclined".into(),
            error_message: format!("{amount} is over the limit"),
        });
    }
    Ok(json!({"charged": amount, "request": event.context.request_id}))
}

fn machine() -> asl_runtime::Machine {
    Charge::builder().charge(lambda::handler(charge)).build()
}

fn event(payload: Value) -> LambdaEvent<Value> {
    let mut context = Context::default();
    context.request_id = "req-1".into();
    LambdaEvent::new(payload, context)
}

#[tokio::test]
async fn a_machine_answers_an_invocation_as_its_function() {
    let output = lambda::invoke(&machine(), event(json!({"amount": 5})))
        .await
        .expect("succeeds");
    assert_eq!(output["charged"], json!(5));
    // The handler's context: the call's idempotency key as the request id.
    assert_eq!(
        output["request"],
        json!("arn:aws:states:us-east-1:111111111111:execution:Charge:req-1#3")
    );
}

#[tokio::test]
async fn a_failed_execution_is_the_functions_error() {
    let error = lambda::invoke(&machine(), event(json!({"amount": 500})))
        .await
        .expect_err("fails");
    assert_eq!(
        error,
        Diagnostic {
            error_type: "PaymentFailed".into(),
            error_message: "the card was declined".into()
        }
    );
}

#[tokio::test]
async fn a_functions_error_is_caught_by_its_type() {
    // The function's CardDeclined reached the Catch written for it (then the Fail state).
    let outcome = machine().run(json!({"amount": 500})).await;
    let entered: Vec<String> = outcome
        .history
        .events()
        .iter()
        .filter_map(|e| e.kind.entered().map(|d| d.name.to_string()))
        .collect();
    assert_eq!(entered, ["Charge", "Declined"]);
}
