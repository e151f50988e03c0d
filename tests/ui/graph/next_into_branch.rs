// expect: MISSING_TRANSITION_TARGET
asl_runtime::asl!("next_into_branch.asl.json");

fn main() {}
