// expect: SCHEMA_VALIDATION_FAILED
asl_runtime::asl!("credentials_without_role.asl.json");

fn main() {}
