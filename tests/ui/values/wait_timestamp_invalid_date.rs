// expect: SCHEMA_VALIDATION_FAILED
asl_runtime::asl!("wait_timestamp_invalid_date.asl.json");

fn main() {}
