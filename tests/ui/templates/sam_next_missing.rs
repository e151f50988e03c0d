// expect: MISSING_TRANSITION_TARGET
asl_runtime::asl!("sam_next_missing.yaml");

fn main() {}
