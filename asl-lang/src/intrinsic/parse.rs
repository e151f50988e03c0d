//! Reading a call and checking it against its function's rules.

use serde_json::Value;

use super::{Arg, Call, Function, IntrinsicError, MAX_NESTING, Want};

/// Parses a call and checks it against the function's rules.
pub fn parse(text: &str) -> Result<Call, IntrinsicError> {
    let mut p = Parser {
        text,
        pos: 0,
        depth: 0,
    };
    if text.starts_with(char::is_whitespace) {
        return p.err("an intrinsic function call can not start with white space");
    }
    let call = p.call()?;
    p.ws();
    if p.pos < text.len() {
        return p.err("unexpected text after the closing ')'");
    }
    Ok(call)
}

struct Parser<'a> {
    text: &'a str,
    pos: usize,
    depth: usize,
}

impl Parser<'_> {
    fn err<T>(&self, message: impl Into<String>) -> Result<T, IntrinsicError> {
        Err(IntrinsicError {
            message: message.into(),
            offset: self.pos,
            too_deep: false,
        })
    }

    fn rest(&self) -> &str {
        &self.text[self.pos..]
    }

    fn ws(&mut self) {
        let rest = self.rest();
        self.pos += rest.len() - rest.trim_start().len();
    }

    fn call(&mut self) -> Result<Call, IntrinsicError> {
        self.depth += 1;
        if self.depth > MAX_NESTING {
            return Err(IntrinsicError {
                message: format!("intrinsic functions can be nested at most {MAX_NESTING} deep"),
                offset: self.pos,
                too_deep: true,
            });
        }
        let start = self.pos;
        let len = self
            .rest()
            .bytes()
            .take_while(|b| b.is_ascii_alphanumeric() || *b == b'.' || *b == b'_')
            .count();
        let name = &self.text[start..start + len];
        let Some(function) = Function::from_name(name) else {
            let hint = crate::ident::did_you_mean(name, Function::ALL.iter().map(|f| f.name()))
                .map(|s| format!(" (did you mean '{s}'?)"))
                .unwrap_or_default();
            return self.err(format!("'{name}' is not an intrinsic function{hint}"));
        };
        self.pos += len;
        self.ws();
        if !self.rest().starts_with('(') {
            return self.err(format!("expected '(' after '{name}'"));
        }
        self.pos += 1;
        self.ws();
        let mut args = Vec::new();
        let mut template: Option<Vec<String>> = None;
        if self.rest().starts_with(')') {
            self.pos += 1;
        } else {
            loop {
                self.ws();
                let at = self.pos;
                let arg = if function == Function::Format
                    && args.is_empty()
                    && self.rest().starts_with('\'')
                {
                    let (text, pieces) = self.string_pieces()?;
                    template = Some(pieces);
                    Arg::Literal(Value::String(text))
                } else {
                    self.arg()?
                };
                check_arg(function, args.len(), &arg).map_err(|message| IntrinsicError {
                    message,
                    offset: at,
                    too_deep: false,
                })?;
                args.push(arg);
                self.ws();
                match self.rest().bytes().next() {
                    Some(b',') => self.pos += 1,
                    Some(b')') => {
                        self.pos += 1;
                        break;
                    }
                    _ => {
                        return self.err(format!("expected ',' or ')' in the arguments of {name}"));
                    }
                }
            }
        }
        let (min, max) = function.arity();
        if args.len() < min || max.is_some_and(|m| args.len() > m) {
            let expected = match max {
                Some(m) if m == min => format!("{min}"),
                Some(m) => format!("{min} to {m}"),
                None => format!("at least {min}"),
            };
            return Err(IntrinsicError {
                message: format!(
                    "{name} takes {expected} argument{}, not {}",
                    if expected == "1" { "" } else { "s" },
                    args.len()
                ),
                offset: start,
                too_deep: false,
            });
        }
        if let Some(pieces) = &template {
            let holes = pieces.len() - 1;
            if holes != args.len() - 1 {
                return Err(IntrinsicError {
                    message: format!(
                        "the States.Format template has {holes} '{{}}' but {} values follow it",
                        args.len() - 1
                    ),
                    offset: start,
                    too_deep: false,
                });
            }
        }
        self.depth -= 1;
        // A literal template is kept split, not as an argument.
        let template = match template {
            Some(pieces) => {
                args.remove(0);
                pieces.into_iter().map(Box::from).collect()
            }
            None => Vec::new(),
        };
        Ok(Call {
            function,
            args,
            template,
        })
    }

    fn arg(&mut self) -> Result<Arg, IntrinsicError> {
        let text = self.text;
        let rest = &text[self.pos..];
        match rest.bytes().next() {
            Some(b'\'') => self.string(),
            Some(b'$') => {
                let len = path_len(rest);
                let text = &rest[..len];
                match crate::jsonpath::parse(text.trim_end()) {
                    Ok(p) => {
                        self.pos += len;
                        Ok(Arg::Path(p))
                    }
                    Err(e) => Err(IntrinsicError {
                        message: format!("invalid path '{}': {}", text.trim_end(), e.message),
                        offset: self.pos + e.offset.unwrap_or(0),
                        too_deep: false,
                    }),
                }
            }
            Some(b'-' | b'0'..=b'9') => {
                let len = rest
                    .bytes()
                    .take_while(|b| {
                        b.is_ascii_digit() || matches!(b, b'-' | b'+' | b'.' | b'e' | b'E')
                    })
                    .count();
                let n = &rest[..len];
                let Ok(number) = serde_json::from_str::<serde_json::Number>(n) else {
                    return self.err(format!("'{n}' is not a number"));
                };
                self.pos += len;
                Ok(Arg::Literal(Value::Number(number)))
            }
            _ if word(rest, "null") => {
                self.pos += 4;
                Ok(Arg::Literal(Value::Null))
            }
            _ if word(rest, "true") => {
                self.pos += 4;
                Ok(Arg::Literal(Value::Bool(true)))
            }
            _ if word(rest, "false") => {
                self.pos += 5;
                Ok(Arg::Literal(Value::Bool(false)))
            }
            Some(b) if b.is_ascii_alphabetic() => Ok(Arg::Call(Box::new(self.call()?))),
            _ => self.err("expected an argument: a 'string', a number, null, a path or a call"),
        }
    }

    fn string(&mut self) -> Result<Arg, IntrinsicError> {
        self.string_pieces()
            .map(|(text, _)| Arg::Literal(Value::String(text)))
    }

    /// A quoted string: its text with escapes resolved, and the same text split at the
    /// unescaped `{}` pairs (the holes of a `States.Format` template).
    fn string_pieces(&mut self) -> Result<(String, Vec<String>), IntrinsicError> {
        self.pos += 1;
        let mut out = String::new();
        let mut pieces = vec![String::new()];
        let mut chars = self.rest().char_indices().peekable();
        let start = self.pos;
        while let Some((i, c)) = chars.next() {
            match c {
                '{' if chars.peek().is_some_and(|&(_, n)| n == '}') => {
                    chars.next();
                    out.push_str("{}");
                    pieces.push(String::new());
                }
                '\\' => match chars.next() {
                    Some((_, e @ ('\'' | '{' | '}' | '\\'))) => {
                        out.push(e);
                        if let Some(p) = pieces.last_mut() {
                            p.push(e);
                        }
                    }
                    Some((j, e)) => {
                        self.pos = start + j;
                        return self.err(format!("'\\{e}' is not an escape intrinsic strings allow (only \\' \\{{ \\}} \\\\)"));
                    }
                    None => {
                        self.pos = start + i;
                        return self.err("a string ends with a lone '\\'");
                    }
                },
                '\'' => {
                    self.pos = start + i + 1;
                    return Ok((out, pieces));
                }
                _ => {
                    out.push(c);
                    if let Some(p) = pieces.last_mut() {
                        p.push(c);
                    }
                }
            }
        }
        self.err("unterminated string")
    }
}

