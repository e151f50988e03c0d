// expect: SCHEMA_VALIDATION_FAILED
asl_runtime::asl!("catcher_without_next.asl.json");

fn main() {}
