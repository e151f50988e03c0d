// expect: SCHEMA_VALIDATION_FAILED
asl_runtime::asl!("max_attempts_negative.asl.json");

fn main() {}
