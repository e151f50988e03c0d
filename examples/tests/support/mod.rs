//! The example server as a process of its own, for the tests that kill it.

use std::io::{BufRead, BufReader};
use std::net::SocketAddr;
use std::process::{Child, Command, Stdio};

/// Starts the `server` binary on `store` (throttling off, a free port); the process and the
/// address it serves on.
pub fn start_server(store: &std::path::Path) -> (Child, SocketAddr) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_server"))
        .args(["--port", "0", "--no-throttle", "--store"])
        .arg(store)
        .env("RUST_LOG", "error")
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("the server binary starts");
    let stdout = child.stdout.take().expect("its output");
    let addr = BufReader::new(stdout)
        .lines()
        .find_map(|line| {
            line.ok()?
                .strip_prefix("serving the Step Functions API on http://")?
                .parse()
                .ok()
        })
        .expect("the server says where it serves");
    (child, addr)
}
