//! YAML definitions (`.asl.yaml`) through saphyr-parser's event stream, with spans.
//!
//! Plain scalars resolve by the YAML 1.2 core schema (`null`, `true`, `12`, `1.5`, …); quoted and
//! block scalars are strings. Tags (`!Sub`, …) are ignored, aliases expand (with a cap on the
//! expanded size, so an alias bomb is an error rather than a hang).

use std::collections::HashMap;

use saphyr_parser::{Event, Marker, Parser, ScalarStyle};

use super::{MAX_DEPTH, Member, Node, Span, Value};
use crate::diag::{Code, Diagnostic, Pointer};

/// Nodes an alias expansion may create before the document is refused.
const MAX_NODES: usize = 1_000_000;

enum Frame {
    Seq(Span, Vec<Node>, usize, Option<String>),
    Map(
        Span,
        Vec<Member>,
        Option<(String, Span)>,
        usize,
        Option<String>,
    ),
}

pub(super) fn parse(text: &str) -> Result<Option<Node>, Diagnostic> {
    parse_with(text, false)
}

/// A CloudFormation template: its short-form tags (`!Sub x`, `!GetAtt A.B`, `!Ref R`, …)
/// become the long form (`{"Fn::Sub": x}`, `{"Fn::GetAtt": "A.B"}`, `{"Ref": R}`).
pub(super) fn parse_template(text: &str) -> Result<Option<Node>, Diagnostic> {
    parse_with(text, true)
}

/// The long-form key of a CloudFormation short-form tag, when `tag` is one.
fn intrinsic(tag: Option<&saphyr_parser::Tag>) -> Option<String> {
    let tag = tag?;
    if tag.handle != "!" || tag.suffix.is_empty() {
        return None;
    }
    Some(match tag.suffix.as_str() {
        "Ref" | "Condition" => tag.suffix.clone(),
        other => format!("Fn::{other}"),
    })
}

/// `node` wrapped as `{key: node}`, when it carried a short-form tag.
fn wrap(node: Node, key: Option<String>) -> Node {
    match key {
        None => node,
        Some(key) => Node {
            span: node.span,
            value: Value::Object(vec![Member {
                key,
                key_span: node.span,
                value: node,
            }]),
        },
    }
}

fn parse_with(text: &str, tags: bool) -> Result<Option<Node>, Diagnostic> {
    let tag_key = |t: Option<&saphyr_parser::Tag>| if tags { intrinsic(t) } else { None };
    let mut offsets = Offsets::new(text);
    let mut stack: Vec<Frame> = Vec::new();
    let mut anchors: HashMap<usize, Node> = HashMap::new();
    let mut root: Option<Node> = None;
    let mut documents = 0usize;
    let mut nodes = 0usize;
    let fail = |offsets: &mut Offsets, at: &Marker, message: String| {
        let at = offsets.byte(at.index());
        Diagnostic::new(
            Code::InvalidJsonDescription,
            message,
            Pointer::root(),
            Some(Span::new(at, at)),
        )
    };

    for event in Parser::new_from_str(text) {
        let (event, span) =
            event.map_err(|e| fail(&mut offsets, e.marker(), e.info().to_owned()))?;
        let sp = Span::new(
            offsets.byte(span.start.index()),
            offsets.byte(span.end.index()),
        );
        let done: Option<(Node, usize)> = match event {
            Event::DocumentStart(_) => {
                documents += 1;
                if documents > 1 {
                    return Err(fail(
                        &mut offsets,
                        &span.start,
                        "a definition file holds one YAML document".into(),
                    ));
                }
                None
            }
            Event::Scalar(value, style, anchor, tag) => Some((
                wrap(
                    Node {
                        value: scalar(&value, style),
                        span: sp,
                    },
                    tag_key(tag.as_deref()),
                ),
                anchor,
            )),
            Event::Alias(id) => match anchors.get(&id) {
                Some(node) => {
                    nodes += count(node);
                    if nodes > MAX_NODES {
                        return Err(fail(
                            &mut offsets,
                            &span.start,
                            "aliases expand to too large a document".into(),
                        ));
                    }
                    Some((
                        Node {
                            value: node.value.clone(),
                            span: sp,
                        },
                        0,
                    ))
                }
                None => return Err(fail(&mut offsets, &span.start, "unknown alias".into())),
            },
            Event::SequenceStart(anchor, tag) => {
                stack.push(Frame::Seq(sp, Vec::new(), anchor, tag_key(tag.as_deref())));
                None
            }
            Event::MappingStart(anchor, tag) => {
                stack.push(Frame::Map(
                    sp,
                    Vec::new(),
                    None,
                    anchor,
                    tag_key(tag.as_deref()),
                ));
                None
            }
            Event::SequenceEnd | Event::MappingEnd => match stack.pop() {
                Some(Frame::Seq(start, items, anchor, key)) => Some((
                    wrap(
                        Node {
                            value: Value::Array(items),
                            span: Span::new(start.start, sp.end.max(start.end)),
                        },
                        key,
                    ),
                    anchor,
                )),
                Some(Frame::Map(start, members, _, anchor, key)) => Some((
                    wrap(
                        Node {
                            value: Value::Object(members),
                            span: Span::new(start.start, sp.end.max(start.end)),
                        },
                        key,
                    ),
                    anchor,
                )),
                None => None,
            },
            _ => None,
        };
        if stack.len() > MAX_DEPTH {
            return Err(fail(
                &mut offsets,
                &span.start,
                format!("nesting deeper than {MAX_DEPTH} levels"),
            ));
        }
        let Some((node, anchor)) = done else { continue };
        nodes += 1;
        if nodes > MAX_NODES {
            return Err(fail(&mut offsets, &span.start, "document too large".into()));
        }
        if anchor != 0 {
            anchors.insert(anchor, node.clone());
        }
        match stack.last_mut() {
            None => root = Some(node),
            Some(Frame::Seq(_, items, _, _)) => items.push(node),
            Some(Frame::Map(_, members, key, _, _)) => match key.take() {
                Some((key, key_span)) => members.push(Member {
                    key,
                    key_span,
                    value: node,
                }),
                None => match node.value {
                    Value::String(s) => *key = Some((s, node.span)),
                    Value::Number(s) => *key = Some((s, node.span)),
                    Value::Bool(b) => *key = Some((b.to_string(), node.span)),
                    Value::Null => *key = Some(("null".into(), node.span)),
                    _ => {
                        return Err(Diagnostic::new(
                            Code::InvalidJsonDescription,
                            "mapping keys must be strings",
                            Pointer::root(),
                            Some(node.span),
                        ));
                    }
                },
            },
        }
    }
    Ok(root)
}

