//! Task tokens: a `.waitForTaskToken` task waits until someone sends the token's answer
//! (`send_task_success` / `send_task_failure`), and any task with HeartbeatSeconds waits for
//! heartbeats.

use std::collections::HashMap;
use std::sync::Mutex;
use std::sync::atomic::{AtomicU64, Ordering};

use serde_json::Value;
use tokio::sync::mpsc::UnboundedSender;

use crate::error::Failure;

/// What can be sent to a waiting task.
#[derive(Debug)]
pub(crate) enum Signal {
    /// SendTaskSuccess.
    Success(Value),
    /// SendTaskFailure.
    Failure(Failure),
    /// SendTaskHeartbeat.
    Heartbeat,
}

/// Why a token could not be answered.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum TokenError {
    /// No task waits for this token (it was never issued, or its task already ended): AWS's
    /// `TaskDoesNotExist`.
    TaskDoesNotExist,
}

impl std::fmt::Display for TokenError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("TaskDoesNotExist: no task waits for this token")
    }
}

impl std::error::Error for TokenError {}

/// The tokens of one machine's running tasks.
#[derive(Debug, Default)]
pub(crate) struct TokenRegistry {
    waiting: Mutex<HashMap<String, UnboundedSender<Signal>>>,
    issued: AtomicU64,
}

impl TokenRegistry {
    /// A fresh token for a task of `execution` in `state`.
    pub(crate) fn issue(
        &self,
        execution: &str,
        state: &str,
        to: UnboundedSender<Signal>,
    ) -> String {
        let n = self.issued.fetch_add(1, Ordering::Relaxed);
        let mut h: u64 = 0xcbf2_9ce4_8422_2325;
        for b in execution
            .bytes()
            .chain(state.bytes())
            .chain(n.to_le_bytes())
        {
            h ^= u64::from(b);
            h = h.wrapping_mul(0x0100_0000_01b3);
        }
        let token = format!("AQ{h:016x}{n:08x}");
        self.waiting
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .insert(token.clone(), to);
        token
    }

    /// Forgets a token once its task ended.
    pub(crate) fn revoke(&self, token: &str) {
        self.waiting
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .remove(token);
    }

    /// Delivers a signal to the task waiting for `token`.
    pub(crate) fn send(&self, token: &str, signal: Signal) -> Result<(), TokenError> {
        let waiting = self.waiting.lock().unwrap_or_else(|e| e.into_inner());
        let to = waiting.get(token).ok_or(TokenError::TaskDoesNotExist)?;
        to.send(signal).map_err(|_| TokenError::TaskDoesNotExist)
    }
}
