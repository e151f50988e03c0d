//! Execution history, event by event, typed as AWS types it and numbered as AWS numbers them
//! (so causes that cite "entered at the event id #N" agree with AWS). An [`Event`] serializes
//! to exactly the JSON GetExecutionHistory returns for it:
//!
//! ```
//! use asl_runtime::history::{Event, EventKind, StateEnteredDetails};
//! use serde_json::json;
//!
//! let event = Event {
//!     timestamp: jiff::Timestamp::from_millisecond(1_700_000_000_250).unwrap(),
//!     id: 2,
//!     previous_event_id: 1,
//!     kind: EventKind::PassStateEntered {
//!         details: StateEnteredDetails::new("Start".into(), Some(json!({"n": 1}))),
//!     },
//! };
//! assert_eq!(
//!     serde_json::to_value(&event).unwrap(),
//!     json!({
//!         "timestamp": 1_700_000_000.25,
//!         "type": "PassStateEntered",
//!         "id": 2,
//!         "previousEventId": 1,
//!         "stateEnteredEventDetails": {
//!             "name": "Start",
//!             "input": "{\"n\":1}",
//!             "inputDetails": {"truncated": false}
//!         }
//!     })
//! );
//! ```

mod details;
mod kind;

use std::sync::Arc;

use serde::{Deserialize, Serialize};

pub use details::*;

use crate::definition::StateType;
pub use kind::EventKind;

/// One history event, as GetExecutionHistory reports it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Event {
    /// When it happened, by the execution's clock (epoch seconds in JSON, as AWS's JSON
    /// protocol writes timestamps; an RFC 3339 string is read too, as the AWS CLI prints them).
    #[serde(with = "epoch_seconds")]
    pub timestamp: jiff::Timestamp,
    /// Its type and details.
    #[serde(flatten)]
    pub kind: EventKind,
    /// 1-based id.
    pub id: u64,
    /// The id of the event before it (0 for the first).
    #[serde(default)]
    pub previous_event_id: u64,
}

/// An execution's history.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct History {
    events: Vec<Event>,
}

impl History {
    /// Appends an event and returns its id.
    pub fn push(&mut self, timestamp: jiff::Timestamp, kind: EventKind) -> u64 {
        let id = self.events.len() as u64 + 1;
        // As AWS records them: each event follows the one before, but the first state's
        // entered event and a stop (ExecutionAborted) follow none.
        let previous_event_id = match &kind {
            EventKind::ExecutionAborted { .. } => 0,
            k if id == 2 && k.entered().is_some() => 0,
            _ => id - 1,
        };
        self.events.push(Event {
            id,
            previous_event_id,
            timestamp,
            kind,
        });
        id
    }

    /// The events so far.
    pub fn events(&self) -> &[Event] {
        &self.events
    }

    /// The id the next event will get.
    pub fn next_id(&self) -> u64 {
        self.events.len() as u64 + 1
    }
}

impl TaskDetails {
    /// A Task state's resource as AWS reports it in task events: an optimized integration
    /// `arn:aws:states:::sqs:sendMessage.waitForTaskToken` is type `sqs`, resource
    /// `sendMessage.waitForTaskToken` (`arn:aws:states:::aws-sdk:s3:getObject` is type
    /// `aws-sdk:s3`); any other ARN is typed by its service (`lambda` for a function ARN, whose
    /// events AWS reports as `LambdaFunction…`) and keeps the whole ARN as its resource.
    pub fn of(arn: &str) -> Self {
        if let Some(rest) = arn.strip_prefix("arn:aws:states:::")
            && let Some((ty, action)) = rest.rsplit_once(':')
        {
            return TaskDetails {
                resource_type: ty.into(),
                resource: action.into(),
            };
        }
        let service = arn
            .strip_prefix("arn:")
            .and_then(|rest| rest.split(':').nth(1))
            .unwrap_or_default();
        TaskDetails {
            resource_type: service.into(),
            resource: arn.into(),
        }
    }

    /// This resource with an error and cause.
    pub fn error(&self, error: Option<String>, cause: Option<String>) -> TaskErrorDetails {
        TaskErrorDetails {
            resource_type: self.resource_type.clone(),
            resource: self.resource.clone(),
            error,
            cause,
        }
    }
}

impl EventKind {
    /// The entered event of state `name` of type `ty`.
    pub fn state_entered(ty: StateType, name: Arc<str>, input: Option<serde_json::Value>) -> Self {
        let details = StateEnteredDetails::new(name, input);
        match ty {
            StateType::Pass => EventKind::PassStateEntered { details },
            StateType::Task => EventKind::TaskStateEntered { details },
            StateType::Choice => EventKind::ChoiceStateEntered { details },
            StateType::Wait => EventKind::WaitStateEntered { details },
            StateType::Succeed => EventKind::SucceedStateEntered { details },
            StateType::Fail => EventKind::FailStateEntered { details },
            StateType::Parallel => EventKind::ParallelStateEntered { details },
            StateType::Map => EventKind::MapStateEntered { details },
        }
    }

