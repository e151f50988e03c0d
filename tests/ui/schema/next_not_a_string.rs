// expect: SCHEMA_VALIDATION_FAILED
asl_runtime::asl!("next_not_a_string.asl.json");

fn main() {}
