// expect: SCHEMA_VALIDATION_FAILED
asl_runtime::asl!("backoff_rate_below_one.asl.json");

fn main() {}
