//! (c) E-commerce order processing: validate the order, charge the payment (retrying while the
//! payment service is briefly unavailable), arrange shipping, create the receipt; a failed
//! charge fails the order, a failed shipment refunds the charge first.

use std::sync::Arc;
use std::sync::atomic::{AtomicU32, Ordering};

use asl_runtime::{Failure, Machine};
use serde_json::{Value, json};

asl_runtime::asl!(
    path = "../workflows/order.asl.json",
    substitute = { ShippingQueueUrl = "https://sqs.us-east-1.amazonaws.com/111111111111/shipping" },
);

/// The machine. `flaky_payments` failures of the payment service come before it answers;
/// orders to the address "nowhere" can not be shipped.
pub fn machine(flaky_payments: u32) -> Machine {
    let unavailable = Arc::new(AtomicU32::new(flaky_payments));
    Order::builder()
        .validate_order(|order: Value| async move {
            let items = order["items"].as_array().cloned().unwrap_or_default();
            let total: f64 = items.iter().filter_map(|i| i["price"].as_f64()).sum();
            Ok::<_, Failure>(json!({"valid": !items.is_empty(), "total": total}))
        })
        .charge_payment(move |request: Value| {
            let unavailable = unavailable.clone();
            async move {
                if unavailable.load(Ordering::SeqCst) > 0 {
                    unavailable.fetch_sub(1, Ordering::SeqCst);
                    return Err(Failure::new("PaymentServiceUnavailable", "try again"));
                }
                let amount = request["amount"].as_f64().unwrap_or(0.0);
                if amount > 500.0 {
                    return Err(Failure::new("CardDeclined", format!("{amount} is over the card's limit")));
                }
                Ok(json!({"paymentId": format!("pay-{}", request["order"].as_str().unwrap_or("?"))}))
            }
        })
        .arrange_shipping(|message: Value| async move {
            if message["MessageBody"]["address"] == "nowhere" {
                return Err(Failure::new("AddressNotFound", "no such address"));
            }
            Ok::<_, Failure>(json!({"MessageId": format!("ship-{}", message["MessageBody"]["orderId"].as_str().unwrap_or("?"))}))
        })
        .create_receipt(|_item: Value| async move { Ok::<_, Failure>(json!({})) })
        .refund_payment(|_refund: Value| async move { Ok::<_, Failure>(json!({"refunded": true})) })
        .build()
}

/// Runs a good order (with two payment hiccups), a declined card, an empty order and one that
/// can not be shipped.
pub async fn demo() {
    let machine = machine(2);
    for order in [
        json!({"orderId": "A-1", "address": "Main St 1", "items": [{"price": 20.0}, {"price": 5.5}]}),
        json!({"orderId": "A-2", "address": "Main St 2", "items": [{"price": 900.0}]}),
        json!({"orderId": "A-3", "address": "Main St 3", "items": []}),
        json!({"orderId": "A-4", "address": "nowhere", "items": [{"price": 12.0}]}),
    ] {
        println!("order {}:", order["orderId"]);
        crate::report(&machine.run(order).await);
    }
}
