// expect: SCHEMA_VALIDATION_FAILED
asl_runtime::asl!("sub_path.asl.json");

fn main() {}
