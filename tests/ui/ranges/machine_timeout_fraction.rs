// expect: SCHEMA_VALIDATION_FAILED
asl_runtime::asl!("machine_timeout_fraction.asl.json");

fn main() {}
