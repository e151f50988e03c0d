// expect: MISSING_TRANSITION_TARGET
asl_runtime::asl!("next_out_of_map.asl.json");

fn main() {}
