//! Every row of `shared/conformance/invalid.jsonl` through the checks: definitions AWS (or an
//! established validator) rejected must be rejected, the ones it accepted must be accepted.
//! For AWS's own verdicts the first diagnostic must carry AWS's code and JSON-pointer location.

mod support;

use std::collections::HashMap;

use asl_codegen::{CheckOptions, MachineType, Syntax, check_source};
use serde_json::Value;

/// Ids listed in `tests/conformance/known-differences.md` as `` `id` `` at the start of a bullet.
fn known_differences() -> HashMap<String, String> {
    let text = include_str!("../conformance/known-differences.md");
    text.lines()
        .filter_map(|l| l.strip_prefix("- `"))
        .filter_map(|l| l.split_once('`'))
        .map(|(id, reason)| {
            (
                id.to_owned(),
                reason
                    .trim_start_matches([' ', ':', '—', '-'])
                    .trim()
                    .to_owned(),
            )
        })
        .collect()
}

#[test]
fn invalid_definition_corpus() {
    let Some(path) = support::shared("ASL_INVALID_CASES", "conformance/invalid.jsonl") else {
        return;
    };
    let text = std::fs::read_to_string(&path).expect("readable corpus");
    let known = known_differences();
    let (mut agree, mut disagree, mut aws_agree, mut aws_disagree) = (0, 0, 0, 0);
    let mut unexplained = Vec::new();
    let mut validator_misses = Vec::new();
    for line in text.lines().filter(|l| !l.trim().is_empty()) {
        let row: Value = serde_json::from_str(line).expect("corpus rows are JSON");
        let id = row["id"].as_str().unwrap_or_default();
        let definition = row["definition_text"].as_str().unwrap_or_default();
        let options = CheckOptions {
            machine_type: if row["state_machine_type"] == "EXPRESS" {
                MachineType::Express
            } else {
                MachineType::Standard
            },
        };
        let checked = check_source(definition, Syntax::Json, &options);
        let first = checked.errors().next();
        let from_aws = row["source"] == "localstack";
        let ok = match row["verdict"].as_str() {
            Some("valid") => first.is_none(),
            _ => match (first, from_aws) {
                (None, _) => false,
                (Some(_), false) => true,
                (Some(d), true) => {
                    let expected = &row["aws"]["diagnostics"][0];
                    let code_ok = expected["code"].as_str() == Some(d.code.as_str());
                    let location = expected["location"].as_str().unwrap_or("");
                    code_ok && (!location.starts_with('/') || location == d.pointer.as_str())
                }
            },
        };
        let got = first.map_or("accepted".to_owned(), |d| d.to_string());
        if ok {
            agree += 1;
            if from_aws {
                aws_agree += 1;
            }
        } else {
            disagree += 1;
            if from_aws {
                aws_disagree += 1;
                if !known.contains_key(id) {
                    let want = row["aws"]["message"].as_str().unwrap_or("accepted");
                    unexplained.push(format!("{id}\n    AWS: {want}\n    we:  {got}"));
                }
            } else {
                validator_misses.push(format!(
                    "{id} ({}): we {got}",
                    row["verdict"].as_str().unwrap_or("")
                ));
            }
        }
    }
    println!(
        "invalid-definition corpus: {agree} agree, {disagree} disagree (AWS verdicts: {aws_agree} agree, {aws_disagree} disagree)"
    );
    for m in &validator_misses {
        println!("  validator verdict not matched: {m}");
    }
    assert!(
        unexplained.is_empty(),
        "AWS verdicts we disagree with, not in known-differences.md:\n{}",
        unexplained.join("\n")
    );
    let validator_total = agree + disagree - aws_agree - aws_disagree;
    let validator_agree = agree - aws_agree;
    assert!(
        validator_agree * 100 >= validator_total * 95,
        "only {validator_agree} of {validator_total} validator verdicts agree (95% needed)"
    );
}
