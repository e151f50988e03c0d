//! The benchmark workflows of `shared/bench/`, generated at build time (absent when the folder
//! is), their handlers as each `.meta.json` describes them, and hand-written Rust baselines
//! doing the same JSON work with the same handlers.

use asl_runtime::{Failure, Machine, TaskContext};
use serde_json::{Value, json};

/// The generated machines.
#[allow(missing_docs, clippy::all)]
pub mod generated {
    include!(concat!(env!("OUT_DIR"), "/workflows.rs"));
}

/// The configuration the benchmarks run `machine` with: history at `history`, and no limit on
/// the number of events. `loop`, `loop_task` and `map` count 40,000 to 70,000 events, past
/// AWS's 25,000 for a Standard workflow (as an Express workflow, which has no such limit); the
/// interpreters they are compared with do not enforce it either.
pub fn config(
    machine: &Machine,
    name: &str,
    history: asl_runtime::HistoryLevel,
) -> asl_runtime::ExecutionConfig {
    let mut config = asl_runtime::ExecutionConfig::new(machine.name(), name);
    config.history = history;
    config.history_limit = None;
    config
}

/// A workflow's recorded input, `shared/bench/<name>.input.json` (or under `ASL_BENCH_DIR`).
pub fn input(name: &str) -> Value {
    let dir = std::env::var_os("ASL_BENCH_DIR")
        .map(std::path::PathBuf::from)
        .unwrap_or_else(|| {
            std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../shared/bench")
        });
    let text = std::fs::read_to_string(dir.join(format!("{name}.input.json")))
        .unwrap_or_else(|e| panic!("{name}.input.json: {e}"));
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{name}.input.json: {e}"))
}

/// `field` of object `v` incremented (set to 1 when absent or not an integer), with one lookup
/// of the key, as careful hand-written code does it.
fn increment(mut v: Value, field: &str) -> Value {
    if let Value::Object(map) = &mut v {
        match map.get_mut(field) {
            Some(n) => *n = json!(n.as_i64().unwrap_or(0) + 1),
            None => {
                map.insert(field.to_owned(), json!(1));
            }
        }
    }
    v
}

/// `inc`: add 1 to `$.i`.
pub fn inc(v: Value) -> Value {
    increment(v, "i")
}

/// `addField`: the input with `visited` incremented.
pub fn add_field(v: Value) -> Value {
    increment(v, "visited")
}

/// Hand-written `loop_task`: call the handler, test `$.i < 10000`, repeat; 20,001 transitions.
pub async fn baseline_loop_task<F, Fut>(mut v: Value, handler: &F) -> Value
where
    F: Fn(Value) -> Fut,
    Fut: std::future::Future<Output = Value>,
{
    loop {
        v = handler(v).await;
        let continue_ = matches!(v.get("i").and_then(Value::as_f64), Some(i) if i < 10_000.0);
        if !continue_ {
            return v;
        }
    }
}

/// Hand-written `tasks`: the handler 1,000 times in a row.
pub async fn baseline_tasks<F, Fut>(mut v: Value, handler: &F) -> Value
where
    F: Fn(Value) -> Fut,
    Fut: std::future::Future<Output = Value>,
{
    for _ in 0..1000 {
        v = handler(v).await;
    }
    v
}

/// Hand-written `map`: `{"m": "#<id>"}` for every item of `$.items`, in order (what the Map's
/// Pass state does with `States.Format('#{}', $.id)`).
pub fn baseline_map(input: Value) -> Value {
    let items = match input {
        Value::Object(mut o) => o.remove("items").unwrap_or(Value::Null),
        _ => Value::Null,
    };
    let out: Vec<Value> = match items {
        Value::Array(items) => items
            .iter()
            .map(|item| {
                let id = match &item["id"] {
                    Value::String(s) => s.clone(),
                    other => other.to_string(),
                };
                json!({ "m": format!("#{id}") })
            })
            .collect(),
        _ => Vec::new(),
    };
    Value::Array(out)
}

/// `appendName`: the input with the state's name appended to `$.log`.
pub fn append_name(mut v: Value, state: &str) -> Value {
    match v.get_mut("log").and_then(Value::as_array_mut) {
        Some(log) => log.push(json!(state)),
        None => v["log"] = json!([state]),
    }
    v
}

/// Hand-written `noop`: the input is the output.
pub fn baseline_noop(v: Value) -> Value {
    v
}

