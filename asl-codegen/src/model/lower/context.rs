//! Whether a state reads the context object (`$$` in JSONPath, `$states.context` in JSONata),
//! so that the engine builds that object only for the states that read it. A string that only
//! looks like such a read (a literal `"$$"` in a `Result`) makes the engine build the object
//! for nothing, never the other way round.

use crate::model::QueryLanguage;
use crate::source::{Node, Value};

/// The members of a state that hold other states, whose reads are their own.
const NESTED: [&str; 3] = ["Branches", "ItemProcessor", "Iterator"];

/// The ways a JSONata expression reaches the context object.
const JSONATA_READS: [&str; 3] = [
    "$states.context",
    "$states['context']",
    "$states[\"context\"]",
];

/// Whether the state object `state`, in query language `ql`, reads the context object
/// anywhere but in the states nested in it.
pub(super) fn reads_context(state: &Node, ql: QueryLanguage) -> bool {
    match &state.value {
        Value::Object(members) => members
            .iter()
            .filter(|m| !NESTED.contains(&m.key.as_str()))
            .any(|m| mentions(&m.value, ql)),
        _ => false,
    }
}

fn mentions(node: &Node, ql: QueryLanguage) -> bool {
    match &node.value {
        Value::String(s) => match ql {
            QueryLanguage::JsonPath => s.contains("$$"),
            QueryLanguage::Jsonata => JSONATA_READS.iter().any(|read| s.contains(read)),
        },
        Value::Object(members) => members.iter().any(|m| mentions(&m.value, ql)),
        Value::Array(items) => items.iter().any(|i| mentions(i, ql)),
        _ => false,
    }
}
