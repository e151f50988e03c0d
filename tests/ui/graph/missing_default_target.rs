// expect: MISSING_TRANSITION_TARGET
asl_runtime::asl!("missing_default_target.asl.json");

fn main() {}
