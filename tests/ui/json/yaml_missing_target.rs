// expect: MISSING_TRANSITION_TARGET
asl_runtime::asl!("yaml_missing_target.asl.yaml");

fn main() {}
