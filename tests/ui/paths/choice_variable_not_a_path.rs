// expect: SCHEMA_VALIDATION_FAILED
asl_runtime::asl!("choice_variable_not_a_path.asl.json");

fn main() {}
