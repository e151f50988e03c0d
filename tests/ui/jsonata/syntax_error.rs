// expect: INVALID_JSONATA_EXPRESSION
asl_runtime::asl!("syntax_error.asl.json");

fn main() {}
