// expect: SCHEMA_VALIDATION_FAILED
asl_runtime::asl!("reserved_states.asl.json");

fn main() {}
