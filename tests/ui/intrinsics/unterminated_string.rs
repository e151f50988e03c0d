// expect: SCHEMA_VALIDATION_FAILED
asl_runtime::asl!("unterminated_string.asl.json");

fn main() {}
