// expect: SCHEMA_VALIDATION_FAILED
asl_runtime::asl!("states_all_not_alone.asl.json");

fn main() {}
