// expect: INVALID_JSON_DESCRIPTION
asl_runtime::asl!("duplicate_key.asl.json");

fn main() {}
