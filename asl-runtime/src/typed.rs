//! Machines typed at their edges: what `asl!(…, input = OrderIn, output = OrderOut)` builds. The
//! execution input is the user's serde type and the output is read back into theirs; an input
//! that does not serialize, or an output that does not fit the output type, is an
//! [`EdgeError`] naming the type and the field, never a panic.

use std::marker::PhantomData;

use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::Value;

use crate::engine::{Description, ExecutionConfig, Outcome, Status};
use crate::error::Failure;
use crate::history::{Event, History};
use crate::machine::{Execution, Machine};

/// Why a typed run could not take its input or give its output.
#[derive(Clone, Debug, PartialEq)]
pub enum EdgeError {
    /// The input did not serialize to JSON; no execution started.
    Input {
        /// The input type.
        type_name: &'static str,
        /// Where in it (`items[2].price`; `.` for the whole value).
        path: String,
        /// What serde said.
        message: String,
    },
    /// The execution succeeded, but its output does not deserialize into the output type.
    Output(Box<OutputMismatch>),
}

/// An execution output that does not fit the output type.
#[derive(Clone, Debug, PartialEq)]
pub struct OutputMismatch {
    /// The output type.
    pub type_name: &'static str,
    /// Where in the output (`items[2].price`; `.` for the whole value).
    pub path: String,
    /// What serde said.
    pub message: String,
    /// The output as the execution gave it.
    pub output: Value,
    /// The execution's history.
    pub history: History,
}

impl std::fmt::Display for EdgeError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            EdgeError::Input {
                type_name,
                path,
                message,
            } => write!(
                f,
                "the execution input of type `{type_name}` is not JSON at `{path}`: {message}"
            ),
            EdgeError::Output(m) => write!(
                f,
                "the execution output does not fit `{}` at `{}`: {}",
                m.type_name, m.path, m.message
            ),
        }
    }
}

impl std::error::Error for EdgeError {}

/// A finished execution of a typed machine.
#[derive(Clone, Debug)]
pub struct TypedOutcome<O> {
    /// How it ended.
    pub status: Status,
    /// The output, if it succeeded.
    pub output: Option<O>,
    /// The error and cause, if it failed or was stopped.
    pub failure: Option<Failure>,
    /// Its history.
    pub history: History,
}

/// A [`Machine`] whose executions take an `I` and give an `O`. It dereferences to the
/// machine, for task tokens and the untyped API.
pub struct TypedMachine<I, O> {
    machine: Machine,
    types: PhantomData<fn(I) -> O>,
}

impl<I, O> Clone for TypedMachine<I, O> {
    fn clone(&self) -> Self {
        TypedMachine {
            machine: self.machine.clone(),
            types: PhantomData,
        }
    }
}

impl<I, O> std::fmt::Debug for TypedMachine<I, O> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("TypedMachine")
            .field("machine", &self.machine)
            .field("input", &std::any::type_name::<I>())
            .field("output", &std::any::type_name::<O>())
            .finish()
    }
}

impl<I, O> std::ops::Deref for TypedMachine<I, O> {
    type Target = Machine;

    fn deref(&self) -> &Machine {
        &self.machine
    }
}

impl<I: Serialize, O: DeserializeOwned> TypedMachine<I, O> {
    /// `machine`, typed.
    pub fn new(machine: Machine) -> Self {
        TypedMachine {
            machine,
            types: PhantomData,
        }
    }

    /// The untyped machine.
    pub fn machine(&self) -> &Machine {
        &self.machine
    }

    /// Runs an execution to its end (see [`Machine::run`]).
    pub async fn run(&self, input: &I) -> Result<TypedOutcome<O>, EdgeError> {
        let input = encode(input)?;
        decode(self.machine.run(input).await)
    }

    /// Like [`run`](Self::run), with the given names, ARNs, clock and effects.
    pub async fn run_with(
        &self,
        input: &I,
        config: &ExecutionConfig,
    ) -> Result<TypedOutcome<O>, EdgeError> {
        let input = encode(input)?;
        decode(self.machine.run_with(input, config).await)
    }

    /// Starts an execution (see [`Machine::start`]).
    pub fn start(&self, name: &str, input: &I) -> Result<TypedExecution<O>, EdgeError> {
        let input = encode(input)?;
        Ok(TypedExecution {
            execution: self.machine.start(name, input),
            output: PhantomData,
        })
    }
}

/// A started execution of a typed machine.
#[derive(Debug)]
pub struct TypedExecution<O> {
    execution: Execution,
    output: PhantomData<fn() -> O>,
}

impl<O: DeserializeOwned> TypedExecution<O> {
    /// The execution's ARN.
    pub fn arn(&self) -> &str {
        self.execution.arn()
    }

    /// Its status, input, output, error and dates now.
    pub fn describe(&self) -> Description {
        self.execution.describe()
    }

    /// Its history so far.
    pub fn history(&self) -> Vec<Event> {
        self.execution.history()
    }

    /// Stops it.
    pub fn stop(&self, error: Option<&str>, cause: Option<&str>) {
        self.execution.stop(error, cause);
    }

    /// Waits for it to end.
    pub async fn result(self) -> Result<TypedOutcome<O>, EdgeError> {
        decode(self.execution.result().await)
    }
}

/// `input` as JSON, or where it is not.
fn encode<I: Serialize>(input: &I) -> Result<Value, EdgeError> {
    serde_path_to_error::serialize(input, serde_json::value::Serializer).map_err(|e| {
        EdgeError::Input {
            type_name: std::any::type_name::<I>(),
            path: e.path().to_string(),
            message: e.into_inner().to_string(),
        }
    })
}

/// The outcome with its output as an `O`, or where the output does not fit.
fn decode<O: DeserializeOwned>(outcome: Outcome) -> Result<TypedOutcome<O>, EdgeError> {
    let output = match outcome.output {
        None => None,
        Some(value) => match serde_path_to_error::deserialize::<_, O>(&value) {
            Ok(o) => Some(o),
            Err(e) => {
                return Err(EdgeError::Output(Box::new(OutputMismatch {
                    type_name: std::any::type_name::<O>(),
                    path: e.path().to_string(),
                    message: e.into_inner().to_string(),
                    output: value,
                    history: outcome.history,
                })));
            }
        },
    };
    Ok(TypedOutcome {
        status: outcome.status,
        output,
        failure: outcome.failure,
        history: outcome.history,
    })
}
