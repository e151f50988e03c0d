// expect: SCHEMA_VALIDATION_FAILED
asl_runtime::asl!("result_path_variable.asl.json");

fn main() {}
