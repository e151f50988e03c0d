// expect: SCHEMA_VALIDATION_FAILED
asl_runtime::asl!("template_bad_path.asl.json");

fn main() {}
