// expect: SCHEMA_VALIDATION_FAILED
asl_runtime::asl!("unknown_integration_action.asl.json");

fn main() {}
