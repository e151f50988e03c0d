// expect: SCHEMA_VALIDATION_FAILED
asl_runtime::asl!("bad_filter.asl.json");

fn main() {}
