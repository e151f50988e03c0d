// expect: SCHEMA_VALIDATION_FAILED
asl_runtime::asl!("not_an_object.asl.json");

fn main() {}
