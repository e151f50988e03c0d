// expect: SCHEMA_VALIDATION_FAILED
asl_runtime::asl!("max_delay_seconds_zero.asl.json");

fn main() {}
