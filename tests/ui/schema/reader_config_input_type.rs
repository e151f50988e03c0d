// expect: SCHEMA_VALIDATION_FAILED
asl_runtime::asl!("reader_config_input_type.asl.json");

fn main() {}
