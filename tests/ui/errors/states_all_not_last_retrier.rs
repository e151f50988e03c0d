// expect: SCHEMA_VALIDATION_FAILED
asl_runtime::asl!("states_all_not_last_retrier.asl.json");

fn main() {}
