// expect: SCHEMA_VALIDATION_FAILED
asl_runtime::asl!("unknown_top_level_field.asl.json");

fn main() {}
