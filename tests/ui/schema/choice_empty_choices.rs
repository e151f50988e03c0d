// expect: SCHEMA_VALIDATION_FAILED
asl_runtime::asl!("choice_empty_choices.asl.json");

fn main() {}
