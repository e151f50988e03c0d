//! The main example: an order workflow compiled from `workflows/order.asl.json` by `asl!`,
//! run with Rust handlers for its three Task states.
//!
//! Run it with `cargo run -p asl-examples`. Break the definition (point a `Next` at a state
//! that does not exist, say) and `cargo build` fails with the file, line and column; leave out
//! one of the handlers below and it fails naming the Task state.

use asl_runtime::{Failure, TaskContext};
use serde::Deserialize;
use serde_json::{Value, json};

asl_runtime::asl!(
    path = "../workflows/order.asl.json",
    substitute = { ShippingQueueUrl = "https://sqs.us-east-1.amazonaws.com/111111111111/shipping" },
);

/// What the `charge-card` Lambda receives (the state's `Parameters.Payload`).
#[derive(Deserialize)]
struct Charge {
    order: String,
    amount: f64,
    #[serde(rename = "idempotencyKey")]
    idempotency_key: String,
}

#[tokio::main]
async fn main() {
    let machine = Order::builder()
        // arn:aws:states:::lambda:invoke: the handler gets the Parameters and returns the
        // function's payload; the runtime wraps it in Lambda's envelope (`$.Payload`).
        .validate_order(|request: Value| async move {
            let items = request["Payload"]["items"]
                .as_array()
                .cloned()
                .unwrap_or_default();
            let total: f64 = items.iter().filter_map(|i| i["price"].as_f64()).sum();
            Ok::<_, Failure>(json!({"valid": !items.is_empty(), "total": total}))
        })
        .charge_card(|request: Value, ctx: TaskContext| async move {
            let charge: Charge =
                serde_json::from_value(request["Payload"].clone()).map_err(|e| e.to_string())?;
            if charge.amount > 500.0 {
                return Err(Failure::new(
                    "CardDeclined",
                    format!("{} is over the card's limit", charge.amount),
                ));
            }
            println!(
                "  charged {:.2} for {} (key {}, state {:?})",
                charge.amount, charge.order, charge.idempotency_key, ctx.state_name
            );
            Ok(json!({"receipt": format!("R-{}", charge.order)}))
        })
        .ship(|message: Value| async move {
            println!("  queued {}", message["MessageBody"]["orderId"]);
            Ok::<_, Failure>(json!({"MessageId": "m-1"}))
        })
        .build();

    for order in [
        json!({"orderId": "A-1", "items": [{"price": 20.0}, {"price": 5.5}]}),
        json!({"orderId": "A-2", "items": [{"price": 900.0}]}),
        json!({"orderId": "A-3", "items": []}),
    ] {
        println!("order {}:", order["orderId"]);
        let outcome = machine.run(order).await;
        match (&outcome.output, &outcome.failure) {
            (Some(output), _) => println!("  {} → {output}", outcome.status.as_str()),
            (_, Some(f)) => println!("  {} → {f}", outcome.status.as_str()),
            _ => {}
        }
        let path: Vec<&str> = outcome
            .history
            .events()
            .iter()
            .filter(|e| e.kind.ends_with("StateEntered"))
            .filter_map(|e| e.details["name"].as_str())
            .collect();
        println!("  path: {}", path.join(" → "));
    }
}
