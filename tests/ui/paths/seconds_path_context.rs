// expect: SCHEMA_VALIDATION_FAILED
asl_runtime::asl!("seconds_path_context.asl.json");

fn main() {}
