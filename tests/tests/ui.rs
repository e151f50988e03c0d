//! Compile-fail tests: each `tests/ui/<category>/<case>.rs` calls `asl!` on the definition
//! beside it, which breaks one rule; its `.stderr` is the error rustc prints. The first line of
//! each `.rs` names the rule (`// expect: CODE`), and `every_case_names_its_rule_and_location`
//! checks that the recorded error carries that code and a `file:line:col`.
//!
//! After a deliberate change to the messages: `TRYBUILD=overwrite cargo test -p asl-tests --test ui`.

use std::path::Path;

#[test]
fn ui() {
    let t = trybuild::TestCases::new();
    t.compile_fail("ui/*/*.rs");
    t.compile_fail("ui-macro/*.rs");
    t.compile_fail("ui-handlers/missing_*.rs");
    t.pass("ui-handlers/fallback_*.rs");
}

#[test]
fn every_case_names_its_rule_and_location() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("ui");
    let mut count = 0;
    for category in std::fs::read_dir(&root)
        .expect("ui dir")
        .filter_map(Result::ok)
    {
        for entry in std::fs::read_dir(category.path())
            .expect("category dir")
            .filter_map(Result::ok)
        {
            let path = entry.path();
            if path.extension().is_none_or(|e| e != "rs") {
                continue;
            }
            count += 1;
            let source = std::fs::read_to_string(&path).expect("case source");
            let code = source
                .lines()
                .next()
                .and_then(|l| l.strip_prefix("// expect: "))
                .unwrap_or_else(|| panic!("{} lacks `// expect: CODE`", path.display()));
            let stderr = std::fs::read_to_string(path.with_extension("stderr"))
                .unwrap_or_else(|_| panic!("{} has no .stderr", path.display()));
            let first = stderr.lines().next().unwrap_or_default();
            assert!(
                first.starts_with(&format!("error: {code}: ")),
                "{}: first error is not {code}:\n{first}",
                path.display()
            );
            let stem = path
                .file_stem()
                .and_then(|s| s.to_str())
                .unwrap_or_default();
            let located = stderr.lines().nth(1).is_some_and(|l| {
                let l = l.trim_start();
                // `<case>.asl.json`, or the template `<case>.yaml`, `<case>.tf`, ….
                l.starts_with(&format!("--> {stem}."))
                    && l.rsplit(':').take(2).all(|n| n.parse::<u32>().is_ok())
            });
            assert!(
                located,
                "{}: the error does not point at {stem}.*:line:col:\n{stderr}",
                path.display()
            );
        }
    }
    assert!(count >= 60, "only {count} compile-fail cases");
}
