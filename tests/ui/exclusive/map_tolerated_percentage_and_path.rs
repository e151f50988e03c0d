// expect: SCHEMA_VALIDATION_FAILED
asl_runtime::asl!("map_tolerated_percentage_and_path.asl.json");

fn main() {}
