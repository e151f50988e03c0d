//! A small client of the protocol, for load generators and tests: one keep-alive HTTP/1.1
//! connection (made again when a server closes it), unsigned JSON 1.0 calls. (Applications use
//! an AWS SDK.)

use serde_json::Value;
use tokio::io::{AsyncBufReadExt, AsyncReadExt, AsyncWriteExt, BufReader};
use tokio::net::TcpStream;

/// The most bytes of an answer the client reads.
const MAX_ANSWER: usize = 16 * 1024 * 1024;

/// One connection to a server.
#[derive(Debug)]
pub struct Client {
    stream: Option<BufReader<TcpStream>>,
    addr: std::net::SocketAddr,
    host: String,
    /// Headers sent with every call besides the protocol's own.
    extra: String,
}

impl Client {
    /// Connects to the server at `addr`.
    pub async fn connect(addr: std::net::SocketAddr) -> std::io::Result<Self> {
        let mut client = Client {
            stream: None,
            addr,
            host: addr.to_string(),
            extra: String::new(),
        };
        client.stream = Some(client.open().await?);
        Ok(client)
    }

    /// The client sending `name: value` with every call too (an `Authorization` header naming
    /// the service, for servers that route by it).
    pub fn with_header(mut self, name: &str, value: &str) -> Self {
        self.extra.push_str(&format!("{name}: {value}\r\n"));
        self
    }

    async fn open(&self) -> std::io::Result<BufReader<TcpStream>> {
        let stream = TcpStream::connect(self.addr).await?;
        stream.set_nodelay(true)?;
        Ok(BufReader::new(stream))
    }

    /// Calls the Step Functions operation `operation` with `body`; the HTTP status and the
    /// answer's JSON.
    pub async fn call(&mut self, operation: &str, body: &Value) -> std::io::Result<(u16, Value)> {
        self.call_target(&format!("AWSStepFunctions.{operation}"), body)
            .await
    }

    /// Calls the EventBridge operation `operation` with `body`.
    pub async fn call_events(
        &mut self,
        operation: &str,
        body: &Value,
    ) -> std::io::Result<(u16, Value)> {
        self.call_target(&format!("AWSEvents.{operation}"), body)
            .await
    }

    /// Calls the operation `target` names (`X-Amz-Target`) with `body`.
    pub async fn call_target(
        &mut self,
        target: &str,
        body: &Value,
    ) -> std::io::Result<(u16, Value)> {
        let body = body.to_string();
        let request = format!(
            "POST / HTTP/1.1\r\nHost: {}\r\nContent-Type: application/x-amz-json-1.0\r\nX-Amz-Target: {target}\r\n{}Content-Length: {}\r\n\r\n{body}",
            self.host,
            self.extra,
            body.len()
        );
        let mut stream = match self.stream.take() {
            Some(stream) => stream,
            None => self.open().await?,
        };
        stream.get_mut().write_all(request.as_bytes()).await?;
        let mut status_line = String::new();
        stream.read_line(&mut status_line).await?;
        let status = status_line
            .split_whitespace()
            .nth(1)
            .and_then(|s| s.parse().ok())
            .ok_or_else(|| invalid(format!("not an HTTP answer: {status_line:?}")))?;
        let mut length = 0usize;
        let mut close = false;
        loop {
            let mut line = String::new();
            if stream.read_line(&mut line).await? == 0 {
                return Err(invalid("the connection closed in the headers".into()));
            }
            let line = line.trim_end();
            if line.is_empty() {
                break;
            }
            if let Some((name, value)) = line.split_once(':') {
                if name.eq_ignore_ascii_case("content-length") {
                    length = value
                        .trim()
                        .parse()
                        .map_err(|_| invalid(format!("a bad Content-Length: {value:?}")))?;
                } else if name.eq_ignore_ascii_case("connection") {
                    close = value.trim().eq_ignore_ascii_case("close");
                }
            }
        }
        if length > MAX_ANSWER {
            return Err(invalid(format!("an answer of {length} bytes")));
        }
        let mut answer = vec![0; length];
        stream.read_exact(&mut answer).await?;
        if !close {
            self.stream = Some(stream);
        }
        let value = serde_json::from_slice(&answer).unwrap_or(Value::Null);
        Ok((status, value))
    }
}

fn invalid(why: String) -> std::io::Error {
    std::io::Error::new(std::io::ErrorKind::InvalidData, why)
}
