// expect: MISSING_TRANSITION_TARGET
asl_runtime::asl!("missing_catch_target.asl.json");

fn main() {}
