// expect: UNSUPPORTED_JSONATA_EXPRESSION
asl_runtime::asl!("dollar_dollar.asl.json");

fn main() {}
