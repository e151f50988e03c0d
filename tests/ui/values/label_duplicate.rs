// expect: DUPLICATE_LABEL_NAME
asl_runtime::asl!("label_duplicate.asl.json");

fn main() {}
