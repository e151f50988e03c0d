//! `asl executions list|describe|history --db FILE`: the executions a store keeps, as AWS's
//! ListExecutions, DescribeExecution and GetExecutionHistory answer (JSON), or as a table.

use std::path::Path;
use std::process::ExitCode;

use asl_runtime::engine::{Description, Status};
use asl_runtime::history::Event;
use asl_runtime::{Store, StoreError};
use asl_store::SqliteStore;
use serde_json::{Value, json};

use crate::Format;

/// Opens the store for reading; a file that is absent or not a store is exit status 2.
pub fn open(db: &Path) -> Result<SqliteStore, ExitCode> {
    if !db.is_file() {
        eprintln!("error: {}: no such store", db.display());
        return Err(ExitCode::from(2));
    }
    SqliteStore::open_read_only(db).map_err(|e| {
        eprintln!("error: {e}");
        ExitCode::from(2)
    })
}

fn failed(e: &StoreError) -> ExitCode {
    eprintln!("error: {e}");
    ExitCode::from(2)
}

/// `asl executions list`.
pub fn list(db: &Path, machine_arn: &str, status: Option<&str>, format: Format) -> ExitCode {
    let status = match status.map(|s| Status::from_name(s).ok_or(s)).transpose() {
        Ok(s) => s,
        Err(s) => {
            eprintln!(
                "error: '{s}' is not a status (RUNNING, SUCCEEDED, FAILED, TIMED_OUT, ABORTED)"
            );
            return ExitCode::from(2);
        }
    };
    let store = match open(db) {
        Ok(s) => s,
        Err(code) => return code,
    };
    let all = match store.list(machine_arn, status) {
        Ok(all) => all,
        Err(e) => return failed(&e),
    };
    match format {
        Format::Json => println!(
            "{:#}",
            json!({"executions": all.iter().map(Description::to_list_item).collect::<Vec<_>>()})
        ),
        Format::Human => {
            println!("{:<40} {:<10} {:<27} STOPPED", "NAME", "STATUS", "STARTED");
            for d in &all {
                let stop = d.stop_date.map(|t| t.to_string()).unwrap_or_default();
                println!(
                    "{:<40} {:<10} {:<27} {stop}",
                    d.name,
                    d.status.as_str(),
                    d.start_date.to_string()
                );
            }
        }
    }
    ExitCode::SUCCESS
}

/// `asl executions describe`.
pub fn describe(db: &Path, arn: &str, format: Format) -> ExitCode {
    let store = match open(db) {
        Ok(s) => s,
        Err(code) => return code,
    };
    let d = match store.describe(arn) {
        Ok(Some(d)) => d,
        Ok(None) => {
            eprintln!(
                "error: ExecutionDoesNotExist: {arn} is not in {}",
                db.display()
            );
            return ExitCode::from(1);
        }
        Err(e) => return failed(&e),
    };
    match format {
        Format::Json => println!("{:#}", d.to_described()),
        Format::Human => {
            if let Value::Object(m) = d.to_described() {
                for (k, v) in m {
                    match v {
                        Value::String(s) => println!("{k}: {s}"),
                        other => println!("{k}: {other}"),
                    }
                }
            }
        }
    }
    ExitCode::SUCCESS
}

/// The history the store keeps of `arn`.
pub fn events(db: &Path, arn: &str) -> Result<Vec<Event>, ExitCode> {
    let store = open(db)?;
    match store.describe(arn) {
        Ok(Some(_)) => {}
        Ok(None) => {
            eprintln!(
                "error: ExecutionDoesNotExist: {arn} is not in {}",
                db.display()
            );
            return Err(ExitCode::from(1));
        }
        Err(e) => return Err(failed(&e)),
    }
    store.history(arn).map_err(|e| failed(&e))
}

/// `asl executions history`.
pub fn history(db: &Path, arn: &str, format: Format) -> ExitCode {
    let events = match events(db, arn) {
        Ok(e) => e,
        Err(code) => return code,
    };
    match format {
        Format::Json => println!("{:#}", json!({ "events": events })),
        Format::Human => {
            println!("{:>5}  {:<30} STATE", "ID", "TYPE");
            for e in &events {
                println!(
                    "{:>5}  {:<30} {}",
                    e.id,
                    e.kind.name(),
                    e.kind.state_name().unwrap_or("")
                );
            }
        }
    }
    ExitCode::SUCCESS
}
