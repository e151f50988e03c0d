// expect: SCHEMA_VALIDATION_FAILED
asl_runtime::asl!("empty_states.asl.json");

fn main() {}
