// expect: UNSUPPORTED_JSONATA_EXPRESSION
asl_runtime::asl!("error_output_outside_catch.asl.json");

fn main() {}
