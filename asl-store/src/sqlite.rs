//! [`SqliteStore`]: the [`Store`] in one SQLite file.

use std::sync::Mutex;

use rusqlite::{Connection, OptionalExtension, Row, params};
use serde_json::Value;

use asl_runtime::effects::Entry;
use asl_runtime::engine::{Description, Status};
use asl_runtime::history::Event;
use asl_runtime::{Store, StoreError};

use crate::schema;

/// How long [`SqliteStore::open`] keeps closed executions: 90 days, as AWS.
pub const DEFAULT_RETENTION: std::time::Duration = std::time::Duration::from_secs(90 * 24 * 3600);

/// Executions in one SQLite file (WAL, `synchronous=FULL`: a recorded execution survives a
/// crash of the process or of the machine).
#[derive(Debug)]
pub struct SqliteStore {
    path: String,
    conn: Mutex<Connection>,
    /// The journal's group-committing writer (none for a read-only store).
    writer: Option<Mutex<std::sync::mpsc::Sender<crate::writer::Job>>>,
}

impl SqliteStore {
    /// Opens the store at `path`, making it if the file is absent or empty, and deletes the
    /// executions closed more than [`DEFAULT_RETENTION`] (90 days, as AWS) ago. A file that is
    /// not SQLite, belongs to another application, is damaged or has a newer schema is an error
    /// that says so; nothing in it is changed.
    pub fn open(path: impl AsRef<std::path::Path>) -> Result<Self, StoreError> {
        Self::open_with_retention(path, Some(DEFAULT_RETENTION))
    }

    /// [`open`](Self::open), keeping closed executions for `retention` (`None`: for ever).
    /// Call [`purge`](Self::purge) to apply it again while the store stays open.
    pub fn open_with_retention(
        path: impl AsRef<std::path::Path>,
        retention: Option<std::time::Duration>,
    ) -> Result<Self, StoreError> {
        let store = Self::open_unpurged(path)?;
        if let Some(retention) = retention {
            store.purge(retention)?;
        }
        Ok(store)
    }

    fn open_unpurged(path: impl AsRef<std::path::Path>) -> Result<Self, StoreError> {
        let path = path.as_ref().display().to_string();
        let conn = Connection::open(&path)
            .map_err(|e| StoreError(format!("{path} could not be opened: {e}")))?;
        schema::prepare(&conn, &path, true)?;
        conn.execute_batch(
            "PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL; PRAGMA busy_timeout = 5000;",
        )
        .map_err(|e| StoreError(format!("{path}: {e}")))?;
        let writer_conn = Connection::open(&path)
            .map_err(|e| StoreError(format!("{path} could not be opened: {e}")))?;
        writer_conn
            .execute_batch("PRAGMA synchronous = FULL; PRAGMA busy_timeout = 5000;")
            .map_err(|e| StoreError(format!("{path}: {e}")))?;
        let writer = crate::writer::spawn(writer_conn, path.clone())?;
        Ok(SqliteStore {
            path,
            conn: Mutex::new(conn),
            writer: Some(Mutex::new(writer)),
        })
    }

    /// Opens the store at `path` for reading only (the `asl` command reads stores this way):
    /// a machine given it cannot start executions, and says so.
    pub fn open_read_only(path: impl AsRef<std::path::Path>) -> Result<Self, StoreError> {
        let path = path.as_ref().display().to_string();
        let conn = Connection::open_with_flags(&path, rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY)
            .map_err(|e| StoreError(format!("{path} could not be opened: {e}")))?;
        schema::prepare(&conn, &path, false)?;
        Ok(SqliteStore {
            path,
            conn: Mutex::new(conn),
            writer: None,
        })
    }

