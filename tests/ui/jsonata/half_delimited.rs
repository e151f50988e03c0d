// expect: INVALID_JSONATA_EXPRESSION
asl_runtime::asl!("half_delimited.asl.json");

fn main() {}
