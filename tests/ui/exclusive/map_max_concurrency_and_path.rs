// expect: SCHEMA_VALIDATION_FAILED
asl_runtime::asl!("map_max_concurrency_and_path.asl.json");

fn main() {}
