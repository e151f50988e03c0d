//! Workflow variables: one frame per `States` container (the machine, each Parallel branch, each
//! Map iteration), reading through to the enclosing frames.

use serde_json::{Map, Value};

/// The variables a state sees: its container's own, then the enclosing containers'.
#[derive(Debug, Default)]
pub struct Vars<'p> {
    local: Map<String, Value>,
    parent: Option<&'p Vars<'p>>,
}

impl<'p> Vars<'p> {
    /// The frame of the machine's top-level container.
    pub fn root() -> Self {
        Vars::default()
    }

    /// A frame for a branch or iteration inside `parent`.
    pub fn child(parent: &'p Vars<'p>) -> Self {
        Vars {
            local: Map::new(),
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

    /// Sets every member of `values` in this frame (all computed before any is set, as
    /// `Assign` requires).
    pub fn assign(&mut self, values: Map<String, Value>) {
        self.local.extend(values);
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
        outer.assign(values);
        let mut inner = Vars::child(&outer);
        let mut values = Map::new();
        values.insert("b".into(), json!(2));
        inner.assign(values);
        assert_eq!(inner.get("a"), Some(&json!(1)));
        assert_eq!(inner.get("b"), Some(&json!(2)));
        assert_eq!(outer.get("b"), None);
    }
}
