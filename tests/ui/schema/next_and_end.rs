// expect: SCHEMA_VALIDATION_FAILED
asl_runtime::asl!("next_and_end.asl.json");

fn main() {}
