//! What can go wrong talking to Temporal.

/// An error of the Temporal backend.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Error {
    /// The server could not be reached or refused the connection.
    Connect(String),
    /// A worker could not be made or stopped with an error.
    Worker(String),
    /// An execution of this ARN exists: it has ended, or it runs with another input (AWS's
    /// `ExecutionAlreadyExists`).
    ExecutionAlreadyExists(String),
    /// No execution of this ARN (AWS's `ExecutionDoesNotExist`).
    ExecutionDoesNotExist(String),
    /// The ARN does not name an execution.
    InvalidArn(String),
    /// The token has not the form of one (AWS's `InvalidToken`).
    InvalidToken(String),
    /// No task waits for the token (AWS's `TaskDoesNotExist`).
    TaskDoesNotExist,
    /// The task the token was issued to timed out (AWS's `TaskTimedOut`).
    TaskTimedOut,
    /// Temporal answered with an error.
    Temporal(String),
}

impl Error {
    /// AWS's error code for it, where it has one.
    pub fn aws_code(&self) -> &'static str {
        match self {
            Error::ExecutionAlreadyExists(_) => "ExecutionAlreadyExists",
            Error::ExecutionDoesNotExist(_) => "ExecutionDoesNotExist",
            Error::InvalidArn(_) => "InvalidArn",
            Error::InvalidToken(_) => "InvalidToken",
            Error::TaskDoesNotExist => "TaskDoesNotExist",
            Error::TaskTimedOut => "TaskTimedOut",
            Error::Connect(_) | Error::Worker(_) | Error::Temporal(_) => "ServiceUnavailable",
        }
    }
}

impl std::fmt::Display for Error {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Error::Connect(e) => write!(f, "cannot reach the Temporal server: {e}"),
            Error::Worker(e) => write!(f, "Temporal worker: {e}"),
            Error::ExecutionAlreadyExists(arn) => write!(f, "Execution Already Exists: '{arn}'"),
            Error::ExecutionDoesNotExist(arn) => write!(f, "Execution Does Not Exist: '{arn}'"),
            Error::InvalidArn(arn) => write!(f, "Invalid Arn: '{arn}'"),
            Error::InvalidToken(why) => write!(f, "Invalid Token: '{why}'"),
            Error::TaskDoesNotExist => f.write_str("Task Does Not Exist"),
            Error::TaskTimedOut => f.write_str("Task Timed Out"),
            Error::Temporal(e) => write!(f, "Temporal: {e}"),
        }
    }
}

impl std::error::Error for Error {}
