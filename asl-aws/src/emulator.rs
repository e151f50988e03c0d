//! `moto` in server mode (PyPI's `moto[server]`), the AWS emulator the crate's tests run
//! against and a user's tests can too: started on a free port of 127.0.0.1, stopped when
//! dropped. Its Lambda runs without Docker (moto's "simple" backend: a function answers
//! with its event, or with what [`MotoServer::queue_lambda_result`] queued).

use std::io::{Read, Write};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// A running `moto_server`.
#[derive(Debug)]
pub struct MotoServer {
    child: Child,
    addr: SocketAddr,
}

/// The `moto_server` program: `MOTO_SERVER`, then `venv/bin/moto_server` under each of
/// `dirs`, then the `PATH`.
pub fn find(dirs: &[&Path]) -> Option<PathBuf> {
    if let Some(p) = std::env::var_os("MOTO_SERVER") {
        return Some(PathBuf::from(p));
    }
    if let Some(p) = dirs
        .iter()
        .map(|d| d.join("venv/bin/moto_server"))
        .find(|p| p.is_file())
    {
        return Some(p);
    }
    let path = std::env::var_os("PATH")?;
    std::env::split_paths(&path)
        .map(|d| d.join("moto_server"))
        .find(|p| p.is_file())
}

impl MotoServer {
    /// Starts `program` on a free port of 127.0.0.1 and waits (at most a minute) until it
    /// answers; its Lambda is set to run functions without Docker.
    ///
    /// # Errors
    /// When it cannot be started or does not answer in time.
    pub fn start(program: &Path) -> std::io::Result<MotoServer> {
        Self::start_in_account(program, None)
    }

    /// [`start`](Self::start), with the emulator's resources in `account` (moto's
    /// `MOTO_ACCOUNT_ID`; 123456789012 otherwise): for definitions compiled with ARNs of a
    /// given account.
    ///
    /// # Errors
    /// When it cannot be started or does not answer in time.
    pub fn start_in_account(program: &Path, account: Option<&str>) -> std::io::Result<MotoServer> {
        let port = TcpListener::bind("127.0.0.1:0")?.local_addr()?.port();
        let mut command = Command::new(program);
        if let Some(account) = account {
            command.env("MOTO_ACCOUNT_ID", account);
        }
        let child = command
            .args(["-H", "127.0.0.1", "-p", &port.to_string()])
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()?;
        let mut server = MotoServer {
            child,
            addr: SocketAddr::from(([127, 0, 0, 1], port)),
        };
        let deadline = Instant::now() + Duration::from_secs(60);
        loop {
            if let Ok(Some(status)) = server.child.try_wait() {
                return Err(std::io::Error::other(format!(
                    "moto_server exited at start: {status}"
                )));
            }
            if server.request("GET", "/moto-api/config", &[], "").is_ok() {
                break;
            }
            if Instant::now() > deadline {
                return Err(std::io::Error::new(
                    std::io::ErrorKind::TimedOut,
                    "moto_server did not answer within a minute",
                ));
            }
            std::thread::sleep(Duration::from_millis(100));
        }
        server.request(
            "POST",
            "/moto-api/config",
            &[("Content-Type", "application/json")],
            r#"{"lambda": {"use_docker": false}}"#,
        )?;
        Ok(server)
    }

    /// The endpoint to give the AWS SDK (`http://127.0.0.1:<port>`).
    pub fn endpoint(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// Queues what the next invocation of a Lambda function answers (instead of its event).
    ///
    /// # Errors
    /// When moto does not take it.
    pub fn queue_lambda_result(&self, result: &str) -> std::io::Result<()> {
        let body = serde_json::json!({"results": [result]}).to_string();
        self.request(
            "POST",
            "/moto-api/static/lambda-simple/response",
            &[("Content-Type", "application/json")],
            &body,
        )
        .map(drop)
    }

    /// Sends a request to the emulator's own API (or an unsigned AWS request), returning the
    /// status and body; a status of 400 or more is an error.
    ///
    /// # Errors
    /// When the request fails or is refused.
    pub fn request(
        &self,
        method: &str,
        path: &str,
        headers: &[(&str, &str)],
        body: &str,
    ) -> std::io::Result<(u16, String)> {
        let mut stream = TcpStream::connect_timeout(&self.addr, Duration::from_secs(5))?;
        stream.set_read_timeout(Some(Duration::from_secs(30)))?;
        let mut head = format!(
            "{method} {path} HTTP/1.1\r\nHost: {}\r\nConnection: close\r\nContent-Length: {}\r\n",
            self.addr,
            body.len()
        );
        for (name, value) in headers {
            head.push_str(&format!("{name}: {value}\r\n"));
        }
        head.push_str("\r\n");
        stream.write_all(head.as_bytes())?;
        stream.write_all(body.as_bytes())?;
        let mut answer = String::new();
        stream.read_to_string(&mut answer)?;
        let status = answer
            .split(' ')
            .nth(1)
            .and_then(|s| s.parse::<u16>().ok())
            .unwrap_or(0);
        let body = answer
            .split_once("\r\n\r\n")
            .map(|(_, b)| b.to_owned())
            .unwrap_or_default();
        if status == 0 || status >= 400 {
            return Err(std::io::Error::other(format!(
                "moto answered {status}: {body}"
            )));
        }
        Ok((status, body))
    }
}

impl Drop for MotoServer {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
