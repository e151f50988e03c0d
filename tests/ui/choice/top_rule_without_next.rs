// expect: SCHEMA_VALIDATION_FAILED
asl_runtime::asl!("top_rule_without_next.asl.json");

fn main() {}
