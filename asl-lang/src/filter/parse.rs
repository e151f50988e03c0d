//! Reading a filter expression.

use super::{Filter, Op, Operand};

/// Parses a filter expression (the text between `[?(` and `)]`).
pub fn parse(text: &str) -> Result<Filter, String> {
    let mut p = Parser { s: text, pos: 0 };
    let f = p.or()?;
    p.ws();
    if p.pos < text.len() {
        return Err(format!(
            "unexpected '{}' in the filter '{text}'",
            &text[p.pos..]
        ));
    }
    Ok(f)
}

struct Parser<'a> {
    s: &'a str,
    pos: usize,
}

impl Parser<'_> {
    fn rest(&self) -> &str {
        &self.s[self.pos..]
    }
    fn ws(&mut self) {
        let r = self.rest();
        self.pos += r.len() - r.trim_start().len();
    }
    fn eat(&mut self, t: &str) -> bool {
        self.ws();
        if self.rest().starts_with(t) {
            self.pos += t.len();
            true
        } else {
            false
        }
    }

    fn or(&mut self) -> Result<Filter, String> {
        let mut left = self.and()?;
        while self.eat("||") {
            left = Filter::Or(Box::new(left), Box::new(self.and()?));
        }
        Ok(left)
    }

    fn and(&mut self) -> Result<Filter, String> {
        let mut left = self.unary()?;
        while self.eat("&&") {
            left = Filter::And(Box::new(left), Box::new(self.unary()?));
        }
        Ok(left)
    }

    fn unary(&mut self) -> Result<Filter, String> {
        if self.eat("!") && !self.rest().starts_with('=') {
            return Ok(Filter::Not(Box::new(self.unary()?)));
        }
        if self.eat("(") {
            let f = self.or()?;
            if !self.eat(")") {
                return Err("expected ')' in the filter".into());
            }
            return Ok(f);
        }
        let left = self.operand()?;
        self.ws();
        let op = [
            ("==", Op::Eq),
            ("!=", Op::Ne),
            ("<=", Op::Le),
            (">=", Op::Ge),
            ("<", Op::Lt),
            (">", Op::Gt),
            (" nin ", Op::Nin),
            (" in ", Op::In),
        ]
        .into_iter()
        .find(|(t, _)| {
            // ` in ` and ` nin ` take the space before them, if it is one (not part of a
            // character of more than one byte).
            let back = usize::from(t.starts_with(' '));
            self.s
                .get(self.pos.saturating_sub(back)..)
                .is_some_and(|r| r.starts_with(t))
        });
        match op {
            Some((t, op)) => {
                self.pos = self.pos.saturating_sub(usize::from(t.starts_with(' '))) + t.len();
                let right = self.operand()?;
                Ok(Filter::Compare(left, op, right))
            }
            None => match left {
                Operand::Literal(v) => Err(format!("a literal ({v}) is not a test by itself")),
                path => Ok(Filter::Exists(path)),
            },
        }
    }

    fn operand(&mut self) -> Result<Operand, String> {
        self.ws();
        let s = self.s;
        let r = &s[self.pos..];
        let first = r.chars().next().ok_or("the filter ends too early")?;
        match first {
            '@' | '$' => {
                let len = path_len(r);
                let text = &r[..len];
                self.pos += len;
                let as_root = if first == '@' {
                    format!("${}", &text[1..])
                } else {
                    text.to_owned()
                };
                let path = crate::jsonpath::parse(&as_root)
                    .map_err(|e| format!("'{text}': {}", e.message))?;
                Ok(if first == '@' {
                    Operand::Current(path)
                } else {
                    Operand::Root(path)
                })
            }
            '\'' | '"' => {
                let mut out = String::new();
                let mut chars = r.char_indices().skip(1);
                while let Some((i, c)) = chars.next() {
                    if c == '\\' {
                        if let Some((_, e)) = chars.next() {
                            out.push(e);
                        }
                    } else if c == first {
                        self.pos += i + 1;
                        return Ok(Operand::Literal(serde_json::Value::String(out)));
                    } else {
                        out.push(c);
                    }
                }
                Err("unterminated string in the filter".into())
            }
            '[' => {
                let end = r.find(']').ok_or("unterminated array in the filter")?;
                let json = r[..=end].replace('\'', "\"");
                let v = serde_json::from_str(&json)
                    .map_err(|e| format!("bad array literal in the filter: {e}"))?;
                self.pos += end + 1;
                Ok(Operand::Literal(v))
            }
            _ => {
                let len = r
                    .find(|c: char| {
                        c.is_whitespace() || matches!(c, ')' | '&' | '|' | '=' | '!' | '<' | '>')
                    })
                    .unwrap_or(r.len());
                let word = &r[..len];
                if word.is_empty() {
                    return Err("expected a value in the filter".into());
                }
                // Numbers, booleans and null as JSON; any other bare word is a string, as the
                // definitions AWS accepts write them (`@.Name==Receipt`).
                let v = serde_json::from_str(word)
                    .unwrap_or_else(|_| serde_json::Value::String(word.to_owned()));
                self.pos += len;
                Ok(Operand::Literal(v))
            }
        }
    }
}

/// Length of a path inside a filter: up to whitespace or an operator, brackets respected.
fn path_len(r: &str) -> usize {
    let mut depth = 0usize;
    let mut quote: Option<char> = None;
    for (i, c) in r.char_indices() {
        match (quote, c) {
            (Some(q), _) if c == q => quote = None,
            (Some(_), _) => {}
            (None, '\'' | '"') if depth > 0 => quote = Some(c),
            (None, '[') => depth += 1,
            (None, ']') => depth = depth.saturating_sub(1),
            (None, c)
                if depth == 0
                    && (c.is_whitespace()
                        || matches!(c, ')' | '&' | '|' | '=' | '!' | '<' | '>')) =>
            {
                return i;
            }
            _ => {}
        }
    }
    r.len()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn characters_of_several_bytes_before_an_operator_are_not_split() {
        // Found by the `languages` fuzz target: the test for ` in ` looked one byte back,
        // into the middle of 'Ԍ'.
        assert!(parse("-[nullԌ").is_err());
        assert!(parse("@.aԌ in ['x']").is_ok());
        assert!(parse("@.é in ['x']").is_ok());
    }

    #[test]
    fn parses_jayway_filters() {
        for ok in [
            "@.a >= 5",
            "@.s != '201'",
            "@.isbn",
            "@.price < 10 && @.category == 'fiction'",
            "!(@.a == 1) || @.b",
            "@.size in ['S', 'M']",
            "@.n == $.limit",
            "@['weird key'] == true",
        ] {
            assert!(parse(ok).is_ok(), "{ok}: {:?}", parse(ok));
        }
        assert_eq!(
            parse("@.Name==Receipt").expect("parses"),
            Filter::Compare(
                Operand::Current(crate::jsonpath::parse("$.Name").expect("path")),
                Op::Eq,
                Operand::Literal("Receipt".into())
            )
        );
        for bad in ["", "@.a ==", "'x'", "(@.a", "@.a == )"] {
            assert!(parse(bad).is_err(), "{bad}");
        }
        assert!(matches!(
            parse("@.a > 1").expect("parses"),
            Filter::Compare(Operand::Current(_), Op::Gt, Operand::Literal(_))
        ));
    }
}
