// expect: SCHEMA_VALIDATION_FAILED
asl_runtime::asl!("wait_no_duration.asl.json");

fn main() {}
