// Every problem in a definition is reported at once, each at its own line and column.
asl_runtime::asl!("many_errors.asl.json");

fn main() {}
