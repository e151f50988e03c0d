//! The store's writer: one thread with its own connection, committing the answers (and the
//! starts) queued by every execution since its last commit in one transaction (group commit),
//! then telling each one its work is durable.

use std::collections::HashMap;
use std::sync::mpsc;

use rusqlite::{Connection, params};

use asl_runtime::StoreError;
use asl_runtime::effects::Entry;
use asl_runtime::engine::Description;
use asl_runtime::history::Event;

/// What to write for one execution.
pub(crate) enum Work {
    /// Answers to add to its journal.
    Append(Vec<Entry>),
    /// Its start: the row that describes it (refused when its ARN is taken).
    Start(Box<Description>),
    /// How it ended, and its history.
    Finish(Box<Description>, Vec<Event>),
    /// Resources to record (`Some`) or delete (`None`), by kind and name.
    Resources(Vec<(String, String, Option<serde_json::Value>)>),
}

/// Work for one execution, and whom to tell.
pub(crate) struct Job {
    pub(crate) arn: String,
    pub(crate) work: Work,
    pub(crate) done: tokio::sync::oneshot::Sender<Result<(), StoreError>>,
}

/// Starts the writer on `conn`; it ends when every sender is dropped.
pub(crate) fn spawn(conn: Connection, path: String) -> Result<mpsc::Sender<Job>, StoreError> {
    let (tx, rx) = mpsc::channel::<Job>();
    let shown = path.clone();
    std::thread::Builder::new()
        .name("asl-store-writer".into())
        .spawn(move || run(conn, &path, &rx))
        .map_err(|e| {
            StoreError(format!(
                "{shown}: the journal's writer could not start: {e}"
            ))
        })?;
    Ok(tx)
}

fn run(mut conn: Connection, path: &str, rx: &mpsc::Receiver<Job>) {
    // The next sequence number of each execution seen.
    let mut next: HashMap<String, i64> = HashMap::new();
    while let Ok(first) = rx.recv() {
        let mut batch = vec![first];
        batch.extend(rx.try_iter());
        match commit(&mut conn, &mut next, &batch, path) {
            Ok(answers) => {
                for (job, answer) in batch.into_iter().zip(answers) {
                    let _ = job.done.send(answer);
                }
            }
            Err(e) => {
                let e = StoreError(format!("{path}: the journal could not be written: {e}"));
                for job in batch {
                    // What was counted for the lost transaction is read again next time.
                    next.remove(&job.arn);
                    let _ = job.done.send(Err(e.clone()));
                }
            }
        }
    }
}

/// Writes a batch in one transaction; each job's answer (a start whose ARN is taken is
/// refused without failing the others).
fn commit(
    conn: &mut Connection,
    next: &mut HashMap<String, i64>,
    batch: &[Job],
    path: &str,
) -> rusqlite::Result<Vec<Result<(), StoreError>>> {
    let tx = conn.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
    let mut answers = Vec::with_capacity(batch.len());
    {
        let mut insert =
            tx.prepare_cached("INSERT INTO journal (arn, seq, entry) VALUES (?1, ?2, ?3)")?;
        let mut start = tx.prepare_cached(&format!(
            "INSERT OR IGNORE INTO executions ({}) VALUES (?1, ?2, ?3, ?4, ?5, NULL, NULL, NULL, ?6, NULL)",
            crate::sqlite::COLUMNS
        ))?;
        for job in batch {
            let entries = match &job.work {
                Work::Start(d) => {
                    let made = start.execute(params![
                        d.execution_arn,
                        d.state_machine_arn,
                        d.name,
                        d.status.as_str(),
                        d.input.to_string(),
                        d.start_date.to_string(),
                    ])?;
                    answers.push(if made == 1 {
                        Ok(())
                    } else {
                        Err(StoreError(format!(
                            "{path}: ExecutionAlreadyExists: the store keeps an execution {} already",
                            d.execution_arn
                        )))
                    });
                    continue;
                }
                Work::Finish(d, history) => {
                    crate::sqlite::update_outcome(&tx, d, history)?;
                    answers.push(Ok(()));
                    continue;
                }
                Work::Resources(changes) => {
                    for (kind, name, record) in changes {
                        match record {
                            Some(r) => tx.execute(
                                "INSERT OR REPLACE INTO resources (kind, name, record) VALUES (?1, ?2, ?3)",
                                params![kind, name, r.to_string()],
                            )?,
                            None => tx.execute(
                                "DELETE FROM resources WHERE kind = ?1 AND name = ?2",
                                params![kind, name],
                            )?,
                        };
                    }
                    answers.push(Ok(()));
                    continue;
                }
                Work::Append(entries) => entries,
            };
            let seq = match next.get(&job.arn) {
                Some(n) => *n,
                None => tx.query_row(
                    "SELECT coalesce(max(seq) + 1, 0) FROM journal WHERE arn = ?1",
                    [&job.arn],
                    |r| r.get(0),
                )?,
            };
            for (i, entry) in entries.iter().enumerate() {
                let text = serde_json::to_string(entry)
                    .map_err(|e| rusqlite::Error::ToSqlConversionFailure(Box::new(e)))?;
                insert.execute(params![job.arn, seq + i as i64, text])?;
            }
            next.insert(job.arn.clone(), seq + entries.len() as i64);
            answers.push(Ok(()));
        }
    }
    tx.commit()?;
    Ok(answers)
}
