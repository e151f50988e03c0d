// expect: SCHEMA_VALIDATION_FAILED
asl_runtime::asl!("operand_wrong_type.asl.json");

fn main() {}
