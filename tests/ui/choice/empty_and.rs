// expect: SCHEMA_VALIDATION_FAILED
asl_runtime::asl!("empty_and.asl.json");

fn main() {}
