//! The Lambda functions a conformance case calls, behaving as its `needs_tasks` says:
//! `identity`, `constant`, `raise` (with the recorded error payload), `sleep` (then identity),
//! `raw_payload` and `large_output`. A function the case does not list does not exist.

use std::sync::Arc;
use std::time::Duration;

use serde_json::Value;

use asl_runtime::{BoxHandler, Failure, TaskCall, TaskContext};

#[derive(Clone, Debug)]
struct Function {
    arn: String,
    name: String,
    spec: Value,
}

/// The functions of one case.
#[derive(Clone, Debug, Default)]
pub struct Simulator {
    functions: Vec<Function>,
}

impl Simulator {
    /// The functions `case["needs_tasks"]` lists.
    pub fn from_case(case: &Value) -> Self {
        let functions = case["needs_tasks"]["functions"]
            .as_object()
            .map(|fs| {
                fs.iter()
                    .map(|(arn, spec)| Function {
                        arn: arn.clone(),
                        name: spec["name"].as_str().unwrap_or_default().to_owned(),
                        spec: spec.clone(),
                    })
                    .collect()
            })
            .unwrap_or_default();
        Simulator { functions }
    }

    fn find(&self, id: &str) -> Option<&Function> {
        self.functions
            .iter()
            .find(|f| f.arn == id || f.name == id || id.ends_with(&format!(":function:{}", f.name)))
    }

    /// One handler serving every Task state of the case.
    pub fn into_handler(self) -> BoxHandler {
        let sim = Arc::new(self);
        Arc::new(move |input: Value, call: &TaskCall<'_>| {
            let sim = sim.clone();
            let ctx = call.context();
            Box::pin(async move { sim.call(input, &ctx).await })
        })
    }

    /// Calls the function the Task names; a raw handler, so the Invoke integration's result
    /// is wrapped in its envelope here.
    async fn call(&self, input: Value, ctx: &TaskContext) -> Result<Value, Failure> {
        let invoke = ctx.resource.starts_with("arn:aws:states:::lambda:invoke");
        let output = self.invoke(input, ctx).await?;
        Ok(if invoke {
            asl_runtime::task::lambda_invoke_envelope(output)
        } else {
            output
        })
    }

    async fn invoke(&self, input: Value, ctx: &TaskContext) -> Result<Value, Failure> {
        let (function, payload) = if ctx.resource.starts_with("arn:aws:states:::lambda:invoke") {
            let name = input["FunctionName"]
                .as_str()
                .unwrap_or_default()
                .to_owned();
            // Lambda's Invoke API takes bytes: no payload is the event `{}`, a string is the
            // JSON text of the event.
            let payload = match input.get("Payload") {
                None | Some(Value::Null) => Value::Object(serde_json::Map::new()),
                Some(Value::String(text)) => {
                    serde_json::from_str(text).unwrap_or_else(|_| Value::String(text.clone()))
                }
                Some(other) => other.clone(),
            };
            (name, payload)
        } else if ctx.resource.starts_with("arn:aws:lambda:") {
            (ctx.resource.to_string(), input)
        } else {
            return Err(Failure::new(
                "States.Runtime",
                format!("the conformance runner does not simulate {}", ctx.resource),
            ));
        };
        let Some(f) = self.find(&function) else {
            return Err(Failure::new(
                "Lambda.ResourceNotFoundException",
                format!(
                    "Function not found: {} (Service: AWSLambda; Status Code: 404; Error Code: ResourceNotFoundException; Request ID: {}; Proxy: null)",
                    qualified_arn(&function, &ctx.execution_arn),
                    uuid::Uuid::new_v4()
                ),
            ));
        };
        behave(&f.spec, payload).await
    }
}

/// The function's full ARN with its version, as Lambda names it in its errors: a bare name or a
/// partial ARN in the account and region of the execution, `$LATEST` when no version or alias
/// is given.
fn qualified_arn(function: &str, execution_arn: &str) -> String {
    let parts: Vec<&str> = execution_arn.split(':').collect();
    let (region, account) = (
        parts.get(3).copied().unwrap_or("us-east-1"),
        parts.get(4).copied().unwrap_or("111111111111"),
    );
    let arn = if function.starts_with("arn:") {
        function.to_owned()
    } else {
        format!("arn:aws:lambda:{region}:{account}:function:{function}")
    };
    // arn:aws:lambda:REGION:ACCOUNT:function:NAME[:QUALIFIER]
    if arn.split(':').count() == 7 {
        format!("{arn}:$LATEST")
    } else {
        arn
    }
}

async fn behave(spec: &Value, payload: Value) -> Result<Value, Failure> {
    match spec["behaviour"].as_str().unwrap_or("identity") {
        "constant" => Ok(spec["returns"].clone()),
        "raise" => {
            let error = spec["errorType"]
                .as_str()
                .or_else(|| spec["error_payload"]["errorType"].as_str())
                .unwrap_or("Exception");
            Err(Failure::new(
                error,
                serde_json::to_string(&spec["error_payload"]).unwrap_or_default(),
            ))
        }
        "sleep" => {
            let secs = spec["seconds"].as_f64().unwrap_or(0.0);
            tokio::time::sleep(Duration::from_secs_f64(secs.max(0.0))).await;
            Ok(payload)
        }
        "raw_payload" => {
            let raw = spec["payload"].as_str().unwrap_or("null");
            Ok(serde_json::from_str(raw).unwrap_or_else(|_| Value::String(raw.to_owned())))
        }
        "large_output" => {
            let n = spec["bytes"].as_u64().unwrap_or(0) as usize;
            let c = spec["char"].as_str().unwrap_or("a");
            Ok(Value::String(c.repeat(n)))
        }
        _ => Ok(payload),
    }
}
