// expect: SCHEMA_VALIDATION_FAILED
asl_runtime::asl!("operator_without_variable.asl.json");

fn main() {}
