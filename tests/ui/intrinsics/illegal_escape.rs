// expect: SCHEMA_VALIDATION_FAILED
asl_runtime::asl!("illegal_escape.asl.json");

fn main() {}
