//! Task handlers: async functions or closures that take the task's input (as
//! `serde_json::Value` or any `Deserialize` type, optionally with a [`TaskContext`]) and return
//! `Result` of a `Serialize` value and anything that converts into a [`Failure`].
//!
//! A handler of a Task that invokes a Lambda function is shaped like that function: it takes
//! the invocation's payload and returns the function's result (see [`raw`] for the
//! integration's own form).

use std::any::TypeId;
use std::future::Future;
use std::sync::Arc;

use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::Value;

use crate::error::{Failure, names};
use crate::task::{BoxFuture, TaskCall, TaskContext};

pub(crate) mod lambda;

/// A handler with its types erased, as machines store them. It is given the call's borrowed
/// description; a panic inside it is the engine's to catch.
pub type BoxHandler =
    Arc<dyn Fn(Value, &TaskCall<'_>) -> BoxFuture<'static, Result<Value, Failure>> + Send + Sync>;

/// Something that can handle a Task state. `Args` tells the closure shapes apart: a handler
/// takes `(input)` or `(input, context)`.
pub trait Handler<Args>: Send + Sync + 'static {
    /// Erases the handler's types.
    fn into_box(self) -> BoxHandler;
}

/// `value` as a `T` when `T` is `serde_json::Value` itself (no copy), else `Err(value)`.
fn as_value_type<T: 'static>(value: Value) -> Result<T, Value> {
    // Through `Option` on the stack, so the check allocates nothing.
    let mut slot = Some(value);
    match (&mut slot as &mut dyn std::any::Any).downcast_mut::<Option<T>>() {
        Some(t) => {
            let taken = t.take().ok_or(Value::Null);
            // Emptied: nothing to drop.
            std::mem::forget(slot);
            taken
        }
        None => Err(slot.unwrap_or(Value::Null)),
    }
}

/// `value` as a `Value` when `T` is `serde_json::Value` itself (no copy), else `Err(value)`.
fn from_value_type<T: 'static>(value: T) -> Result<Value, T> {
    let mut slot = Some(value);
    match (&mut slot as &mut dyn std::any::Any).downcast_mut::<Option<Value>>() {
        Some(v) => {
            let taken = v.take().unwrap_or(Value::Null);
            // Emptied: nothing to drop.
            std::mem::forget(slot);
            Ok(taken)
        }
        None => match slot {
            Some(t) => Err(t),
            // Unreachable: the slot is only emptied by the arm above.
            None => Ok(Value::Null),
        },
    }
}

fn decode<I: DeserializeOwned + 'static>(input: Value, call: &TaskCall<'_>) -> Result<I, Failure> {
    // Handlers on `Value` get the input as it is, without a round trip through serde.
    let input = match as_value_type::<I>(input) {
        Ok(i) => return Ok(i),
        Err(input) => input,
    };
    serde_json::from_value(input).map_err(|e| {
        Failure::new(
            names::TASK_FAILED,
            format!(
                "The input of Task state '{}' does not fit its handler's input type: {e}",
                call.state_name()
            ),
        )
    })
}

/// The handler's result as JSON; `state` names the Task state when the output is not JSON
/// (`None` when the output is a `Value`, which always is).
fn encode<O: Serialize + 'static, E: Into<Failure>>(
    result: Result<O, E>,
    state: Option<&str>,
) -> Result<Value, Failure> {
    match result.map(from_value_type) {
        Ok(Ok(v)) => Ok(v),
        Ok(Err(o)) => serde_json::to_value(o).map_err(|e| {
            Failure::new(
                names::TASK_FAILED,
                format!(
                    "The output of Task state '{}' is not JSON: {e}",
                    state.unwrap_or_default()
                ),
            )
        }),
        Err(e) => Err(e.into()),
    }
}

