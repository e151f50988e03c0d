//! A Temporal worker for compiled machines: it polls a task queue for the workflow tasks of
//! their executions and for their handler calls.

use std::collections::HashMap;
use std::sync::Arc;
use std::time::Duration;

use asl_runtime::Machine;
use temporalio_client::Client;
use temporalio_sdk::{Runtime, Worker, WorkerOptions};

use crate::activity::TaskActivities;
use crate::error::Error;
use crate::workflow::{Machines, Settings, StepFunctionsExecution};

/// Builds a [`TemporalWorker`]: the machines it runs and how.
#[derive(Debug)]
pub struct WorkerBuilder {
    task_queue: String,
    machines: HashMap<String, Machine>,
    settings: Settings,
    max_cached_workflows: usize,
}

impl WorkerBuilder {
    /// Runs `machine`'s executions (and its handlers), under the machine's own name.
    pub fn machine(self, machine: Machine) -> Self {
        let name = machine.name().to_owned();
        self.machine_named(name, machine)
    }

    /// Runs `machine`'s executions under `name` (a machine served under several names, as
    /// CreateStateMachine may make them).
    pub fn machine_named(mut self, name: impl Into<String>, machine: Machine) -> Self {
        self.machines.insert(name.into(), machine);
        self
    }

    /// How long a handler's activity may go without this worker's heartbeat before Temporal
    /// takes its worker for lost and runs the call again on another (30 seconds by default;
    /// the worker heartbeats three times as often).
    pub fn worker_loss_timeout(mut self, timeout: Duration) -> Self {
        self.settings.worker_loss_timeout = timeout.max(Duration::from_secs(1));
        self
    }

    /// How many executions the worker keeps in memory between their workflow tasks (1,000 by
    /// default); others are rebuilt from their Temporal history when they next have work.
    pub fn max_cached_executions(mut self, n: usize) -> Self {
        self.max_cached_workflows = n;
        self
    }

    /// The worker, polling the task queue through `client` on the current tokio runtime.
    ///
    /// # Errors
    /// Outside a tokio runtime, or when Temporal's worker cannot be made.
    pub fn build(self, client: Client) -> Result<TemporalWorker, Error> {
        let runtime = Runtime::from_current_tokio(Default::default())
            .map_err(|e| Error::Worker(e.to_string()))?;
        let machines = Machines(Arc::new(self.machines));
        let settings = self.settings;
        let for_workflows = machines.clone();
        let mut options = WorkerOptions::new(self.task_queue.clone())
            .max_cached_workflows(self.max_cached_workflows)
            .register_activities(TaskActivities {
                machines: machines.clone(),
            })
            // The engine hands answers to its own futures inside the workflow's poll (see the
            // bridge): wakes the detector would take for tokio's are deterministic here.
            .detect_nondeterministic_futures(false)
            .build();
        options
            .register_workflow_with_factory::<StepFunctionsExecution, _>(move || {
                StepFunctionsExecution::new(for_workflows.clone(), settings)
            })
            .map_err(|e| Error::Worker(e.to_string()))?;
        let worker =
            Worker::new(&runtime, client, options).map_err(|e| Error::Worker(e.to_string()))?;
        Ok(TemporalWorker {
            worker,
            _runtime: runtime,
            task_queue: self.task_queue,
        })
    }
}

/// A Temporal worker running compiled machines' executions and handlers.
pub struct TemporalWorker {
    worker: Worker,
    // Kept for as long as the worker runs.
    _runtime: Runtime,
    task_queue: String,
}

impl std::fmt::Debug for TemporalWorker {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("TemporalWorker")
            .field("task_queue", &self.task_queue)
            .finish()
    }
}

impl TemporalWorker {
    /// A worker for `task_queue`; add machines to the builder.
    pub fn builder(task_queue: impl Into<String>) -> WorkerBuilder {
        WorkerBuilder {
            task_queue: task_queue.into(),
            machines: HashMap::new(),
            settings: Settings::default(),
            max_cached_workflows: 1000,
        }
    }

    /// The task queue it polls.
    pub fn task_queue(&self) -> &str {
        &self.task_queue
    }

    /// A function that asks the worker to stop polling and finish (its [`run`](Self::run)
    /// then returns).
    pub fn shutdown_handle(&self) -> impl Fn() + Send + Sync + 'static {
        self.worker.shutdown_handle()
    }

    /// Polls and runs until shut down. The future is not `Send`: run it on the thread that
    /// built the worker (in `main`, or on a [`tokio::task::LocalSet`]).
    ///
    /// # Errors
    /// When Temporal's worker stops with an error.
    pub async fn run(mut self) -> Result<(), Error> {
        self.worker
            .run()
            .await
            .map_err(|e| Error::Worker(e.to_string()))
    }
}

/// A worker running on a thread of its own ([`TemporalWorker::spawn`]), until stopped.
#[derive(Debug)]
pub struct WorkerThread {
    stop: Option<tokio::sync::oneshot::Sender<()>>,
    thread: Option<std::thread::JoinHandle<Result<(), Error>>>,
}

impl TemporalWorker {
    /// Runs the worker `build` makes (connecting its client there) on a thread of its own,
    /// with a runtime of its own: the worker's future is not `Send`, so a program whose
    /// runtime spawns tasks on many threads runs it this way. Returns once the worker polls.
    ///
    /// # Errors
    /// `build`'s error, or the thread's.
    pub fn spawn<F, Fut>(build: F) -> Result<WorkerThread, Error>
    where
        F: FnOnce() -> Fut + Send + 'static,
        Fut: std::future::Future<Output = Result<TemporalWorker, Error>>,
    {
        let (stop_tx, stop_rx) = tokio::sync::oneshot::channel::<()>();
        let (ready_tx, ready_rx) = std::sync::mpsc::channel();
        let thread = std::thread::spawn(move || -> Result<(), Error> {
            let rt = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
                .map_err(|e| Error::Worker(e.to_string()))?;
            let local = tokio::task::LocalSet::new();
            local.block_on(&rt, async move {
                let worker = match build().await {
                    Ok(w) => w,
                    Err(e) => {
                        let _ = ready_tx.send(Err(e.clone()));
                        return Err(e);
                    }
                };
                let stop = worker.shutdown_handle();
                // Temporal's shutdown needs this runtime: it is asked here.
                tokio::task::spawn_local(async move {
                    let _ = stop_rx.await;
                    stop();
                });
                let _ = ready_tx.send(Ok(()));
                worker.run().await
            })
        });
        match ready_rx.recv() {
            Ok(Ok(())) => Ok(WorkerThread {
                stop: Some(stop_tx),
                thread: Some(thread),
            }),
            Ok(Err(e)) => Err(e),
            Err(_) => Err(Error::Worker(
                "the worker's thread ended before it polled".into(),
            )),
        }
    }
}

impl WorkerThread {
    /// Stops the worker and waits for its thread: how its run ended.
    ///
    /// # Errors
    /// The worker's error.
    pub fn stop(mut self) -> Result<(), Error> {
        self.shut()
    }

    fn shut(&mut self) -> Result<(), Error> {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        match self.thread.take().map(std::thread::JoinHandle::join) {
            Some(Ok(ended)) => ended,
            Some(Err(_)) => Err(Error::Worker("the worker's thread panicked".into())),
            None => Ok(()),
        }
    }
}

impl Drop for WorkerThread {
    fn drop(&mut self) {
        let _ = self.shut();
    }
}