    /// Deletes the executions that closed more than `retention` ago (AWS keeps closed
    /// executions 90 days), with their histories and journals; returns how many. Running
    /// executions are kept whatever their age.
    pub fn purge(&self, retention: std::time::Duration) -> Result<usize, StoreError> {
        let cutoff = jiff::SignedDuration::try_from(retention)
            .ok()
            .and_then(|d| jiff::Timestamp::now().checked_sub(d).ok())
            .unwrap_or(jiff::Timestamp::MIN);
        let mut conn = self.conn();
        let tx = conn
            .transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)
            .map_err(|e| self.fail("no transaction", e))?;
        let old: Vec<String> = {
            let mut query = tx
                .prepare("SELECT arn, stop_date FROM executions WHERE stop_date IS NOT NULL")
                .map_err(|e| self.fail("the executions could not be read", e))?;
            let rows = query
                .query_map([], |r| Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?)))
                .map_err(|e| self.fail("the executions could not be read", e))?;
            let mut old = Vec::new();
            for row in rows {
                let (arn, stop) =
                    row.map_err(|e| self.fail("the executions could not be read", e))?;
                // Dates are compared as dates: their text does not sort by time.
                if stop.parse::<jiff::Timestamp>().is_ok_and(|t| t < cutoff) {
                    old.push(arn);
                }
            }
            old
        };
        for arn in &old {
            for table in ["events", "journal", "executions"] {
                tx.execute(&format!("DELETE FROM {table} WHERE arn = ?1"), [arn])
                    .map_err(|e| self.fail("old executions could not be deleted", e))?;
            }
        }
        tx.commit()
            .map_err(|e| self.fail("old executions could not be deleted", e))?;
        Ok(old.len())
    }

    /// Records how an execution ended and its history, in one transaction; `new` when the
    /// execution was not recorded at its start (its row is made here).
    fn write_outcome(
        &self,
        d: &Description,
        history: &[Event],
        new: bool,
    ) -> Result<(), StoreError> {
        let mut conn = self.conn();
        let tx = conn
            // Immediate: a transaction that reads first and then writes could not wait for
            // the journal's writer and would fail as "locked".
            .transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)
            .map_err(|e| self.fail("no transaction", e))?;
        if new {
            insert_execution(&tx, d).map_err(|e| self.refused(d, e))?;
        }
        update_outcome(&tx, d, history)
            .map_err(|e| self.fail("the outcome could not be recorded", e))?;
        tx.commit()
            .map_err(|e| self.fail("the outcome could not be recorded", e))
    }

    /// Why an execution's row could not be made: its ARN is taken, or the file's reason.
    fn refused(&self, d: &Description, e: rusqlite::Error) -> StoreError {
        match e {
            rusqlite::Error::SqliteFailure(f, _)
                if f.code == rusqlite::ErrorCode::ConstraintViolation =>
            {
                StoreError(format!(
                    "ExecutionAlreadyExists: the store keeps an execution {} already",
                    d.execution_arn
                ))
            }
            e => self.fail("the execution could not be recorded", e),
        }
    }

    /// Hands `work` for the execution `arn` to the writer; answers once it is durable.
    fn queue(
        &self,
        arn: &str,
        work: crate::writer::Work,
    ) -> asl_runtime::BoxFuture<'static, Result<(), StoreError>> {
        let Some(writer) = &self.writer else {
            let e = self.fail("the store could not be written", "the store is read-only");
            return Box::pin(std::future::ready(Err(e)));
        };
        let (done, answer) = tokio::sync::oneshot::channel();
        let job = crate::writer::Job {
            arn: arn.to_owned(),
            work,
            done,
        };
        let sent = writer
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .send(job)
            .is_ok();
        let path = self.path.clone();
        Box::pin(async move {
            let stopped = || StoreError(format!("{path}: the store's writer has stopped"));
            if !sent {
                return Err(stopped());
            }
            answer.await.unwrap_or_else(|_| Err(stopped()))
        })
    }

    /// The JSON texts `query` selects for `arn`, read as `T`s; `what` names them in errors.
    fn json_rows<T: serde::de::DeserializeOwned>(
        &self,
        query: &str,
        arn: &str,
        what: &str,
    ) -> Result<Vec<T>, StoreError> {
        let unreadable =
            |e: &dyn std::fmt::Display| self.fail(&format!("{what} could not be read"), e);
        let conn = self.conn();
        let mut query = conn.prepare(query).map_err(|e| unreadable(&e))?;
        let rows = query
            .query_map([arn], |r| r.get::<_, String>(0))
            .map_err(|e| unreadable(&e))?;
        let mut out = Vec::new();
        for row in rows {
            let text = row.map_err(|e| unreadable(&e))?;
            out.push(serde_json::from_str(&text).map_err(|e| unreadable(&e))?);
        }
        Ok(out)
    }

    fn conn(&self) -> std::sync::MutexGuard<'_, Connection> {
        self.conn.lock().unwrap_or_else(|e| e.into_inner())
    }

    fn fail(&self, what: &str, e: impl std::fmt::Display) -> StoreError {
        StoreError(format!("{}: {what}: {e}", self.path))
    }
}

pub(crate) const COLUMNS: &str =
    "arn, machine_arn, name, status, input, output, error, cause, start_date, stop_date";

