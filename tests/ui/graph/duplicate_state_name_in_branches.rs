// expect: DUPLICATE_STATE_NAME
asl_runtime::asl!("duplicate_state_name_in_branches.asl.json");

fn main() {}
