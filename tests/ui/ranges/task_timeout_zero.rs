// expect: SCHEMA_VALIDATION_FAILED
asl_runtime::asl!("task_timeout_zero.asl.json");

fn main() {}
