//! Executions as AWS's JSON protocol writes them (ListExecutions, DescribeExecution), for the
//! server and the `asl` command alike.

use serde_json::{Map, Value, json};

use super::Description;

/// A timestamp as AWS's JSON protocol writes it: epoch seconds, to the millisecond.
pub fn epoch_seconds(t: jiff::Timestamp) -> Value {
    json!(t.as_millisecond() as f64 / 1000.0)
}

impl Description {
    /// The execution as ListExecutions lists it.
    pub fn to_list_item(&self) -> Value {
        let mut m = Map::new();
        m.insert("executionArn".into(), json!(self.execution_arn));
        m.insert("stateMachineArn".into(), json!(self.state_machine_arn));
        m.insert("name".into(), json!(self.name));
        m.insert("status".into(), json!(self.status.as_str()));
        m.insert("startDate".into(), epoch_seconds(self.start_date));
        if let Some(stop) = self.stop_date {
            m.insert("stopDate".into(), epoch_seconds(stop));
        }
        m.insert("redriveCount".into(), json!(0));
        Value::Object(m)
    }

    /// The execution as DescribeExecution describes it: input and output as JSON text.
    pub fn to_described(&self) -> Value {
        let mut v = self.to_list_item();
        if let Value::Object(m) = &mut v {
            m.insert("input".into(), json!(self.input.to_string()));
            m.insert("inputDetails".into(), json!({"included": true}));
            if let Some(output) = &self.output {
                m.insert("output".into(), json!(output.to_string()));
                m.insert("outputDetails".into(), json!({"included": true}));
            }
            if let Some(error) = &self.error {
                m.insert("error".into(), json!(error));
            }
            if let Some(cause) = &self.cause {
                m.insert("cause".into(), json!(cause));
            }
            // Redrive is not served: no execution here can be redriven.
            m.insert("redriveStatus".into(), json!("NOT_REDRIVABLE"));
            m.insert(
                "redriveStatusReason".into(),
                json!(format!(
                    "Execution is {} and cannot be redriven",
                    self.status.as_str()
                )),
            );
        }
        v
    }
}

impl Description {
    /// The execution [`to_described`](Self::to_described) wrote, read back (`None` when
    /// `v` is not such a description).
    pub fn from_described(v: &Value) -> Option<Description> {
        let text = |k: &str| v[k].as_str().map(str::to_owned);
        let date = |k: &str| {
            v[k].as_f64()
                .and_then(|s| jiff::Timestamp::from_millisecond((s * 1000.0).round() as i64).ok())
        };
        let json_text =
            |k: &str| -> Option<Value> { v[k].as_str().and_then(|t| serde_json::from_str(t).ok()) };
        Some(Description {
            execution_arn: text("executionArn")?,
            state_machine_arn: text("stateMachineArn")?,
            name: text("name")?,
            status: super::Status::from_name(v["status"].as_str()?)?,
            input: json_text("input").unwrap_or(Value::Null),
            output: json_text("output"),
            error: text("error"),
            cause: text("cause"),
            start_date: date("startDate")?,
            stop_date: date("stopDate"),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_description_reads_back_as_it_was_written() {
        let d = Description {
            execution_arn: "arn:aws:states:us-east-1:1:execution:m:e".into(),
            state_machine_arn: "arn:aws:states:us-east-1:1:stateMachine:m".into(),
            name: "e".into(),
            status: super::super::Status::Failed,
            input: json!({"a": [1, "x"]}),
            output: None,
            error: Some("States.TaskFailed".into()),
            cause: Some("{\"x\": 1}".into()),
            start_date: jiff::Timestamp::from_millisecond(1_700_000_000_250).expect("a time"),
            stop_date: Some(jiff::Timestamp::from_millisecond(1_700_000_001_999).expect("a time")),
        };
        assert_eq!(Description::from_described(&d.to_described()), Some(d));
        assert_eq!(Description::from_described(&json!({"name": "e"})), None);
    }

    #[test]
    fn timestamps_are_epoch_seconds_to_the_millisecond() {
        let t = jiff::Timestamp::from_millisecond(1_700_000_000_250).expect("a time");
        assert_eq!(epoch_seconds(t), json!(1_700_000_000.25));
    }
}
