//! The compiled matcher against a direct interpretation of the same patterns: random events
//! (nested objects, scalars, arrays of scalars) and random patterns over the same fields, each
//! pattern read afresh for every event by a small interpreter written independently of the
//! compiler. They must agree on every pair.

use asl_server::events::pattern::Pattern;
use proptest::prelude::*;
use serde_json::{Map, Value, json};

const KEYS: [&str; 3] = ["a", "b", "c"];
const WORDS: [&str; 4] = ["on", "off", "On", "often"];

fn scalar() -> impl Strategy<Value = Value> {
    prop_oneof![
        prop::sample::select(WORDS.to_vec()).prop_map(|w| json!(w)),
        (-3i64..4).prop_map(|n| json!(n)),
        any::<bool>().prop_map(|b| json!(b)),
        Just(Value::Null),
        prop::sample::select(vec!["10.0.0.1", "10.0.1.7", "192.168.0.1"]).prop_map(|ip| json!(ip)),
    ]
}

fn leaf() -> impl Strategy<Value = Value> {
    prop_oneof![
        3 => scalar(),
        1 => prop::collection::vec(scalar(), 0..3).prop_map(Value::Array),
    ]
}

fn object(depth: u32) -> BoxedStrategy<Value> {
    let value = if depth == 0 {
        leaf().boxed()
    } else {
        prop_oneof![3 => leaf(), 1 => object(depth - 1)].boxed()
    };
    prop::collection::btree_map(prop::sample::select(KEYS.to_vec()), value, 0..3)
        .prop_map(|m| Value::Object(m.into_iter().map(|(k, v)| (k.to_owned(), v)).collect()))
        .boxed()
}

fn operator() -> impl Strategy<Value = Value> {
    let word = prop::sample::select(WORDS.to_vec());
    prop_oneof![
        scalar(),
        word.clone().prop_map(|w| json!({"prefix": &w[..1]})),
        word.clone()
            .prop_map(|w| json!({"suffix": &w[w.len() - 1..]})),
        word.clone().prop_map(|w| json!({"equals-ignore-case": w})),
        word.clone()
            .prop_map(|w| json!({"wildcard": format!("{}*", &w[..1])})),
        word.clone().prop_map(|w| json!({"anything-but": w})),
        word.clone()
            .prop_map(|w| json!({"anything-but": {"prefix": &w[..1]}})),
        (-3i64..4).prop_map(|n| json!({"numeric": [">=", n]})),
        (-3i64..4, 0i64..3).prop_map(|(n, d)| json!({"numeric": [">", n, "<=", n + d]})),
        any::<bool>().prop_map(|b| json!({"exists": b})),
        Just(json!({"cidr": "10.0.0.0/24"})),
    ]
}

fn pattern(depth: u32) -> BoxedStrategy<Value> {
    let value = if depth == 0 {
        prop::collection::vec(operator(), 1..3)
            .prop_map(Value::Array)
            .boxed()
    } else {
        prop_oneof![
            3 => prop::collection::vec(operator(), 1..3).prop_map(Value::Array),
            1 => pattern(depth - 1),
        ]
        .boxed()
    };
    prop::collection::btree_map(prop::sample::select(KEYS.to_vec()), value, 1..3)
        .prop_map(|m| Value::Object(m.into_iter().map(|(k, v)| (k.to_owned(), v)).collect()))
        .boxed()
}

/// The values a field holds: a scalar, each element of an array of scalars, none when absent
/// or an object.
fn values(field: Option<&Value>) -> Vec<&Value> {
    match field {
        None | Some(Value::Object(_)) => Vec::new(),
        Some(Value::Array(items)) => items.iter().collect(),
        Some(v) => vec![v],
    }
}

/// Whether the pattern object matches the event object, read directly.
fn interpret(pattern: &Map<String, Value>, event: Option<&Map<String, Value>>) -> bool {
    pattern.iter().all(|(key, p)| {
        let field = event.and_then(|e| e.get(key));
        match p {
            Value::Object(nested) => interpret(nested, field.and_then(Value::as_object)),
            Value::Array(ops) => {
                let vs = values(field);
                ops.iter().any(|op| operator_matches(op, &vs))
            }
            _ => false,
        }
    })
}

fn operator_matches(op: &Value, vs: &[&Value]) -> bool {
    let number = |v: &Value| v.as_f64();
    let Value::Object(o) = op else {
        return vs.iter().any(|v| match (op, v) {
            (Value::Number(a), Value::Number(b)) => a.as_f64() == b.as_f64(),
            _ => op == *v,
        });
    };
    let (name, arg) = o.iter().next().expect("one operator");
    if name == "exists" {
        return vs.is_empty() != arg.as_bool().expect("a boolean");
    }
    vs.iter().any(|v| {
        let text = v.as_str();
        match name.as_str() {
            "prefix" => text.is_some_and(|t| t.starts_with(arg.as_str().expect("text"))),
            "suffix" => text.is_some_and(|t| t.ends_with(arg.as_str().expect("text"))),
            "equals-ignore-case" => {
                text.is_some_and(|t| t.eq_ignore_ascii_case(arg.as_str().expect("text")))
            }
            "wildcard" => text
                .is_some_and(|t| t.starts_with(arg.as_str().expect("text").trim_end_matches('*'))),
            "anything-but" => match arg {
                Value::Object(p) => {
                    !text.is_some_and(|t| t.starts_with(p["prefix"].as_str().expect("text")))
                }
                other => *v != other,
            },
            "numeric" => {
                let bounds = arg.as_array().expect("bounds");
                number(v).is_some_and(|n| {
                    bounds.chunks(2).all(|c| {
                        let b = c[1].as_f64().expect("a number");
                        match c[0].as_str().expect("an operator") {
                            ">" => n > b,
                            ">=" => n >= b,
                            "<" => n < b,
                            "<=" => n <= b,
                            _ => n == b,
                        }
                    })
                })
            }
            "cidr" => text.is_some_and(|t| t.starts_with("10.0.0.")),
            _ => false,
        }
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2_000))]

    #[test]
    fn compiled_and_interpreted_patterns_agree(event in object(2), pattern in pattern(1)) {
        let compiled = Pattern::from_value(&pattern).expect("generated patterns are valid");
        let interpreted = interpret(pattern.as_object().expect("an object"), event.as_object());
        prop_assert_eq!(compiled.matches_value(&event), interpreted, "pattern {} event {}", pattern, event);
    }
}
