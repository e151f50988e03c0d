//! `cargo run -p asl-build-example`: runs two claims through the generated machine.

use serde_json::json;

#[tokio::main]
async fn main() {
    let machine = asl_build_example::expense_claims();
    for claim in [
        json!({"id": "c-1", "amount": 40}),
        json!({"id": "c-2", "amount": 900}),
    ] {
        let outcome = machine.run(claim.clone()).await;
        println!(
            "{claim} → {:?} {}",
            outcome.status,
            outcome.output.unwrap_or_default()
        );
    }
}
