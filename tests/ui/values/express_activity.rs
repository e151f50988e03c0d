// expect: SCHEMA_VALIDATION_FAILED
asl_runtime::asl!(path = "express_activity.asl.json", machine_type = "EXPRESS");

fn main() {}
