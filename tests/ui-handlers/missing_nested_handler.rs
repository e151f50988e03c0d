// A Task state inside a Parallel branch needs a handler like any other; the error names it.
asl_runtime::asl!("../fixtures/branches.asl.json");

fn main() {
    let _machine = Branches::builder()
        .left(|v: serde_json::Value| async move { Ok::<_, asl_runtime::Failure>(v) })
        .build();
}
