//! `StringMatches` patterns: literal pieces separated by `*`.

/// A StringMatches pattern: literal pieces separated by `*`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Pattern {
    pieces: Vec<String>,
}

impl Pattern {
    /// Parses a pattern: `*` matches any run of characters, `\*` is a star and `\\` a
    /// backslash. A lone trailing backslash is an error.
    pub fn parse(text: &str) -> Result<Pattern, String> {
        let mut pieces = vec![String::new()];
        let mut chars = text.chars();
        while let Some(c) = chars.next() {
            match c {
                '\\' => match chars.next() {
                    Some(e) => pieces.last_mut().map_or((), |p| p.push(e)),
                    None => {
                        return Err(format!(
                            "the StringMatches pattern '{text}' ends with an open escape"
                        ));
                    }
                },
                '*' => pieces.push(String::new()),
                c => pieces.last_mut().map_or((), |p| p.push(c)),
            }
        }
        Ok(Pattern { pieces })
    }

    /// Whether `s` matches.
    pub fn matches(&self, s: &str) -> bool {
        let (first, rest) = match self.pieces.split_first() {
            Some(x) => x,
            None => return s.is_empty(),
        };
        let Some(mut s) = s.strip_prefix(first.as_str()) else {
            return false;
        };
        let Some((last, middle)) = rest.split_last() else {
            return s.is_empty();
        };
        for piece in middle {
            match s.find(piece.as_str()) {
                Some(i) => s = &s[i + piece.len()..],
                None => return false,
            }
        }
        s.len() >= last.len() && s.ends_with(last.as_str())
    }
}

impl Pattern {
    /// A pattern from its pieces (what [`parse`](Self::parse) split at the stars).
    pub fn from_pieces(pieces: Vec<String>) -> Self {
        Pattern { pieces }
    }

    /// Its pieces.
    pub fn pieces(&self) -> &[String] {
        &self.pieces
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn string_matches() {
        let p = Pattern::parse("log-*.txt").expect("valid");
        assert!(p.matches("log-2024.txt") && p.matches("log-.txt") && !p.matches("log-1.csv"));
        let star = Pattern::parse(r"a\*b*").expect("valid");
        assert!(star.matches("a*bcd") && !star.matches("axbcd"));
        assert!(Pattern::parse("*").expect("valid").matches(""));
        assert!(Pattern::parse(r"abc\").is_err());
        let two = Pattern::parse("*ab*ab").expect("valid");
        assert!(two.matches("xabyab") && !two.matches("ab"));
        assert_eq!(Pattern::from_pieces(p.pieces().to_vec()), p);
    }
}
