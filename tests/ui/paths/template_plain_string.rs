// expect: SCHEMA_VALIDATION_FAILED
asl_runtime::asl!("template_plain_string.asl.json");

fn main() {}
