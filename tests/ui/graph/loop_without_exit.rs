// expect: MISSING_END_STATE
asl_runtime::asl!("loop_without_exit.asl.json");

fn main() {}
