//! The small languages inside a definition: JSONPath paths, intrinsic function calls, JSONata
//! expressions and timestamps. Parsed once, by the generator; the planner lowers the results.

pub mod filter;
pub mod intrinsic;
pub mod jsonata;
pub mod jsonpath;
pub mod timestamp;
