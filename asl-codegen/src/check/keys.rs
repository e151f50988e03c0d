//! Duplicate keys in any object of the document. AWS's JSON reader refuses them; most JSON
//! libraries silently keep one of the two.

use crate::diag::{Code, Diagnostic, Pointer};
use crate::source::{Node, Value};

/// Reports every key that appears twice in one object.
pub(crate) fn duplicate_keys(node: &Node, ptr: &Pointer, diags: &mut Vec<Diagnostic>) {
    match &node.value {
        Value::Object(members) => {
            for (i, m) in members.iter().enumerate() {
                if members[..i].iter().any(|p| p.key == m.key) {
                    diags.push(
                        Diagnostic::new(Code::InvalidJsonDescription, format!("Duplicate field '{}'", m.key), ptr.clone(), Some(m.key_span))
                            .with_help("a JSON object may hold each key once; the two values can not both apply"),
                    );
                }
                duplicate_keys(&m.value, &ptr.join(&m.key), diags);
            }
        }
        Value::Array(items) => {
            for (i, item) in items.iter().enumerate() {
                duplicate_keys(item, &ptr.join(i), diags);
            }
        }
        _ => {}
    }
}
