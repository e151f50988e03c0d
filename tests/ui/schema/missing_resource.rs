// expect: SCHEMA_VALIDATION_FAILED
asl_runtime::asl!("missing_resource.asl.json");

fn main() {}
