// expect: SCHEMA_VALIDATION_FAILED
asl_runtime::asl!("fail_error_and_error_path.asl.json");

fn main() {}
