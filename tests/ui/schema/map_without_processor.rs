// expect: SCHEMA_VALIDATION_FAILED
asl_runtime::asl!("map_without_processor.asl.json");

fn main() {}
