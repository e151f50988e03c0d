// expect: SCHEMA_VALIDATION_FAILED
asl_runtime::asl!("misspelled_operator.asl.json");

fn main() {}
