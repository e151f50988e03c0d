// expect: SCHEMA_VALIDATION_FAILED
asl_runtime::asl!("terraform_bad_type.tf");

fn main() {}
