//! JSONPath as AWS evaluates it (Jayway: a definite path gives a value, any other an array;
//! filters; `.['key']`; `length()`; deep scan) and intrinsic functions, through a generated
//! machine.

use asl_runtime::Status;
use serde_json::json;

asl_runtime::asl!("../fixtures/paths.asl.json");

#[tokio::test]
async fn paths_and_intrinsics_evaluate_like_aws() {
    let machine = Paths::builder().build();
    let input = json!({
        "min": 5,
        "csv": "a,b,,c",
        "meta": {"release date": "2024-01-01"},
        "books": [
            {"title": "Dune", "price": 8.5, "tags": ["sf"]},
            {"title": "Emma", "price": 12, "tags": ["classic"]},
            {"title": "Ubik", "price": 4}
        ]
    });
    let outcome = machine.run(input).await;
    // The second state reads a path that is not there: AWS's States.Runtime, with the Pass
    // state's output of the first state in its history.
    assert_eq!(outcome.status, Status::Failed);
    let failure = outcome.failure.expect("failed");
    assert_eq!(failure.error, "States.Runtime");
    assert!(failure.cause.as_deref().is_some_and(|c| c.contains(
        "The JSONPath '$.not.there' specified for the field 'nope.$' could not be found"
    )));
    let shaped = outcome
        .history
        .events()
        .iter()
        .find(|e| e.kind.name() == "PassStateExited")
        .and_then(|e| e.kind.output().cloned())
        .expect("first state ran");
    assert_eq!(shaped["first"], json!("Dune"));
    assert_eq!(shaped["last"], json!("Ubik"));
    assert_eq!(
        shaped["slice"],
        json!(["Dune"]),
        "a slice is indefinite: an array even of one"
    );
    assert_eq!(shaped["all"], json!(["Dune", "Emma", "Ubik"]));
    assert_eq!(shaped["cheap"], json!(["Dune", "Ubik"]));
    assert_eq!(shaped["tagged"], json!(["Dune", "Emma"]));
    assert_eq!(shaped["quoted"], json!("2024-01-01"));
    assert_eq!(shaped["count"], json!(3));
    assert_eq!(shaped["deep"], json!([8.5, 12, 4]));
    assert_eq!(shaped["label"], json!("3 books, first {Dune}"));
    assert_eq!(shaped["split"], json!(["a", "b", "c"]));
    assert_eq!(
        shaped["sum"],
        json!(21),
        "MathAdd rounds each operand as Java's Math.round does"
    );
    assert_eq!(
        shaped["hash"],
        json!("baa25eb4ed6ca6eda34b8af32f78de3ac89cce7aa40f915606e92275a001cdaf")
    );
    assert_eq!(shaped["chunks"], json!([[1, 2], [3, 4], [5]]));
    assert_eq!(
        shaped["merged"],
        json!({"release date": "2024-01-01", "a": 1})
    );
}

asl_runtime::asl!("../fixtures/switch.asl.json");

/// Consecutive Choice rules on one Variable read it once; a rule on another Variable in between
/// reads that one, and a later rule reads the first again (or fails, as AWS does, when a rule
/// other than IsPresent names a path that is absent).
#[tokio::test]
async fn a_choice_switch_tests_each_rule_on_its_own_variable() {
    let machine = Switch::builder().build();
    for (input, expected) in [
        (json!({}), "no kind"),
        (json!({"kind": "a"}), "kind a"),
        (json!({"kind": "b", "other": "b"}), "other b"),
        (json!({"kind": "b", "other": "x"}), "kind b"),
        (json!({"kind": "c", "other": "x"}), "anything else"),
    ] {
        let outcome = machine.run(input.clone()).await;
        assert_eq!(outcome.output, Some(json!(expected)), "{input}");
    }
    let outcome = machine.run(json!({"kind": "b"})).await;
    assert_eq!(outcome.status, Status::Failed);
    let failure = outcome.failure.expect("a failure");
    assert_eq!(failure.error, "States.Runtime");
    assert!(
        failure
            .cause
            .as_deref()
            .unwrap_or_default()
            .contains("$.other"),
        "{failure:?}"
    );
}
