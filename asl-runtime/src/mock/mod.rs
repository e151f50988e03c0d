//! Step Functions Local's mock configuration file (`MockConfigFile.json`), as AWS documents
//! it: test cases that give Task states mocked responses instead of their handlers.
//!
//! `StateMachines` → machine name → `TestCases` → test case → Task state name → the name of a
//! mocked response; `MockedResponses` → name → invocation keys (`"0"`, or a range `"1-2"`) →
//! exactly one `Return` (the service's raw response: ResultSelector, ResultPath and
//! OutputPath still apply) or `Throw` (`Error` and `Cause`, matched by Retry and Catch). A
//! machine given a configuration ([`Machine::with_mocks`](crate::Machine::with_mocks)) runs an
//! execution under the test case its configuration names
//! ([`ExecutionConfig::test_case`](crate::ExecutionConfig::test_case)): each mocked state
//! counts its invocations per execution (every call counts: retries, loop passes, Map
//! iterations) and answers the entry for that number; states the test case does not name keep
//! their handlers.

mod run;

use std::collections::HashMap;
use std::sync::Arc;

use serde_json::{Map, Value};

use crate::error::Failure;

pub(crate) use run::Mocked;

/// A parsed mock configuration.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct MockConfig {
    /// Machine name → test case → state name → mocked response name.
    machines: HashMap<String, HashMap<String, HashMap<String, String>>>,
    responses: HashMap<String, Arc<MockedResponse>>,
}

/// One mocked response: what each invocation answers.
#[derive(Clone, Debug, PartialEq)]
pub struct MockedResponse {
    /// `(first, last, answer)`: invocations `first..=last` answer `answer`.
    entries: Vec<(u64, u64, MockAnswer)>,
}

/// What a mocked invocation answers.
#[derive(Clone, Debug, PartialEq)]
pub enum MockAnswer {
    /// `Return`: the service's response.
    Return(Value),
    /// `Throw`: the task fails with this error.
    Throw(Failure),
}

impl MockedResponse {
    /// The answer of invocation number `n` (from 0), if the response has one.
    pub fn answer(&self, n: u64) -> Option<&MockAnswer> {
        self.entries
            .iter()
            .find(|(first, last, _)| (*first..=*last).contains(&n))
            .map(|(_, _, a)| a)
    }
}

/// The mocked states of one test case: state name → its response.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct TestCase {
    states: HashMap<String, Arc<MockedResponse>>,
}

impl TestCase {
    /// The response of the state named `state`, if the test case mocks it.
    pub fn response(&self, state: &str) -> Option<&MockedResponse> {
        self.states.get(state).map(Arc::as_ref)
    }
}

/// A mock configuration that cannot be used: where (a line and column for JSON that does not
/// parse, a JSON pointer for content that breaks a rule) and what.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MockError {
    /// The file, when read from one.
    pub file: Option<String>,
    /// Where in it: `line:column`, or a JSON pointer.
    pub location: String,
    /// What is wrong.
    pub message: String,
}

impl std::fmt::Display for MockError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match &self.file {
            Some(file) => write!(f, "{file}:{}: {}", self.location, self.message),
            None => write!(f, "{}: {}", self.location, self.message),
        }
    }
}

impl std::error::Error for MockError {}

fn error(pointer: &[&str], message: impl Into<String>) -> MockError {
    let location = if pointer.is_empty() {
        "/".to_owned()
    } else {
        pointer
            .iter()
            .map(|p| format!("/{}", p.replace('~', "~0").replace('/', "~1")))
            .collect()
    };
    MockError {
        file: None,
        location,
        message: message.into(),
    }
}

fn object<'v>(value: &'v Value, pointer: &[&str]) -> Result<&'v Map<String, Value>, MockError> {
    value
        .as_object()
        .ok_or_else(|| error(pointer, format!("must be an object, not {value}")))
}

impl MockConfig {
    /// Reads and checks the configuration in `path`.
    ///
    /// # Errors
    /// The file cannot be read, is not JSON, or breaks a rule (see [`MockConfig::parse`]).
    pub fn from_file(path: impl AsRef<std::path::Path>) -> Result<MockConfig, MockError> {
        let path = path.as_ref();
        let file = Some(path.display().to_string());
        let text = std::fs::read_to_string(path).map_err(|e| MockError {
            file: file.clone(),
            location: "1:1".to_owned(),
            message: format!("cannot be read: {e}"),
        })?;
        MockConfig::parse(&text).map_err(|e| MockError { file, ..e })
    }

