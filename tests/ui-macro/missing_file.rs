asl_runtime::asl!("no_such_file.asl.json");

fn main() {}
