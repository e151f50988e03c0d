// expect: SCHEMA_VALIDATION_FAILED
asl_runtime::asl!("wait_two_durations.asl.json");

fn main() {}
