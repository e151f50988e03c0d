// expect: SCHEMA_VALIDATION_FAILED
asl_runtime::asl!("retry_on_pass.asl.json");

fn main() {}
