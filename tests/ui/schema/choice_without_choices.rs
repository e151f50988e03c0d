// expect: SCHEMA_VALIDATION_FAILED
asl_runtime::asl!("choice_without_choices.asl.json");

fn main() {}
