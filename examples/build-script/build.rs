//! Generates `$OUT_DIR/asl_workflows.rs` from every definition in `workflows/`. A definition
//! with a mistake fails the build with its file, line and column.

fn main() -> Result<(), Box<dyn std::error::Error>> {
    asl_codegen::Builder::new()
        .folder("workflows")
        // Like CloudFormation's DefinitionSubstitutions.
        .substitute("ReviewThreshold", "100")
        // Executions take a `Claim` and give a `Decision` (types of this crate).
        .typed("ExpenseClaim", "crate::Claim", "crate::Decision")
        .compile()?;
    Ok(())
}