    /// The exited event of state `name` of type `ty`; `None` for a Fail state, which AWS
    /// reports no exit of.
    pub fn state_exited(
        ty: StateType,
        name: Arc<str>,
        output: Option<serde_json::Value>,
    ) -> Option<Self> {
        let details = StateExitedDetails::new(name, output);
        Some(match ty {
            StateType::Pass => EventKind::PassStateExited { details },
            StateType::Task => EventKind::TaskStateExited { details },
            StateType::Choice => EventKind::ChoiceStateExited { details },
            StateType::Wait => EventKind::WaitStateExited { details },
            StateType::Succeed => EventKind::SucceedStateExited { details },
            StateType::Fail => return None,
            StateType::Parallel => EventKind::ParallelStateExited { details },
            StateType::Map => EventKind::MapStateExited { details },
        })
    }
}

/// `Option<Value>` as JSON text, the way AWS writes payloads in history events.
mod json_text {
    use serde::{Deserialize, Deserializer, Serializer};
    use serde_json::Value;

    pub(super) fn serialize<S: Serializer>(v: &Option<Value>, s: S) -> Result<S::Ok, S::Error> {
        match v {
            Some(v) => s.serialize_str(&v.to_string()),
            None => s.serialize_none(),
        }
    }

    pub(super) fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Value>, D::Error> {
        match Option::<String>::deserialize(d)? {
            // A truncated payload is not JSON any more: keep its text.
            Some(text) => Ok(Some(
                serde_json::from_str(&text).unwrap_or(Value::String(text)),
            )),
            None => Ok(None),
        }
    }
}

/// A timestamp as epoch seconds with milliseconds (AWS's JSON protocol), read from that or
/// from RFC 3339 text.
mod epoch_seconds {
    use serde::de::Error as _;
    use serde::{Deserialize, Deserializer, Serializer};

    pub(super) fn serialize<S: Serializer>(t: &jiff::Timestamp, s: S) -> Result<S::Ok, S::Error> {
        let millis = t.as_millisecond();
        if millis % 1000 == 0 {
            s.serialize_i64(millis / 1000)
        } else {
            s.serialize_f64(millis as f64 / 1000.0)
        }
    }

    #[derive(Deserialize)]
    #[serde(untagged)]
    enum Either {
        Seconds(f64),
        Text(String),
    }

