// expect: SCHEMA_VALIDATION_FAILED
asl_runtime::asl!("invalid_name.asl.json");

fn main() {}
