//! The `asl!` forms that must compile, and what they expand to.

mod plain {
    asl_runtime::asl!("../fixtures/fan-out.asl.json");
}

mod options {
    asl_runtime::asl!(
        path = "../fixtures/deploy.asl.yaml",
        name = Notify,
        vis = pub(crate),
        runtime = ::asl_runtime,
        machine_type = "EXPRESS",
        substitute = { DelaySeconds = 30, TopicArn = "arn:aws:sns:us-east-1:111111111111:customers" },
    );
}

use asl_runtime::{QueryLanguage, StateType};

#[test]
fn default_name_comes_from_the_file() {
    let d = plain::FanOut::DEFINITION;
    assert_eq!(d.file, "../fixtures/fan-out.asl.json");
    assert_eq!(d.start_at, "Per item");
    assert_eq!(d.query_language, QueryLanguage::Jsonata);
    let names: Vec<&str> = d.states.iter().map(|s| s.name).collect();
    assert_eq!(names, ["Per item", "Done", "Price"]);
    let price = d.state("Price").expect("nested state listed");
    assert_eq!(price.pointer, "/States/Per item/ItemProcessor/States/Price");
    assert_eq!((price.line, price.column), (12, 11));
    assert_eq!(price.state_type, StateType::Task);
    assert!(price.terminal);
}

#[test]
fn options_form_with_yaml_and_substitutions() {
    let d = options::Notify::DEFINITION;
    assert_eq!(
        d.comment,
        Some("Notify a customer, retrying the flaky SMS provider")
    );
    assert_eq!(d.timeout_seconds, Some(3600));
    let wait = d.state("Wait a little").expect("state");
    assert_eq!((wait.line, wait.column), (6, 3));
    assert_eq!(wait.state_type, StateType::Wait);
    assert_eq!(
        d.state("Send SMS").and_then(|s| s.resource),
        Some("arn:aws:states:::sns:publish")
    );
}
