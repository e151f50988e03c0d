// expect: INVALID_JSON_DESCRIPTION
asl_runtime::asl!("truncated.asl.json");

fn main() {}
