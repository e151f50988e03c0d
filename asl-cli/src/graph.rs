//! `asl graph`: the workflow as Mermaid or Graphviz DOT (drawn by `asl_codegen::graph`) or
//! SVG through Graphviz; with `--history`, the path an execution took coloured as the console
//! colours it.

use std::collections::{HashMap, HashSet};
use std::io::Write as _;
use std::path::PathBuf;
use std::process::{ExitCode, Stdio};

use asl_codegen::graph::{self, Visit};
use asl_codegen::{Syntax, check_source_with};
use serde_json::Value;

use crate::{Common, GraphFormat, Unreadable, options, read, read_or_exit, render};

/// Where the history to colour comes from.
pub enum History {
    /// A GetExecutionHistory JSON file.
    File(PathBuf),
    /// An execution kept in a store.
    Store {
        /// The store's file.
        db: PathBuf,
        /// The execution's ARN.
        arn: String,
    },
}

pub fn run(
    path: &PathBuf,
    format: GraphFormat,
    history: Option<&History>,
    common: &Common,
) -> ExitCode {
    let text = match read_or_exit(path) {
        Ok(t) => t,
        Err(code) => return code,
    };
    let file = path.display().to_string();
    let checked = check_source_with(
        &text,
        Syntax::from_file_name(&file),
        &options(common),
        &common.set,
    );
    let machine = match (&checked.machine, checked.is_ok()) {
        (Some(m), true) => m,
        _ => {
            for d in checked.errors() {
                eprintln!("{}", render::human(d, &file, &text, false));
            }
            return ExitCode::from(1);
        }
    };
    let visits = match history {
        None => None,
        Some(History::File(path)) => match read_history(path) {
            Ok(events) => Some(visits(&events)),
            Err(m) => {
                eprintln!("error: {m}");
                return ExitCode::from(2);
            }
        },
        Some(History::Store { db, arn }) => match crate::executions::events(db, arn) {
            Ok(events) => {
                let events: Vec<Value> = events
                    .iter()
                    .filter_map(|e| serde_json::to_value(e).ok())
                    .collect();
                Some(visits(&events))
            }
            Err(code) => return code,
        },
    };
    match format {
        GraphFormat::Mermaid => print!("{}", graph::mermaid(machine, visits)),
        GraphFormat::Dot => print!("{}", graph::dot(machine, visits)),
        GraphFormat::Svg => return svg(&graph::dot(machine, visits)),
    }
    ExitCode::SUCCESS
}

/// Draws DOT text as SVG on stdout through Graphviz's `dot`.
pub fn svg(dot: &str) -> ExitCode {
    let child = std::process::Command::new("dot")
        .arg("-Tsvg")
        .stdin(Stdio::piped())
        .stdout(Stdio::inherit())
        .spawn();
    let Ok(mut child) = child else {
        eprintln!(
            "error: --format svg needs Graphviz's `dot` on the PATH (install graphviz), or use --format dot or mermaid"
        );
        return ExitCode::from(2);
    };
    if let Some(mut stdin) = child.stdin.take() {
        let _ = stdin.write_all(dot.as_bytes());
    }
    match child.wait() {
        Ok(s) if s.success() => ExitCode::SUCCESS,
        _ => {
            eprintln!("error: Graphviz's `dot` failed");
            ExitCode::from(2)
        }
    }
}

/// Reads a history: GetExecutionHistory's `{"events": […]}` or a bare array of events.
fn read_history(path: &PathBuf) -> Result<Vec<Value>, String> {
    let text = read(path).map_err(|Unreadable(m)| m)?;
    let doc: Value =
        serde_json::from_str(&text).map_err(|e| format!("{}: not JSON: {e}", path.display()))?;
    doc.get("events")
        .unwrap_or(&doc)
        .as_array()
        .cloned()
        .ok_or_else(|| format!("{}: no array of events", path.display()))
}

/// The states a history entered, and whether it left them: events with `type` (or `kind`)
/// and the state name in `*EventDetails.name` (or `details.name`).
fn visits(events: &[Value]) -> HashMap<String, Visit> {
    let mut entered = HashSet::new();
    let mut exited = HashSet::new();
    for e in events {
        let kind = e
            .get("type")
            .or_else(|| e.get("kind"))
            .and_then(Value::as_str)
            .unwrap_or("");
        let name = e
            .as_object()
            .into_iter()
            .flat_map(|o| o.values())
            .filter(|v| v.is_object())
            .find_map(|d| d.get("name").and_then(Value::as_str));
        let Some(name) = name else { continue };
        if kind.ends_with("StateEntered") {
            entered.insert(name.to_owned());
        } else if kind.ends_with("StateExited") {
            exited.insert(name.to_owned());
        }
    }
    entered
        .into_iter()
        .map(|n| {
            let v = if exited.contains(&n) {
                Visit::Succeeded
            } else {
                Visit::Failed
            };
            (n, v)
        })
        .collect()
}
