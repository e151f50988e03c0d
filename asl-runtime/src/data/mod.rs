//! JSON data handling: what paths and templates read (the scope), payload templates, JSONata
//! and the input/output pipeline. Everything here is built once by generated code (from what
//! the generator parsed) and applied per execution.

pub mod io;
pub mod jsonata;
pub mod scope;
pub mod template;
pub mod vars;
