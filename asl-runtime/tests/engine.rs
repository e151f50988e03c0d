//! The engine on hand-built plans: the pipeline, Choice, Wait, Retry/Catch, timeouts and AWS's
//! error texts. Time is tokio's paused clock, so waits and back-offs take no real time.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use asl_runtime::choice::{Cmp, Operand, Rule, Test};
use asl_runtime::data::io::{Place, Select};
use asl_runtime::data::template::Template;
use asl_runtime::error::names;
use asl_runtime::lang::jsonpath::{Path, Root, Step};
use asl_runtime::plan::{
    Catcher, ChoiceBranch, Kind, Plan, Retrier, Seconds, StatePlan, TaskPlan, Text, WaitFor,
};
use asl_runtime::time::ExecutionClock;
use asl_runtime::{
    BoxFuture, Dispatch, ExecutionConfig, Failure, Status, TaskCall, TaskContext, execute,
};
use serde_json::{Value, json};

/// What a test handler returns.
type Reply = BoxFuture<'static, Result<Value, Failure>>;

fn path(text: &str) -> Path {
    let steps = text
        .trim_start_matches('$')
        .split('.')
        .filter(|s| !s.is_empty())
        .map(|s| Step::Name(s.into()))
        .collect();
    Path::new(Root::Input, steps, text)
}

fn state(name: &str, next: Option<usize>, kind: Kind) -> StatePlan {
    StatePlan {
        name: name.into(),
        input_path: Select::All,
        output_path: Select::All,
        next,
        uses_context: true,
        jsonata: false,
        assign: None,
        output: None,
        kind,
    }
}

fn task(resource: &str) -> TaskPlan {
    TaskPlan {
        handler: 0,
        resource: resource.into(),
        parameters: None,
        result_selector: None,
        result_path: Place::Replace,
        retry: Vec::new(),
        catch: Vec::new(),
        timeout: None,
        heartbeat: None,
        credentials: None,
    }
}

fn config() -> ExecutionConfig {
    let mut c = ExecutionConfig::new("machine", "run-1");
    c.clock = ExecutionClock::starting_at(jiff::Timestamp::UNIX_EPOCH);
    c
}

/// A handler table of one closure that records what it was called with.
struct One<F> {
    f: F,
    calls: Mutex<Vec<(Value, TaskContext)>>,
}

impl<F> One<F> {
    fn new(f: F) -> Self {
        One {
            f,
            calls: Mutex::new(Vec::new()),
        }
    }
}

impl<F> Dispatch for One<F>
where
    F: Fn(Value, usize) -> Reply + Send + Sync,
{
    fn call<'a>(
        &'a self,
        _handler: usize,
        input: Value,
        call: &TaskCall<'_>,
    ) -> BoxFuture<'a, Result<Value, Failure>> {
        let mut calls = self.calls.lock().unwrap_or_else(|e| e.into_inner());
        calls.push((input.clone(), call.context()));
        let n = calls.len();
        (self.f)(input, n)
    }
}

fn none() -> One<fn(Value, usize) -> Reply> {
    One::new(|_, _| Box::pin(async { Err(Failure::new("NoHandler", "no task expected")) }))
}

#[tokio::test(start_paused = true)]
async fn pass_choice_and_the_pipeline() {
    let plan = Plan {
        start: 0,
        timeout_seconds: None,
        states: vec![
            state(
                "Setup",
                Some(1),
                Kind::Pass {
                    parameters: None,
                    result: Some(json!({"n": 5})),
                    result_path: Place::At(path("$.data")),
                },
            ),
            state(
                "Big?",
                None,
                Kind::Choice {
                    choices: vec![ChoiceBranch {
                        rule: Rule::Test(
                            path("$.data.n"),
                            Test::Numeric(Cmp::Gt, Operand::Literal(json!(3))),
                        ),
                        next: 2,
                        assign: None,
                        output: None,
                    }],
                    default: Some(3),
                },
            ),
            StatePlan {
                output_path: Select::Path(path("$.data")),
                ..state("Big", None, Kind::Succeed)
            },
            state("Small", None, Kind::Succeed),
        ],
    };
    let out = execute(&plan, &none(), json!({"keep": true}), &config()).await;
    assert_eq!(out.status, Status::Succeeded);
    assert_eq!(out.output, Some(json!({"n": 5})));
    let kinds: Vec<&str> = out.history.events().iter().map(|e| e.kind.name()).collect();
    assert_eq!(
        kinds,
        [
            "ExecutionStarted",
            "PassStateEntered",
            "PassStateExited",
            "ChoiceStateEntered",
            "ChoiceStateExited",
            "SucceedStateEntered",
            "SucceedStateExited",
            "ExecutionSucceeded"
        ]
    );
}

