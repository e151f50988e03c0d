//! The small languages inside a definition: JSONPath paths (with their filters), intrinsic
//! function calls, JSONata expressions, timestamps and names. Paths, filters, timestamps and
//! names are `asl-lang`'s, the trees the runtime evaluates; parsed once, by the generator.

pub use asl_lang::{choice, filter, ident, intrinsic, jsonata, jsonpath, timestamp};
