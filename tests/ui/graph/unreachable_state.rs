// expect: MISSING_TRANSITION_TARGET
asl_runtime::asl!("unreachable_state.asl.json");

fn main() {}
