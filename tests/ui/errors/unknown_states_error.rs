// expect: SCHEMA_VALIDATION_FAILED
asl_runtime::asl!("unknown_states_error.asl.json");

fn main() {}
