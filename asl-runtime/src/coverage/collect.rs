//! Coverage collected across a whole process, opt-in: with `ASL_COVERAGE` set to a directory,
//! every execution a [`Machine`](crate::Machine) runs is counted in its definition's
//! [`Report`], and the report is written there after each execution as
//! `<machine>-<fingerprint>-<process id>.json` (replaced whole, by a rename, so a reader never
//! sees half a file). Test binaries and servers write side by side; `asl coverage DIR` merges
//! them.

use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::{Mutex, OnceLock};

use super::Report;
use crate::Outcome;
use crate::definition::Definition;
use crate::plan::Plan;

/// The environment variable naming the directory coverage is written to.
pub const ENV: &str = "ASL_COVERAGE";

struct Collector {
    dir: PathBuf,
    /// The reports of this process, by machine and definition (its static text's address:
    /// no hashing per execution).
    reports: Mutex<HashMap<(String, usize), Report>>,
    /// Whether a failure to write was reported already (it is reported once).
    warned: std::sync::atomic::AtomicBool,
}

fn collector() -> Option<&'static Collector> {
    static COLLECTOR: OnceLock<Option<Collector>> = OnceLock::new();
    COLLECTOR
        .get_or_init(|| {
            let dir = std::env::var_os(ENV).filter(|d| !d.is_empty())?;
            Some(Collector {
                dir: PathBuf::from(dir),
                reports: Mutex::new(HashMap::new()),
                warned: std::sync::atomic::AtomicBool::new(false),
            })
        })
        .as_ref()
}

/// Whether coverage is collected in this process (`ASL_COVERAGE` is set).
pub fn enabled() -> bool {
    collector().is_some()
}

/// Counts an execution of the machine `name` in its definition's report and writes the report,
/// when coverage is collected.
pub(crate) fn observe(name: &str, definition: &Definition, plan: &Plan, outcome: &Outcome) {
    let Some(c) = collector() else {
        return;
    };
    let written = {
        let mut reports = c.reports.lock().unwrap_or_else(|e| e.into_inner());
        let key = (name.to_owned(), definition.source.as_ptr() as usize);
        let report = reports
            .entry(key)
            .or_insert_with(|| Report::new(name, definition, plan));
        report.record(outcome);
        write(&c.dir, report)
    };
    if let Err(e) = written
        && !c.warned.swap(true, std::sync::atomic::Ordering::Relaxed)
    {
        tracing::warn!(dir = %c.dir.display(), error = %e, "coverage could not be written");
    }
}

/// Writes `report` whole, by a rename.
fn write(dir: &std::path::Path, report: &Report) -> std::io::Result<()> {
    std::fs::create_dir_all(dir)?;
    let safe: String = report
        .machine
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '-' || c == '_' {
                c
            } else {
                '_'
            }
        })
        .collect();
    let name = format!("{safe}-{}-{}.json", report.fingerprint, std::process::id());
    let path = dir.join(&name);
    let tmp = dir.join(format!(".{name}.tmp"));
    let text = serde_json::to_vec_pretty(report).map_err(std::io::Error::other)?;
    std::fs::write(&tmp, text)?;
    std::fs::rename(&tmp, &path)
}
