// expect: MISSING_END_STATE
asl_runtime::asl!("no_terminal_state.asl.json");

fn main() {}
