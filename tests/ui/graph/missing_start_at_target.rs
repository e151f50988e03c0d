// expect: MISSING_TRANSITION_TARGET
asl_runtime::asl!("missing_start_at_target.asl.json");

fn main() {}
