//! (c) E-commerce order processing: validate the order, charge the payment (retrying while the
//! payment service is briefly unavailable), arrange shipping, create the receipt, tell the
//! customer; a failed charge fails the order, a failed shipment refunds the charge first.
//! [`machine`] handles every Task in process; [`on_aws`] leaves SQS, DynamoDB and SNS to AWS.

use std::sync::Arc;
use std::sync::atomic::{AtomicU32, Ordering};

use asl_runtime::{BoxFuture, Failure, Machine};
use serde_json::{Value, json};

asl_runtime::asl!(
    path = "../workflows/order.asl.json",
    substitute = {
        ShippingQueueUrl = "https://sqs.us-east-1.amazonaws.com/111111111111/shipping",
        OrdersTopicArn = "arn:aws:sns:us-east-1:111111111111:orders",
    },
);

/// The order's functions, as the Lambda functions they stand for would be written: each
/// receives its invocation's payload and returns its result. `flaky_payments` failures of the
/// payment service come before it answers.
struct Functions {
    unavailable: Arc<AtomicU32>,
}

impl Functions {
    fn new(flaky_payments: u32) -> Self {
        Functions {
            unavailable: Arc::new(AtomicU32::new(flaky_payments)),
        }
    }

    /// Sums the order's items; an order without items is not valid.
    async fn validate(order: Value) -> Result<Value, Failure> {
        let items = order["items"].as_array().cloned().unwrap_or_default();
        let total: f64 = items.iter().filter_map(|i| i["price"].as_f64()).sum();
        Ok(json!({"valid": !items.is_empty(), "total": total}))
    }

    /// Charges the amount: cards are declined over 500.
    fn charge(
        &self,
    ) -> impl Fn(Value) -> BoxFuture<'static, Result<Value, Failure>> + Send + Sync + 'static {
        let unavailable = self.unavailable.clone();
        move |request: Value| {
            let unavailable = unavailable.clone();
            Box::pin(async move {
                if unavailable.load(Ordering::SeqCst) > 0 {
                    unavailable.fetch_sub(1, Ordering::SeqCst);
                    return Err(Failure::new("PaymentServiceUnavailable", "try again"));
                }
                let amount = request["amount"].as_f64().unwrap_or(0.0);
                if amount > 500.0 {
                    return Err(Failure::new(
                        "CardDeclined",
                        format!("{amount} is over the card's limit"),
                    ));
                }
                Ok(
                    json!({"paymentId": format!("pay-{}", request["order"].as_str().unwrap_or("?"))}),
                )
            })
        }
    }

    /// Gives the charge back.
    async fn refund(_refund: Value) -> Result<Value, Failure> {
        Ok(json!({"refunded": true}))
    }
}

/// The machine with every Task handled in process. `flaky_payments` failures of the payment
/// service come before it answers; orders to the address "nowhere" can not be shipped.
pub fn machine(flaky_payments: u32) -> Machine {
    let functions = Functions::new(flaky_payments);
    Order::builder()
        .validate_order(Functions::validate)
        .charge_payment(functions.charge())
        .arrange_shipping(|message: Value| async move {
            if message["MessageBody"]["address"] == "nowhere" {
                return Err(Failure::new("AddressNotFound", "no such address"));
            }
            Ok::<_, Failure>(json!({"MessageId": format!("ship-{}", message["MessageBody"]["orderId"].as_str().unwrap_or("?"))}))
        })
        .create_receipt(|_item: Value| async move { Ok::<_, Failure>(json!({})) })
        .notify_customer(|_message: Value| async move { Ok::<_, Failure>(json!({"MessageId": "n-1"})) })
        .refund_payment(Functions::refund)
        .build()
}

/// The machine on AWS: the functions are this process's Rust code, and shipping (SQS
/// `shipping`), the receipt (DynamoDB `receipts`) and the customer's notice (SNS `orders`)
/// go to the services of `config`, in account 111111111111 of us-east-1 (the ARNs the
/// definition was compiled with).
pub fn on_aws(config: &aws_types::SdkConfig) -> Machine {
    use asl_aws::WithAws;
    let functions = Functions::new(0);
    Order::builder()
        .validate_order(Functions::validate)
        .charge_payment(functions.charge())
        .refund_payment(Functions::refund)
        .with_aws(config)
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
