// expect: SCHEMA_VALIDATION_FAILED
asl_runtime::asl!("states_all_not_last_catcher.asl.json");

fn main() {}
