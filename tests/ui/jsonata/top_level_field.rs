// expect: UNSUPPORTED_JSONATA_EXPRESSION
asl_runtime::asl!("top_level_field.asl.json");

fn main() {}
