//! Properties over random input (proptest, on stable): definitions assembled from the pieces of
//! the language never panic the checks or the generator, and what the checks accept generates
//! without an internal error; random JSON inputs never panic a generated machine (each run
//! ends, succeeded or failed).

use asl_codegen::{Code, GenerateOptions, Syntax};
use asl_runtime::{Failure, Status};
use proptest::prelude::*;
use serde_json::{Map, Value, json};

/// Paths, valid and not.
fn path() -> impl Strategy<Value = String> {
    prop_oneof![
        Just("$".to_owned()),
        Just("$.a".to_owned()),
        Just("$.a[0].b".to_owned()),
        Just("$$.Execution.Id".to_owned()),
        Just("$.a[?(@.b > 1)]".to_owned()),
        Just("$..c".to_owned()),
        Just("$.a[1:3]".to_owned()),
        Just("$v".to_owned()),
        "[$.a-z\\[\\]0-9*@?()<>= ]{0,12}",
    ]
}

/// A payload value: a path, an intrinsic call or a literal under a `.$` key or not.
fn template() -> impl Strategy<Value = Value> {
    let call = prop_oneof![
        Just("States.Format('{} {}', $.a, $.b)".to_owned()),
        Just("States.MathAdd($.n, 1)".to_owned()),
        Just("States.ArrayRange(1, $.n, 1)".to_owned()),
        Just("States.StringSplit($.s, ',')".to_owned()),
        Just("States.JsonMerge($.a, $.b, false)".to_owned()),
        "States\\.[A-Za-z]{1,10}\\([$.a-z0-9', ]{0,12}\\)",
    ];
    prop::collection::vec(
        (
            "[a-z]{1,4}",
            prop_oneof![path().prop_map(Value::from), call.prop_map(Value::from)],
            any::<bool>(),
        ),
        0..4,
    )
    .prop_map(|members| {
        let mut m = Map::new();
        for (key, value, dynamic) in members {
            if dynamic {
                m.insert(format!("{key}.$"), value);
            } else {
                m.insert(key, value);
            }
        }
        Value::Object(m)
    })
}

/// A Choice rule on a path.
fn rule(next: String) -> impl Strategy<Value = Value> {
    (
        path(),
        prop_oneof![
            Just("StringEquals"),
            Just("NumericLessThan"),
            Just("IsPresent"),
            Just("BooleanEquals"),
            Just("StringMatches"),
            Just("TimestampEquals"),
            Just("NumericEqualsPath"),
        ],
        prop_oneof![
            Just(json!("x")),
            Just(json!(3)),
            Just(json!(true)),
            Just(json!("$.b")),
            Just(json!("a*b"))
        ],
    )
        .prop_map(move |(variable, op, operand)| {
            json!({"Variable": variable, op: operand, "Next": next.clone()})
        })
}

/// One state, mostly as the checks want it (its `Next` the state after it, fields its type
/// takes), now and then not: a random target, a field of another type, a broken path.
fn state(names: Vec<String>, index: usize) -> impl Strategy<Value = Value> {
    let target = prop::sample::select(
        names
            .iter()
            .cloned()
            .chain(["Nowhere".to_owned()])
            .collect::<Vec<_>>(),
    );
    let after = names.get(index + 1).cloned();
    let leaf_branch = json!({"StartAt": "B", "States": {"B": {"Type": "Pass", "End": true}}});
    (
        prop::sample::select(vec![
            "Pass", "Pass", "Task", "Task", "Choice", "Wait", "Succeed", "Fail", "Parallel", "Map",
        ]),
        prop::option::weighted(0.1, target.clone()),
        prop::option::of(path()),
        prop::option::of(path()),
        prop::option::weighted(0.5, template()),
        prop::collection::vec(target.prop_flat_map(rule), 1..3),
        prop::option::of(0u64..100),
        prop::option::weighted(
            0.1,
            prop::sample::select(vec!["Result", "Parameters", "Choices"]),
        ),
    )
        .prop_map(
            move |(ty, jump, input_path, result_path, parameters, choices, seconds, stray)| {
                let mut s = Map::new();
                s.insert("Type".into(), json!(ty));
                match jump.or_else(|| after.clone()) {
                    Some(next) => s.insert("Next".into(), json!(next)),
                    None => s.insert("End".into(), json!(true)),
                };
                if let Some(p) = input_path.filter(|_| ty != "Fail" && ty != "Succeed") {
                    s.insert("InputPath".into(), json!(p));
                }
                if let Some(p) =
                    result_path.filter(|_| matches!(ty, "Pass" | "Task" | "Parallel" | "Map"))
                {
                    s.insert("ResultPath".into(), json!(p));
                }
                if let Some(t) =
                    parameters.filter(|_| matches!(ty, "Pass" | "Task" | "Parallel" | "Map"))
                {
                    s.insert("Parameters".into(), t);
                }
                match ty {
                    "Task" => {
                        s.insert(
                            "Resource".into(),
                            json!("arn:aws:lambda:us-east-1:1:function:f"),
                        );
                        if let Some(n) = seconds {
                            s.insert("TimeoutSeconds".into(), json!(n + 1));
                        }
                    }
                    "Choice" => {
                        let next = s.remove("Next");
                        s.remove("End");
                        s.insert("Choices".into(), Value::Array(choices.clone()));
                        if let Some(next) = next {
                            s.insert("Default".into(), next);
                        }
                    }
                    "Wait" => {
                        s.insert("Seconds".into(), json!(seconds.unwrap_or(0)));
                    }
                    "Fail" | "Succeed" => {
                        s.remove("Next");
                        s.remove("End");
                        if ty == "Fail" {
                            s.insert("Error".into(), json!("E"));
                        }
                    }
                    "Parallel" => {
                        s.insert("Branches".into(), json!([leaf_branch.clone()]));
                    }
                    "Map" => {
                        s.insert("ItemProcessor".into(), leaf_branch.clone());
                    }
                    _ => {}
                }
                if let Some(field) = stray {
                    s.insert(field.into(), json!({"x.$": "$.y"}));
                }
                Value::Object(s)
            },
        )
}

