// expect: SCHEMA_VALIDATION_FAILED
asl_runtime::asl!("placeholder_unresolved.asl.json");

fn main() {}
