//! What the example tests share: the example server as a process of its own (for the tests
//! that kill it), and the Python and command-line clients they drive it with.

#![allow(dead_code)]

use std::io::{BufRead, BufReader};
use std::net::SocketAddr;
use std::path::PathBuf;
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

/// A Python interpreter that imports `module`: `ASL_PYTHON`, the virtual environment `.ci/run`
/// makes, or `python3`.
pub fn python_with(module: &str) -> Option<PathBuf> {
    installed(
        "ASL_PYTHON",
        "python",
        "python3",
        &["-c", &format!("import {module}")],
    )
}

/// The first of: the program `variable` names, `venv_name` in the virtual environment
/// `.ci/run` makes, `fallback` on the path; that answers `args` successfully.
pub fn installed(
    variable: &str,
    venv_name: &str,
    fallback: &str,
    args: &[&str],
) -> Option<PathBuf> {
    let workspace = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("..");
    let candidates = [
        std::env::var_os(variable).map(PathBuf::from),
        Some(workspace.join(".ci/venv/bin").join(venv_name)),
        Some(PathBuf::from(fallback)),
    ];
    candidates.into_iter().flatten().find(|program| {
        Command::new(program)
            .args(args)
            .output()
            .is_ok_and(|o| o.status.success())
    })
}

/// Skips (or, under CI, fails) when `what` is missing.
pub fn missing(what: &str) {
    if std::env::var("CI").as_deref() == Ok("true") {
        panic!("{what} is missing, and CI must run this test (.ci/run installs it)");
    }
    eprintln!("SKIPPED: {what} is not installed (run .ci/run, or pip install boto3 awscli)");
}