/// Hand-written `loop`: `i = MathAdd(i, 1)` while `i < 10000`; 20,001 transitions.
pub fn baseline_loop(mut v: Value) -> Value {
    loop {
        let i = v.get("i").and_then(Value::as_i64).unwrap_or(0) + 1;
        v = json!({ "i": i });
        if !matches!(v.get("i").and_then(Value::as_f64), Some(i) if i < 10_000.0) {
            return v;
        }
    }
}

/// Hand-written `football_nrp`: choose on `$.TrainingType`, then two handlers; an unknown
/// type fails with `UnknownTraining`.
pub async fn baseline_football<F, Fut>(v: Value, handler: &F) -> Result<Value, &'static str>
where
    F: Fn(Value, &'static str) -> Fut,
    Fut: std::future::Future<Output = Value>,
{
    let (a, b) = match v.get("TrainingType").and_then(Value::as_str) {
        Some("Fitness") => ("WarmUp", "Sprints"),
        Some("Skills") => ("Dribbling", "Shooting"),
        Some("Tactics") => ("VideoAnalysis", "SetPieces"),
        _ => return Err("UnknownTraining"),
    };
    let v = handler(v, a).await;
    Ok(handler(v, b).await)
}

/// The benchmark workflows, with their transitions per execution.
pub const WORKFLOWS: [(&str, u64); 6] = [
    ("noop", 1),
    ("loop", 20_001),
    ("loop_task", 20_001),
    ("map", 10_001),
    ("tasks", 1_000),
    ("football_nrp", 3),
];

/// Workflow `name`'s generated machine with the handlers its `.meta.json` names, and the input
/// the benchmarks run it on; `None` when `shared/bench` was absent at build time.
pub fn machine(name: &str) -> Option<(Machine, Value)> {
    let pass = |v: Value| async move { Ok::<_, Failure>(v) };
    Some(match name {
        "noop" => (generated::noop_machine(pass)?, json!({"x": 1})),
        "loop" => (generated::loop_machine(pass)?, json!({"i": 0})),
        "loop_task" => (
            generated::loop_task_machine(|v: Value| async move { Ok::<_, Failure>(inc(v)) })?,
            json!({"i": 0}),
        ),
        "map" => (generated::map_machine(pass)?, input("map")),
        "tasks" => (
            generated::tasks_machine(|v: Value| async move { Ok::<_, Failure>(add_field(v)) })?,
            json!({"seed": "x"}),
        ),
        "football_nrp" => (
            generated::football_nrp_machine(|v: Value, ctx: TaskContext| async move {
                Ok::<_, Failure>(append_name(v, &ctx.state_name))
            })?,
            json!({"TrainingType": "Skills", "player": "p2"}),
        ),
        _ => return None,
    })
}

/// Workflow `name`'s hand-written baseline run on `input`, awaited as the generated machine is
/// (the synchronous ones are called directly).
pub async fn baseline(name: &str, input: Value) -> Value {
    match name {
        "noop" => baseline_noop(input),
        "loop" => baseline_loop(input),
        "loop_task" => baseline_loop_task(input, &|v| async move { inc(v) }).await,
        "map" => baseline_map(input),
        "tasks" => baseline_tasks(input, &|v| async move { add_field(v) }).await,
        "football_nrp" => baseline_football(input, &|v, s| async move { append_name(v, s) })
            .await
            .unwrap_or(Value::Null),
        _ => Value::Null,
    }
}

/// Runs workflow `name` `runs` times, generated (history off) or hand-written (`hand`), all
/// inside one `block_on` as a service awaits executions inside its runtime: what the profiler
/// example and the instruction-count bench measure. False when there is no such workflow.
pub fn run_many(name: &str, runs: u64, hand: bool) -> bool {
    let Ok(rt) = tokio::runtime::Builder::new_current_thread().build() else {
        return false;
    };
    let Some((machine, input)) = machine(name) else {
        return false;
    };
    let config = config(&machine, "profile", asl_runtime::HistoryLevel::Off);
    rt.block_on(async {
        for _ in 0..runs {
            let out = if hand {
                baseline(name, input.clone()).await
            } else {
                machine
                    .run_with(input.clone(), &config)
                    .await
                    .output
                    .unwrap_or(Value::Null)
            };
            std::hint::black_box(out);
        }
    });
    true
}
