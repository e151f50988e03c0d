// expect: SCHEMA_VALIDATION_FAILED
asl_runtime::asl!("missing_states.asl.json");

fn main() {}
