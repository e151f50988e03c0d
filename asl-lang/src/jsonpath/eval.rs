//! Applying a path to a document, as Jayway does.

use serde_json::Value;

use super::{Path, Step};

impl Path {
    /// Applies the path to `doc` (which must be the value its root names). A definite path
    /// gives the value it names (`None` when absent); any other gives the array of every
    /// match (`None` when nothing matches, as Jayway reports "no results").
    pub fn select(&self, doc: &Value) -> Option<Value> {
        if self.definite {
            return self.select_ref(doc).map(|v| v.into_owned());
        }
        let mut current: Vec<&Value> = vec![doc];
        let mut computed: Vec<Value> = Vec::new();
        for step in self.steps.iter() {
            let mut next = Vec::new();
            for v in &current {
                apply(step, v, doc, &mut next);
            }
            if let Step::Length = step {
                computed = current.iter().filter_map(|v| length(v)).collect();
                current = Vec::new();
                continue;
            }
            current = next;
        }
        let mut out: Vec<Value> = current.into_iter().cloned().collect();
        out.extend(computed);
        Some(Value::Array(out))
    }

    /// Like [`select`](Self::select), taking the value out of `doc` instead of copying it
    /// when the path is only names and indexes (what OutputPath and InputPath mostly are).
    pub fn take(&self, mut doc: Value) -> Option<Value> {
        if !self.is_plain() {
            return self.select(&doc);
        }
        self.take_from(&mut doc)
    }

    /// Whether the path is only names and indexes, so it names one place in a document.
    pub fn is_plain(&self) -> bool {
        self.steps
            .iter()
            .all(|s| matches!(s, Step::Name(_) | Step::Index(_)))
    }

    /// Takes the value a [plain](Self::is_plain) path names out of `doc`, leaving `null` in
    /// its place (`None` when it is absent or the path is not plain).
    pub fn take_from(&self, doc: &mut Value) -> Option<Value> {
        let mut v = doc;
        for step in self.steps.iter() {
            v = match (step, v) {
                (Step::Name(n), Value::Object(o)) => o.get_mut(&**n)?,
                (Step::Index(i), Value::Array(a)) => {
                    let at = if *i < 0 { a.len() as i64 + i } else { *i };
                    a.get_mut(usize::try_from(at).ok()?)?
                }
                _ => return None,
            };
        }
        Some(std::mem::take(v))
    }

    /// Like [`select`](Self::select) for a definite path, borrowing when it can.
    #[inline]
    pub fn select_ref<'a>(&self, doc: &'a Value) -> Option<std::borrow::Cow<'a, Value>> {
        // `$.name`, the most common path of all, without the walk.
        if let [Step::Name(n)] = &*self.steps {
            return doc.as_object()?.get(&**n).map(std::borrow::Cow::Borrowed);
        }
        self.walk_ref(doc)
    }

    /// [`select_ref`](Self::select_ref) for any path.
    fn walk_ref<'a>(&self, doc: &'a Value) -> Option<std::borrow::Cow<'a, Value>> {
        let mut v = doc;
        for (i, step) in self.steps.iter().enumerate() {
            match step {
                Step::Name(n) => v = v.as_object()?.get(&**n)?,
                Step::Index(i) => v = index(v.as_array()?, *i)?,
                Step::Length if i + 1 == self.steps.len() => {
                    return length(v).map(std::borrow::Cow::Owned);
                }
                _ => {
                    // Not definite: fall back to the general walk.
                    return self.select(doc).map(std::borrow::Cow::Owned);
                }
            }
        }
        Some(std::borrow::Cow::Borrowed(v))
    }
}

fn index(items: &[Value], i: i64) -> Option<&Value> {
    let i = if i < 0 { items.len() as i64 + i } else { i };
    usize::try_from(i).ok().and_then(|i| items.get(i))
}

fn length(v: &Value) -> Option<Value> {
    match v {
        Value::Array(a) => Some(Value::from(a.len())),
        Value::String(s) => Some(Value::from(s.chars().count())),
        Value::Object(o) => Some(Value::from(o.len())),
        _ => None,
    }
}

