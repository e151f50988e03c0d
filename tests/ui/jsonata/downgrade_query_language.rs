// expect: SCHEMA_VALIDATION_FAILED
asl_runtime::asl!("downgrade_query_language.asl.json");

fn main() {}