fn word(rest: &str, w: &str) -> bool {
    rest.starts_with(w)
        && !rest[w.len()..]
            .bytes()
            .next()
            .is_some_and(|b| b.is_ascii_alphanumeric() || b == b'_')
}

/// Length of a path argument: up to a `,` or `)` outside brackets and quotes.
fn path_len(rest: &str) -> usize {
    let mut depth = 0usize;
    let mut quote: Option<u8> = None;
    let bytes = rest.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        match (quote, b) {
            (Some(_), b'\\') => i += 1,
            (Some(q), _) if b == q => quote = None,
            (Some(_), _) => {}
            (None, b'\'' | b'"') if depth > 0 => quote = Some(b),
            (None, b'[' | b'(') => depth += 1,
            (None, b']') => depth = depth.saturating_sub(1),
            (None, b')') if depth > 0 => depth -= 1,
            (None, b',' | b')') if depth == 0 => return i,
            _ => {}
        }
        i += 1;
    }
    bytes.len()
}

/// The number of `{}` holes in a States.Format template (escaped braces excluded).
pub fn template_holes(template: &str) -> usize {
    let mut n = 0;
    let mut chars = template.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\\' => {
                chars.next();
            }
            '{' if chars.peek() == Some(&'}') => {
                chars.next();
                n += 1;
            }
            _ => {}
        }
    }
    n
}

