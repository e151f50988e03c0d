// expect: SCHEMA_VALIDATION_FAILED
asl_runtime::asl!("assign_outer_name_in_map.asl.json");

fn main() {}
