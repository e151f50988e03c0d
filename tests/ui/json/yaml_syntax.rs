// expect: INVALID_JSON_DESCRIPTION
asl_runtime::asl!("yaml_syntax.asl.yaml");

fn main() {}
