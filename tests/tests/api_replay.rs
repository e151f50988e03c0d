//! AWS's recorded answers: the 43 Step Functions API call sequences of
//! `../shared/conformance/api.jsonl` replayed through boto3 against the API server, each on a
//! fresh server that has every sequence's definitions compiled in (served once a sequence
//! creates them, as on AWS). Every recorded error code and message, and every recorded
//! response, must agree for the operations the server serves; the steps it cannot replay are
//! listed with the reason. Skips, saying so, without the corpus or boto3 (under CI, boto3 is
//! required).

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::process::Command;

use serde_json::Value;

fn corpus() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../shared/conformance")
}

fn python_with_boto3() -> Option<PathBuf> {
    let workspace = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("..");
    [
        std::env::var_os("ASL_PYTHON").map(PathBuf::from),
        Some(workspace.join(".ci/venv/bin/python")),
        Some(PathBuf::from("python3")),
    ]
    .into_iter()
    .flatten()
    .find(|p| {
        Command::new(p)
            .args(["-c", "import boto3"])
            .output()
            .is_ok_and(|o| o.status.success())
    })
}

/// Why a step whose answer differs cannot be replayed here, when the reason is one of what
/// the server does not do, or of how the recording was written (rather than a difference to
/// fix).
fn not_replayable(case: &Value, op: &str, detail: &str) -> Option<&'static str> {
    // The recording's normalisation replaced one value by several placeholders (numbered by
    // occurrence); a replay normalised by pattern can only produce the first.
    let regexes = case["normalize"]["regex"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    let ambiguous = regexes.iter().any(|r| {
        let (pattern, replacement) = (&r[0], r[1].as_str().unwrap_or_default());
        regexes.iter().filter(|o| o[0] == *pattern).count() > 1
            && detail.contains(&format!("\"{replacement}\""))
    });
    if ambiguous {
        return Some("the recording's normalisation maps one value to several placeholders");
    }
    let definitions: String = case["state_machines"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|m| m["definition"].as_str())
        .collect();
    if matches!(op, "CreateActivity" | "DeleteStateMachineVersion") {
        return Some("operation not served (activities, versions)");
    }
    let versions = case["steps"].as_array().into_iter().flatten().any(|s| {
        s["request"]["publish"] == true
            || s["request"]["stateMachineArn"].as_str().is_some_and(|a| {
                a.rsplit(':')
                    .next()
                    .is_some_and(|v| v.parse::<u32>().is_ok())
            })
    });
    if versions {
        return Some("state machine versions are not served");
    }
    if ["aws-sdk:", ".waitForTaskToken\"", ":activity:", ".sync\""]
        .iter()
        .any(|r| definitions.contains(r))
    {
        return Some("the workflow calls AWS services (SQS, SNS, Step Functions, activities)");
    }
    None
}

#[test]
fn recorded_api_sequences_agree_with_aws() {
    let Ok(text) = std::fs::read_to_string(corpus().join("api.jsonl")) else {
        println!("SKIPPED: ../shared/conformance/api.jsonl is absent");
        return;
    };
    let Some(python) = python_with_boto3() else {
        assert!(
            std::env::var("CI").as_deref() != Ok("true"),
            "boto3 is missing, and CI must run this test (.ci/run installs it)"
        );
        println!("SKIPPED: boto3 is not installed (run .ci/run, or pip install boto3)");
        return;
    };
    let script = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("api/replay.py");
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .expect("a runtime");
    let dir = std::env::temp_dir().join(format!("asl-api-replay-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("a temporary folder");

    let mut counts: BTreeMap<&str, usize> = BTreeMap::new();
    let mut skipped: Vec<String> = Vec::new();
    let mut mismatches: Vec<String> = Vec::new();
    for (n, line) in text.lines().filter(|l| !l.trim().is_empty()).enumerate() {
        let case: Value = serde_json::from_str(line).expect("a JSON line");
        let id = case["id"].as_str().unwrap_or_default().to_owned();
        let file = dir.join(format!("case-{n}.json"));
        std::fs::write(&file, line).expect("written");
        let mut builder = asl_server::Server::builder()
            .bind("127.0.0.1:0")
            .throttle(asl_server::Throttle::unlimited());
        for (machine, _) in asl_tests::api::machines() {
            builder = builder.deployable(machine);
        }
        let server = rt.block_on(builder.build()).expect("the server starts");
        let endpoint = format!("http://{}", server.local_addr().expect("an address"));
        let serving = rt.spawn(server.serve());
        let out = Command::new(&python)
            .arg(&script)
            .arg(&endpoint)
            .arg(&file)
            .arg(corpus())
            .output()
            .expect("python runs");
        serving.abort();
        assert!(
            out.status.success(),
            "{id}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        for line in String::from_utf8_lossy(&out.stdout).lines() {
            let step: Value = serde_json::from_str(line).expect("a step line");
            let op = step["op"].as_str().unwrap_or_default();
            let detail = step["detail"].as_str().unwrap_or_default();
            let at = format!("{id} step {} {op}", step["step"]);
            match step["result"].as_str().unwrap_or_default() {
                "match" => *counts.entry("matched").or_default() += 1,
                "unrecorded" => *counts.entry("not recorded").or_default() += 1,
                "unserved" => {
                    *counts.entry("not replayable").or_default() += 1;
                    skipped.push(format!("{at}: {detail}"));
                }
                _ => match not_replayable(&case, op, detail) {
                    Some(why) => {
                        *counts.entry("not replayable").or_default() += 1;
                        skipped.push(format!("{at}: {why} ({detail})"));
                    }
                    None => mismatches.push(format!("{at}: {detail}")),
                },
            }
        }
    }
    let _ = std::fs::remove_dir_all(&dir);
    println!(
        "recorded API steps: {counts:?}, {} differing",
        mismatches.len()
    );
    for s in &skipped {
        println!("  not replayable: {s}");
    }
    assert!(
        mismatches.is_empty(),
        "answers that differ from AWS's:\n{}",
        mismatches.join("\n")
    );
}
