//! Templates as the template reader takes and refuses them: what cannot be worked out without
//! deploying is refused where it is written, and what is read points into the right file.

use std::path::{Path, PathBuf};

use asl_codegen::template::{self, Found, Problem};
use asl_codegen::{CheckOptions, LineIndex, check_tree};

fn dir(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("asl-templates-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("a temporary directory");
    dir
}

fn read(path: &Path, text: &str) -> Result<Vec<Found>, Vec<Problem>> {
    std::fs::write(path, text).expect("written");
    template::machines(path, text, &[])
}

/// The `line:col` of a problem.
fn at(p: &Problem) -> (usize, usize) {
    let span = p.diagnostic.span.unwrap_or_default();
    let lc = LineIndex::new(&p.text).line_col(&p.text, span.start);
    (lc.line, lc.column)
}

#[test]
fn templates_are_told_from_definitions() {
    let d = dir("detect");
    assert!(template::is_template(&d.join("main.tf"), ""));
    assert!(template::is_template(
        &d.join("t.yaml"),
        "Resources:\n  M:\n    Type: AWS::StepFunctions::StateMachine\n"
    ));
    assert!(!template::is_template(
        &d.join("d.asl.json"),
        r#"{"StartAt": "A", "States": {"A": {"Type": "Succeed"}}}"#
    ));
}

#[test]
fn what_needs_a_deployment_is_refused_where_it_is_written() {
    let d = dir("refused");
    let yaml = "Resources:\n  M:\n    Type: AWS::StepFunctions::StateMachine\n    Properties:\n      Definition:\n        StartAt: A\n        States:\n          A:\n            Type: Pass\n            Result: !If [IsProd, big, small]\n            End: true\n";
    let problems = read(&d.join("if.yaml"), yaml).expect_err("Fn::If is refused");
    assert_eq!(problems.len(), 1);
    assert!(
        problems[0]
            .diagnostic
            .message
            .contains("Fn::If cannot be worked out")
    );
    assert_eq!(at(&problems[0]), (10, 21));
    assert_eq!(problems[0].diagnostic.code.as_str(), "INVALID_TEMPLATE");

    let s3 = r#"{"Resources": {"M": {"Type": "AWS::StepFunctions::StateMachine", "Properties": {
  "DefinitionS3Location": {"Bucket": "b", "Key": "k.json"}}}}}"#;
    let problems = read(&d.join("s3.json"), s3).expect_err("S3 is refused");
    assert!(
        problems[0]
            .diagnostic
            .message
            .contains("name a local file instead")
    );
    assert_eq!(at(&problems[0]).0, 2);

    let none =
        r#"{"Resources": {"M": {"Type": "AWS::StepFunctions::StateMachine", "Properties": {}}}}"#;
    let problems = read(&d.join("none.json"), none).expect_err("no definition");
    assert!(
        problems[0]
            .diagnostic
            .message
            .contains("M has no Definition, DefinitionString or DefinitionS3Location")
    );

    let other = r#"{"Resources": {"Q": {"Type": "AWS::SQS::Queue"}}}"#;
    let problems = read(&d.join("other.json"), other).expect_err("no machine");
    assert!(
        problems[0]
            .diagnostic
            .message
            .contains("no AWS::StepFunctions::StateMachine")
    );

    let tf = "resource \"aws_sfn_state_machine\" \"m\" {\n  definition = jsonencode({StartAt = \"A\"})\n}\n";
    let problems = read(&d.join("main.tf"), tf).expect_err("jsonencode is refused");
    assert!(
        problems[0]
            .diagnostic
            .message
            .contains("jsonencode(…) cannot be read")
    );
    assert_eq!(at(&problems[0]), (2, 16));

    let missing = "resource \"aws_sfn_state_machine\" \"m\" {\n  definition = file(\"${path.module}/gone.asl.json\")\n}\n";
    let problems = read(&d.join("missing.tf"), missing).expect_err("no such file");
    assert!(
        problems[0]
            .diagnostic
            .message
            .contains("gone.asl.json cannot be read")
    );
    let _ = std::fs::remove_dir_all(&d);
}

