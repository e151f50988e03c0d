// expect: SCHEMA_VALIDATION_FAILED
asl_runtime::asl!("unknown_function.asl.json");

fn main() {}
