//! The `asl` command on the example workflows and on bad input.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn asl(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_asl"))
        .args(args)
        .current_dir(root())
        .output()
        .expect("asl runs")
}

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

fn text(b: &[u8]) -> String {
    String::from_utf8_lossy(b).into_owned()
}

fn temp(name: &str, content: &[u8]) -> String {
    let path = std::env::temp_dir().join(format!("asl-cli-{}-{name}", std::process::id()));
    std::fs::write(&path, content).expect("a temporary file");
    path.display().to_string()
}

#[test]
fn check_accepts_the_examples() {
    let out = asl(&[
        "check",
        "examples/workflows/order.asl.json",
        "examples/workflows/football.asl.json",
    ]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
}

#[test]
fn check_reports_errors_with_the_source_line_and_exit_1() {
    let broken = temp(
        "broken.asl.json",
        b"{\"StartAt\": \"A\",\n \"States\": {\"A\": {\"Type\": \"Pass\", \"Next\": \"Bb\"}, \"B\": {\"Type\": \"Succeed\"}}}",
    );
    let out = asl(&["check", &broken]);
    assert_eq!(out.status.code(), Some(1));
    let err = text(&out.stderr);
    assert!(err.contains("error[MISSING_TRANSITION_TARGET]"), "{err}");
    assert!(err.contains(":2:43"), "{err}");
    assert!(err.contains("^^^^"), "a caret under the mistake: {err}");
    assert!(err.contains("help: did you mean"), "{err}");

    let out = asl(&["check", "--format", "json", &broken]);
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).expect("JSON on stdout");
    assert_eq!(json[0]["code"], "MISSING_TRANSITION_TARGET");
    assert_eq!(json[0]["line"], 2);
    assert_eq!(json[0]["pointer"], "/States/A/Next");
}

