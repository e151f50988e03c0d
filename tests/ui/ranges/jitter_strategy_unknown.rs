// expect: SCHEMA_VALIDATION_FAILED
asl_runtime::asl!("jitter_strategy_unknown.asl.json");

fn main() {}
