// expect: INVALID_LABEL_NAME
asl_runtime::asl!("label_invalid.asl.json");

fn main() {}
