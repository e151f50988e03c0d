//! The `asl!` forms that must compile, and what they expand to.

mod plain {
    asl_runtime::asl!("../fixtures/names.asl.json");
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

mod from_a_template {
    // One machine of a SAM template, named after its logical id; the references it makes
    // given values.
    asl_runtime::asl!(
        path = "../fixtures/templates/sam.yaml",
        machine = "OrderStateMachine",
        substitute = {
            "ChargeFunction.Arn" = "arn:aws:lambda:us-east-1:111111111111:function:charge",
            Stage = "prod",
            OrdersTable = "orders",
        },
    );
    // The only machine of a Terraform file read through templatefile(…).
    asl_runtime::asl!(
        path = "../fixtures/templates/main.tf",
        machine = "shipping",
        name = Ship,
    );
}

#[tokio::test]
async fn a_template_s_machine_compiles_and_runs() {
    use from_a_template::{OrderStateMachine, Ship};
    let d = OrderStateMachine::DEFINITION;
    assert_eq!(d.file, "../fixtures/templates/sam.yaml");
    assert_eq!(d.start_at, "Charge");
    let charge = d.state("Charge").expect("listed");
    assert_eq!((charge.line, charge.column), (36, 11));
    assert_eq!(
        charge.resource,
        Some("arn:aws:lambda:us-east-1:111111111111:function:charge")
    );
    let machine = OrderStateMachine::builder()
        .charge(|_: serde_json::Value| async move {
            Ok::<_, asl_runtime::Failure>(serde_json::json!({"charged": 3}))
        })
        .build();
    let out = machine.run(serde_json::json!({})).await.output;
    assert_eq!(
        out,
        Some(
            serde_json::json!({"message": "Thanks, from the prod shop", "table": "orders", "charged": 3})
        )
    );
    // A reference without a value stays a named placeholder.
    assert_eq!(
        Ship::DEFINITION.state("Ship").and_then(|s| s.resource),
        Some("${ShipFunctionArn}")
    );
}

use asl_runtime::{QueryLanguage, StateType};

#[test]
fn default_name_comes_from_the_file() {
    let d = plain::Names::DEFINITION;
    assert_eq!(d.file, "../fixtures/names.asl.json");
    assert_eq!(d.start_at, "Say hello!");
    assert_eq!(d.query_language, QueryLanguage::JsonPath);
    let names: Vec<&str> = d.states.iter().map(|s| s.name).collect();
    assert_eq!(names, ["Say hello!", "a b", "a-b", "type", "공격 훈련"]);
    let hangul = d.state("공격 훈련").expect("listed");
    assert_eq!(hangul.pointer, "/States/공격 훈련");
    assert_eq!((hangul.line, hangul.column), (9, 5));
    assert_eq!(hangul.state_type, StateType::Task);
    assert!(hangul.terminal);
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

#[tokio::test(start_paused = true)]
async fn names_that_are_not_identifiers_get_builder_methods() {
    let machine = plain::Names::builder()
        .say_hello(|v: serde_json::Value| async move {
            Ok::<_, asl_runtime::Failure>(serde_json::json!({"hello": v}))
        })
        .a_b(|v: serde_json::Value| async move { Ok::<_, asl_runtime::Failure>(v) })
        .a_b_2(|v: serde_json::Value| async move { Ok::<_, asl_runtime::Failure>(v) })
        .type_(|v: serde_json::Value| async move { Ok::<_, asl_runtime::Failure>(v) })
        .공격_훈련(|v: serde_json::Value| async move {
            Ok::<_, asl_runtime::Failure>(serde_json::json!({"done": v}))
        })
        .build();
    let outcome = machine.run(serde_json::json!(1)).await;
    assert_eq!(
        outcome.output,
        Some(serde_json::json!({"done": {"v": {"hello": 1}}}))
    );
}

#[tokio::test(start_paused = true)]
async fn substituted_placeholders_reach_the_plan() {
    let machine = options::Notify::builder()
        .send_sms(
            |request: serde_json::Value| async move { Ok::<_, asl_runtime::Failure>(request) },
        )
        .build();
    let outcome = machine.run(serde_json::json!({"greeting": "hi"})).await;
    assert_eq!(
        outcome.output,
        Some(
            serde_json::json!({"TopicArn": "arn:aws:sns:us-east-1:111111111111:customers", "Message": "hi"})
        )
    );
}
