// expect: SCHEMA_VALIDATION_FAILED
asl_runtime::asl!("processor_mode.asl.json");

fn main() {}
