// expect: UNSUPPORTED_JSONATA_EXPRESSION
asl_runtime::asl!("result_in_arguments.asl.json");

fn main() {}
