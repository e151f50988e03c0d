// expect: SCHEMA_VALIDATION_FAILED
asl_runtime::asl!("task_timeout_and_path.asl.json");

fn main() {}