/// Writes how an execution ended, and its history, in `conn`'s transaction.
pub(crate) fn update_outcome(
    conn: &Connection,
    d: &Description,
    history: &[Event],
) -> rusqlite::Result<()> {
    conn.execute(
        "UPDATE executions SET status = ?2, output = ?3, error = ?4, cause = ?5, stop_date = ?6 WHERE arn = ?1",
        params![
            d.execution_arn,
            d.status.as_str(),
            d.output.as_ref().map(Value::to_string),
            d.error,
            d.cause,
            d.stop_date.map(|t| t.to_string()),
        ],
    )?;
    let mut insert =
        conn.prepare_cached("INSERT OR REPLACE INTO events (arn, id, event) VALUES (?1, ?2, ?3)")?;
    for event in history {
        let text = serde_json::to_string(event)
            .map_err(|e| rusqlite::Error::ToSqlConversionFailure(Box::new(e)))?;
        insert.execute(params![d.execution_arn, event.id as i64, text])?;
    }
    Ok(())
}

/// Makes the row of a starting execution.
fn insert_execution(conn: &Connection, d: &Description) -> rusqlite::Result<()> {
    conn.execute(
        &format!("INSERT INTO executions ({COLUMNS}) VALUES (?1, ?2, ?3, ?4, ?5, NULL, NULL, NULL, ?6, NULL)"),
        params![
            d.execution_arn,
            d.state_machine_arn,
            d.name,
            d.status.as_str(),
            d.input.to_string(),
            d.start_date.to_string(),
        ],
    )?;
    Ok(())
}

/// A row as a description; a row this code cannot read is an error naming the column.
fn description(row: &Row<'_>) -> rusqlite::Result<Result<Description, String>> {
    let text = |i: usize| row.get::<_, String>(i);
    let opt = |i: usize| row.get::<_, Option<String>>(i);
    let json =
        |s: &str| serde_json::from_str::<Value>(s).map_err(|e| format!("a JSON column: {e}"));
    let time = |s: &str| {
        s.parse::<jiff::Timestamp>()
            .map_err(|e| format!("a date column: {e}"))
    };
    let (status, input, output) = (text(3)?, text(4)?, opt(5)?);
    let (start, stop) = (text(8)?, opt(9)?);
    Ok((|| {
        Ok(Description {
            execution_arn: text(0).map_err(|e| e.to_string())?,
            state_machine_arn: text(1).map_err(|e| e.to_string())?,
            name: text(2).map_err(|e| e.to_string())?,
            status: Status::from_name(&status).ok_or_else(|| format!("the status '{status}'"))?,
            input: json(&input)?,
            output: output.as_deref().map(json).transpose()?,
            error: opt(6).map_err(|e| e.to_string())?,
            cause: opt(7).map_err(|e| e.to_string())?,
            start_date: time(&start)?,
            stop_date: stop.as_deref().map(time).transpose()?,
        })
    })())
}

impl Store for SqliteStore {
    fn start(&self, d: &Description) -> Result<(), StoreError> {
        insert_execution(&self.conn(), d).map_err(|e| self.refused(d, e))
    }

    fn finish(&self, d: &Description, history: &[Event]) -> Result<(), StoreError> {
        self.write_outcome(d, history, false)
    }

    fn record(&self, d: &Description, history: &[Event]) -> Result<(), StoreError> {
        self.write_outcome(d, history, true)
    }

    fn describe(&self, execution_arn: &str) -> Result<Option<Description>, StoreError> {
        let conn = self.conn();
        let found = conn
            .query_row(
                &format!("SELECT {COLUMNS} FROM executions WHERE arn = ?1"),
                [execution_arn],
                description,
            )
            .optional()
            .map_err(|e| self.fail("the execution could not be read", e))?;
        found
            .transpose()
            .map_err(|e| self.fail("the execution could not be read", e))
    }

    fn list(
        &self,
        state_machine_arn: &str,
        status: Option<Status>,
    ) -> Result<Vec<Description>, StoreError> {
        let conn = self.conn();
        let mut query = conn
            .prepare(&format!(
                "SELECT {COLUMNS} FROM executions WHERE machine_arn = ?1 AND (?2 IS NULL OR status = ?2) ORDER BY rowid DESC"
            ))
            .map_err(|e| self.fail("the executions could not be listed", e))?;
        let rows = query
            .query_map(
                params![state_machine_arn, status.map(Status::as_str)],
                description,
            )
            .map_err(|e| self.fail("the executions could not be listed", e))?;
        let mut out = Vec::new();
        for row in rows {
            let row = row.map_err(|e| self.fail("the executions could not be listed", e))?;
            out.push(row.map_err(|e| self.fail("an execution could not be read", e))?);
        }
        // Newest first: by start date (compared as dates; their text does not sort by time),
        // then, for the same date, the one recorded last first.
        out.sort_by_key(|d| std::cmp::Reverse(d.start_date));
        Ok(out)
    }

