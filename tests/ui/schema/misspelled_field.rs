// expect: SCHEMA_VALIDATION_FAILED
asl_runtime::asl!("misspelled_field.asl.json");

fn main() {}
