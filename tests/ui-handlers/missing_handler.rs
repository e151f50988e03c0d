// A Task state without a handler does not compile; the error names the state.
asl_runtime::asl!("../fixtures/names.asl.json");

fn main() {
    let _machine = Names::builder()
        .say_hello(|v: serde_json::Value| async move { Ok::<_, asl_runtime::Failure>(v) })
        .a_b(|v: serde_json::Value| async move { Ok::<_, asl_runtime::Failure>(v) })
        .a_b_2(|v: serde_json::Value| async move { Ok::<_, asl_runtime::Failure>(v) })
        .type_(|v: serde_json::Value| async move { Ok::<_, asl_runtime::Failure>(v) })
        .build();
}
