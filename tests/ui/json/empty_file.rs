// expect: SCHEMA_VALIDATION_FAILED
asl_runtime::asl!("empty_file.asl.json");

fn main() {}
