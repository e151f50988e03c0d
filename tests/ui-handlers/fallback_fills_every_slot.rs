// With a fallback, every Task state has a handler; this compiles (it is a `pass` case).
asl_runtime::asl!("../fixtures/names.asl.json");

fn main() {
    let _machine = Names::builder()
        .say_hello(|v: serde_json::Value| async move { Ok::<_, asl_runtime::Failure>(v) })
        .fallback(|v: serde_json::Value, ctx: asl_runtime::TaskContext| async move {
            Ok::<_, asl_runtime::Failure>(serde_json::json!({"routed": ctx.resource, "input": v}))
        })
        .build();
}
