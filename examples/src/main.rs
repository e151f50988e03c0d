//! The main example: a workflow checked at compile time by `asl!`.
//!
//! Run it with `cargo run -p asl-examples`. Break `workflows/order.asl.json` (point a `Next`
//! at a state that does not exist, say) and `cargo build` fails with the file, line and column.

asl_runtime::asl!(
    path = "../workflows/order.asl.json",
    substitute = { ShippingQueueUrl = "https://sqs.us-east-1.amazonaws.com/111111111111/shipping" },
);

fn main() {
    let definition = Order::DEFINITION;
    println!("{}", definition.comment.unwrap_or("(no comment)"));
    println!(
        "starts at {:?}; {} states:",
        definition.start_at,
        definition.states.len()
    );
    for state in definition.states {
        let resource = state
            .resource
            .map(|r| format!(" → {r}"))
            .unwrap_or_default();
        let end = if state.terminal { " (ends)" } else { "" };
        println!(
            "  {}:{}:{}  {:?} {:?}{resource}{end}",
            definition.file, state.line, state.column, state.state_type, state.name
        );
    }
}
