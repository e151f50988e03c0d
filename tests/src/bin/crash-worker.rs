//! `crash-worker DB COUNT`: one life of a process running the durable workflow with a store
//! at DB. It resumes every execution the store keeps as RUNNING, starts at most two of the
//! COUNT executions the store does not know yet, and prints `resumed N` and, once everything
//! it runs has ended, `done`. The crash-resume test kills it with SIGKILL at random points.

use std::sync::Arc;

use asl_runtime::Store;
use asl_tests::durable;

fn main() -> std::process::ExitCode {
    let mut args = std::env::args().skip(1);
    let (Some(db), Some(count)) = (args.next(), args.next().and_then(|n| n.parse::<u64>().ok()))
    else {
        eprintln!("usage: crash-worker DB COUNT");
        return std::process::ExitCode::from(2);
    };
    let store = match asl_store::SqliteStore::open(&db) {
        Ok(s) => Arc::new(s),
        Err(e) => {
            eprintln!("error: {e}");
            return std::process::ExitCode::from(2);
        }
    };
    let Ok(rt) = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
    else {
        return std::process::ExitCode::from(2);
    };
    let machine = durable::machine().with_store(store.clone());
    rt.block_on(async {
        let mut running = match machine.resume() {
            Ok(r) => r,
            Err(e) => {
                eprintln!("error: {e}");
                return std::process::ExitCode::from(2);
            }
        };
        println!("resumed {}", running.len());
        let mut started = 0;
        for i in 0..count {
            if started == 2 {
                break;
            }
            let arn = format!(
                "arn:aws:states:us-east-1:111111111111:execution:Durable:{}",
                durable::name(i)
            );
            if matches!(store.describe(&arn), Ok(None)) {
                running.push(machine.start(&durable::name(i), durable::input(i)));
                started += 1;
            }
        }
        for e in running {
            e.result().await;
        }
        println!("done");
        std::process::ExitCode::SUCCESS
    })
}
