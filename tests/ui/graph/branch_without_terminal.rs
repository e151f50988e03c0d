// expect: MISSING_END_STATE
asl_runtime::asl!("branch_without_terminal.asl.json");

fn main() {}
