// expect: SCHEMA_VALIDATION_FAILED
asl_runtime::asl!("name_too_long.asl.json");

fn main() {}
