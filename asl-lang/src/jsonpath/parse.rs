//! Reading a path.

use std::fmt;

use super::{Path, Root, Step};

/// Why a path is not one AWS accepts: a syntax error at a byte offset, or a filter or
/// function step that Step Functions does not take.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PathError {
    /// What is wrong.
    pub message: String,
    /// Byte offset in the path text, for syntax errors.
    pub offset: Option<usize>,
}

impl fmt::Display for PathError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.offset {
            Some(offset) => write!(f, "{} (at character {})", self.message, offset + 1),
            None => f.write_str(&self.message),
        }
    }
}

impl std::error::Error for PathError {}

/// Parses a path. A syntax error anywhere is reported before a filter or function step that
/// parses but is not one Step Functions takes.
pub fn parse(text: &str) -> Result<Path, PathError> {
    Parser {
        text,
        bytes: text.as_bytes(),
        pos: 0,
        unsupported: None,
    }
    .path()
}

struct Parser<'a> {
    text: &'a str,
    bytes: &'a [u8],
    pos: usize,
    /// The first filter or function step that is well formed but not one AWS takes.
    unsupported: Option<String>,
}

impl<'a> Parser<'a> {
    fn err<T>(&self, message: impl Into<String>) -> Result<T, PathError> {
        Err(PathError {
            message: message.into(),
            offset: Some(self.pos),
        })
    }

    fn peek(&self) -> Option<u8> {
        self.bytes.get(self.pos).copied()
    }

    fn eat(&mut self, b: u8) -> bool {
        if self.peek() == Some(b) {
            self.pos += 1;
            true
        } else {
            false
        }
    }

    fn path(mut self) -> Result<Path, PathError> {
        if !self.eat(b'$') {
            return self.err("a path starts with '$'");
        }
        let root = if self.eat(b'$') {
            Root::Context
        } else if self.peek().is_some_and(|b| b != b'.' && b != b'[') {
            let start = self.pos;
            let name = self.name_run();
            if name.is_empty() {
                return self.err("unexpected character after '$'");
            }
            if !crate::ident::is_valid_variable_name(&name) {
                self.pos = start;
                return self.err(format!("'{name}' is not a valid variable name"));
            }
            Root::Variable(name.into())
        } else {
            Root::Input
        };
        let mut steps = Vec::new();
        while self.pos < self.bytes.len() {
            steps.push(self.step()?);
        }
        if let Some(message) = self.unsupported {
            return Err(PathError {
                message,
                offset: None,
            });
        }
        Ok(Path::new(root, steps, self.text))
    }

    /// A run of name characters after `.` (Jayway is lenient: anything up to `.`, `[`, or the
    /// end; `\` escapes the next character).
    fn name_run(&mut self) -> String {
        let mut out = String::new();
        let rest = &self.text[self.pos..];
        let mut chars = rest.char_indices().peekable();
        while let Some(&(i, c)) = chars.peek() {
            match c {
                '.' | '[' | ']' | '(' | ')' | ' ' | '\t' | '\n' | '\'' | '"' => {
                    self.pos += i;
                    return out;
                }
                '\\' => {
                    chars.next();
                    if let Some((_, e)) = chars.next() {
                        out.push(e);
                    }
                    continue;
                }
                _ => out.push(c),
            }
            chars.next();
        }
        self.pos += rest.len();
        out
    }

    fn step(&mut self) -> Result<Step, PathError> {
        match self.peek() {
            Some(b'.') => {
                self.pos += 1;
                let deep = self.eat(b'.');
                let step = |s: Step| {
                    if deep {
                        Step::Descendant(Box::new(s))
                    } else {
                        s
                    }
                };
                match self.peek() {
                    Some(b'[') => Ok(step(self.bracket()?)),
                    Some(b'*') => {
                        self.pos += 1;
                        Ok(step(Step::Wildcard))
                    }
                    None => self.err("a path can not end with '.'"),
                    _ => {
                        let name = self.name_run();
                        if name.is_empty() {
                            return self.err("expected a member name after '.'");
                        }
                        if self.peek() == Some(b'(') {
                            if self.text[self.pos..].starts_with("()") {
                                self.pos += 2;
                                // `length()` is the one function step Step Functions takes.
                                if name != "length" && self.unsupported.is_none() {
                                    self.unsupported = Some(format!(
                                        "'{name}()' is not a function Step Functions paths take (only length())"
                                    ));
                                }
                                return Ok(step(Step::Length));
                            }
                            return self.err("function steps take no arguments");
                        }
                        Ok(step(Step::Name(name.into())))
                    }
                }
            }
            Some(b'[') => self.bracket(),
            _ => self.err(format!(
                "unexpected '{}'",
                &self.text[self.pos..].chars().next().unwrap_or(' ')
            )),
        }
    }

