// expect: INVALID_STATE_NAME
asl_runtime::asl!("state_name_too_long.asl.json");

fn main() {}
