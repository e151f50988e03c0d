// expect: SCHEMA_VALIDATION_FAILED
asl_runtime::asl!("unknown_type.asl.json");

fn main() {}
