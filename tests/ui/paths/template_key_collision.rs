// expect: SCHEMA_VALIDATION_FAILED
asl_runtime::asl!("template_key_collision.asl.json");

fn main() {}
