// expect: SCHEMA_VALIDATION_FAILED
asl_runtime::asl!("fail_cause_and_cause_path.asl.json");

fn main() {}
