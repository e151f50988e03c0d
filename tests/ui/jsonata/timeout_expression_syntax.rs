// expect: INVALID_JSONATA_EXPRESSION
asl_runtime::asl!("timeout_expression_syntax.asl.json");

fn main() {}
