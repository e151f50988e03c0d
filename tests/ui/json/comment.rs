// expect: INVALID_JSON_DESCRIPTION
asl_runtime::asl!("comment.asl.json");

fn main() {}