    /// Parses and checks a configuration: every mocked response named by a test case exists;
    /// each has at least one entry; entry keys are invocation numbers (`"0"`) or ranges
    /// (`"1-2"`, first ≤ last) that do not overlap; each entry has exactly one `Return` or
    /// `Throw`, a `Throw` with a string `Error` (and optionally a string `Cause`).
    ///
    /// # Errors
    /// Where and what the first problem is.
    pub fn parse(text: &str) -> Result<MockConfig, MockError> {
        let value: Value = serde_json::from_str(text).map_err(|e| MockError {
            file: None,
            location: format!("{}:{}", e.line(), e.column()),
            message: format!("not JSON: {e}"),
        })?;
        let root = object(&value, &[])?;
        for key in root.keys() {
            if key != "StateMachines" && key != "MockedResponses" {
                return Err(error(
                    &[key],
                    "is not a field of a mock configuration (StateMachines, MockedResponses)",
                ));
            }
        }
        let mut responses = HashMap::new();
        if let Some(all) = root.get("MockedResponses") {
            for (name, response) in object(all, &["MockedResponses"])? {
                let at = ["MockedResponses", name.as_str()];
                responses.insert(name.clone(), Arc::new(mocked_response(response, &at)?));
            }
        }
        let mut machines = HashMap::new();
        if let Some(all) = root.get("StateMachines") {
            for (machine, spec) in object(all, &["StateMachines"])? {
                let at = ["StateMachines", machine.as_str()];
                let spec = object(spec, &at)?;
                let mut cases = HashMap::new();
                for (key, value) in spec {
                    if key != "TestCases" {
                        return Err(error(
                            &[at[0], at[1], key],
                            "is not a field of a state machine's mocks (TestCases)",
                        ));
                    }
                    let at = [at[0], at[1], "TestCases"];
                    for (case, states) in object(value, &at)? {
                        let at = [at[0], at[1], at[2], case.as_str()];
                        let mut mocked = HashMap::new();
                        for (state, response) in object(states, &at)? {
                            let at = [at[0], at[1], at[2], at[3], state.as_str()];
                            let Some(name) = response.as_str() else {
                                return Err(error(
                                    &at,
                                    format!("must name a mocked response, not {response}"),
                                ));
                            };
                            if !responses.contains_key(name) {
                                return Err(error(
                                    &at,
                                    format!(
                                        "names the mocked response '{name}', which MockedResponses does not define"
                                    ),
                                ));
                            }
                            mocked.insert(state.clone(), name.to_owned());
                        }
                        cases.insert(case.clone(), mocked);
                    }
                }
                machines.insert(machine.clone(), cases);
            }
        }
        Ok(MockConfig {
            machines,
            responses,
        })
    }

    /// The test case `case` of the machine named `machine`.
    ///
    /// # Errors
    /// A message naming the machine or the test case that the configuration does not have
    /// (and the ones it has).
    pub fn test_case(&self, machine: &str, case: &str) -> Result<TestCase, String> {
        let Some(cases) = self.machines.get(machine) else {
            let mut known: Vec<&str> = self.machines.keys().map(String::as_str).collect();
            known.sort_unstable();
            return Err(format!(
                "the mock configuration has no state machine '{machine}' (it has: {})",
                known.join(", ")
            ));
        };
        let Some(states) = cases.get(case) else {
            let mut known: Vec<&str> = cases.keys().map(String::as_str).collect();
            known.sort_unstable();
            return Err(format!(
                "the mock configuration has no test case '{case}' for the state machine '{machine}' (it has: {})",
                known.join(", ")
            ));
        };
        Ok(TestCase {
            states: states
                .iter()
                .filter_map(|(state, name)| {
                    self.responses.get(name).map(|r| (state.clone(), r.clone()))
                })
                .collect(),
        })
    }
}