fn count(node: &Node) -> usize {
    let mut n = 0;
    let mut todo = vec![node];
    while let Some(node) = todo.pop() {
        n += 1;
        match &node.value {
            Value::Array(a) => todo.extend(a.iter()),
            Value::Object(m) => todo.extend(m.iter().map(|m| &m.value)),
            _ => {}
        }
    }
    n
}

/// YAML 1.2 core-schema resolution of a scalar.
fn scalar(text: &str, style: ScalarStyle) -> Value {
    if style != ScalarStyle::Plain {
        return Value::String(text.to_owned());
    }
    match text {
        "" | "~" | "null" | "Null" | "NULL" => return Value::Null,
        "true" | "True" | "TRUE" => return Value::Bool(true),
        "false" | "False" | "FALSE" => return Value::Bool(false),
        _ => {}
    }
    let digits = text.strip_prefix(['-', '+']).unwrap_or(text);
    if !digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit()) {
        return Value::Number(text.trim_start_matches('+').to_owned());
    }
    if let Some(hex) = text.strip_prefix("0x")
        && let Ok(n) = i64::from_str_radix(hex, 16)
    {
        return Value::Number(n.to_string());
    }
    if let Some(oct) = text.strip_prefix("0o")
        && let Ok(n) = i64::from_str_radix(oct, 8)
    {
        return Value::Number(n.to_string());
    }
    let is_float = digits.bytes().any(|b| b.is_ascii_digit())
        && digits
            .bytes()
            .all(|b| b.is_ascii_digit() || matches!(b, b'.' | b'e' | b'E' | b'-' | b'+'))
        && text.parse::<f64>().is_ok_and(f64::is_finite);
    if is_float {
        return Value::Number(text.trim_start_matches('+').to_owned());
    }
    Value::String(text.to_owned())
}

/// Converts saphyr's character indexes to byte offsets, walking forward as events arrive.
struct Offsets<'a> {
    text: &'a str,
    ascii: bool,
    chars: usize,
    bytes: usize,
}

impl<'a> Offsets<'a> {
    fn new(text: &'a str) -> Self {
        Offsets {
            text,
            ascii: text.is_ascii(),
            chars: 0,
            bytes: 0,
        }
    }

    fn byte(&mut self, char_index: usize) -> usize {
        if self.ascii {
            return char_index.min(self.text.len());
        }
        if char_index < self.chars {
            self.chars = 0;
            self.bytes = 0;
        }
        for c in self.text[self.bytes..].chars() {
            if self.chars == char_index {
                break;
            }
            self.chars += 1;
            self.bytes += c.len_utf8();
        }
        self.bytes
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_a_definition_with_spans() {
        let text = "StartAt: A\nStates:\n  A:\n    Type: Pass\n    End: true\n    Retry: 3\n";
        let root = parse(text).ok().flatten().expect("parses");
        let a = root.get("States").and_then(|s| s.get("A")).expect("A");
        assert_eq!(a.get("End").and_then(Node::as_bool), Some(true));
        assert_eq!(a.get("Retry").and_then(Node::as_integer), Some(3));
        let ty = a.get("Type").expect("Type");
        assert_eq!(&text[ty.span.start..ty.span.end], "Pass");
    }

    #[test]
    fn core_schema_scalars() {
        assert_eq!(scalar("~", ScalarStyle::Plain), Value::Null);
        assert_eq!(
            scalar("1.5", ScalarStyle::Plain),
            Value::Number("1.5".into())
        );
        assert_eq!(
            scalar("1.5", ScalarStyle::SingleQuoted),
            Value::String("1.5".into())
        );
        assert_eq!(
            scalar("yes", ScalarStyle::Plain),
            Value::String("yes".into())
        );
        assert_eq!(
            scalar("$.a", ScalarStyle::Plain),
            Value::String("$.a".into())
        );
    }

    #[test]
    fn alias_bomb_is_refused() {
        let mut text = String::from("a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n");
        for i in 1..10 {
            let p = i - 1;
            text.push_str(&format!("a{i}: &a{i} [*a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}]\n"));
        }
        assert!(parse(&text).is_err());
    }

    #[test]
    fn non_ascii_spans() {
        let text = "Ä: 'ö'\nB: c\n";
        let root = parse(text).ok().flatten().expect("parses");
        let b = root.get("B").expect("B");
        assert_eq!(&text[b.span.start..b.span.end], "c");
    }
}