#[test]
fn placeholders_warn_unless_strict_and_set_replaces_them() {
    let templated = temp(
        "templated.asl.json",
        br#"{"StartAt": "W", "States": {"W": {"Type": "Wait", "Seconds": "${Delay}", "End": true}}}"#,
    );
    let out = asl(&["check", &templated]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert!(text(&out.stderr).contains("warning["));
    assert_eq!(
        asl(&["check", "--strict", &templated]).status.code(),
        Some(1)
    );
    let out = asl(&["check", "--strict", "--set", "Delay=5", &templated]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
}

#[test]
fn bad_input_is_one_line_and_exit_2() {
    let empty = temp("empty.json", b"");
    let binary = temp("binary.json", &[0xff, 0xfe, 0x00, 0x01]);
    for path in [
        "no/such/file.asl.json",
        "examples",
        empty.as_str(),
        binary.as_str(),
    ] {
        let out = asl(&["check", path]);
        assert_eq!(out.status.code(), Some(2), "{path}");
        let err = text(&out.stderr);
        assert_eq!(err.trim().lines().count(), 1, "{path}: {err}");
        assert!(err.starts_with("error: "), "{err}");
        assert!(!err.contains("panicked"));
    }
}

#[test]
fn generate_prints_the_rust() {
    let out = asl(&["generate", "examples/workflows/order.asl.json"]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let rust = text(&out.stdout);
    assert!(rust.contains("pub struct Order"));
    assert!(rust.contains("fn builder()"));
    assert!(
        rust.contains("```mermaid"),
        "the type's docs draw the workflow"
    );
    assert!(
        rust.contains("Sets the handler of the Task state `Validate order`"),
        "each handler setter names its state"
    );
    assert!(rust.contains("line "), "and its line");
    let out = asl(&["generate", "no/such/file.json"]);
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn graph_draws_types_rules_catches_and_subgraphs() {
    let def = temp(
        "drawn.asl.json",
        br#"{"StartAt": "Route", "States": {
            "Route": {"Type": "Choice", "Choices": [{"Variable": "$.n", "NumericGreaterThan": 3, "Next": "Fan"}], "Default": "Done"},
            "Fan": {"Type": "Map", "ItemProcessor": {"StartAt": "Work", "States": {"Work": {"Type": "Task", "Resource": "arn:aws:lambda:us-east-1:1:function:w", "End": true}}},
                    "Catch": [{"ErrorEquals": ["States.ALL"], "Next": "Oops"}], "Next": "Done"},
            "Oops": {"Type": "Fail", "Error": "E"},
            "Done": {"Type": "Succeed"}}}"#,
    );
    let out = asl(&["graph", &def]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let mermaid = text(&out.stdout);
    assert!(mermaid.starts_with("flowchart TD"));
    assert!(
        mermaid.contains("{\"Route\"}"),
        "a Choice is a rhombus: {mermaid}"
    );
    assert!(
        mermaid.contains("|\"$.n NumericGreaterThan 3\"|"),
        "{mermaid}"
    );
    assert!(mermaid.contains("-.->|\"Catch States.ALL\"|"), "{mermaid}");
    assert!(mermaid.contains("subgraph"), "{mermaid}");

    let out = asl(&["graph", "--format", "dot", &def]);
    let dot = text(&out.stdout);
    assert!(dot.starts_with("digraph workflow"));
    assert!(
        dot.contains("shape=diamond") && dot.contains("style=dashed") && dot.contains("cluster_")
    );

    let history = temp(
        "history.json",
        br#"{"events": [
            {"type": "ExecutionStarted"},
            {"type": "ChoiceStateEntered", "stateEnteredEventDetails": {"name": "Route"}},
            {"type": "ChoiceStateExited", "stateExitedEventDetails": {"name": "Route"}},
            {"type": "MapStateEntered", "stateEnteredEventDetails": {"name": "Fan"}},
            {"type": "ExecutionFailed"}]}"#,
    );
    let out = asl(&["graph", "--history", &history, &def]);
    let coloured = text(&out.stdout);
    let fan = coloured
        .lines()
        .find(|l| l.contains("class n") && l.contains("failed"));
    assert!(fan.is_some(), "the failed state is red: {coloured}");
    assert!(coloured.contains("succeeded") && coloured.contains("unvisited"));
}

#[test]
fn check_lists_and_checks_every_machine_of_a_template() {
    let out = asl(&[
        "check",
        "tests/fixtures/templates/sam.yaml",
        "tests/fixtures/templates/main.tf",
        "tests/fixtures/templates/cdk.template.json",
    ]);
    let stderr = text(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "{stderr}");
    for machine in [
        "sam.yaml OrderStateMachine: ok",
        "sam.yaml RefundStateMachine: ok",
        "main.tf inventory: ok",
        "main.tf shipping: ok",
        "main.tf ping: ok",
        "cdk.template.json HelloStateMachineC1E3B3F1: ok",
    ] {
        assert!(stderr.contains(machine), "{machine}: {stderr}");
    }
    // A mistake in a template's definition points into the template.
    let broken = temp(
        "broken.tf",
        b"resource \"aws_sfn_state_machine\" \"m\" {\n  definition = <<EOF\n{\"StartAt\": \"A\",\n \"States\": {\"A\": {\"Type\": \"Pass\", \"Next\": \"B\"}}}\nEOF\n}\n",
    );
    let out = asl(&["check", &broken]);
    let stderr = text(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(stderr.contains("MISSING_TRANSITION_TARGET"), "{stderr}");
    assert!(stderr.contains("broken.tf:4:43"), "{stderr}");
}

#[test]
fn check_takes_a_single_state_as_test_state_does() {
    // The states it goes to are outside the document.
    let state = temp(
        "state.json",
        br#"{"Type": "Task", "Resource": "arn:aws:lambda:us-east-1:111111111111:function:f",
  "Catch": [{"ErrorEquals": ["States.ALL"], "Next": "Handle"}], "Next": "After"}"#,
    );
    let out = asl(&["check", &state]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    // Its mistakes point into it, by its own pointers.
    let broken = temp(
        "broken-state.json",
        b"{\"Type\": \"Pass\",\n \"InputPath\": \"$.a[\", \"Next\": \"B\"}",
    );
    let out = asl(&["check", "--format", "json", &broken]);
    assert_eq!(out.status.code(), Some(1));
    let found: serde_json::Value = serde_json::from_slice(&out.stdout).expect("JSON");
    assert_eq!(found[0]["pointer"], "/InputPath", "{found}");
    assert_eq!(found[0]["line"], 2, "{found}");
}
