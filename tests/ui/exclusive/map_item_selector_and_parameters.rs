// expect: SCHEMA_VALIDATION_FAILED
asl_runtime::asl!("map_item_selector_and_parameters.asl.json");

fn main() {}