    fn skip_ws(&mut self) {
        while self.peek().is_some_and(|b| b == b' ') {
            self.pos += 1;
        }
    }

    fn bracket(&mut self) -> Result<Step, PathError> {
        self.pos += 1; // '['
        self.skip_ws();
        let selector = match self.peek() {
            Some(b'*') => {
                self.pos += 1;
                Step::Wildcard
            }
            Some(b'?') => {
                self.pos += 1;
                self.skip_ws();
                if !self.eat(b'(') {
                    return self.err("expected '(' after '?'");
                }
                let body = self.filter_body()?;
                match crate::filter::parse(body) {
                    Ok(f) => Step::Filter(Box::new(f)),
                    Err(e) => {
                        if self.unsupported.is_none() {
                            self.unsupported = Some(e);
                        }
                        Step::Wildcard
                    }
                }
            }
            Some(b'\'' | b'"') => {
                let mut names = vec![self.quoted()?];
                loop {
                    self.skip_ws();
                    if !self.eat(b',') {
                        break;
                    }
                    self.skip_ws();
                    names.push(self.quoted()?);
                }
                if names.len() == 1 {
                    Step::Name(names.remove(0).into())
                } else {
                    Step::Names(names.into_iter().map(Box::from).collect())
                }
            }
            Some(b'-' | b'0'..=b'9' | b':') => self.indexes()?,
            _ => {
                return self
                    .err("expected a name, an index, '*', a slice or a filter inside '[ ]'");
            }
        };
        self.skip_ws();
        if !self.eat(b']') {
            return self.err("expected ']'");
        }
        Ok(selector)
    }

    fn quoted(&mut self) -> Result<String, PathError> {
        let Some(q) = self.peek().filter(|b| *b == b'\'' || *b == b'"') else {
            return self.err("expected a quoted name");
        };
        self.pos += 1;
        let mut out = String::new();
        let rest = &self.text[self.pos..];
        let mut chars = rest.char_indices();
        while let Some((i, c)) = chars.next() {
            if c == '\\' {
                match chars.next() {
                    Some((_, e)) => out.push(e),
                    None => break,
                }
            } else if c as u32 == q as u32 {
                self.pos += i + 1;
                return Ok(out);
            } else {
                out.push(c);
            }
        }
        self.pos += rest.len();
        self.err("unterminated quoted name")
    }

    fn int(&mut self) -> Result<Option<i64>, PathError> {
        self.skip_ws();
        let start = self.pos;
        self.eat(b'-');
        while self.peek().is_some_and(|b| b.is_ascii_digit()) {
            self.pos += 1;
        }
        let s = &self.text[start..self.pos];
        if s.is_empty() {
            return Ok(None);
        }
        match s.parse() {
            Ok(n) => Ok(Some(n)),
            Err(_) => {
                self.pos = start;
                self.err(format!("'{s}' is not an index"))
            }
        }
    }

    fn indexes(&mut self) -> Result<Step, PathError> {
        let first = self.int()?;
        self.skip_ws();
        if self.peek() == Some(b':') {
            self.pos += 1;
            let end = self.int()?;
            self.skip_ws();
            let step = if self.eat(b':') { self.int()? } else { None };
            if step == Some(0) {
                return self.err("a slice step can not be 0");
            }
            return Ok(Step::Slice(first, end, step));
        }
        let Some(first) = first else {
            return self.err("expected an index");
        };
        let mut all = vec![first];
        while self.eat(b',') {
            match self.int()? {
                Some(n) => all.push(n),
                None => return self.err("expected an index after ','"),
            }
        }
        Ok(if all.len() == 1 {
            Step::Index(first)
        } else {
            Step::Indexes(all.into())
        })
    }