#[test]
fn a_local_definition_s_mistakes_point_into_that_file() {
    let d = dir("local");
    std::fs::write(
        d.join("flow.asl.json"),
        "{\n  \"StartAt\": \"A\",\n  \"States\": {\n    \"A\": {\"Type\": \"Pass\", \"Next\": \"B\"}\n  }\n}\n",
    )
    .expect("written");
    let sam = "Resources:\n  Flow:\n    Type: AWS::Serverless::StateMachine\n    Properties:\n      DefinitionUri: flow.asl.json\n";
    let found = read(&d.join("template.yaml"), sam).expect("read");
    assert_eq!(found.len(), 1);
    assert_eq!(found[0].name, "Flow");
    assert!(found[0].file.ends_with("flow.asl.json"));
    let checked = check_tree(&found[0].root, &CheckOptions::default());
    let missing = checked
        .diagnostics
        .iter()
        .find(|d| d.code.as_str() == "MISSING_TRANSITION_TARGET")
        .expect("B is missing");
    let lc = missing.line_col(&found[0].text).expect("located");
    assert_eq!((lc.line, lc.column), (4, 35));
    let _ = std::fs::remove_dir_all(&d);
}

#[test]
fn user_values_win_over_the_template_s() {
    let d = dir("values");
    let yaml = "Resources:\n  M:\n    Type: AWS::StepFunctions::StateMachine\n    Properties:\n      DefinitionSubstitutions:\n        Greeting: hello\n        Fn: !GetAtt Worker.Arn\n      Definition:\n        StartAt: A\n        States:\n          A:\n            Type: Task\n            Resource: ${Fn}\n            Parameters:\n              text: ${Greeting}\n              region: !Ref AWS::Region\n            End: true\n";
    std::fs::write(d.join("t.yaml"), yaml).expect("written");
    let values = [
        ("Greeting".to_owned(), "hi".to_owned()),
        (
            "Worker.Arn".to_owned(),
            "arn:aws:lambda:eu-west-1:1:function:w".to_owned(),
        ),
    ];
    let found = template::machines(&d.join("t.yaml"), yaml, &values).expect("read");
    let root = &found[0].root;
    let a = root.get("States").and_then(|s| s.get("A")).expect("A");
    assert_eq!(
        a.get("Resource").and_then(|r| r.as_str()),
        Some("arn:aws:lambda:eu-west-1:1:function:w")
    );
    let params = a.get("Parameters").expect("Parameters");
    assert_eq!(params.get("text").and_then(|t| t.as_str()), Some("hi"));
    assert_eq!(
        params.get("region").and_then(|t| t.as_str()),
        Some("us-east-1")
    );
    let _ = std::fs::remove_dir_all(&d);
}

#[test]
fn a_definition_string_in_a_yaml_block_points_at_its_lines() {
    let d = dir("block");
    let yaml = "Resources:\n  Flow:\n    Type: AWS::StepFunctions::StateMachine\n    Properties:\n      DefinitionString: !Sub |\n        {\n          \"StartAt\": \"A\",\n          \"States\": {\n            \"A\": {\"Type\": \"Task\", \"Resource\": \"${Fn}\", \"Next\": \"Gone\"}\n          }\n        }\n      DefinitionSubstitutions:\n        Fn: arn:aws:lambda:us-east-1:111111111111:function:f\n";
    let found = read(&d.join("block.yaml"), yaml).expect("read");
    let a = found[0]
        .root
        .get("States")
        .and_then(|s| s.get("A"))
        .expect("A");
    assert_eq!(
        a.get("Resource").and_then(|r| r.as_str()),
        Some("arn:aws:lambda:us-east-1:111111111111:function:f")
    );
    let checked = check_tree(&found[0].root, &CheckOptions::default());
    let missing = checked
        .diagnostics
        .iter()
        .find(|d| d.code.as_str() == "MISSING_TRANSITION_TARGET")
        .expect("Gone is missing");
    let lc = missing.line_col(&found[0].text).expect("located");
    let line = yaml.lines().nth(lc.line - 1).unwrap_or_default();
    assert_eq!(lc.line, 9, "{line}");
    assert_eq!(&line[lc.column - 1..lc.column + 5], "\"Gone\"");
    let _ = std::fs::remove_dir_all(&d);
}
