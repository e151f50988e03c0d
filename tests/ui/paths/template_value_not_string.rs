// expect: SCHEMA_VALIDATION_FAILED
asl_runtime::asl!("template_value_not_string.asl.json");

fn main() {}
