// expect: TOO_DEEPLY_NESTED
asl_runtime::asl!("nested_too_deep.asl.json");

fn main() {}
