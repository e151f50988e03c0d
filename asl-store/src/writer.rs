//! The journal's writer: one thread with its own connection, committing the answers queued by
//! every execution since its last commit in one transaction (group commit), then telling each
//! one its answers are durable.

use std::collections::HashMap;
use std::sync::mpsc;

use rusqlite::{Connection, params};

use asl_runtime::StoreError;
use asl_runtime::effects::Entry;

/// Answers of one execution to journal, and whom to tell.
pub(crate) struct Job {
    pub(crate) arn: String,
    pub(crate) entries: Vec<Entry>,
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
        let result = commit(&mut conn, &mut next, &batch)
            .map_err(|e| StoreError(format!("{path}: the journal could not be written: {e}")));
        if result.is_err() {
            // What was counted for the lost transaction is read again next time.
            for job in &batch {
                next.remove(&job.arn);
            }
        }
        for job in batch {
            let _ = job.done.send(result.clone());
        }
    }
}

fn commit(
    conn: &mut Connection,
    next: &mut HashMap<String, i64>,
    batch: &[Job],
) -> rusqlite::Result<()> {
    let tx = conn.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
    {
        let mut insert =
            tx.prepare_cached("INSERT INTO journal (arn, seq, entry) VALUES (?1, ?2, ?3)")?;
        for job in batch {
            let seq = match next.get(&job.arn) {
                Some(n) => *n,
                None => tx.query_row(
                    "SELECT coalesce(max(seq) + 1, 0) FROM journal WHERE arn = ?1",
                    [&job.arn],
                    |r| r.get(0),
                )?,
            };
            for (i, entry) in job.entries.iter().enumerate() {
                let text = serde_json::to_string(entry)
                    .map_err(|e| rusqlite::Error::ToSqlConversionFailure(Box::new(e)))?;
                insert.execute(params![job.arn, seq + i as i64, text])?;
            }
            next.insert(job.arn.clone(), seq + job.entries.len() as i64);
        }
    }
    tx.commit()
}
