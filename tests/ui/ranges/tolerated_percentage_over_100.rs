// expect: SCHEMA_VALIDATION_FAILED
asl_runtime::asl!("tolerated_percentage_over_100.asl.json");

fn main() {}
