//! Finding the shared corpora beside the checkout (they are never copied into the project).

use std::path::PathBuf;

/// The path named by `var`, else `../shared/<rel>` beside the workspace; `None` (after saying
/// so on stderr) when it does not exist, so the calling test can skip.
pub fn shared(var: &str, rel: &str) -> Option<PathBuf> {
    let path = std::env::var_os(var).map(PathBuf::from).unwrap_or_else(|| {
        PathBuf::from(env!("CARGO_MANIFEST_DIR"))
            .join("../../shared")
            .join(rel)
    });
    if path.exists() {
        Some(path)
    } else {
        eprintln!(
            "SKIPPED: {} not found (set {var} to point at it)",
            path.display()
        );
        None
    }
}
