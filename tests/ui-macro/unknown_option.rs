asl_runtime::asl!(path = "../ui/graph/unreachable_state.asl.json", nmae = Flow);

fn main() {}
