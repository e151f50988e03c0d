// expect: SCHEMA_VALIDATION_FAILED
asl_runtime::asl!("result_path_context.asl.json");

fn main() {}
