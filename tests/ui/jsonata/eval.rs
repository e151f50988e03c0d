// expect: UNSUPPORTED_JSONATA_EXPRESSION
asl_runtime::asl!("eval.asl.json");

fn main() {}
