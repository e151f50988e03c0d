//! Definition text assembled from pieces of a template (a string's contents, a `Fn::Join`'s
//! parts, a heredoc's lines, placeholders for references), remembering where each byte came
//! from, so a definition parsed from it can point back into the template.

use crate::source::{Node, Span, Value};

/// Text with, for every byte, its offset in the template.
#[derive(Clone, Debug, Default)]
pub(crate) struct Mapped {
    /// The assembled text.
    pub(crate) text: String,
    /// `map[i]`: the template offset of byte `i` of `text`.
    map: Vec<usize>,
}

impl Mapped {
    /// Appends a scalar's value `decoded`, written in the template as `raw` (its source text,
    /// quotes, escapes, block header and indentation included) starting at offset `start`.
    pub(crate) fn push_scalar(&mut self, decoded: &str, raw: &str, start: usize) {
        let bytes = raw.as_bytes();
        // Past a YAML tag (`!Sub`) written before the value.
        let mut at = 0;
        if bytes.first() == Some(&b'!') {
            at = raw.find(char::is_whitespace).unwrap_or(raw.len());
            at += raw[at..].len() - raw[at..].trim_start_matches([' ', '\t']).len();
        }
        // Past an opening quote, or a block scalar's header line.
        let first = bytes.get(at).copied();
        let from = match first {
            Some(b'"' | b'\'') => at + 1,
            Some(b'|' | b'>') => raw[at..].find('\n').map_or(raw.len(), |n| at + n + 1),
            _ => at,
        };
        let escapes = first == Some(b'"');
        let single = first == Some(b'\'');
        self.align(decoded, raw, start, from, escapes, single);
    }

    /// Appends a literal part of a template string (`escapes`: of a quoted string, whose
    /// backslash escapes it decodes) written as `raw` at `start`.
    pub(crate) fn push_literal(&mut self, decoded: &str, raw: &str, start: usize, escapes: bool) {
        self.align(decoded, raw, start, 0, escapes, false);
    }

    /// Maps each character of `decoded` to the place in `raw` (from byte `from`) it was read
    /// from, skipping what the source has and the value does not (indentation, escapes'
    /// backslashes, doubled single quotes).
    fn align(
        &mut self,
        decoded: &str,
        raw: &str,
        start: usize,
        from: usize,
        escapes: bool,
        single: bool,
    ) {
        let bytes = raw.as_bytes();
        let mut j = from;
        for c in decoded.chars() {
            let at = loop {
                let Some(&b) = bytes.get(j) else {
                    break raw.len();
                };
                if escapes && b == b'\\' {
                    let len = escape_len(&bytes[j..]);
                    let at = j;
                    j += len;
                    break at;
                }
                if raw[j..].starts_with(c) {
                    let at = j;
                    j += c.len_utf8();
                    break at;
                }
                if b.is_ascii_whitespace() || (single && b == b'\'') {
                    j += 1;
                    continue;
                }
                // A character the value has and the source does not (a folded line break):
                // it stands where the source is.
                break j;
            };
            let at = start + at.min(raw.len());
            for _ in 0..c.len_utf8() {
                self.map.push(at);
            }
            self.text.push(c);
        }
    }

    /// Appends text that stands for something at `at` in the template (a reference's
    /// placeholder, a delimiter, a value given by the user).
    pub(crate) fn push_at(&mut self, text: &str, at: usize) {
        self.text.push_str(text);
        self.map.extend(std::iter::repeat_n(at, text.len()));
    }

    /// The template offset of byte `i` of the text.
    fn offset(&self, i: usize) -> usize {
        match self.map.get(i) {
            Some(&o) => o,
            None => self.map.last().map_or(0, |&o| o + 1),
        }
    }

    /// Points every span of `node` (parsed from this text) into the template.
    pub(crate) fn remap(&self, node: &mut Node) {
        node.span = self.span(node.span);
        match &mut node.value {
            Value::Array(items) => items.iter_mut().for_each(|n| self.remap(n)),
            Value::Object(members) => {
                for m in members {
                    m.key_span = self.span(m.key_span);
                    self.remap(&mut m.value);
                }
            }
            _ => {}
        }
    }

    /// A span of the text, pointed into the template.
    pub(crate) fn span(&self, s: Span) -> Span {
        let start = self.offset(s.start);
        let end = if s.end > s.start {
            self.offset(s.end - 1) + 1
        } else {
            start
        };
        Span::new(start, end.max(start))
    }
}

/// The length of the escape sequence at the start of `b` (which starts with a backslash).
fn escape_len(b: &[u8]) -> usize {
    match b.get(1) {
        Some(b'u') => 6,
        Some(b'x') => 4,
        Some(b'U') => 10,
        Some(_) => 2,
        None => 1,
    }
    .min(b.len())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escaped_json_maps_each_character_to_its_source() {
        let template = r#"{"DefinitionString": "{\"StartAt\": \"A\"}"}"#;
        let raw_start = template.find(r#""{\"#).unwrap_or_default();
        let raw_end = template.len() - 1;
        let mut m = Mapped::default();
        m.push_scalar(
            r#"{"StartAt": "A"}"#,
            &template[raw_start..raw_end],
            raw_start,
        );
        assert_eq!(m.text, r#"{"StartAt": "A"}"#);
        // `S` of StartAt: after `{\"` in the template.
        let s = m.text.find('S').unwrap_or_default();
        assert_eq!(&template[m.offset(s)..m.offset(s) + 7], "StartAt");
    }

    #[test]
    fn a_block_scalar_maps_lines_past_their_indentation() {
        let template = "X: |\n    {\n      \"StartAt\": 1\n    }\n";
        let raw_start = template.find('|').unwrap_or_default();
        let mut m = Mapped::default();
        m.push_scalar(
            "{\n  \"StartAt\": 1\n}\n",
            &template[raw_start..],
            raw_start,
        );
        let s = m.text.find("\"StartAt").unwrap_or_default();
        assert_eq!(&template[m.offset(s)..m.offset(s) + 9], "\"StartAt\"");
    }
}
