// expect: SCHEMA_VALIDATION_FAILED
asl_runtime::asl!("wait_timestamp_lowercase.asl.json");

fn main() {}
