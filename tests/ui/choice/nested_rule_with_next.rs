// expect: SCHEMA_VALIDATION_FAILED
asl_runtime::asl!("nested_rule_with_next.asl.json");

fn main() {}
