//! Machines typed at their edges (`asl!(…, input = …, output = …)`): executions take and give
//! the user's serde types; an input that is not JSON or an output of another shape is an
//! `EdgeError` naming the type and the field.

use std::collections::BTreeMap;

use asl_runtime::{EdgeError, Failure, Status};
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};

#[derive(Debug, Serialize)]
struct Job {
    id: u32,
    tags: BTreeMap<String, String>,
    /// JSON object keys are strings: a map keyed by pairs does not serialize.
    weights: BTreeMap<(u8, u8), u8>,
}

#[derive(Debug, PartialEq, Deserialize)]
struct Done {
    id: u32,
    result: Outcome,
}

#[derive(Debug, PartialEq, Deserialize)]
struct Outcome {
    ok: bool,
    count: u32,
}

asl_runtime::asl!(
    path = "../fixtures/single.asl.json",
    name = Typed,
    input = Job,
    output = Done,
);

asl_runtime::asl!(
    path = "../fixtures/single.asl.json",
    name = OnlyOutput,
    output = Done,
);

fn job() -> Job {
    Job {
        id: 7,
        tags: BTreeMap::from([("team".to_owned(), "a".to_owned())]),
        weights: BTreeMap::new(),
    }
}

#[tokio::test]
async fn input_and_output_are_the_users_types() {
    let machine = Typed::builder()
        .work(|job: Value| async move {
            Ok::<_, Failure>(json!({"id": job["id"], "result": {"ok": true, "count": 2}}))
        })
        .build();
    let outcome = machine.run(&job()).await.expect("typed edges");
    assert_eq!(outcome.status, Status::Succeeded);
    assert_eq!(
        outcome.output,
        Some(Done {
            id: 7,
            result: Outcome { ok: true, count: 2 }
        })
    );
    let started = machine.start("typed-1", &job()).expect("the input is JSON");
    assert_eq!(
        started
            .result()
            .await
            .expect("typed edges")
            .output
            .map(|d| d.id),
        Some(7)
    );
}

#[tokio::test]
async fn an_input_that_is_not_json_names_its_type_and_field() {
    let machine = Typed::builder()
        .work(|v: Value| async move { Ok::<_, Failure>(v) })
        .build();
    let mut bad = job();
    bad.weights.insert((1, 2), 3);
    let err = machine.run(&bad).await.expect_err("not JSON");
    let EdgeError::Input {
        type_name, path, ..
    } = &err
    else {
        panic!("an input error: {err}");
    };
    assert!(type_name.ends_with("Job"), "{type_name}");
    assert_eq!(path, "weights");
    assert!(err.to_string().contains("weights"), "{err}");
    assert!(machine.start("x", &bad).is_err(), "nothing starts");
}

#[tokio::test]
async fn an_output_of_another_shape_names_the_field_and_keeps_the_output() {
    let machine = OnlyOutput::builder()
        .work(|_: Value| async move {
            Ok::<_, Failure>(json!({"id": 1, "result": {"ok": "yes", "count": 2}}))
        })
        .build();
    // The input edge is untyped: a `Value`.
    let err = machine.run(&json!({})).await.expect_err("another shape");
    let EdgeError::Output(mismatch) = err else {
        panic!("an output error");
    };
    assert!(
        mismatch.type_name.ends_with("Done"),
        "{}",
        mismatch.type_name
    );
    assert_eq!(mismatch.path, "result.ok");
    assert_eq!(mismatch.output["result"]["ok"], "yes");
    assert!(!mismatch.history.events().is_empty());
}

#[tokio::test]
async fn a_failed_execution_has_no_output_to_read() {
    let machine = Typed::builder()
        .work(|_: Value| async move { Err::<Value, _>(Failure::new("Boom", "no")) })
        .build();
    let outcome = machine
        .run(&job())
        .await
        .expect("a failure is not an edge error");
    assert_eq!(outcome.status, Status::Failed);
    assert_eq!(outcome.output, None);
    assert_eq!(outcome.failure.map(|f| f.error), Some("Boom".to_owned()));
}