/// One entry of `MockedResponses`.
fn mocked_response(value: &Value, at: &[&str]) -> Result<MockedResponse, MockError> {
    let mut entries: Vec<(u64, u64, MockAnswer)> = Vec::new();
    for (key, entry) in object(value, at)? {
        let here = [at, &[key.as_str()]].concat();
        let range = match key.split_once('-') {
            Some((a, b)) => a.parse::<u64>().ok().zip(b.parse::<u64>().ok()),
            None => key.parse::<u64>().ok().map(|n| (n, n)),
        };
        let Some((first, last)) = range.filter(|(a, b)| a <= b) else {
            return Err(error(
                &here,
                "is not an invocation number (\"0\") or range (\"1-2\", the first no larger than the last)",
            ));
        };
        if let Some((f, l, _)) = entries.iter().find(|(f, l, _)| first <= *l && *f <= last) {
            return Err(error(
                &here,
                format!("overlaps the invocations {f}-{l} of another entry"),
            ));
        }
        let entry = object(entry, &here)?;
        let answer = match (entry.get("Return"), entry.get("Throw"), entry.len()) {
            (Some(r), None, 1) => MockAnswer::Return(r.clone()),
            (None, Some(t), 1) => {
                let at = [here.as_slice(), &["Throw"]].concat();
                let t = object(t, &at)?;
                let Some(Value::String(e)) = t.get("Error") else {
                    return Err(error(&at, "needs an Error that is a string"));
                };
                let cause = match t.get("Cause") {
                    None => None,
                    Some(Value::String(c)) => Some(c.clone()),
                    Some(other) => {
                        return Err(error(
                            &at,
                            format!("has a Cause that is not a string: {other}"),
                        ));
                    }
                };
                MockAnswer::Throw(Failure {
                    error: e.clone(),
                    cause,
                    ..Failure::new("", "")
                })
            }
            _ => {
                return Err(error(&here, "needs exactly one field, Return or Throw"));
            }
        };
        entries.push((first, last, answer));
    }
    if entries.is_empty() {
        return Err(error(at, "has no invocation entries"));
    }
    entries.sort_by_key(|(f, _, _)| *f);
    Ok(MockedResponse { entries })
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    const DOC: &str = r#"{
      "StateMachines": {
        "Order": { "TestCases": { "Retry": { "Charge": "Flaky" } } }
      },
      "MockedResponses": {
        "Flaky": {
          "0": { "Throw": { "Error": "Busy", "Cause": "try again" } },
          "1-2": { "Throw": { "Error": "Busy" } },
          "3": { "Return": { "ok": true } }
        }
      }
    }"#;

    #[test]
    fn invocations_and_ranges_answer_in_turn() {
        let config = MockConfig::parse(DOC).expect("valid");
        let case = config.test_case("Order", "Retry").expect("known");
        let flaky = case.response("Charge").expect("mocked");
        assert!(
            matches!(flaky.answer(0), Some(MockAnswer::Throw(f)) if f.cause.as_deref() == Some("try again"))
        );
        assert!(
            matches!(flaky.answer(2), Some(MockAnswer::Throw(f)) if f.error == "Busy" && f.cause.is_none())
        );
        assert_eq!(
            flaky.answer(3),
            Some(&MockAnswer::Return(json!({"ok": true})))
        );
        assert_eq!(flaky.answer(4), None);
        assert!(case.response("Ship").is_none());
    }

    #[test]
    fn unknown_machines_and_cases_are_named() {
        let config = MockConfig::parse(DOC).expect("valid");
        let e = config.test_case("Order", "Happy").expect_err("unknown");
        assert!(
            e.contains("no test case 'Happy'") && e.contains("Retry"),
            "{e}"
        );
        let e = config.test_case("Refund", "Retry").expect_err("unknown");
        assert!(e.contains("no state machine 'Refund'"), "{e}");
    }

    #[test]
    fn malformed_files_say_where() {
        let e = MockConfig::parse("{\n  \"StateMachines\": [\n}").expect_err("bad");
        assert!(e.location.starts_with("3:"), "{e}");
        let e = MockConfig::parse(
            r#"{"MockedResponses": {"R": {"0": {"Return": 1, "Throw": {"Error": "E"}}}}}"#,
        )
        .expect_err("both");
        assert_eq!(e.location, "/MockedResponses/R/0");
        let e = MockConfig::parse(r#"{"MockedResponses": {"R": {"2-1": {"Return": 1}}}}"#)
            .expect_err("range");
        assert_eq!(e.location, "/MockedResponses/R/2-1");
        let e = MockConfig::parse(
            r#"{"MockedResponses": {"R": {"0-2": {"Return": 1}, "1": {"Return": 2}}}}"#,
        )
        .expect_err("overlap");
        assert!(e.message.contains("overlaps"), "{e}");
        let e = MockConfig::parse(r#"{"StateMachines": {"M": {"TestCases": {"C": {"S": "Nope"}}}}, "MockedResponses": {}}"#)
            .expect_err("undefined");
        assert_eq!(e.location, "/StateMachines/M/TestCases/C/S");
        assert!(e.message.contains("'Nope'"), "{e}");
        let e =
            MockConfig::parse(r#"{"MockedResponses": {"R": {"0": {"Throw": {"Cause": "c"}}}}}"#)
                .expect_err("no error");
        assert_eq!(e.location, "/MockedResponses/R/0/Throw");
    }
}
