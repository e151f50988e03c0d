//! Single-state documents, as AWS's TestState takes them (`{"Type": "Task", …}`): checked as
//! the one state of a machine, the states it goes to standing in as Succeed states (they are
//! outside the document, so they need not exist).

use super::{Member, Node, Value};

/// The name the state of a single-state document takes.
pub const SINGLE_STATE: &str = "TestState";

/// The machine a single-state document stands for: `{"StartAt": "TestState", "States":
/// {"TestState": <the state>, <each state it goes to>: {"Type": "Succeed"}}}`; `None` when
/// `root` is a whole definition (or not an object).
pub fn single_state_machine(root: &Node) -> Option<Node> {
    let members = root.as_object()?;
    let is_state = members.iter().any(|m| m.key == "Type")
        && !members
            .iter()
            .any(|m| m.key == "States" || m.key == "StartAt");
    if !is_state {
        return None;
    }
    let mut states = vec![Member {
        key: SINGLE_STATE.to_owned(),
        key_span: root.span,
        value: root.clone(),
    }];
    for target in targets(root) {
        if target.as_str() == Some(SINGLE_STATE)
            || states
                .iter()
                .any(|m| Some(m.key.as_str()) == target.as_str())
        {
            continue;
        }
        if let Some(name) = target.as_str() {
            states.push(Member {
                key: name.to_owned(),
                key_span: target.span,
                value: Node {
                    span: target.span,
                    value: Value::Object(vec![Member {
                        key: "Type".to_owned(),
                        key_span: target.span,
                        value: Node {
                            span: target.span,
                            value: Value::String("Succeed".to_owned()),
                        },
                    }]),
                },
            });
        }
    }
    let at = root.span;
    let string = |s: &str| Node {
        span: at,
        value: Value::String(s.to_owned()),
    };
    Some(Node {
        span: at,
        value: Value::Object(vec![
            Member {
                key: "StartAt".to_owned(),
                key_span: at,
                value: string(SINGLE_STATE),
            },
            Member {
                key: "States".to_owned(),
                key_span: at,
                value: Node {
                    span: at,
                    value: Value::Object(states),
                },
            },
        ]),
    })
}

/// The names a state transitions to: `Next`, `Default`, its Choice rules' and Catchers' `Next`.
fn targets(state: &Node) -> Vec<&Node> {
    let mut out: Vec<&Node> = Vec::new();
    out.extend(state.get("Next"));
    out.extend(state.get("Default"));
    for list in ["Choices", "Catch"] {
        for item in state.get(list).and_then(Node::as_array).unwrap_or_default() {
            out.extend(item.get("Next"));
        }
    }
    out
}
