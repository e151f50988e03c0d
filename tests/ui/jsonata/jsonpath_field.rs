// expect: SCHEMA_VALIDATION_FAILED
asl_runtime::asl!("jsonpath_field.asl.json");

fn main() {}
