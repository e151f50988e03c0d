//! Whether an element passes a filter, as Jayway decides.

use std::cmp::Ordering;

use serde_json::Value;

use super::{Filter, Op, Operand};

impl Operand {
    fn value(&self, element: &Value, root: &Value) -> Option<Value> {
        match self {
            Operand::Current(p) => p.select(element),
            Operand::Root(p) => p.select(root),
            Operand::Literal(v) => Some(v.clone()),
        }
    }
}

fn equal(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::Number(x), Value::Number(y)) => x.as_f64() == y.as_f64(),
        _ => a == b,
    }
}

fn order(a: &Value, b: &Value) -> Option<Ordering> {
    match (a, b) {
        (Value::Number(x), Value::Number(y)) => x.as_f64()?.partial_cmp(&y.as_f64()?),
        (Value::String(x), Value::String(y)) => Some(x.cmp(y)),
        _ => None,
    }
}

impl Filter {
    /// Whether `element` passes (`root` is the document `$` operands read).
    pub fn matches(&self, element: &Value, root: &Value) -> bool {
        match self {
            Filter::Or(a, b) => a.matches(element, root) || b.matches(element, root),
            Filter::And(a, b) => a.matches(element, root) && b.matches(element, root),
            Filter::Not(a) => !a.matches(element, root),
            Filter::Exists(o) => o.value(element, root).is_some(),
            Filter::Compare(l, op, r) => {
                let (Some(a), Some(b)) = (l.value(element, root), r.value(element, root)) else {
                    return false;
                };
                match op {
                    Op::Eq => equal(&a, &b),
                    Op::Ne => !equal(&a, &b),
                    Op::Lt => order(&a, &b) == Some(Ordering::Less),
                    Op::Le => matches!(order(&a, &b), Some(Ordering::Less | Ordering::Equal)),
                    Op::Gt => order(&a, &b) == Some(Ordering::Greater),
                    Op::Ge => matches!(order(&a, &b), Some(Ordering::Greater | Ordering::Equal)),
                    Op::In => b
                        .as_array()
                        .is_some_and(|items| items.iter().any(|i| equal(i, &a))),
                    Op::Nin => b
                        .as_array()
                        .is_some_and(|items| !items.iter().any(|i| equal(i, &a))),
                }
            }
        }
    }
}