    /// The text of a filter up to its closing parenthesis (quotes and nesting respected).
    fn filter_body(&mut self) -> Result<&'a str, PathError> {
        let start = self.pos;
        let mut depth = 1usize;
        let mut quote: Option<u8> = None;
        while let Some(b) = self.peek() {
            self.pos += 1;
            match (quote, b) {
                (Some(_), b'\\') => self.pos += 1,
                (Some(q), _) if b == q => quote = None,
                (Some(_), _) => {}
                (None, b'\'' | b'"') => quote = Some(b),
                (None, b'(') => depth += 1,
                (None, b')') => {
                    depth -= 1;
                    if depth == 0 {
                        let body = self.text[start..self.pos - 1].trim();
                        if body.is_empty() {
                            return self.err("empty filter expression");
                        }
                        return Ok(body);
                    }
                }
                _ => {}
            }
        }
        self.err("unterminated filter expression")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(p: &Path) -> Vec<String> {
        p.steps()
            .iter()
            .map(|s| match s {
                Step::Name(n) => n.to_string(),
                other => format!("{other:?}"),
            })
            .collect()
    }

    #[test]
    fn accepts_what_aws_documents() {
        for ok in [
            "$",
            "$$",
            "$.a",
            "$.a.b[0]",
            "$['a b']",
            "$.abc.['def ghi']",
            "$.a[-1]",
            "$.a[*]",
            "$.a[1:5]",
            "$.a[:1].v",
            "$.a[1:]",
            "$..x",
            "$.a[?(@.b >= 5)]",
            "$.a[?(@.s != '201')]",
            "$.a.length()",
            "$$.Execution.Id",
            "$$.Map.Item.Value",
            "$myVar",
            "$myVar.a[0]",
            "$.a-b",
            "$.store\\.book",
            "$.ledgers[0][22][315].foo",
            "$.a[0,1]",
            "$['a','b']",
            "$.Détails",
        ] {
            assert!(parse(ok).is_ok(), "{ok}: {:?}", parse(ok));
        }
    }

    #[test]
    fn unsupported_steps_are_reported_after_syntax_errors() {
        let e = parse("$.a.keys()").expect_err("not a function AWS takes");
        assert_eq!(e.offset, None);
        assert!(e.message.contains("'keys()'"), "{e}");
        assert!(parse("$.a[?(@.b ==)]").is_err_and(|e| e.offset.is_none()));
        // A syntax error later in the path comes first.
        assert!(parse("$.a.keys()[").is_err_and(|e| e.offset.is_some()));
    }

    #[test]
    fn rejects_malformed() {
        for bad in [
            "",
            "a",
            "$.",
            "$.a[",
            "$.a[x]",
            "$.a[?(@.b]",
            "$[]",
            "$.a[1:2:0]",
            "$['a]",
            "$.a(",
            "$ .a",
            "$.a]",
        ] {
            assert!(parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn structure() {
        let p = parse("$.a['b c'][2]").expect("parses");
        assert_eq!(p.root(), &Root::Input);
        assert_eq!(names(&p), ["a", "b c", "Index(2)"]);
        assert!(p.is_definite() && p.is_reference() && p.is_writable());
        assert!(!parse("$.a[*]").expect("parses").is_definite());
        assert!(!parse("$..a").expect("parses").is_definite());
        assert!(!parse("$.a[-1]").expect("parses").is_writable());
        let length = parse("$.a.length()").expect("parses");
        assert!(length.is_definite() && !length.is_reference());
        assert_eq!(
            parse("$.store\\.book").expect("parses").steps()[0],
            Step::Name("store.book".into())
        );
        assert_eq!(
            parse("$$.State.Name").expect("parses").root(),
            &Root::Context
        );
        assert_eq!(
            parse("$v.x").expect("parses").root(),
            &Root::Variable("v".into())
        );
        assert_eq!(parse("$.x").expect("parses").text(), "$.x");
    }
}
