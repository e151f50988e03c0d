// expect: SCHEMA_VALIDATION_FAILED
asl_runtime::asl!("placeholder_unsubstituted_number.asl.json");

fn main() {}
