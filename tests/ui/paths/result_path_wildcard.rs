// expect: SCHEMA_VALIDATION_FAILED
asl_runtime::asl!("result_path_wildcard.asl.json");

fn main() {}
