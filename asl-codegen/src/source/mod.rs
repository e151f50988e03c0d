//! Reading definition text: a JSON or YAML document becomes a [`Node`] tree whose every value
//! and key knows its byte span, with duplicate keys kept so the checks can report them.

mod json;
mod node;
mod single;
mod substitute;
mod yaml;

pub use node::{Member, Node, Value};
pub use single::{SINGLE_STATE, single_state_machine};
pub use substitute::{placeholders, substitute};

use crate::diag::{Code, Diagnostic, Pointer};

/// A byte range in the source text, `start..end`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub struct Span {
    /// First byte.
    pub start: usize,
    /// One past the last byte.
    pub end: usize,
}

impl Span {
    /// A span from `start` to `end`.
    pub fn new(start: usize, end: usize) -> Self {
        Span { start, end }
    }
}

/// The syntax a definition is written in.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Syntax {
    /// JSON (`.asl.json`, `.json`).
    Json,
    /// YAML (`.asl.yaml`, `.asl.yml`, `.yaml`, `.yml`).
    Yaml,
}

impl Syntax {
    /// The syntax a file name implies: YAML for `.yaml`/`.yml`, JSON otherwise.
    pub fn from_file_name(name: &str) -> Syntax {
        let lower = name.to_ascii_lowercase();
        if lower.ends_with(".yaml") || lower.ends_with(".yml") {
            Syntax::Yaml
        } else {
            Syntax::Json
        }
    }
}

/// One-based line and column (columns count Unicode scalar values, as editors do).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct LineCol {
    /// Line, from 1.
    pub line: usize,
    /// Column, from 1.
    pub column: usize,
}

/// Maps byte offsets of one text to lines and columns.
#[derive(Clone, Debug)]
pub struct LineIndex {
    line_starts: Vec<usize>,
}

impl LineIndex {
    /// Indexes the line starts of `text`.
    pub fn new(text: &str) -> Self {
        let mut line_starts = vec![0];
        line_starts.extend(text.match_indices('\n').map(|(i, _)| i + 1));
        LineIndex { line_starts }
    }

    /// The line and column of byte `offset` in `text` (the text this index was built from).
    pub fn line_col(&self, text: &str, offset: usize) -> LineCol {
        let offset = offset.min(text.len());
        let line = self.line_starts.partition_point(|&s| s <= offset).max(1);
        let start = self.line_starts[line - 1];
        let column = text
            .get(start..offset)
            .map_or(offset - start, |s| s.chars().count())
            + 1;
        LineCol { line, column }
    }
}

/// Parses `text` in the given syntax into a spanned tree.
///
/// Never panics and never recurses without bound: malformed text, binary data and documents
/// nested deeper than 512 levels all come back as an `INVALID_JSON_DESCRIPTION` diagnostic.
pub fn parse(text: &str, syntax: Syntax) -> Result<Node, Diagnostic> {
    let root = match syntax {
        Syntax::Json => json::parse(text)?,
        Syntax::Yaml => yaml::parse(text)?,
    };
    match root {
        Some(node) => Ok(node),
        None => Err(Diagnostic::new(
            Code::SchemaValidationFailed,
            "Definition must be a valid JSON object",
            Pointer::root(),
            None,
        )),
    }
}

/// Parses a CloudFormation or SAM template: JSON, or YAML whose short-form tags (`!Sub`,
/// `!Ref`, `!GetAtt`, `!Join`, …) become their long form (`{"Fn::Sub": …}`).
pub fn parse_template(text: &str, syntax: Syntax) -> Result<Node, Diagnostic> {
    let root = match syntax {
        Syntax::Json => json::parse(text)?,
        Syntax::Yaml => yaml::parse_template(text)?,
    };
    root.ok_or_else(|| {
        Diagnostic::new(
            Code::InvalidJsonDescription,
            "the template is empty",
            Pointer::root(),
            None,
        )
    })
}

/// The deepest nesting of arrays and objects either reader accepts.
pub(crate) const MAX_DEPTH: usize = 512;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_col_counts_chars_from_one() {
        let text = "ab\ncdé\nf";
        let idx = LineIndex::new(text);
        assert_eq!(idx.line_col(text, 0), LineCol { line: 1, column: 1 });
        assert_eq!(idx.line_col(text, 3), LineCol { line: 2, column: 1 });
        // 'f' is after "cdé\n": é is two bytes.
        let f = text.find('f').unwrap_or_default();
        assert_eq!(idx.line_col(text, f), LineCol { line: 3, column: 1 });
        assert_eq!(idx.line_col(text, f - 1), LineCol { line: 2, column: 4 });
    }

    #[test]
    fn syntax_from_file_name() {
        assert_eq!(Syntax::from_file_name("a.asl.yaml"), Syntax::Yaml);
        assert_eq!(Syntax::from_file_name("a.YML"), Syntax::Yaml);
        assert_eq!(Syntax::from_file_name("a.asl.json"), Syntax::Json);
    }
}
