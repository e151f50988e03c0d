// expect: SCHEMA_VALIDATION_FAILED
asl_runtime::asl!("no_operator.asl.json");

fn main() {}