fn check_arg(function: Function, index: usize, arg: &Arg) -> Result<(), String> {
    let want = function.want(index);
    let ok = match (want, arg) {
        (_, Arg::Path(_) | Arg::Call(_)) | (Want::Any, _) => true,
        (Want::String, Arg::Literal(Value::String(_)))
        | (Want::Bool, Arg::Literal(Value::Bool(_)))
        | (Want::Number, Arg::Literal(Value::Number(_))) => true,
        (Want::Integer, Arg::Literal(Value::Number(n))) => {
            n.as_f64().is_some_and(|f| f.fract() == 0.0)
        }
        _ => false,
    };
    if ok {
        return Ok(());
    }
    let expected = match want {
        Want::Any => "any value",
        Want::String => "a string",
        Want::Number => "a number",
        Want::Integer => "an integer",
        Want::Bool => "a boolean",
        Want::Array => "an array (a path or a call)",
        Want::Object => "an object (a path or a call)",
    };
    Err(format!(
        "argument {} of {} must be {expected}, not {}",
        index + 1,
        function.name(),
        arg.kind()
    ))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::intrinsic::looks_like_call;

    #[test]
    fn parses_nested_calls() {
        let c = parse("States.Format('{} and {}', $.a, States.ArrayGetItem($.b[?(@.x == 1)], 0))")
            .expect("parses");
        assert_eq!(c.function, Function::Format);
        assert_eq!(c.args.len(), 2, "the literal template is not an argument");
        assert!(matches!(&c.args[1], Arg::Call(inner) if inner.function == Function::ArrayGetItem));
    }

    #[test]
    fn escapes() {
        let c = parse(r"States.Format('It\'s \{\} {}', $.a)").expect("parses");
        assert_eq!(c.template, vec!["It's {} ".into(), Box::from("")]);
        assert!(matches!(&c.args[0], Arg::Path(_)));
        assert!(parse(r"States.Format('\n')").is_err());
        assert!(parse(r"States.Format('abc\')").is_err());
    }

    #[test]
    fn rules() {
        for bad in [
            "States.Formatt('x')",
            "States.UUID(1)",
            "States.MathAdd(1)",
            "States.MathAdd('a', 1)",
            "States.ArrayRange(1, 2.5, 1)",
            "States.Format('{} {}', 1)",
            "States.JsonMerge($.a, $.b, 'no')",
            "States.ArrayLength('abc')",
            "States.Array(1,)",
            "States.Array(1) x",
        ] {
            assert!(parse(bad).is_err(), "{bad}");
        }
        for ok in [
            "States.UUID()",
            "States.Array()",
            "States.MathRandom(1, 10)",
            "States.Hash($.a, 'SHA-256')",
            "States.JsonMerge($.a, $.b, false)",
        ] {
            assert!(parse(ok).is_ok(), "{ok}: {:?}", parse(ok));
        }
    }

    #[test]
    fn nesting_limit() {
        let mut deep = "States.UUID()".to_owned();
        for _ in 0..9 {
            deep = format!("States.Array({deep})");
        }
        assert!(parse(&deep).is_ok());
        assert!(parse(&format!("States.Array({deep})")).is_err());
    }

    #[test]
    fn call_detection() {
        assert!(looks_like_call("States.Format('x')"));
        assert!(!looks_like_call("$.a"));
        assert!(!looks_like_call("plain text"));
    }
}