#[tokio::test(start_paused = true)]
async fn no_choice_matched() {
    let plan = Plan {
        start: 0,
        timeout_seconds: None,
        states: vec![state(
            "C",
            None,
            Kind::Choice {
                choices: vec![ChoiceBranch {
                    rule: Rule::Test(path("$.x"), Test::IsNull(true)),
                    next: 0,
                    assign: None,
                    output: None,
                }],
                default: None,
            },
        )],
    };
    let out = execute(&plan, &none(), json!({"x": 1}), &config()).await;
    assert_eq!(out.status, Status::Failed);
    assert_eq!(
        out.failure.map(|f| f.error),
        Some(names::NO_CHOICE_MATCHED.to_owned())
    );
}

#[tokio::test(start_paused = true)]
async fn fail_path_that_finds_nothing_is_a_runtime_error_with_aws_text() {
    let plan = Plan {
        start: 0,
        timeout_seconds: None,
        states: vec![
            state(
                "pass",
                Some(1),
                Kind::Pass {
                    parameters: None,
                    result: None,
                    result_path: Place::Replace,
                },
            ),
            state(
                "fail",
                None,
                Kind::Fail {
                    error: Text::Path(path("$.ErrorX")),
                    cause: Text::None,
                },
            ),
        ],
    };
    let out = execute(&plan, &none(), json!({"Error": "e"}), &config()).await;
    let failure = out.failure.expect("failed");
    assert_eq!(failure.error, names::RUNTIME);
    assert_eq!(
        failure.cause.as_deref(),
        Some(
            "An error occurred while executing the state 'fail' (entered at the event id #4). The JSONPath '$.ErrorX' specified for the field 'ErrorPath' could not be found in the input '{\"Error\":\"e\"}'"
        )
    );
}

#[tokio::test(start_paused = true)]
async fn retry_backs_off_then_succeeds() {
    let handler = One::new(|input: Value, n: usize| -> Reply {
        Box::pin(async move {
            if n < 3 {
                Err(Failure::new("Flaky", "try again"))
            } else {
                Ok(json!({"got": input}))
            }
        })
    });
    let mut t = task("arn:aws:lambda:us-east-1:111111111111:function:f");
    t.retry = vec![Retrier {
        max_attempts: 3,
        ..Retrier::new(vec!["Flaky".into()])
    }];
    t.parameters = Some(Template::Object(vec![(
        "k".into(),
        Template::Literal(json!(1)),
    )]));
    let plan = Plan {
        start: 0,
        timeout_seconds: None,
        states: vec![state("T", None, Kind::Task(Box::new(t)))],
    };
    let cfg = config();
    let out = execute(&plan, &handler, json!({}), &cfg).await;
    assert_eq!(out.status, Status::Succeeded);
    assert_eq!(out.output, Some(json!({"got": {"k": 1}})));
    let calls = handler.calls.lock().unwrap_or_else(|e| e.into_inner());
    let retries: Vec<u64> = calls.iter().map(|(_, c)| c.retry_count).collect();
    assert_eq!(retries, [0, 1, 2]);
    // IntervalSeconds 1, BackoffRate 2: waits of 1 s and 2 s.
    assert_eq!(cfg.clock.now().as_second(), 3);
}

#[tokio::test(start_paused = true)]
async fn catch_places_the_error_output() {
    let handler = One::new(|_, _| -> Reply {
        Box::pin(async { Err(Failure::new("CardDeclined", "insufficient funds")) })
    });
    let mut t = task("arn:aws:lambda:us-east-1:111111111111:function:charge");
    t.retry = vec![Retrier::new(vec!["Other".into()])];
    t.catch = vec![Catcher {
        error_equals: vec![names::ALL.into()],
        next: 1,
        result_path: Place::At(path("$.error")),
        output: None,
        assign: None,
    }];
    let plan = Plan {
        start: 0,
        timeout_seconds: None,
        states: vec![
            state("Charge", None, Kind::Task(Box::new(t))),
            state("Refund", None, Kind::Succeed),
        ],
    };
    let out = execute(&plan, &handler, json!({"order": 1}), &config()).await;
    assert_eq!(
        out.output,
        Some(
            json!({"order": 1, "error": {"Error": "CardDeclined", "Cause": "insufficient funds"}})
        )
    );
}