fn apply<'a>(step: &Step, v: &'a Value, root: &Value, out: &mut Vec<&'a Value>) {
    match step {
        Step::Name(n) => out.extend(v.as_object().and_then(|o| o.get(&**n))),
        Step::Index(i) => out.extend(v.as_array().and_then(|a| index(a, *i))),
        Step::Wildcard => match v {
            Value::Array(a) => out.extend(a.iter()),
            Value::Object(o) => out.extend(o.values()),
            _ => {}
        },
        Step::Names(ns) => {
            if let Some(o) = v.as_object() {
                out.extend(ns.iter().filter_map(|n| o.get(&**n)));
            }
        }
        Step::Indexes(is) => {
            if let Some(a) = v.as_array() {
                out.extend(is.iter().filter_map(|i| index(a, *i)));
            }
        }
        Step::Slice(start, end, step) => {
            if let Some(a) = v.as_array() {
                let len = a.len() as i64;
                let norm = |x: i64| if x < 0 { (len + x).max(0) } else { x.min(len) };
                let step = step.unwrap_or(1);
                if step > 0 {
                    let (s, e) = (norm(start.unwrap_or(0)), norm(end.unwrap_or(len)));
                    let mut i = s;
                    while i < e {
                        out.push(&a[i as usize]);
                        i += step;
                    }
                } else {
                    let (s, e) = (
                        start.map_or(len - 1, norm).min(len - 1),
                        end.map_or(-1, norm),
                    );
                    let mut i = s;
                    while i > e && i >= 0 {
                        out.push(&a[i as usize]);
                        i += step;
                    }
                }
            }
        }
        Step::Descendant(inner) => {
            let mut todo = vec![v];
            while let Some(node) = todo.pop() {
                apply(inner, node, root, out);
                match node {
                    Value::Array(a) => todo.extend(a.iter().rev()),
                    Value::Object(o) => todo.extend(o.values().rev()),
                    _ => {}
                }
            }
        }
        Step::Length => {}
        Step::Filter(f) => match v {
            Value::Array(items) => {
                out.extend(items.iter().filter(|i| i.is_object() && f.matches(i, root)))
            }
            Value::Object(_) if f.matches(v, root) => out.push(v),
            _ => {}
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::jsonpath::Root;
    use serde_json::json;

    fn p(steps: Vec<Step>) -> Path {
        Path::new(Root::Input, steps, "")
    }

    #[test]
    fn take_moves_what_select_copies() {
        let doc = json!({"a": {"b": [1, {"c": "x"}, 3]}, "d": [{"e": 1}, {"e": 2}]});
        for path in [
            p(vec![Step::Name("a".into())]),
            p(vec![
                Step::Name("a".into()),
                Step::Name("b".into()),
                Step::Index(-2),
            ]),
            p(vec![
                Step::Name("a".into()),
                Step::Name("b".into()),
                Step::Index(7),
            ]),
            p(vec![Step::Name("nope".into())]),
            p(vec![
                Step::Name("d".into()),
                Step::Wildcard,
                Step::Name("e".into()),
            ]),
            p(vec![]),
        ] {
            assert_eq!(
                path.take(doc.clone()),
                path.select(&doc),
                "{:?}",
                path.steps()
            );
        }
    }

    #[test]
    fn definite_paths_walk_directly() {
        let doc = json!({"a": {"b": [10, 20, 30]}});
        let path = p(vec![
            Step::Name("a".into()),
            Step::Name("b".into()),
            Step::Index(-1),
        ]);
        assert!(path.is_definite());
        assert_eq!(path.select(&doc), Some(json!(30)));
        assert_eq!(p(vec![Step::Name("x".into())]).select(&doc), None);
        assert_eq!(
            p(vec![
                Step::Name("a".into()),
                Step::Name("b".into()),
                Step::Length
            ])
            .select(&doc),
            Some(json!(3))
        );
    }

    #[test]
    fn indefinite_paths_gather_into_arrays() {
        let doc = json!({"items": [{"v": 1}, {"v": 2}, {"w": 3}]});
        let path = p(vec![
            Step::Name("items".into()),
            Step::Wildcard,
            Step::Name("v".into()),
        ]);
        assert_eq!(path.select(&doc), Some(json!([1, 2])));
        let slice = p(vec![
            Step::Name("items".into()),
            Step::Slice(Some(1), None, None),
        ]);
        assert_eq!(slice.select(&doc), Some(json!([{"v": 2}, {"w": 3}])));
        let deep = p(vec![Step::Descendant(Box::new(Step::Name("v".into())))]);
        assert_eq!(deep.select(&doc), Some(json!([1, 2])));
    }

    #[test]
    fn filters_select_matching_objects() {
        use crate::filter::{Filter, Op, Operand};
        let doc =
            json!({"limit": 10, "books": [{"p": 8, "t": "a"}, {"p": 12, "t": "b"}, 5, {"t": "c"}]});
        let cheap = Filter::Compare(
            Operand::Current(p(vec![Step::Name("p".into())])),
            Op::Lt,
            Operand::Root(p(vec![Step::Name("limit".into())])),
        );
        let path = p(vec![
            Step::Name("books".into()),
            Step::Filter(Box::new(cheap)),
            Step::Name("t".into()),
        ]);
        assert_eq!(path.select(&doc), Some(json!(["a"])));
        let has_price = Filter::Exists(Operand::Current(p(vec![Step::Name("p".into())])));
        let path = p(vec![
            Step::Name("books".into()),
            Step::Filter(Box::new(Filter::Not(Box::new(has_price)))),
        ]);
        assert_eq!(
            path.select(&doc),
            Some(json!([{"t": "c"}])),
            "scalars never match"
        );
        let one_of = Filter::Compare(
            Operand::Current(p(vec![Step::Name("t".into())])),
            Op::In,
            Operand::Literal(json!(["b", "c"])),
        );
        let path = p(vec![
            Step::Name("books".into()),
            Step::Filter(Box::new(one_of)),
            Step::Name("t".into()),
        ]);
        assert_eq!(path.select(&doc), Some(json!(["b", "c"])));
    }

    #[test]
    fn bracketed_rendering() {
        let path = p(vec![Step::Name("a".into()), Step::Index(0)]);
        assert_eq!(path.bracketed(), "$['a'][0]");
    }
}