/// A whole definition of one to five states, starting at the first.
fn definition() -> impl Strategy<Value = Value> {
    (1..6usize).prop_flat_map(|n| {
        let names: Vec<String> = (0..n).map(|i| format!("S{i}")).collect();
        let states: Vec<_> = (0..n).map(|i| state(names.clone(), i)).collect();
        (states, prop::option::weighted(0.05, "[A-Z][0-9]")).prop_map(move |(states, start)| {
            let states: Map<String, Value> = names.iter().cloned().zip(states).collect();
            json!({"StartAt": start.unwrap_or_else(|| "S0".to_owned()), "States": states})
        })
    })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 1024, ..ProptestConfig::default() })]

    #[test]
    fn the_generator_never_panics_and_generates_what_the_checks_accept(def in definition()) {
        let text = serde_json::to_string_pretty(&def).unwrap_or_default();
        let checked = asl_codegen::check_source(&text, Syntax::Json, &Default::default());
        if checked.is_ok() {
            let generated = asl_codegen::generate_source(
                &text,
                Syntax::Json,
                &GenerateOptions::new("Random", "random.asl.json"),
            );
            if let Err(problems) = generated {
                prop_assert!(
                    problems.iter().all(|d| d.code != Code::InternalError),
                    "{text}\n{problems:?}"
                );
            }
        }
    }
}

asl_runtime::asl!("../fixtures/paths.asl.json");
asl_runtime::asl!("../fixtures/switch.asl.json");
asl_runtime::asl!("../fixtures/robust.asl.json");

/// Any JSON value, a few levels deep.
fn json_value() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::from),
        any::<i64>().prop_map(Value::from),
        any::<f64>()
            .prop_filter("finite", |f| f.is_finite())
            .prop_map(Value::from),
        "[a-z,]{0,8}".prop_map(Value::from),
    ];
    leaf.prop_recursive(3, 24, 4, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..4).prop_map(Value::Array),
            prop::collection::vec(
                (
                    prop_oneof![
                        Just("a".to_owned()),
                        Just("books".to_owned()),
                        Just("kind".to_owned()),
                        "[a-z]{1,3}"
                    ],
                    inner
                ),
                0..4
            )
            .prop_map(|m| Value::Object(m.into_iter().collect())),
        ]
    })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    #[test]
    fn random_inputs_never_panic_a_generated_machine(input in json_value()) {
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_time()
            .start_paused(true)
            .build()
            .expect("a runtime");
        let machines = [
            Paths::builder().build(),
            Switch::builder().build(),
            Robust::builder()
                .fallback(|v: Value| async move { Ok::<_, Failure>(v) })
                .build(),
        ];
        for machine in machines {
            let outcome = runtime.block_on(machine.run(input.clone()));
            prop_assert!(
                matches!(outcome.status, Status::Succeeded | Status::Failed),
                "{input}: {:?}",
                outcome.status
            );
        }
    }
}
