// expect: MISSING_TRANSITION_TARGET
asl_runtime::asl!("missing_next_target.asl.json");

fn main() {}
