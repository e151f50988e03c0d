// expect: SCHEMA_VALIDATION_FAILED
asl_runtime::asl!("field_of_other_state_type.asl.json");

fn main() {}
