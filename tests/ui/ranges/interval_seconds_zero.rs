// expect: SCHEMA_VALIDATION_FAILED
asl_runtime::asl!("interval_seconds_zero.asl.json");

fn main() {}
