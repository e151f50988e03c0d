// expect: SCHEMA_VALIDATION_FAILED
asl_runtime::asl!("variable_operator_in_jsonata.asl.json");

fn main() {}