/// Erases a handler given as `f(input, call, function)`: shaping a Lambda function's
/// invocation unless `raw` (see [`raw`]), decoding its input, encoding its output; one
/// allocation per call (the future and its encoding in one box). `function` is the name the
/// invocation gave the function, for Tasks that invoke one.
fn erase<F, Fut, I, O, E>(f: F, raw: bool) -> BoxHandler
where
    F: Fn(I, &TaskCall<'_>, Option<String>) -> Fut + Send + Sync + 'static,
    Fut: Future<Output = Result<O, E>> + Send + 'static,
    I: DeserializeOwned + 'static,
    O: Serialize + 'static,
    E: Into<Failure> + 'static,
{
    // Only an output that is not a `Value` can fail to encode, and only then does the future
    // need the state's name.
    let output_is_value = TypeId::of::<O>() == TypeId::of::<Value>();
    Arc::new(move |input, call| {
        let (input, function, envelope) = match (raw, call.invokes) {
            (false, Some(lambda::Kind::Invoke)) => {
                let (payload, function) = lambda::invocation(input);
                (payload, Some(function), true)
            }
            (false, Some(lambda::Kind::Function)) => {
                (input, Some(call.resource().to_owned()), false)
            }
            _ => (input, None, false),
        };
        match decode::<I>(input, call) {
            Ok(i) => {
                let fut = f(i, call, function);
                let state = (!output_is_value).then(|| call.state_name.clone());
                Box::pin(async move {
                    let output = encode(fut.await, state.as_deref())?;
                    Ok(if envelope {
                        crate::task::lambda_invoke_envelope(output)
                    } else {
                        output
                    })
                })
            }
            Err(failure) => Box::pin(std::future::ready(Err(failure))),
        }
    })
}

/// The context a handler that takes one receives: with what Lambda would tell the function
/// when the Task invokes one.
fn context_of(call: &TaskCall<'_>, function: Option<String>) -> TaskContext {
    let mut context = call.context();
    context.function = function.map(|f| lambda::function_context(&f, &context));
    context
}

impl<F, Fut, I, O, E> Handler<(I,)> for F
where
    F: Fn(I) -> Fut + Send + Sync + 'static,
    Fut: Future<Output = Result<O, E>> + Send + 'static,
    I: DeserializeOwned + 'static,
    O: Serialize + 'static,
    E: Into<Failure> + 'static,
{
    fn into_box(self) -> BoxHandler {
        // A handler without a context is never given one: no context is made for it.
        erase(move |input: I, _: &TaskCall<'_>, _| (self)(input), false)
    }
}

impl<F, Fut, I, O, E> Handler<(I, TaskContext)> for F
where
    F: Fn(I, TaskContext) -> Fut + Send + Sync + 'static,
    Fut: Future<Output = Result<O, E>> + Send + 'static,
    I: DeserializeOwned + 'static,
    O: Serialize + 'static,
    E: Into<Failure> + 'static,
{
    fn into_box(self) -> BoxHandler {
        erase(
            move |input: I, call: &TaskCall<'_>, function| {
                (self)(input, context_of(call, function))
            },
            false,
        )
    }
}

/// A handler that takes a Task's integration as AWS's service API sees it, unshaped: see
/// [`raw`].
#[derive(Clone, Copy, Debug)]
pub struct Raw<F>(pub F);

/// Marks `handler` as taking the raw form of the service integration its Task names, instead
/// of the form of the Lambda function a Task invokes.
///
/// By default a handler of a Task that invokes a Lambda function is shaped like that function:
/// for `arn:aws:states:::lambda:invoke` it receives the `Payload` (decoded as Lambda does: none
/// is `{}`, a string is the JSON it holds), its [`TaskContext::function`] says what Lambda's
/// context would, and what it returns is the function's result, which the machine wraps in
/// the integration's envelope (`Payload`, `StatusCode`, `ExecutedVersion`, ...); for a
/// function's ARN it receives the input and returns the result, as the function does.
///
/// A raw handler receives the whole effective `Parameters` (`{"FunctionName": ..., "Payload":
/// ...}`) and returns the state's whole result (the envelope itself, see
/// [`lambda_invoke_envelope`](crate::task::lambda_invoke_envelope)): what a handler that calls
/// Lambda's Invoke API wants. For every other resource the two forms are the same.
pub fn raw<F>(handler: F) -> Raw<F> {
    Raw(handler)
}

/// The `Args` of a [`Raw`] handler.
#[derive(Clone, Copy, Debug)]
pub enum RawArgs<A> {
    #[doc(hidden)]
    _Never(std::convert::Infallible, std::marker::PhantomData<A>),
}

impl<F, Fut, I, O, E> Handler<RawArgs<(I,)>> for Raw<F>
where
    F: Fn(I) -> Fut + Send + Sync + 'static,
    Fut: Future<Output = Result<O, E>> + Send + 'static,
    I: DeserializeOwned + 'static,
    O: Serialize + 'static,
    E: Into<Failure> + 'static,
{
    fn into_box(self) -> BoxHandler {
        let f = self.0;
        erase(move |input: I, _: &TaskCall<'_>, _| f(input), true)
    }
}

impl<F, Fut, I, O, E> Handler<RawArgs<(I, TaskContext)>> for Raw<F>
where
    F: Fn(I, TaskContext) -> Fut + Send + Sync + 'static,
    Fut: Future<Output = Result<O, E>> + Send + 'static,
    I: DeserializeOwned + 'static,
    O: Serialize + 'static,
    E: Into<Failure> + 'static,
{
    fn into_box(self) -> BoxHandler {
        let f = self.0;
        erase(
            move |input: I, call: &TaskCall<'_>, _| f(input, call.context()),
            true,
        )
    }
}

/// The `Args` of an already erased handler, which is raw (see [`raw`]).
#[derive(Clone, Copy, Debug)]
pub enum Erased {}

impl Handler<Erased> for BoxHandler {
    fn into_box(self) -> BoxHandler {
        self
    }
}

/// A panic inside a handler as the `States.TaskFailed` failure of its task, so the execution
/// (and its Catchers) go on.
pub(crate) fn panicked(state: &str, payload: Box<dyn std::any::Any + Send>) -> Failure {
    let msg = payload
        .downcast_ref::<&str>()
        .map(|s| (*s).to_owned())
        .or_else(|| payload.downcast_ref::<String>().cloned())
        .unwrap_or_else(|| "a panic".to_owned());
    Failure::new(
        names::TASK_FAILED,
        format!("The handler of Task state '{state}' panicked: {msg}"),
    )
}

impl From<String> for Failure {
    /// A handler's plain error message: a `States.TaskFailed` failure with that cause.
    fn from(message: String) -> Self {
        Failure::new(names::TASK_FAILED, message)
    }
}

impl From<&str> for Failure {
    /// A handler's plain error message: a `States.TaskFailed` failure with that cause.
    fn from(message: &str) -> Self {
        Failure::new(names::TASK_FAILED, message)
    }
}

impl From<std::convert::Infallible> for Failure {
    fn from(never: std::convert::Infallible) -> Self {
        match never {}
    }
}

/// Marks a handler slot of a generated builder as not filled yet.
#[derive(Clone, Copy, Debug, Default)]
pub struct Missing;

/// Marks a handler slot of a generated builder as filled.
#[derive(Clone, Copy, Debug, Default)]
pub struct Set;

/// What a slot becomes when a fallback handler is given: every slot is then filled.
pub trait Fill {
    /// The filled marker.
    type Filled;
}

impl Fill for Missing {
    type Filled = Set;
}

impl Fill for Set {
    type Filled = Set;
}
