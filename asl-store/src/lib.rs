//! Executions kept in SQLite, so that they outlive the process that ran them.
//!
//! ```no_run
//! use std::sync::Arc;
//!
//! # fn machine() -> asl_runtime::Machine { unimplemented!() }
//! let store = asl_store::SqliteStore::open("executions.db")?;
//! let machine = machine().with_store(Arc::new(store));
//! # Ok::<(), asl_runtime::StoreError>(())
//! ```
//!
//! One file, WAL mode, `synchronous=FULL`; the schema's version is in the file, and a file of
//! another application, of a newer schema or damaged is refused when it is opened, never reset.

mod schema;
mod sqlite;
mod writer;

pub use sqlite::{DEFAULT_RETENTION, SqliteStore};
