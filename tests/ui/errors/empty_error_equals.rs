// expect: SCHEMA_VALIDATION_FAILED
asl_runtime::asl!("empty_error_equals.asl.json");

fn main() {}
