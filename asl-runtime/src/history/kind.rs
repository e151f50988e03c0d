//! The history event types AWS Step Functions reports, each with its details object.

use serde::{Deserialize, Serialize};

use super::details::*;

/// Declares [`EventKind`]: each variant is an AWS event type; a variant with details carries
/// them under AWS's member name for them.
macro_rules! event_kinds {
    ($( $(#[$doc:meta])* $variant:ident $( => $member:literal : $details:ty )? ,)*) => {
        /// An event's type and its details, serialized as GetExecutionHistory writes them:
        /// `"type": "TaskScheduled"` beside `"taskScheduledEventDetails": {…}`.
        #[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
        #[serde(tag = "type")]
        pub enum EventKind {
            $(
                $(#[$doc])*
                $variant $( {
                    /// The event's details.
                    #[serde(rename = $member, default)]
                    details: $details,
                } )?,
            )*
        }

        impl EventKind {
            /// Every event type, as AWS names them.
            pub const NAMES: &'static [&'static str] = &[$(stringify!($variant)),*];

            /// The event type as AWS names it (`"TaskScheduled"`).
            pub fn name(&self) -> &'static str {
                match self {
                    $( EventKind::$variant { .. } => stringify!($variant), )*
                }
            }
        }
    };
}

event_kinds! {
    /// An activity task failed.
    ActivityFailed => "activityFailedEventDetails": ErrorDetails,
    /// An activity task was scheduled.
    ActivityScheduled => "activityScheduledEventDetails": ActivityScheduledDetails,
    /// An activity task could not be scheduled.
    ActivityScheduleFailed => "activityScheduleFailedEventDetails": ErrorDetails,
    /// A worker took an activity task.
    ActivityStarted => "activityStartedEventDetails": ActivityStartedDetails,
    /// An activity task succeeded.
    ActivitySucceeded => "activitySucceededEventDetails": OutputDetails,
    /// An activity task timed out.
    ActivityTimedOut => "activityTimedOutEventDetails": ErrorDetails,
    /// A Choice state was entered.
    ChoiceStateEntered => "stateEnteredEventDetails": StateEnteredDetails,
    /// A Choice state was left.
    ChoiceStateExited => "stateExitedEventDetails": StateExitedDetails,
    /// The execution was stopped.
    ExecutionAborted => "executionAbortedEventDetails": ErrorDetails,
    /// The execution failed.
    ExecutionFailed => "executionFailedEventDetails": ErrorDetails,
    /// The execution started.
    ExecutionStarted => "executionStartedEventDetails": ExecutionStartedDetails,
    /// The execution succeeded.
    ExecutionSucceeded => "executionSucceededEventDetails": OutputDetails,
    /// The execution's TimeoutSeconds ran out.
    ExecutionTimedOut => "executionTimedOutEventDetails": ErrorDetails,
    /// A Fail state was entered.
    FailStateEntered => "stateEnteredEventDetails": StateEnteredDetails,
    /// A Lambda function failed.
    LambdaFunctionFailed => "lambdaFunctionFailedEventDetails": ErrorDetails,
    /// A Lambda function was scheduled.
    LambdaFunctionScheduled => "lambdaFunctionScheduledEventDetails": LambdaFunctionScheduledDetails,
    /// A Lambda function could not be scheduled.
    LambdaFunctionScheduleFailed => "lambdaFunctionScheduleFailedEventDetails": ErrorDetails,
    /// A Lambda function started.
    LambdaFunctionStarted,
    /// A Lambda function could not start.
    LambdaFunctionStartFailed => "lambdaFunctionStartFailedEventDetails": ErrorDetails,
    /// A Lambda function succeeded.
    LambdaFunctionSucceeded => "lambdaFunctionSucceededEventDetails": OutputDetails,
    /// A Lambda function timed out.
    LambdaFunctionTimedOut => "lambdaFunctionTimedOutEventDetails": ErrorDetails,
    /// A Map iteration was stopped.
    MapIterationAborted => "mapIterationAbortedEventDetails": MapIterationDetails,
    /// A Map iteration failed.
    MapIterationFailed => "mapIterationFailedEventDetails": MapIterationDetails,
    /// A Map iteration started.
    MapIterationStarted => "mapIterationStartedEventDetails": MapIterationDetails,
    /// A Map iteration succeeded.
    MapIterationSucceeded => "mapIterationSucceededEventDetails": MapIterationDetails,
    /// A Map state was stopped.
    MapStateAborted,
    /// A Map state was entered.
    MapStateEntered => "stateEnteredEventDetails": StateEnteredDetails,
    /// A Map state was left.
    MapStateExited => "stateExitedEventDetails": StateExitedDetails,
    /// A Map state failed.
    MapStateFailed,
    /// A Map state started its iterations.
    MapStateStarted => "mapStateStartedEventDetails": MapStateStartedDetails,
    /// A Map state's iterations all succeeded.
    MapStateSucceeded,
    /// A Parallel state was stopped.
    ParallelStateAborted,
    /// A Parallel state was entered.
    ParallelStateEntered => "stateEnteredEventDetails": StateEnteredDetails,
    /// A Parallel state was left.
    ParallelStateExited => "stateExitedEventDetails": StateExitedDetails,
    /// A Parallel state failed.
    ParallelStateFailed,
    /// A Parallel state started its branches.
    ParallelStateStarted,
    /// A Parallel state's branches all succeeded.
    ParallelStateSucceeded,
    /// A Pass state was entered.
    PassStateEntered => "stateEnteredEventDetails": StateEnteredDetails,
    /// A Pass state was left.
    PassStateExited => "stateExitedEventDetails": StateExitedDetails,
    /// A Succeed state was entered.
    SucceedStateEntered => "stateEnteredEventDetails": StateEnteredDetails,
    /// A Succeed state was left.
    SucceedStateExited => "stateExitedEventDetails": StateExitedDetails,
    /// A task failed.
    TaskFailed => "taskFailedEventDetails": TaskErrorDetails,
    /// A task was scheduled.
    TaskScheduled => "taskScheduledEventDetails": TaskScheduledDetails,
    /// A task started.
    TaskStarted => "taskStartedEventDetails": TaskDetails,
    /// A task could not start.
    TaskStartFailed => "taskStartFailedEventDetails": TaskErrorDetails,
    /// A Task state was stopped.
    TaskStateAborted,
    /// A Task state was entered.
    TaskStateEntered => "stateEnteredEventDetails": StateEnteredDetails,
    /// A Task state was left.
    TaskStateExited => "stateExitedEventDetails": StateExitedDetails,
    /// A task could not be submitted.
    TaskSubmitFailed => "taskSubmitFailedEventDetails": TaskErrorDetails,
    /// A task was submitted.
    TaskSubmitted => "taskSubmittedEventDetails": TaskOutputDetails,
    /// A task succeeded.
    TaskSucceeded => "taskSucceededEventDetails": TaskOutputDetails,
    /// A task timed out.
    TaskTimedOut => "taskTimedOutEventDetails": TaskErrorDetails,
    /// A Wait state was stopped.
    WaitStateAborted,
    /// A Wait state was entered.
    WaitStateEntered => "stateEnteredEventDetails": StateEnteredDetails,
    /// A Wait state was left.
    WaitStateExited => "stateExitedEventDetails": StateExitedDetails,
    /// A Map Run was stopped.
    MapRunAborted,
    /// A Map Run failed.
    MapRunFailed => "mapRunFailedEventDetails": ErrorDetails,
    /// A Map Run started.
    MapRunStarted => "mapRunStartedEventDetails": MapRunStartedDetails,
    /// A Map Run succeeded.
    MapRunSucceeded,
    /// The execution was redriven.
    ExecutionRedriven => "executionRedrivenEventDetails": ExecutionRedrivenDetails,
    /// A Map Run was redriven.
    MapRunRedriven => "mapRunRedrivenEventDetails": MapRunRedrivenDetails,
    /// A JSONata or JSONPath evaluation failed.
    EvaluationFailed => "evaluationFailedEventDetails": EvaluationFailedDetails,
}

impl EventKind {
    /// The state's name, for state entered/exited and Map iteration events.
    pub fn state_name(&self) -> Option<&str> {
        self.entered()
            .map(|d| &*d.name)
            .or_else(|| self.exited().map(|d| &*d.name))
            .or_else(|| self.iteration().map(|d| &*d.name))
    }

    /// The details of a state entered event.
    pub fn entered(&self) -> Option<&StateEnteredDetails> {
        use EventKind::*;
        match self {
            ChoiceStateEntered { details }
            | FailStateEntered { details }
            | MapStateEntered { details }
            | ParallelStateEntered { details }
            | PassStateEntered { details }
            | SucceedStateEntered { details }
            | TaskStateEntered { details }
            | WaitStateEntered { details } => Some(details),
            _ => None,
        }
    }

    /// The details of a state exited event.
    pub fn exited(&self) -> Option<&StateExitedDetails> {
        use EventKind::*;
        match self {
            ChoiceStateExited { details }
            | MapStateExited { details }
            | ParallelStateExited { details }
            | PassStateExited { details }
            | SucceedStateExited { details }
            | TaskStateExited { details }
            | WaitStateExited { details } => Some(details),
            _ => None,
        }
    }

    /// Records the variables a state assigned (name → JSON text) in its exited event (nothing
    /// for other events).
    pub fn assigned(&mut self, variables: std::collections::BTreeMap<String, String>) {
        use EventKind::*;
        if let ChoiceStateExited { details }
        | MapStateExited { details }
        | ParallelStateExited { details }
        | PassStateExited { details }
        | SucceedStateExited { details }
        | TaskStateExited { details }
        | WaitStateExited { details } = self
        {
            details.assigned_variables_details = Some(PayloadDetails::default());
            details.assigned_variables = Some(variables);
        }
    }

    /// The details of a Map iteration event.
    pub fn iteration(&self) -> Option<&MapIterationDetails> {
        use EventKind::*;
        match self {
            MapIterationAborted { details }
            | MapIterationFailed { details }
            | MapIterationStarted { details }
            | MapIterationSucceeded { details } => Some(details),
            _ => None,
        }
    }

    /// The input an event records (a state's, the execution's, a task's parameters), if kept.
    pub fn input(&self) -> Option<&serde_json::Value> {
        use EventKind::*;
        match self {
            ExecutionStarted { details } => details.input.as_ref(),
            TaskScheduled { details } => details.parameters.as_ref(),
            ActivityScheduled { details } => details.input.as_ref(),
            LambdaFunctionScheduled { details } => details.input.as_ref(),
            other => other.entered().and_then(|d| d.input.as_ref()),
        }
    }

    /// The output an event records (a state's, the execution's, a task's result), if kept.
    pub fn output(&self) -> Option<&serde_json::Value> {
        use EventKind::*;
        match self {
            ExecutionSucceeded { details }
            | ActivitySucceeded { details }
            | LambdaFunctionSucceeded { details } => details.output.as_ref(),
            TaskSucceeded { details } | TaskSubmitted { details } => details.output.as_ref(),
            other => other.exited().and_then(|d| d.output.as_ref()),
        }
    }

    /// The error and cause an event records, if it records one.
    pub fn error(&self) -> Option<(Option<&str>, Option<&str>)> {
        use EventKind::*;
        match self {
            ActivityFailed { details }
            | ActivityScheduleFailed { details }
            | ActivityTimedOut { details }
            | ExecutionAborted { details }
            | ExecutionFailed { details }
            | ExecutionTimedOut { details }
            | LambdaFunctionFailed { details }
            | LambdaFunctionScheduleFailed { details }
            | LambdaFunctionStartFailed { details }
            | LambdaFunctionTimedOut { details }
            | MapRunFailed { details } => pair(&details.error, &details.cause),
            TaskFailed { details }
            | TaskStartFailed { details }
            | TaskSubmitFailed { details }
            | TaskTimedOut { details } => pair(&details.error, &details.cause),
            EvaluationFailed { details } => pair(&details.error, &details.cause),
            _ => None,
        }
    }
}

fn pair<'a>(
    e: &'a Option<String>,
    c: &'a Option<String>,
) -> Option<(Option<&'a str>, Option<&'a str>)> {
    Some((e.as_deref(), c.as_deref()))
}
