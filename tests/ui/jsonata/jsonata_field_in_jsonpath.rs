// expect: SCHEMA_VALIDATION_FAILED
asl_runtime::asl!("jsonata_field_in_jsonpath.asl.json");

fn main() {}
