// expect: SCHEMA_VALIDATION_FAILED
asl_runtime::asl!("item_batcher_without_max.asl.json");

fn main() {}
