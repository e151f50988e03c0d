// expect: SCHEMA_VALIDATION_FAILED
asl_runtime::asl!("wait_timestamp_no_zone.asl.json");

fn main() {}
