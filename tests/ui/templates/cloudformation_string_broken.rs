// expect: INVALID_JSON_DESCRIPTION
asl_runtime::asl!("cloudformation_string_broken.json");

fn main() {}
