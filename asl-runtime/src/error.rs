//! Errors as Step Functions names them: an error name (`States.Timeout`, `Lambda.Unknown`, a
//! handler's own) and a cause.

use std::fmt;

/// The error names Step Functions defines.
pub mod names {
    /// Matches any error but `States.Runtime` and `States.DataLimitExceeded`.
    pub const ALL: &str = "States.ALL";
    /// A task ran longer than its `TimeoutSeconds`, or the execution longer than its own.
    pub const TIMEOUT: &str = "States.Timeout";
    /// A task sent no heartbeat within `HeartbeatSeconds`.
    pub const HEARTBEAT_TIMEOUT: &str = "States.HeartbeatTimeout";
    /// A task failed.
    pub const TASK_FAILED: &str = "States.TaskFailed";
    /// ResultPath could not be applied.
    pub const RESULT_PATH_MATCH_FAILURE: &str = "States.ResultPathMatchFailure";
    /// A Parameters path could not be applied.
    pub const PARAMETER_PATH_FAILURE: &str = "States.ParameterPathFailure";
    /// No Choice rule matched and there is no Default.
    pub const NO_CHOICE_MATCHED: &str = "States.NoChoiceMatched";
    /// An intrinsic function failed.
    pub const INTRINSIC_FAILURE: &str = "States.IntrinsicFailure";
    /// A JSONata expression failed.
    pub const QUERY_EVALUATION_ERROR: &str = "States.QueryEvaluationError";
    /// A value was larger than Step Functions allows.
    pub const DATA_LIMIT_EXCEEDED: &str = "States.DataLimitExceeded";
    /// An error the workflow can not handle (not retried, not caught by `States.ALL`).
    pub const RUNTIME: &str = "States.Runtime";
    /// A Parallel branch failed.
    pub const BRANCH_FAILED: &str = "States.BranchFailed";
}

/// An error raised while running a state: its name and cause.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Failure {
    /// The error name, matched against `ErrorEquals`.
    pub error: String,
    /// The cause; AWS leaves it out for some errors.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cause: Option<String>,
    /// Whether the cause is only the detail, to be prefixed by the engine with AWS's
    /// "An error occurred while executing the state '…' (entered at the event id #…)." text.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub(crate) detail: bool,
}

impl Failure {
    /// A failure with a name and a cause.
    pub fn new(error: impl Into<String>, cause: impl Into<String>) -> Self {
        Failure {
            error: error.into(),
            cause: Some(cause.into()),
            detail: false,
        }
    }

    /// A failure with a name and no cause.
    pub fn without_cause(error: impl Into<String>) -> Self {
        Failure {
            error: error.into(),
            cause: None,
            detail: false,
        }
    }

    /// A failure whose cause the engine places in AWS's "while executing the state" sentence.
    pub(crate) fn in_state(error: &str, detail: impl Into<String>) -> Self {
        Failure {
            error: error.to_owned(),
            cause: Some(detail.into()),
            detail: true,
        }
    }

    /// `States.Runtime` with a detail.
    pub(crate) fn runtime(detail: impl Into<String>) -> Self {
        Failure::in_state(names::RUNTIME, detail)
    }

    /// The failure as it leaves state `state` (entered at history event `entered`): a detail
    /// cause becomes AWS's full sentence.
    pub(crate) fn leaving(mut self, state: &str, entered: u64) -> Self {
        if self.detail {
            self.detail = false;
            let detail = self.cause.take().unwrap_or_default();
            self.cause = Some(format!(
                "An error occurred while executing the state '{state}' (entered at the event id #{entered}). {detail}"
            ));
        }
        self
    }

    /// The error output a Catcher hands on: `{"Error": …, "Cause": …}`.
    pub fn to_error_output(&self) -> serde_json::Value {
        let mut m = serde_json::Map::new();
        m.insert("Error".into(), self.error.clone().into());
        if let Some(c) = &self.cause {
            m.insert("Cause".into(), c.clone().into());
        }
        serde_json::Value::Object(m)
    }

    /// Whether an `ErrorEquals` name matches this error, by AWS's rules as recorded:
    /// `States.ALL` matches everything but `States.Runtime` (AWS's documentation also exempts
    /// `States.DataLimitExceeded`, but its executions catch it); `States.TaskFailed` matches
    /// everything but `States.Timeout` and `States.Runtime`.
    pub fn matches(&self, name: &str) -> bool {
        let terminal = self.error == names::RUNTIME;
        match name {
            names::ALL => !terminal,
            names::TASK_FAILED => !terminal && self.error != names::TIMEOUT,
            _ => self.error == name,
        }
    }
}

impl fmt::Display for Failure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.cause {
            Some(c) => write!(f, "{}: {c}", self.error),
            None => f.write_str(&self.error),
        }
    }
}

impl std::error::Error for Failure {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn matching_rules() {
        let custom = Failure::new("CardDeclined", "no");
        assert!(
            custom.matches("CardDeclined")
                && custom.matches(names::ALL)
                && custom.matches(names::TASK_FAILED)
        );
        let timeout = Failure::without_cause(names::TIMEOUT);
        assert!(timeout.matches(names::ALL) && !timeout.matches(names::TASK_FAILED));
        let runtime = Failure::runtime("x");
        assert!(
            !runtime.matches(names::ALL)
                && !runtime.matches(names::TASK_FAILED)
                && runtime.matches(names::RUNTIME)
        );
        let limit = Failure::without_cause(names::DATA_LIMIT_EXCEEDED);
        assert!(limit.matches(names::ALL) && limit.matches(names::DATA_LIMIT_EXCEEDED));
    }
}
