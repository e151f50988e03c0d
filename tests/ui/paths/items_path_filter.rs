// expect: SCHEMA_VALIDATION_FAILED
asl_runtime::asl!("items_path_filter.asl.json");

fn main() {}
