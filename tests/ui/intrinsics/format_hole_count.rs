// expect: SCHEMA_VALIDATION_FAILED
asl_runtime::asl!("format_hole_count.asl.json");

fn main() {}
