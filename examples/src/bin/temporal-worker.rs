//! A Temporal worker for the example workflows: their executions run as Temporal workflows,
//! their handlers as activities, on any number of these processes.
//!
//! ```sh
//! temporal server start-dev --headless --ip 127.0.0.1 --port 7233 &
//! cargo run -p asl-examples --bin temporal-worker -- --address 127.0.0.1:7233 --task-queue examples
//! ```
//!
//! Arguments: `--address HOST:PORT` (default `$TEMPORAL_ADDRESS` or `127.0.0.1:7233`),
//! `--namespace NAME` (default `default`), `--task-queue NAME` (default `asl-examples`),
//! `--worker-loss-timeout SECONDS` (default 30: how long a handler's call may go without this
//! worker's heartbeat before Temporal runs it again on another worker).

use std::process::ExitCode;
use std::time::Duration;

use asl_temporal::TemporalWorker;

fn main() -> ExitCode {
    let usage = |problem: &str| {
        eprintln!(
            "error: {problem}\nusage: temporal-worker [--address HOST:PORT] [--namespace NAME] [--task-queue NAME] [--worker-loss-timeout SECONDS]"
        );
        ExitCode::from(2)
    };
    let mut address =
        std::env::var("TEMPORAL_ADDRESS").unwrap_or_else(|_| "127.0.0.1:7233".to_owned());
    let mut namespace = "default".to_owned();
    let mut queue = "asl-examples".to_owned();
    let mut loss = Duration::from_secs(30);
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        match (arg.as_str(), args.next()) {
            ("--address", Some(a)) => address = a,
            ("--namespace", Some(n)) => namespace = n,
            ("--task-queue", Some(q)) => queue = q,
            ("--worker-loss-timeout", Some(s)) => match s.parse() {
                Ok(s) => loss = Duration::from_secs(s),
                Err(_) => return usage(&format!("--worker-loss-timeout takes seconds, not '{s}'")),
            },
            _ => return usage(&format!("unknown argument '{arg}'")),
        }
    }
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(rt) => rt,
        Err(e) => {
            eprintln!("error: {e}");
            return ExitCode::FAILURE;
        }
    };
    let local = tokio::task::LocalSet::new();
    let ran = local.block_on(&runtime, async {
        let client = asl_temporal::connect(&address, &namespace).await?;
        let worker = TemporalWorker::builder(queue.clone())
            .machine(asl_examples::fulfilment::machine())
            .machine(asl_examples::approval::machine())
            .machine(asl_examples::order::machine(0))
            .worker_loss_timeout(loss)
            .build(client)?;
        let stop = worker.shutdown_handle();
        tokio::task::spawn_local(async move {
            let _ = tokio::signal::ctrl_c().await;
            stop();
        });
        println!("running the example machines' executions from task queue {queue} on {address}");
        worker.run().await
    });
    match ran {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::FAILURE
        }
    }
}
