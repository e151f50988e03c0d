// expect: SCHEMA_VALIDATION_FAILED
asl_runtime::asl!("bad_input_path.asl.json");

fn main() {}
