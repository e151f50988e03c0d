// expect: SCHEMA_VALIDATION_FAILED
asl_runtime::asl!("fail_error_path_call.asl.json");

fn main() {}
