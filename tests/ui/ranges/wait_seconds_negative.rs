// expect: SCHEMA_VALIDATION_FAILED
asl_runtime::asl!("wait_seconds_negative.asl.json");

fn main() {}
