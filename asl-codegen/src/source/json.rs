//! Strict JSON (RFC 8259) through jsonc-parser, keeping spans and duplicate keys.

use jsonc_parser::ast;
use jsonc_parser::{CollectOptions, ParseOptions};

use super::{Member, Node, Span, Value};
use crate::diag::{Code, Diagnostic, Pointer};

pub(super) fn parse(text: &str) -> Result<Option<Node>, Diagnostic> {
    let options = ParseOptions {
        allow_comments: false,
        allow_loose_object_property_names: false,
        allow_trailing_commas: false,
        allow_missing_commas: false,
        allow_single_quoted_strings: false,
        allow_hexadecimal_numbers: false,
        allow_unary_plus_numbers: false,
        allow_bare_decimal_point_numbers: false,
        allow_non_finite_numbers: false,
        allow_extended_string_escapes: false,
    };
    match jsonc_parser::parse_to_ast(text, &CollectOptions::default(), &options) {
        Ok(result) => Ok(result.value.map(convert)),
        Err(err) => {
            let range = err.range();
            Err(Diagnostic::new(
                Code::InvalidJsonDescription,
                err.kind().to_string(),
                Pointer::root(),
                Some(Span::new(range.start, range.end)),
            ))
        }
    }
}

// Recursion is bounded by jsonc-parser's own nesting limit (512).
fn convert(value: ast::Value<'_>) -> Node {
    match value {
        ast::Value::NullKeyword(n) => node(Value::Null, n.range),
        ast::Value::BooleanLit(b) => node(Value::Bool(b.value), b.range),
        ast::Value::NumberLit(n) => node(Value::Number(n.value.to_owned()), n.range),
        ast::Value::StringLit(s) => node(Value::String(s.value.into_owned()), s.range),
        ast::Value::Array(a) => node(
            Value::Array(a.elements.into_iter().map(convert).collect()),
            a.range,
        ),
        ast::Value::Object(o) => node(
            Value::Object(
                o.properties
                    .into_iter()
                    .map(|p| {
                        let (key, range) = match p.name {
                            ast::ObjectPropName::String(s) => (s.value.into_owned(), s.range),
                            ast::ObjectPropName::Word(w) => (w.value.to_owned(), w.range),
                        };
                        Member {
                            key,
                            key_span: Span::new(range.start, range.end),
                            value: convert(p.value),
                        }
                    })
                    .collect(),
            ),
            o.range,
        ),
    }
}

fn node(value: Value, range: jsonc_parser::common::Range) -> Node {
    Node {
        value,
        span: Span::new(range.start, range.end),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keeps_duplicate_keys_and_spans() {
        let text = r#"{"a": 1, "a": [true, null, "x"]}"#;
        let root = parse(text).ok().flatten().expect("parses");
        let members = root.as_object().expect("object");
        assert_eq!(members.len(), 2);
        assert_eq!(
            &text[members[1].key_span.start..members[1].key_span.end],
            "\"a\""
        );
        assert_eq!(members[0].value.value, Value::Number("1".into()));
    }

    #[test]
    fn rejects_json5_extensions() {
        for bad in [
            "{'a': 1}",
            "{a: 1}",
            "[1,]",
            "// c\n{}",
            "{\"a\": .5}",
            "[0x1]",
        ] {
            let err = parse(bad).expect_err(bad);
            assert_eq!(err.code, Code::InvalidJsonDescription, "{bad}");
        }
    }

    #[test]
    fn deep_nesting_is_an_error_not_a_crash() {
        let text = "[".repeat(100_000);
        assert!(parse(&text).is_err());
    }
}
