// expect: SCHEMA_VALIDATION_FAILED
asl_runtime::asl!("missing_start_at.asl.json");

fn main() {}
