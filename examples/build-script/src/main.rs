//! `cargo run -p asl-build-example`: runs two claims through the generated machine.

use asl_build_example::Claim;

#[tokio::main]
async fn main() -> Result<(), asl_runtime::EdgeError> {
    let machine = asl_build_example::expense_claims();
    for (id, amount) in [("c-1", 40.0), ("c-2", 900.0)] {
        let claim = Claim {
            id: id.to_owned(),
            amount,
        };
        let outcome = machine.run(&claim).await?;
        println!("{claim:?} → {:?} {:?}", outcome.status, outcome.output);
    }
    Ok(())
}
