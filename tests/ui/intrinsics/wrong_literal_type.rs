// expect: SCHEMA_VALIDATION_FAILED
asl_runtime::asl!("wrong_literal_type.asl.json");

fn main() {}
