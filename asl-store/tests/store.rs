//! A machine with a SQLite store: executions are kept in the file and read back by another
//! store on the same file (as after a restart); files that are not stores this code reads are
//! refused at open, untouched.

use std::sync::Arc;

use asl_runtime::engine::Status;
use asl_runtime::{Failure, Machine, Store};
use asl_store::SqliteStore;
use serde_json::{Value, json};

asl_runtime::asl!("fixtures/greet.asl.json");

fn machine(store: Arc<dyn Store>) -> Machine {
    Greet::builder()
        .greet(|input: Value| async move {
            Ok::<_, Failure>(json!(format!(
                "hello {}",
                input["name"].as_str().unwrap_or("")
            )))
        })
        .build()
        .with_store(store)
}

/// A fresh file path in the test's temporary folder.
fn temp(name: &str) -> std::path::PathBuf {
    let dir = std::env::temp_dir().join(format!("asl-store-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("a temporary folder");
    dir.join("executions.db")
}

const MACHINE_ARN: &str = "arn:aws:states:us-east-1:111111111111:stateMachine:Greet";

#[tokio::test]
async fn executions_outlive_the_store_that_recorded_them() {
    let path = temp("outlive");
    let (ok_arn, failed_arn) = {
        let store = Arc::new(SqliteStore::open(&path).expect("a new store"));
        let m = machine(store);
        let ok = m.start("ada", json!({"name": "Ada"}));
        let ok_arn = ok.arn().to_owned();
        assert_eq!(ok.result().await.status, Status::Succeeded);
        let failed = m.start("nobody", json!({"name": ""}));
        let failed_arn = failed.arn().to_owned();
        assert_eq!(failed.result().await.status, Status::Failed);
        (ok_arn, failed_arn)
    };
    // Another store on the same file, another machine: as after a restart.
    let store = Arc::new(SqliteStore::open(&path).expect("the same store"));
    let m = machine(store);
    let ok = m
        .describe_execution(&ok_arn)
        .expect("readable")
        .expect("kept");
    assert_eq!(ok.status, Status::Succeeded);
    assert_eq!(ok.name, "ada");
    assert_eq!(ok.input, json!({"name": "Ada"}));
    assert_eq!(ok.output, Some(json!("hello Ada")));
    assert!(ok.stop_date.is_some_and(|stop| stop >= ok.start_date));
    let failed = m
        .describe_execution(&failed_arn)
        .expect("readable")
        .expect("kept");
    assert_eq!(failed.status, Status::Failed);
    assert_eq!(failed.error.as_deref(), Some("Nameless"));
    assert_eq!(failed.cause.as_deref(), Some("no name to greet"));

    let all = m.list_executions(MACHINE_ARN, None).expect("listable");
    assert_eq!(all.len(), 2);
    let only_failed = m
        .list_executions(MACHINE_ARN, Some(Status::Failed))
        .expect("listable");
    assert_eq!(only_failed.len(), 1);
    assert_eq!(only_failed[0].execution_arn, failed_arn);

    let history = m.execution_history(&ok_arn).expect("readable");
    let kinds: Vec<&str> = history.iter().map(|e| e.kind.name()).collect();
    assert_eq!(kinds.first(), Some(&"ExecutionStarted"));
    assert_eq!(kinds.last(), Some(&"ExecutionSucceeded"));
    assert!(kinds.contains(&"TaskSucceeded"), "{kinds:?}");
    let ids: Vec<u64> = history.iter().map(|e| e.id).collect();
    assert_eq!(
        ids,
        (1..=ids.len() as u64).collect::<Vec<_>>(),
        "contiguous ids"
    );
}

#[tokio::test]
async fn a_name_the_store_keeps_already_is_execution_already_exists() {
    let path = temp("twice");
    let m = machine(Arc::new(SqliteStore::open(&path).expect("a store")));
    let first = m.start("same", json!({"name": "Ada"}));
    assert_eq!(first.result().await.status, Status::Succeeded);
    let again = m.start("same", json!({"name": "Ada"})).result().await;
    assert_eq!(again.status, Status::Failed);
    let cause = again.failure.and_then(|f| f.cause).unwrap_or_default();
    assert!(cause.contains("ExecutionAlreadyExists"), "{cause}");
}

#[tokio::test]
async fn run_records_the_execution_under_its_names() {
    let path = temp("run");
    let store = Arc::new(SqliteStore::open(&path).expect("a store"));
    let m = machine(store.clone());
    for name in ["one", "two"] {
        let config = asl_runtime::ExecutionConfig::new("Greet", name);
        let outcome = m.run_with(json!({"name": name}), &config).await;
        assert_eq!(outcome.status, Status::Succeeded, "{:?}", outcome.failure);
        let kept = store
            .describe(&config.execution_arn)
            .expect("readable")
            .expect("kept");
        assert_eq!(kept.name, name);
        assert_eq!(kept.input, json!({"name": name}));
        assert_eq!(kept.status, Status::Succeeded);
    }
}

#[tokio::test]
async fn closed_executions_older_than_the_retention_are_purged() {
    let path = temp("purge");
    let store = Arc::new(SqliteStore::open(&path).expect("a store"));
    let m = machine(store.clone());
    // One execution that ended 100 days ago (by its clock), one now, one still running.
    let long_ago = jiff::Timestamp::now() - jiff::SignedDuration::from_hours(24 * 100);
    let mut old = asl_runtime::ExecutionConfig::new("Greet", "old");
    old.clock = asl_runtime::time::ExecutionClock::starting_at(long_ago);
    assert_eq!(
        m.run_with(json!({"name": "Old"}), &old).await.status,
        Status::Succeeded
    );
    let recent = asl_runtime::ExecutionConfig::new("Greet", "recent");
    assert_eq!(
        m.run_with(json!({"name": "New"}), &recent).await.status,
        Status::Succeeded
    );
    let purged = store
        .purge(std::time::Duration::from_secs(90 * 24 * 3600))
        .expect("purged");
    assert_eq!(purged, 1);
    assert!(
        store
            .describe(&old.execution_arn)
            .expect("readable")
            .is_none()
    );
    assert!(
        store
            .history(&old.execution_arn)
            .expect("readable")
            .is_empty()
    );
    assert!(
        store
            .describe(&recent.execution_arn)
            .expect("readable")
            .is_some()
    );

    // Opening applies the default 90 days: another old one is gone at the next open.
    let mut older = asl_runtime::ExecutionConfig::new("Greet", "older");
    older.clock = asl_runtime::time::ExecutionClock::starting_at(long_ago);
    m.run_with(json!({"name": "Older"}), &older).await;
    drop(m);
    drop(store);
    let reopened = SqliteStore::open(&path).expect("the same store");
    assert!(
        reopened
            .describe(&older.execution_arn)
            .expect("readable")
            .is_none()
    );
    assert!(
        reopened
            .describe(&recent.execution_arn)
            .expect("readable")
            .is_some()
    );
}

#[tokio::test]
async fn a_read_only_store_refuses_to_start_executions_and_says_so() {
    let path = temp("read-only");
    drop(SqliteStore::open(&path).expect("a new store"));
    let store = Arc::new(SqliteStore::open_read_only(&path).expect("opens for reading"));
    let m = machine(store.clone());
    let outcome = m.start("ada", json!({"name": "Ada"})).result().await;
    assert_eq!(outcome.status, Status::Failed);
    let cause = outcome.failure.and_then(|f| f.cause).unwrap_or_default();
    assert!(cause.contains("store could not record it"), "{cause}");
    assert!(cause.contains("readonly"), "{cause}");
    // `run` records the execution before its first Task: the Task is not called, and the
    // execution fails with the store's reason.
    let called = Arc::new(std::sync::atomic::AtomicBool::new(false));
    let seen = called.clone();
    let m = Greet::builder()
        .greet(move |_: Value| {
            let seen = seen.clone();
            // The handler's work is in its async part, as the README asks.
            async move {
                seen.store(true, std::sync::atomic::Ordering::SeqCst);
                Ok::<_, Failure>(json!("hello"))
            }
        })
        .build()
        .with_store(store.clone());
    let outcome = m.run(json!({"name": "Ada"})).await;
    assert!(
        !called.load(std::sync::atomic::Ordering::SeqCst),
        "the handler ran"
    );
    assert_eq!(outcome.status, Status::Failed);
    let failure = outcome.failure.expect("a failure");
    assert_eq!(failure.error, "States.Runtime");
    let cause = failure.cause.unwrap_or_default();
    assert!(
        cause.contains("could not be recorded") && cause.contains("readonly"),
        "{cause}"
    );
    assert!(store.list(MACHINE_ARN, None).expect("readable").is_empty());
}

#[test]
fn files_that_are_not_stores_of_this_schema_are_refused_untouched() {
    // Not SQLite at all.
    let garbage = temp("garbage");
    let bytes =
        b"this is not a database, just text that is long enough to look like a header".repeat(20);
    std::fs::write(&garbage, &bytes).expect("written");
    let e = SqliteStore::open(&garbage).expect_err("refused");
    assert!(e.to_string().contains("not a readable SQLite file"), "{e}");
    assert_eq!(std::fs::read(&garbage).ok(), Some(bytes));

    // SQLite of another application.
    let other = temp("other");
    {
        let conn = other_application_file(&other);
        drop(conn);
    }
    let before = std::fs::read(&other).ok();
    let e = SqliteStore::open(&other).expect_err("refused");
    assert!(e.to_string().contains("another application"), "{e}");
    assert_eq!(std::fs::read(&other).ok(), before);

    // A store written by a newer schema.
    let newer = temp("newer");
    drop(SqliteStore::open(&newer).expect("a new store"));
    set_user_version(&newer, 99);
    let e = SqliteStore::open(&newer).expect_err("refused");
    assert!(e.to_string().contains("newer asl-store (schema 99)"), "{e}");
}

/// A SQLite file with a table of someone else's.
fn other_application_file(path: &std::path::Path) -> std::fs::File {
    // Made through the store's own SQLite: a store file, then its application id cleared.
    drop(SqliteStore::open(path).expect("a new store"));
    set_application_id(path, 0);
    std::fs::File::open(path).expect("readable")
}

/// Writes the 4-byte big-endian field at `offset` of the SQLite header.
fn set_header_field(path: &std::path::Path, offset: usize, value: u32) {
    let mut bytes = std::fs::read(path).expect("readable");
    bytes[offset..offset + 4].copy_from_slice(&value.to_be_bytes());
    std::fs::write(path, bytes).expect("writable");
}

fn set_user_version(path: &std::path::Path, v: u32) {
    set_header_field(path, 60, v);
}

fn set_application_id(path: &std::path::Path, v: u32) {
    set_header_field(path, 68, v);
}

/// A store whose journal stops taking answers after `left` writes, as a full disk would.
#[derive(Debug)]
struct FillsUp {
    inner: SqliteStore,
    left: std::sync::atomic::AtomicUsize,
}

impl Store for FillsUp {
    fn start(&self, d: &asl_runtime::engine::Description) -> Result<(), asl_runtime::StoreError> {
        self.inner.start(d)
    }
    fn finish(
        &self,
        d: &asl_runtime::engine::Description,
        h: &[asl_runtime::history::Event],
    ) -> Result<(), asl_runtime::StoreError> {
        self.inner.finish(d, h)
    }
    fn describe(
        &self,
        arn: &str,
    ) -> Result<Option<asl_runtime::engine::Description>, asl_runtime::StoreError> {
        self.inner.describe(arn)
    }
    fn list(
        &self,
        machine: &str,
        status: Option<Status>,
    ) -> Result<Vec<asl_runtime::engine::Description>, asl_runtime::StoreError> {
        self.inner.list(machine, status)
    }
    fn history(
        &self,
        arn: &str,
    ) -> Result<Vec<asl_runtime::history::Event>, asl_runtime::StoreError> {
        self.inner.history(arn)
    }
    fn append(
        &self,
        arn: &str,
        entries: &[asl_runtime::effects::Entry],
    ) -> Result<(), asl_runtime::StoreError> {
        use std::sync::atomic::Ordering;
        if self
            .left
            .fetch_update(Ordering::SeqCst, Ordering::SeqCst, |n| n.checked_sub(1))
            .is_err()
        {
            return Err(asl_runtime::StoreError(
                "database or disk is full".to_owned(),
            ));
        }
        self.inner.append(arn, entries)
    }
    fn journal(
        &self,
        arn: &str,
    ) -> Result<Vec<asl_runtime::effects::Entry>, asl_runtime::StoreError> {
        self.inner.journal(arn)
    }
}

#[tokio::test]
async fn a_journal_that_cannot_be_written_stops_the_execution_with_the_reason() {
    let path = temp("full");
    let store = Arc::new(FillsUp {
        inner: SqliteStore::open(&path).expect("a store"),
        left: std::sync::atomic::AtomicUsize::new(0),
    });
    let outcome = machine(store.clone()).run(json!({"name": "Ada"})).await;
    assert_eq!(outcome.status, Status::Failed);
    let failure = outcome.failure.expect("a failure");
    assert_eq!(failure.error, "States.Runtime");
    let cause = failure.cause.unwrap_or_default();
    assert!(cause.contains("disk is full"), "{cause}");
    // What was recorded before is intact: the execution and how it ended.
    let kept = store.inner.list(MACHINE_ARN, None).expect("readable");
    assert_eq!(kept.len(), 1);
    assert_eq!(kept[0].status, Status::Failed);
}

#[test]
fn a_schema_1_store_is_read_and_brought_to_schema_2_when_written() {
    let path = temp("schema-1");
    {
        let store = SqliteStore::open(&path).expect("a new store");
        store
            .put_resources(&[("machine", "Kept", Some(&json!({"name": "Kept"})))])
            .expect("recorded");
    }
    // As asl-store 0.1 wrote it: no table of resources, schema 1.
    {
        let conn = rusqlite::Connection::open(&path).expect("opens");
        conn.execute_batch("DROP TABLE resources; PRAGMA user_version = 1;")
            .expect("made schema 1");
    }
    let read_only = SqliteStore::open_read_only(&path).expect("schema 1 is read");
    assert!(read_only.resources("machine").expect("readable").is_empty());
    drop(read_only);
    let store = SqliteStore::open(&path).expect("schema 1 is brought up to date");
    store
        .put_resources(&[
            ("machine", "New", Some(&json!({"name": "New"}))),
            ("machine", "Gone", Some(&json!({}))),
            ("rule", "New", Some(&json!({"rule": true}))),
        ])
        .expect("recorded");
    store
        .put_resources(&[("machine", "Gone", None)])
        .expect("deleted");
    assert_eq!(
        store.resources("machine").expect("readable"),
        vec![("New".to_owned(), json!({"name": "New"}))]
    );
    drop(store);
    let conn = rusqlite::Connection::open(&path).expect("opens");
    let version: i64 = conn
        .query_row("PRAGMA user_version", [], |r| r.get(0))
        .expect("a version");
    assert_eq!(version, 2);
}
