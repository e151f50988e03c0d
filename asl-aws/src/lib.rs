//! Compiled Amazon States Language machines and AWS.
//!
//! - [`lambda`] (feature `lambda`, on by default): a compiled machine deployed as a Lambda
//!   function ([`lambda::serve`]: the event is the execution's input, the function's result its
//!   output, a failed execution the function's error), and a function written for
//!   `lambda_runtime` (`LambdaEvent<Value>` in, `Result` out) used unchanged as a Task handler
//!   ([`lambda::handler`]).

#[cfg(feature = "lambda")]
pub mod lambda;
