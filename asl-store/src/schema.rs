//! The store's tables, and what a file must be to be opened as a store: SQLite with this
//! application's id (or empty, then made one) and a schema version this code reads.

use rusqlite::Connection;

use asl_runtime::StoreError;

/// `ASL1` in the file header's application id: the file is an asl store.
const APPLICATION_ID: i64 = 0x4153_4C31;

/// The schema this code writes and reads. Version 1 (no `resources` table) is read too, and
/// brought to version 2 when the store is opened for writing.
pub(crate) const VERSION: i64 = 2;

const TABLES: &str = "
CREATE TABLE executions (
    arn TEXT PRIMARY KEY,
    machine_arn TEXT NOT NULL,
    name TEXT NOT NULL,
    status TEXT NOT NULL,
    input TEXT NOT NULL,
    output TEXT,
    error TEXT,
    cause TEXT,
    start_date TEXT NOT NULL,
    stop_date TEXT
);
CREATE INDEX executions_by_machine ON executions (machine_arn, start_date);
CREATE TABLE journal (
    arn TEXT NOT NULL,
    seq INTEGER NOT NULL,
    entry TEXT NOT NULL,
    PRIMARY KEY (arn, seq)
) WITHOUT ROWID;
CREATE TABLE events (
    arn TEXT NOT NULL,
    id INTEGER NOT NULL,
    event TEXT NOT NULL,
    PRIMARY KEY (arn, id)
) WITHOUT ROWID;
CREATE TABLE resources (
    kind TEXT NOT NULL,
    name TEXT NOT NULL,
    record TEXT NOT NULL,
    PRIMARY KEY (kind, name)
) WITHOUT ROWID;
";

/// What version 2 adds to version 1.
const TO_VERSION_2: &str = "
CREATE TABLE IF NOT EXISTS resources (
    kind TEXT NOT NULL,
    name TEXT NOT NULL,
    record TEXT NOT NULL,
    PRIMARY KEY (kind, name)
) WITHOUT ROWID;
";

/// Makes an empty file a store, or checks that a file is one this code reads; brings an
/// older schema up to date when `writable`.
pub(crate) fn prepare(conn: &Connection, path: &str, writable: bool) -> Result<(), StoreError> {
    let read = |pragma: &str| -> Result<i64, StoreError> {
        conn.query_row(&format!("PRAGMA {pragma}"), [], |r| r.get(0))
            .map_err(|e| StoreError(format!("{path} is not a readable SQLite file: {e}")))
    };
    let (app, version) = (read("application_id")?, read("user_version")?);
    let tables: i64 = conn
        .query_row("SELECT count(*) FROM sqlite_master", [], |r| r.get(0))
        .map_err(|e| StoreError(format!("{path} is not a readable SQLite file: {e}")))?;
    match (app, version) {
        (0, 0) if tables == 0 => create(conn, path),
        (APPLICATION_ID, VERSION) => Ok(()),
        (APPLICATION_ID, 1) if !writable => Ok(()),
        (APPLICATION_ID, 1) => conn
            .execute_batch(&format!(
                "BEGIN IMMEDIATE; {TO_VERSION_2} PRAGMA user_version = 2; COMMIT;"
            ))
            .map_err(|e| {
                StoreError(format!(
                    "{path}: schema 1 could not be brought to schema 2: {e}"
                ))
            }),
        (APPLICATION_ID, v) if v > VERSION => Err(StoreError(format!(
            "{path} was written by a newer asl-store (schema {v}); this one reads schema {VERSION}"
        ))),
        (APPLICATION_ID, v) => Err(StoreError(format!(
            "{path} has schema {v}, which this asl-store (schema {VERSION}) does not read"
        ))),
        _ => Err(StoreError(format!(
            "{path} is a SQLite file of another application, not an asl store"
        ))),
    }
}

fn create(conn: &Connection, path: &str) -> Result<(), StoreError> {
    conn.execute_batch(&format!(
        "BEGIN; {TABLES} PRAGMA application_id = {APPLICATION_ID}; PRAGMA user_version = {VERSION}; COMMIT;"
    ))
    .map_err(|e| StoreError(format!("{path}: the store's tables could not be made: {e}")))
}
