//! Intrinsic function calls (`States.Format('{}', $.x)`): parsing and the static rules for each
//! function (name, arity, literal argument types, nesting depth).

use std::fmt;

use super::jsonpath::{self, Path};

/// A parsed call.
#[derive(Clone, Debug, PartialEq)]
pub struct Call {
    /// The function.
    pub function: Function,
    /// Its arguments.
    pub args: Vec<Arg>,
    /// For `States.Format` with a literal template: the template split at its `{}` holes,
    /// escapes resolved (the template stays the first of `args` too).
    pub template: Option<Vec<String>>,
}

/// An argument of a call.
#[derive(Clone, Debug, PartialEq)]
pub enum Arg {
    /// `'text'` (escapes decoded).
    String(String),
    /// A number, as written.
    Number(String),
    /// `true` / `false`.
    Bool(bool),
    /// `null`.
    Null,
    /// A path (`$.x`, `$$.x`, `$var`), and its text.
    Path(Path, String),
    /// A nested call.
    Call(Call),
}

impl Arg {
    fn kind(&self) -> &'static str {
        match self {
            Arg::String(_) => "string",
            Arg::Number(_) => "number",
            Arg::Bool(_) => "boolean",
            Arg::Null => "null",
            Arg::Path(..) => "path",
            Arg::Call(_) => "call",
        }
    }
}

/// A syntax or rule error, with the byte offset in the call text.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct IntrinsicError {
    /// What is wrong.
    pub message: String,
    /// Byte offset.
    pub offset: usize,
}

impl fmt::Display for IntrinsicError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

/// What a literal argument must be.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Want {
    Any,
    String,
    Number,
    Integer,
    Bool,
    /// An array: only paths and calls can produce one.
    Array,
    /// An object: likewise.
    Object,
}

macro_rules! functions {
    ($($variant:ident = $name:literal, min $min:literal, max $max:expr, [$($want:ident),*] $(, rest $rest:ident)?;)*) => {
        /// The 18 intrinsic functions.
        #[derive(Clone, Copy, Debug, PartialEq, Eq)]
        #[allow(missing_docs)]
        pub enum Function { $($variant),* }

        impl Function {
            /// Every function.
            pub const ALL: &'static [Function] = &[$(Function::$variant),*];

            /// The function's name (`States.Format`).
            pub fn name(self) -> &'static str {
                match self { $(Function::$variant => $name),* }
            }

            fn from_name(name: &str) -> Option<Function> {
                match name { $($name => Some(Function::$variant),)* _ => None }
            }

            fn arity(self) -> (usize, Option<usize>) {
                match self { $(Function::$variant => ($min, $max)),* }
            }

            fn want(self, i: usize) -> Want {
                match self {
                    $(Function::$variant => {
                        const W: &[Want] = &[$(Want::$want),*];
                        #[allow(unused_mut, unused_assignments)]
                        let mut rest = Want::Any;
                        $(rest = Want::$rest;)?
                        W.get(i).copied().unwrap_or(rest)
                    })*
                }
            }
        }
    };
}

functions! {
    Format = "States.Format", min 1, max None, [String];
    StringToJson = "States.StringToJson", min 1, max Some(1), [String];
    JsonToString = "States.JsonToString", min 1, max Some(1), [Any];
    Array = "States.Array", min 0, max None, [];
    ArrayPartition = "States.ArrayPartition", min 2, max Some(2), [Array, Integer];
    ArrayContains = "States.ArrayContains", min 2, max Some(2), [Array, Any];
    ArrayRange = "States.ArrayRange", min 3, max Some(3), [Integer, Integer, Integer];
    ArrayGetItem = "States.ArrayGetItem", min 2, max Some(2), [Array, Integer];
    ArrayLength = "States.ArrayLength", min 1, max Some(1), [Array];
    ArrayUnique = "States.ArrayUnique", min 1, max Some(1), [Array];
    Base64Encode = "States.Base64Encode", min 1, max Some(1), [String];
    Base64Decode = "States.Base64Decode", min 1, max Some(1), [String];
    Hash = "States.Hash", min 2, max Some(2), [Any, String];
    JsonMerge = "States.JsonMerge", min 3, max Some(3), [Object, Object, Bool];
    MathRandom = "States.MathRandom", min 2, max Some(3), [Integer, Integer, Integer];
    MathAdd = "States.MathAdd", min 2, max Some(2), [Number, Number];
    StringSplit = "States.StringSplit", min 2, max Some(2), [String, String];
    UUID = "States.UUID", min 0, max Some(0), [];
}

