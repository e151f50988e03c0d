//! A small client of the protocol, for load generators and tests: one keep-alive HTTP/1.1
//! connection, unsigned JSON 1.0 calls. (Applications use an AWS SDK.)

use serde_json::Value;
use tokio::io::{AsyncBufReadExt, AsyncReadExt, AsyncWriteExt, BufReader};
use tokio::net::TcpStream;

/// The most bytes of an answer the client reads.
const MAX_ANSWER: usize = 16 * 1024 * 1024;

/// One connection to a server.
#[derive(Debug)]
pub struct Client {
    stream: BufReader<TcpStream>,
    host: String,
}

impl Client {
    /// Connects to the server at `addr`.
    pub async fn connect(addr: std::net::SocketAddr) -> std::io::Result<Self> {
        let stream = TcpStream::connect(addr).await?;
        stream.set_nodelay(true)?;
        Ok(Client {
            stream: BufReader::new(stream),
            host: addr.to_string(),
        })
    }

    /// Calls `operation` with `body`; the HTTP status and the answer's JSON.
    pub async fn call(&mut self, operation: &str, body: &Value) -> std::io::Result<(u16, Value)> {
        let body = body.to_string();
        let request = format!(
            "POST / HTTP/1.1\r\nHost: {}\r\nContent-Type: application/x-amz-json-1.0\r\nX-Amz-Target: AWSStepFunctions.{operation}\r\nContent-Length: {}\r\n\r\n{body}",
            self.host,
            body.len()
        );
        self.stream.get_mut().write_all(request.as_bytes()).await?;
        let mut status_line = String::new();
        self.stream.read_line(&mut status_line).await?;
        let status = status_line
            .split_whitespace()
            .nth(1)
            .and_then(|s| s.parse().ok())
            .ok_or_else(|| invalid(format!("not an HTTP answer: {status_line:?}")))?;
        let mut length = 0usize;
        loop {
            let mut line = String::new();
            if self.stream.read_line(&mut line).await? == 0 {
                return Err(invalid("the connection closed in the headers".into()));
            }
            let line = line.trim_end();
            if line.is_empty() {
                break;
            }
            if let Some((name, value)) = line.split_once(':')
                && name.eq_ignore_ascii_case("content-length")
            {
                length = value
                    .trim()
                    .parse()
                    .map_err(|_| invalid(format!("a bad Content-Length: {value:?}")))?;
            }
        }
        if length > MAX_ANSWER {
            return Err(invalid(format!("an answer of {length} bytes")));
        }
        let mut answer = vec![0; length];
        self.stream.read_exact(&mut answer).await?;
        let value = serde_json::from_slice(&answer).unwrap_or(Value::Null);
        Ok((status, value))
    }
}

fn invalid(why: String) -> std::io::Error {
    std::io::Error::new(std::io::ErrorKind::InvalidData, why)
}
