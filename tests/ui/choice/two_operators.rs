// expect: SCHEMA_VALIDATION_FAILED
asl_runtime::asl!("two_operators.asl.json");

fn main() {}
