// expect: SCHEMA_VALIDATION_FAILED
asl_runtime::asl!(path = "express_wait_for_task_token.asl.json", machine_type = "EXPRESS");

fn main() {}
