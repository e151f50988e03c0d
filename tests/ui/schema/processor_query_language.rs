// expect: SCHEMA_VALIDATION_FAILED
asl_runtime::asl!("processor_query_language.asl.json");

fn main() {}
