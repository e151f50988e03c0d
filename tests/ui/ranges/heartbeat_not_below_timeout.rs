// expect: SCHEMA_VALIDATION_FAILED
asl_runtime::asl!("heartbeat_not_below_timeout.asl.json");

fn main() {}
