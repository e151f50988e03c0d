// expect: SCHEMA_VALIDATION_FAILED
asl_runtime::asl!("condition_not_boolean.asl.json");

fn main() {}