    fn append(&self, execution_arn: &str, entries: &[Entry]) -> Result<(), StoreError> {
        let mut conn = self.conn();
        let tx = conn
            // Immediate: a transaction that reads first and then writes could not wait for
            // the journal's writer and would fail as "locked".
            .transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)
            .map_err(|e| self.fail("no transaction", e))?;
        {
            let next: i64 = tx
                .query_row(
                    "SELECT coalesce(max(seq) + 1, 0) FROM journal WHERE arn = ?1",
                    [execution_arn],
                    |r| r.get(0),
                )
                .map_err(|e| self.fail("the journal could not be read", e))?;
            let mut insert = tx
                .prepare("INSERT INTO journal (arn, seq, entry) VALUES (?1, ?2, ?3)")
                .map_err(|e| self.fail("the journal could not be written", e))?;
            for (i, entry) in entries.iter().enumerate() {
                let text = serde_json::to_string(entry)
                    .map_err(|e| self.fail("an answer could not be written", e))?;
                insert
                    .execute(params![execution_arn, next + i as i64, text])
                    .map_err(|e| self.fail("the journal could not be written", e))?;
            }
        }
        tx.commit()
            .map_err(|e| self.fail("the journal could not be written", e))
    }

    fn append_later(
        &self,
        execution_arn: &str,
        entries: Vec<Entry>,
    ) -> asl_runtime::BoxFuture<'static, Result<(), StoreError>> {
        self.queue(execution_arn, crate::writer::Work::Append(entries))
    }

    fn start_later(
        &self,
        execution: &Description,
    ) -> asl_runtime::BoxFuture<'static, Result<(), StoreError>> {
        self.queue(
            &execution.execution_arn,
            crate::writer::Work::Start(Box::new(execution.clone())),
        )
    }

    fn finish_later(
        &self,
        execution: &Description,
        history: &[Event],
    ) -> asl_runtime::BoxFuture<'static, Result<(), StoreError>> {
        self.queue(
            &execution.execution_arn,
            crate::writer::Work::Finish(Box::new(execution.clone()), history.to_vec()),
        )
    }

    fn put_resources(&self, resources: &[(&str, &str, Option<&Value>)]) -> Result<(), StoreError> {
        let mut conn = self.conn();
        let fail = |e: rusqlite::Error| self.fail("the resources could not be recorded", e);
        let tx = conn
            .transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)
            .map_err(fail)?;
        for (kind, name, record) in resources {
            match record {
                Some(r) => tx.execute(
                    "INSERT OR REPLACE INTO resources (kind, name, record) VALUES (?1, ?2, ?3)",
                    params![kind, name, r.to_string()],
                ),
                None => tx.execute(
                    "DELETE FROM resources WHERE kind = ?1 AND name = ?2",
                    params![kind, name],
                ),
            }
            .map_err(fail)?;
        }
        tx.commit().map_err(fail)
    }

    fn put_resources_later(
        &self,
        resources: Vec<(String, String, Option<Value>)>,
    ) -> asl_runtime::BoxFuture<'static, Result<(), StoreError>> {
        self.queue("", crate::writer::Work::Resources(resources))
    }

    fn resources(&self, kind: &str) -> Result<Vec<(String, Value)>, StoreError> {
        let conn = self.conn();
        let unreadable =
            |e: &dyn std::fmt::Display| self.fail("the resources could not be read", e);
        let mut query = match conn
            .prepare("SELECT name, record FROM resources WHERE kind = ?1 ORDER BY name")
        {
            Ok(q) => q,
            // A schema-1 store opened read-only has no such table: it keeps none.
            Err(e) if e.to_string().contains("no such table") => return Ok(Vec::new()),
            Err(e) => return Err(unreadable(&e)),
        };
        let rows = query
            .query_map([kind], |r| {
                Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?))
            })
            .map_err(|e| unreadable(&e))?;
        let mut out = Vec::new();
        for row in rows {
            let (name, text) = row.map_err(|e| unreadable(&e))?;
            out.push((
                name,
                serde_json::from_str(&text).map_err(|e| unreadable(&e))?,
            ));
        }
        Ok(out)
    }

    fn journal(&self, execution_arn: &str) -> Result<Vec<Entry>, StoreError> {
        self.json_rows(
            "SELECT entry FROM journal WHERE arn = ?1 ORDER BY seq",
            execution_arn,
            "the journal",
        )
    }

    fn history(&self, execution_arn: &str) -> Result<Vec<Event>, StoreError> {
        self.json_rows(
            "SELECT event FROM events WHERE arn = ?1 ORDER BY id",
            execution_arn,
            "the history",
        )
    }
}
