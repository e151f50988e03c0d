//! `asl coverage`: merges the coverage reports test runs wrote (`ASL_COVERAGE=DIR`) and prints
//! them per definition as a table, as JSON, or as the workflow drawn with its covered parts
//! green and the rest red; `--fail-under` fails a build whose coverage is too low.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use asl_codegen::graph::{self, Covered, Via};
use asl_codegen::{CheckOptions, Syntax, check_source_with};
use asl_runtime::coverage::Report;

use crate::graph::svg;

/// How `asl coverage` prints the reports.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum CoverageFormat {
    /// A summary table per definition, with what was not covered.
    Table,
    /// The merged reports, one JSON array.
    Json,
    /// Each workflow as a Mermaid flowchart, coloured.
    Mermaid,
    /// Each workflow as a Graphviz digraph, coloured.
    Dot,
    /// One workflow as SVG through Graphviz (`--machine` chooses it when there are several).
    Svg,
}

/// Runs `asl coverage`.
pub fn run(
    paths: &[PathBuf],
    format: CoverageFormat,
    machine: Option<&str>,
    fail_under: Option<f64>,
) -> ExitCode {
    let mut files = Vec::new();
    for p in paths {
        if let Err(m) = report_files(p, &mut files) {
            eprintln!("error: {m}");
            return ExitCode::from(2);
        }
    }
    // Merged by machine and definition; a definition that changed between runs is reported
    // apart.
    let mut merged: BTreeMap<(String, String), Report> = BTreeMap::new();
    for f in &files {
        let report = match read_report(f) {
            Ok(r) => r,
            Err(m) => {
                eprintln!("error: {m}");
                return ExitCode::from(2);
            }
        };
        let key = (report.machine.clone(), report.fingerprint.clone());
        match merged.get_mut(&key) {
            Some(into) => {
                if let Err(e) = into.merge(&report) {
                    eprintln!("error: {}: {e}", f.display());
                    return ExitCode::from(2);
                }
            }
            None => {
                merged.insert(key, report);
            }
        }
    }
    let reports: Vec<Report> = merged
        .into_values()
        .filter(|r| machine.is_none_or(|m| r.machine == m))
        .collect();
    if reports.is_empty() {
        eprintln!(
            "error: no coverage reports{} in {}",
            machine.map(|m| format!(" of {m}")).unwrap_or_default(),
            paths
                .iter()
                .map(|p| p.display().to_string())
                .collect::<Vec<_>>()
                .join(", ")
        );
        return ExitCode::from(2);
    }
    let printed = match format {
        CoverageFormat::Table => {
            for r in &reports {
                println!("{r}");
            }
            ExitCode::SUCCESS
        }
        CoverageFormat::Json => match serde_json::to_string_pretty(&reports) {
            Ok(text) => {
                println!("{text}");
                ExitCode::SUCCESS
            }
            Err(e) => {
                eprintln!("error: {e}");
                ExitCode::from(2)
            }
        },
        CoverageFormat::Mermaid | CoverageFormat::Dot | CoverageFormat::Svg => {
            draw(&reports, format)
        }
    };
    if printed != ExitCode::SUCCESS {
        return printed;
    }
    if let Some(min) = fail_under {
        let low: Vec<&Report> = reports
            .iter()
            .filter(|r| r.total().percent() < min)
            .collect();
        for r in &low {
            eprintln!(
                "error: {} covers {:.1} % of its definition, less than {min} %",
                r.machine,
                r.total().percent()
            );
        }
        if !low.is_empty() {
            return ExitCode::from(1);
        }
    }
    ExitCode::SUCCESS
}

/// The report files at `path`: the file itself, or a directory's `*.json` files.
fn report_files(path: &Path, out: &mut Vec<PathBuf>) -> Result<(), String> {
    if !path.is_dir() {
        out.push(path.to_owned());
        return Ok(());
    }
    let entries = std::fs::read_dir(path).map_err(|e| format!("{}: {e}", path.display()))?;
    let mut found: Vec<PathBuf> = entries
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| {
            p.extension().is_some_and(|x| x == "json")
                && !p
                    .file_name()
                    .is_some_and(|n| n.to_string_lossy().starts_with('.'))
        })
        .collect();
    found.sort();
    out.extend(found);
    Ok(())
}

fn read_report(path: &Path) -> Result<Report, String> {
    let text = std::fs::read_to_string(path).map_err(|e| format!("{}: {e}", path.display()))?;
    serde_json::from_str(&text)
        .map_err(|e| format!("{}: not a coverage report: {e}", path.display()))
}

/// What a report covered, as the drawing of `machine` (its definition) colours it.
fn covered(r: &Report, machine: &asl_codegen::model::StateMachine) -> Covered {
    let mut c = Covered::default();
    c.states.extend(
        r.states
            .iter()
            .filter(|s| s.entered > 0)
            .map(|s| s.name.clone()),
    );
    let mut edges = Vec::new();
    for b in r.branches.iter().filter(|b| b.taken > 0) {
        let via = b.rule.map_or(Via::Default, Via::Rule);
        edges.push((b.state.clone(), via));
    }
    for k in r.catchers.iter().filter(|k| k.used > 0) {
        edges.push((k.state.clone(), Via::Catch(k.index)));
    }
    // A `Next` edge is taken when the transition to its target was.
    for s in machine
        .containers()
        .into_iter()
        .flat_map(|c| c.states.iter())
    {
        let Some(next) = &s.next else { continue };
        let taken = r
            .transitions
            .iter()
            .any(|t| t.from == s.name && t.to == next.value && t.taken > 0);
        if taken {
            edges.push((s.name.clone(), Via::Next));
        }
    }
    c.edges.extend(edges);
    c
}

fn draw(reports: &[Report], format: CoverageFormat) -> ExitCode {
    if format == CoverageFormat::Svg && reports.len() > 1 {
        eprintln!(
            "error: SVG draws one workflow; choose it with --machine ({})",
            reports
                .iter()
                .map(|r| r.machine.as_str())
                .collect::<Vec<_>>()
                .join(", ")
        );
        return ExitCode::from(2);
    }
    for r in reports {
        let checked = check_source_with(
            &r.definition,
            Syntax::Json,
            &CheckOptions {
                machine_type: asl_codegen::MachineType::Standard,
            },
            &[],
        );
        let Some(machine) = &checked.machine else {
            eprintln!(
                "error: the definition in the report of {} does not read",
                r.machine
            );
            return ExitCode::from(2);
        };
        let covered = covered(r, machine);
        match format {
            CoverageFormat::Mermaid => {
                println!("%% {} ({})", r.machine, r.file);
                print!("{}", graph::mermaid_covered(machine, &covered));
            }
            CoverageFormat::Dot => print!("{}", graph::dot_covered(machine, &covered)),
            _ => return svg(&graph::dot_covered(machine, &covered)),
        }
    }
    ExitCode::SUCCESS
}
