// A template with two state machines: the macro asks which.
asl_runtime::asl!("../fixtures/templates/sam.yaml");

fn main() {}