    pub(super) fn deserialize<'de, D: Deserializer<'de>>(
        d: D,
    ) -> Result<jiff::Timestamp, D::Error> {
        match Either::deserialize(d)? {
            Either::Seconds(s) => jiff::Timestamp::from_millisecond((s * 1000.0).round() as i64)
                .map_err(D::Error::custom),
            Either::Text(t) => t.parse().map_err(D::Error::custom),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    /// The `HistoryEventType` enum of the Step Functions service model (botocore's
    /// `stepfunctions/2016-11-23/service-2.json`).
    const AWS_TYPES: [&str; 62] = [
        "ActivityFailed",
        "ActivityScheduled",
        "ActivityScheduleFailed",
        "ActivityStarted",
        "ActivitySucceeded",
        "ActivityTimedOut",
        "ChoiceStateEntered",
        "ChoiceStateExited",
        "ExecutionAborted",
        "ExecutionFailed",
        "ExecutionStarted",
        "ExecutionSucceeded",
        "ExecutionTimedOut",
        "FailStateEntered",
        "LambdaFunctionFailed",
        "LambdaFunctionScheduled",
        "LambdaFunctionScheduleFailed",
        "LambdaFunctionStarted",
        "LambdaFunctionStartFailed",
        "LambdaFunctionSucceeded",
        "LambdaFunctionTimedOut",
        "MapIterationAborted",
        "MapIterationFailed",
        "MapIterationStarted",
        "MapIterationSucceeded",
        "MapStateAborted",
        "MapStateEntered",
        "MapStateExited",
        "MapStateFailed",
        "MapStateStarted",
        "MapStateSucceeded",
        "ParallelStateAborted",
        "ParallelStateEntered",
        "ParallelStateExited",
        "ParallelStateFailed",
        "ParallelStateStarted",
        "ParallelStateSucceeded",
        "PassStateEntered",
        "PassStateExited",
        "SucceedStateEntered",
        "SucceedStateExited",
        "TaskFailed",
        "TaskScheduled",
        "TaskStarted",
        "TaskStartFailed",
        "TaskStateAborted",
        "TaskStateEntered",
        "TaskStateExited",
        "TaskSubmitFailed",
        "TaskSubmitted",
        "TaskSucceeded",
        "TaskTimedOut",
        "WaitStateAborted",
        "WaitStateEntered",
        "WaitStateExited",
        "MapRunAborted",
        "MapRunFailed",
        "MapRunStarted",
        "MapRunSucceeded",
        "ExecutionRedriven",
        "MapRunRedriven",
        "EvaluationFailed",
    ];

    #[test]
    fn every_aws_event_type_and_no_other() {
        let mut ours: Vec<&str> = EventKind::NAMES.to_vec();
        let mut aws: Vec<&str> = AWS_TYPES.to_vec();
        ours.sort_unstable();
        aws.sort_unstable();
        assert_eq!(ours, aws);
        // Each reads from AWS's JSON (details absent, as for the events that have none) and
        // writes back under the same type.
        for name in AWS_TYPES {
            let event: Event = serde_json::from_value(
                json!({"timestamp": 1, "type": name, "id": 1, "previousEventId": 0}),
            )
            .unwrap_or_else(|e| panic!("{name}: {e}"));
            assert_eq!(event.kind.name(), name);
            let back = serde_json::to_value(&event).expect("serializes");
            assert_eq!(back["type"], json!(name));
        }
    }

    #[test]
    fn task_resources_as_aws_reports_them() {
        let d = TaskDetails::of("arn:aws:states:::sqs:sendMessage.waitForTaskToken");
        assert_eq!(
            (&*d.resource_type, &*d.resource),
            ("sqs", "sendMessage.waitForTaskToken")
        );
        let d = TaskDetails::of("arn:aws:states:::aws-sdk:s3:getObject");
        assert_eq!(
            (&*d.resource_type, &*d.resource),
            ("aws-sdk:s3", "getObject")
        );
        let arn = "arn:aws:lambda:us-east-1:111111111111:function:f";
        let d = TaskDetails::of(arn);
        assert_eq!((&*d.resource_type, &*d.resource), ("lambda", arn));
        assert_eq!(&*TaskDetails::of("local").resource, "local");
    }

    #[test]
    fn events_round_trip_through_awss_json() {
        let task = TaskDetails::of("arn:aws:states:::lambda:invoke");
        let kinds = [
            EventKind::ExecutionStarted {
                details: ExecutionStartedDetails::new(Some(json!({"a": [1]})), "arn:role"),
            },
            EventKind::TaskScheduled {
                details: TaskScheduledDetails {
                    resource_type: task.resource_type.clone(),
                    resource: task.resource.clone(),
                    region: "us-east-1".into(),
                    parameters: Some(json!({"FunctionName": "f"})),
                    timeout_in_seconds: Some(30),
                    heartbeat_in_seconds: None,
                    task_credentials: None,
                },
            },
            EventKind::TaskFailed {
                details: task.error(Some("E".into()), Some("why".into())),
            },
            EventKind::MapIterationStarted {
                details: MapIterationDetails {
                    name: "M".into(),
                    index: 3,
                },
            },
            EventKind::ParallelStateStarted,
            EventKind::ExecutionTimedOut {
                details: ErrorDetails::default(),
            },
        ];
        let mut history = History::default();
        for (i, kind) in kinds.into_iter().enumerate() {
            history.push(
                jiff::Timestamp::from_second(1_700_000_000 + i as i64).expect("in range"),
                kind,
            );
        }
        let text = serde_json::to_value(history.events()).expect("serializes");
        assert_eq!(
            text[1]["taskScheduledEventDetails"]["parameters"],
            json!("{\"FunctionName\":\"f\"}")
        );
        assert_eq!(
            text[1]["taskScheduledEventDetails"]["resourceType"],
            json!("lambda")
        );
        assert_eq!(
            text[2]["taskFailedEventDetails"]["resource"],
            json!("invoke")
        );
        assert_eq!(
            text[4],
            json!({"timestamp": 1_700_000_004, "type": "ParallelStateStarted", "id": 5, "previousEventId": 4})
        );
        assert_eq!(text[5]["executionTimedOutEventDetails"], json!({}));
        let back: Vec<Event> = serde_json::from_value(text).expect("reads back");
        assert_eq!(back, history.events());
        // As the AWS CLI prints it.
        let cli: Event = serde_json::from_value(json!({
            "timestamp": "2024-01-02T03:04:05.678Z", "type": "WaitStateEntered", "id": 7,
            "previousEventId": 6, "stateEnteredEventDetails": {"name": "W", "input": "{}"}
        }))
        .expect("the CLI's form reads");
        assert_eq!(cli.kind.state_name(), Some("W"));
        assert_eq!(cli.kind.input(), Some(&json!({})));
    }
}
