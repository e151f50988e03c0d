//! Task tokens: a `.waitForTaskToken` task waits until someone sends the token's answer
//! (`send_task_success` / `send_task_failure`), and any task with HeartbeatSeconds waits for
//! heartbeats.

use std::collections::HashMap;
use std::sync::Mutex;

use base64::Engine as _;

use tokio::sync::mpsc::UnboundedSender;

use crate::effects::Seam;

pub(crate) use crate::effects::Signal;

/// Why a token could not be answered.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum TokenError {
    /// No task waits for this token (it was never issued, or its task already ended): AWS's
    /// `TaskDoesNotExist`.
    TaskDoesNotExist,
    /// The task this token was issued to timed out (its TimeoutSeconds or HeartbeatSeconds
    /// ran out): AWS's `TaskTimedOut`.
    TaskTimedOut,
}

impl std::fmt::Display for TokenError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            TokenError::TaskDoesNotExist => {
                f.write_str("TaskDoesNotExist: no task waits for this token")
            }
            TokenError::TaskTimedOut => {
                f.write_str("TaskTimedOut: the task this token was issued to timed out")
            }
        }
    }
}

/// How many tokens of timed-out tasks a registry remembers, to answer them `TaskTimedOut`
/// rather than `TaskDoesNotExist` (the oldest forgotten first).
const REMEMBERED_TIMEOUTS: usize = 10_000;

impl std::error::Error for TokenError {}

/// How many random bytes a task token carries (256 bits).
const TOKEN_BYTES: usize = 32;

/// The most bytes a token carries after its random bits, to find its execution by
/// ([`Effects::token_route`](crate::effects::Effects::token_route)).
pub const MAX_TOKEN_ROUTE: usize = 1024;

/// A new task token: 256 random bits drawn through the execution's seam (live: rand's
/// thread-local ChaCha12, a cryptographically secure generator seeded and reseeded from the
/// operating system; never derived from names or counters, so no token can be guessed from
/// another), then the seam's route if it has one, written as URL-safe base64 after AWS's `AQ`
/// prefix.
pub(crate) fn new_token(seam: &Seam) -> String {
    let mut bytes = [0u8; TOKEN_BYTES];
    seam.random(&mut bytes);
    let route = seam
        .token_route()
        .filter(|r| !r.is_empty() && r.len() <= MAX_TOKEN_ROUTE);
    let mut token = String::with_capacity(2 + TOKEN_BYTES.div_ceil(3) * 4);
    token.push_str("AQ");
    match route {
        Some(route) => {
            let mut all = bytes.to_vec();
            all.extend_from_slice(route.as_bytes());
            base64::engine::general_purpose::URL_SAFE_NO_PAD.encode_string(all, &mut token);
        }
        None => base64::engine::general_purpose::URL_SAFE_NO_PAD.encode_string(bytes, &mut token),
    }
    token
}

/// The route a well-formed token carries after its random bits (see
/// [`Effects::token_route`](crate::effects::Effects::token_route)), if any.
pub fn token_route(token: &str) -> Option<String> {
    let bytes = decode(token)?;
    let route = bytes.get(TOKEN_BYTES..).filter(|r| !r.is_empty())?;
    String::from_utf8(route.to_vec()).ok()
}

fn decode(token: &str) -> Option<Vec<u8>> {
    let rest = token.strip_prefix("AQ")?;
    let bytes = base64::engine::general_purpose::URL_SAFE_NO_PAD
        .decode(rest)
        .ok()?;
    (TOKEN_BYTES..=TOKEN_BYTES + MAX_TOKEN_ROUTE)
        .contains(&bytes.len())
        .then_some(bytes)
}

/// Whether `token` has the form of a token [`new_token`] draws (`AQ` and 256 bits in URL-safe
/// base64, then at most [`MAX_TOKEN_ROUTE`] bytes of route): one that does not is AWS's
/// `InvalidToken`, one that does but that no task waits for is `TaskDoesNotExist`.
pub fn is_well_formed(token: &str) -> bool {
    decode(token).is_some()
}

/// The tokens of one machine's running tasks.
#[derive(Debug, Default)]
pub(crate) struct TokenRegistry {
    waiting: Mutex<HashMap<String, UnboundedSender<Signal>>>,
    /// Tokens whose tasks timed out, oldest first (at most [`REMEMBERED_TIMEOUTS`]).
    timed_out: Mutex<(
        std::collections::VecDeque<String>,
        std::collections::HashSet<String>,
    )>,
}

impl TokenRegistry {
    /// Registers `token` (drawn with [`new_token`]) as the one that answers a task, through `to`.
    /// A token is answered only by the task it was issued to: two tasks never share one.
    pub(crate) fn issue(&self, token: String, to: UnboundedSender<Signal>) -> String {
        self.waiting
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .insert(token.clone(), to);
        token
    }

    /// Forgets a token once its task ended; one whose task timed out is answered
    /// `TaskTimedOut` from then on (as long as it is remembered).
    pub(crate) fn revoke(&self, token: &str, timed_out: bool) {
        self.waiting
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .remove(token);
        if timed_out {
            let mut remembered = self.timed_out.lock().unwrap_or_else(|e| e.into_inner());
            let (order, set) = &mut *remembered;
            if set.insert(token.to_owned()) {
                order.push_back(token.to_owned());
            }
            while order.len() > REMEMBERED_TIMEOUTS {
                if let Some(old) = order.pop_front() {
                    set.remove(&old);
                }
            }
        }
    }

    /// Delivers a signal to the task waiting for `token`.
    pub(crate) fn send(&self, token: &str, signal: Signal) -> Result<(), TokenError> {
        let waiting = self.waiting.lock().unwrap_or_else(|e| e.into_inner());
        let Some(to) = waiting.get(token) else {
            let remembered = self.timed_out.lock().unwrap_or_else(|e| e.into_inner());
            return Err(if remembered.1.contains(token) {
                TokenError::TaskTimedOut
            } else {
                TokenError::TaskDoesNotExist
            });
        };
        to.send(signal).map_err(|_| TokenError::TaskDoesNotExist)
    }
}
