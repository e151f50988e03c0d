// expect: SCHEMA_VALIDATION_FAILED
asl_runtime::asl!("missing_type.asl.json");

fn main() {}
