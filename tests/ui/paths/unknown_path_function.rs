// expect: SCHEMA_VALIDATION_FAILED
asl_runtime::asl!("unknown_path_function.asl.json");

fn main() {}