/// How deep AWS lets intrinsic calls nest.
pub const MAX_NESTING: usize = 10;

/// Whether `text` looks like an intrinsic call (a name followed by `(`), as opposed to a path
/// or a plain string.
pub fn looks_like_call(text: &str) -> bool {
    let t = text.trim_start();
    let name_len = t
        .bytes()
        .take_while(|b| b.is_ascii_alphanumeric() || *b == b'.' || *b == b'_')
        .count();
    name_len > 0 && t[name_len..].trim_start().starts_with('(')
}

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
            return self.err(format!(
                "intrinsic functions can be nested at most {MAX_NESTING} deep"
            ));
        }
        let start = self.pos;
        let len = self
            .rest()
            .bytes()
            .take_while(|b| b.is_ascii_alphanumeric() || *b == b'.' || *b == b'_')
            .count();
        let name = &self.text[start..start + len];
        let Some(function) = Function::from_name(name) else {
            let hint = crate::diag::did_you_mean(name, Function::ALL.iter().map(|f| f.name()))
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
        let mut template = None;
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
                    Arg::String(text)
                } else {
                    self.arg()?
                };
                check_arg(function, args.len(), &arg).map_err(|message| IntrinsicError {
                    message,
                    offset: at,
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
                });
            }
        }
        self.depth -= 1;
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
                match jsonpath::parse(text.trim_end()) {
                    Ok(p) => {
                        self.pos += len;
                        Ok(Arg::Path(p, text.trim_end().to_owned()))
                    }
                    Err(e) => Err(IntrinsicError {
                        message: format!("invalid path '{}': {}", text.trim_end(), e.message),
                        offset: self.pos + e.offset.unwrap_or(0),
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
                if n.parse::<f64>().is_err() {
                    return self.err(format!("'{n}' is not a number"));
                }
                self.pos += len;
                Ok(Arg::Number(n.to_owned()))
            }
            _ if word(rest, "null") => {
                self.pos += 4;
                Ok(Arg::Null)
            }
            _ if word(rest, "true") => {
                self.pos += 4;
                Ok(Arg::Bool(true))
            }
            _ if word(rest, "false") => {
                self.pos += 5;
                Ok(Arg::Bool(false))
            }
            Some(b) if b.is_ascii_alphabetic() => Ok(Arg::Call(self.call()?)),
            _ => self.err("expected an argument: a 'string', a number, null, a path or a call"),
        }
    }

    fn string(&mut self) -> Result<Arg, IntrinsicError> {
        self.string_pieces().map(|(text, _)| Arg::String(text))
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
        (_, Arg::Path(..) | Arg::Call(_)) | (Want::Any, _) => true,
        (Want::String, Arg::String(_))
        | (Want::Bool, Arg::Bool(_))
        | (Want::Number, Arg::Number(_)) => true,
        (Want::Integer, Arg::Number(n)) => n.parse::<f64>().is_ok_and(|f| f.fract() == 0.0),
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

    #[test]
    fn parses_nested_calls() {
        let c = parse("States.Format('{} and {}', $.a, States.ArrayGetItem($.b[?(@.x == 1)], 0))")
            .expect("parses");
        assert_eq!(c.function, Function::Format);
        assert_eq!(c.args.len(), 3);
        assert!(matches!(&c.args[2], Arg::Call(inner) if inner.function == Function::ArrayGetItem));
    }

    #[test]
    fn escapes() {
        let c = parse(r"States.Format('It\'s \{\} {}', $.a)").expect("parses");
        assert_eq!(c.args[0], Arg::String("It's {} {}".into()));
        assert_eq!(c.template, Some(vec!["It's {} ".to_owned(), String::new()]));
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
