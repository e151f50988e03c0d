// expect: SCHEMA_VALIDATION_FAILED
asl_runtime::asl!("wrong_arity.asl.json");

fn main() {}
