// expect: SCHEMA_VALIDATION_FAILED
asl_runtime::asl!("parallel_empty_branches.asl.json");

fn main() {}
