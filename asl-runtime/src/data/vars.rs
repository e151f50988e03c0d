//! Workflow variables: one frame per `States` container (the machine, each Parallel branch, each
//! Map iteration), reading through to the enclosing frames.

use serde_json::{Map, Value};

/// The variables a state sees: its container's own, then the enclosing containers'.
#[derive(Debug, Default)]
pub struct Vars<'p> {
    local: Map<String, Value>,
    /// The size of `local`'s values as JSON text.
    bytes: usize,
    parent: Option<&'p Vars<'p>>,
}

/// The most all of an execution's variables may hold together (10 MiB), counted along the
/// frames a state sees.
pub const MAX_TOTAL_BYTES: usize = 10 * 1024 * 1024;

impl<'p> Vars<'p> {
    /// The frame of the machine's top-level container.
    pub fn root() -> Self {
        Vars::default()
    }

    /// A frame for a branch or iteration inside `parent`.
    pub fn child(parent: &'p Vars<'p>) -> Self {
        Vars {
            local: Map::new(),
            bytes: 0,
            parent: Some(parent),
        }
    }

    /// The value of `$name`, from the innermost frame that has it.
    pub fn get(&self, name: &str) -> Option<&Value> {
        match self.local.get(name) {
            Some(v) => Some(v),
            None => self.parent.and_then(|p| p.get(name)),
        }
    }

    /// The size of every variable this frame sees, as JSON text.
    pub fn total_bytes(&self) -> usize {
        self.bytes + self.parent.map_or(0, Vars::total_bytes)
    }

    /// Sets every member of `values` in this frame (all computed before any is set, as
    /// `Assign` requires). Refused, changing nothing, when the variables would hold more than
    /// [`MAX_TOTAL_BYTES`] together; the error is the size they would reach.
    pub fn assign(&mut self, values: Map<String, Value>) -> Result<(), usize> {
        let size = |v: &Value| crate::limits::json_size(v);
        let mut bytes = self.bytes;
        for (k, v) in &values {
            bytes += size(v);
            bytes -= self.local.get(k).map_or(0, size);
        }
        let total = bytes + self.parent.map_or(0, Vars::total_bytes);
        if total > MAX_TOTAL_BYTES {
            return Err(total);
        }
        self.bytes = bytes;
        self.local.extend(values);
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn inner_frames_read_outer_ones() {
        let mut outer = Vars::root();
        let mut values = Map::new();
        values.insert("a".into(), json!(1));
        assert!(outer.assign(values).is_ok());
        let mut inner = Vars::child(&outer);
        let mut values = Map::new();
        values.insert("b".into(), json!(2));
        assert!(inner.assign(values).is_ok());
        assert_eq!(inner.total_bytes(), 2);
        assert_eq!(inner.get("a"), Some(&json!(1)));
        assert_eq!(inner.get("b"), Some(&json!(2)));
        assert_eq!(outer.get("b"), None);
    }
}
