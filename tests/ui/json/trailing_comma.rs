// expect: INVALID_JSON_DESCRIPTION
asl_runtime::asl!("trailing_comma.asl.json");

fn main() {}
