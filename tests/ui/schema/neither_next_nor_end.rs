// expect: SCHEMA_VALIDATION_FAILED
asl_runtime::asl!("neither_next_nor_end.asl.json");

fn main() {}