#[tokio::test(start_paused = true)]
async fn task_timeout_and_machine_timeout() {
    let slow = One::new(|_, _| -> Reply {
        Box::pin(async {
            tokio::time::sleep(Duration::from_secs(60)).await;
            Ok(json!(1))
        })
    });
    let mut t = task("arn:aws:lambda:us-east-1:111111111111:function:slow");
    t.timeout = Some(Seconds::Fixed(2));
    t.catch = vec![Catcher {
        error_equals: vec![names::TIMEOUT.into()],
        next: 1,
        result_path: Place::Replace,
        output: None,
        assign: None,
    }];
    let plan = Plan {
        start: 0,
        timeout_seconds: None,
        states: vec![
            state("Slow", None, Kind::Task(Box::new(t))),
            state("Done", None, Kind::Succeed),
        ],
    };
    let out = execute(&plan, &slow, json!({}), &config()).await;
    assert_eq!(out.output, Some(json!({"Error": "States.Timeout"})));

    let plan = Plan {
        start: 0,
        timeout_seconds: Some(5),
        states: vec![state("Nap", None, Kind::Wait(WaitFor::Seconds(86_400)))],
    };
    let out = execute(&plan, &none(), json!({}), &config()).await;
    assert_eq!(out.status, Status::TimedOut);
    assert_eq!(
        out.history.events().last().map(|e| e.kind.name()),
        Some("ExecutionTimedOut")
    );
}

#[tokio::test(start_paused = true)]
async fn wait_seconds_path_errors_read_like_aws() {
    let plan = Plan {
        start: 0,
        timeout_seconds: None,
        states: vec![state(
            "WaitState",
            None,
            Kind::Wait(WaitFor::SecondsPath(path("$.input.waitSeconds"))),
        )],
    };
    let out = execute(
        &plan,
        &none(),
        json!({"input": {"waitSeconds": -1}}),
        &config(),
    )
    .await;
    assert_eq!(
        out.failure.and_then(|f| f.cause).as_deref(),
        Some(
            "An error occurred while executing the state 'WaitState' (entered at the event id #2). The SecondsPath parameter references a negative value: $.input.waitSeconds == -1"
        )
    );
    let cfg = config();
    let out = execute(
        &plan,
        &none(),
        json!({"input": {"waitSeconds": 3600}}),
        &cfg,
    )
    .await;
    assert_eq!(out.status, Status::Succeeded);
    assert_eq!(cfg.clock.now().as_second(), 3600);
}

/// A machine's handler table of one erased handler.
struct Boxed(asl_runtime::BoxHandler);

impl Dispatch for Boxed {
    fn call<'a>(
        &'a self,
        _handler: usize,
        input: Value,
        call: &TaskCall<'_>,
    ) -> BoxFuture<'a, Result<Value, Failure>> {
        (self.0)(input, call)
    }
}

fn invoke_plan() -> Plan {
    let mut t = task("arn:aws:states:::lambda:invoke");
    t.result_selector = Some(Template::Object(vec![(
        "p".into(),
        Template::Path {
            path: path("$.Payload"),
            field: "p.$".into(),
        },
    )]));
    Plan {
        start: 0,
        timeout_seconds: None,
        states: vec![state("Invoke", None, Kind::Task(Box::new(t)))],
    }
}

#[tokio::test(start_paused = true)]
async fn lambda_invoke_handlers_are_shaped_like_the_function() {
    // The handler gets the Payload and Lambda's context, and returns the function's result,
    // which comes back in the integration's envelope.
    let seen = Arc::new(Mutex::new(None));
    let seen_by = seen.clone();
    let handler = asl_runtime::Handler::into_box(move |event: Value, call: TaskContext| {
        *seen_by.lock().unwrap_or_else(|e| e.into_inner()) = call.function.clone();
        async move { Ok::<_, Failure>(json!({"doubled": event["a"].as_i64().unwrap_or(0) * 2})) }
    });
    let input = json!({"FunctionName": "double:live", "Payload": {"a": 21}});
    let out = execute(&invoke_plan(), &Boxed(handler), input, &config()).await;
    assert_eq!(out.output, Some(json!({"p": {"doubled": 42}})));
    let function = seen.lock().unwrap_or_else(|e| e.into_inner()).clone();
    let function = function.expect("a function's context");
    assert_eq!(function.name, "double");
    assert_eq!(
        function.invoked_arn,
        "arn:aws:lambda:us-east-1:111111111111:function:double:live"
    );
    assert!(
        function.request_id.ends_with(":run-1#3"),
        "{}",
        function.request_id
    );
}

#[tokio::test(start_paused = true)]
async fn raw_lambda_invoke_handlers_get_the_parameters_and_give_the_result() {
    let handler = asl_runtime::Handler::into_box(asl_runtime::raw(|params: Value| async move {
        Ok::<_, Failure>(json!({"Payload": params["FunctionName"], "StatusCode": 200}))
    }));
    let input = json!({"FunctionName": "f", "Payload": {"a": 1}});
    let out = execute(&invoke_plan(), &Boxed(handler), input, &config()).await;
    assert_eq!(out.output, Some(json!({"p": "f"})));
}
