//! JSON data handling: paths, payload templates and the input/output pipeline. Everything here
//! is built once by generated code (from what the generator parsed) and applied per execution.

pub mod io;
pub mod jsonata;
pub mod template;
pub mod vars;
