// expect: SCHEMA_VALIDATION_FAILED
asl_runtime::asl!("map_processor_and_iterator.asl.json");

fn main() {}
