//! JSONPath as Step Functions reads it (Jayway's syntax): `$`, `$$` (the context object) and
//! `$name` (a variable) roots; `.name`, `['name']`, `.['name']`, `[0]`, `[-1]`, `[0,2]`, `[*]`,
//! `.*`, `[1:5:2]`, `..name` (deep scan), `[?(…)]` filters and `.length()`. [`parse`] reads a
//! path; [`Path::select`] and its kin apply it as Jayway does: a definite path (names and
//! indexes only) is a direct walk down the document, other paths collect every match into an
//! array.

mod eval;
mod parse;

pub use parse::{PathError, parse};

/// What a path starts from.
#[derive(Clone, Debug, PartialEq)]
pub enum Root {
    /// `$`: the value the field applies to.
    Input,
    /// `$$`: the context object.
    Context,
    /// `$name`: a workflow variable.
    Variable(Box<str>),
}

/// One step of a path.
#[derive(Clone, Debug, PartialEq)]
pub enum Step {
    /// `.name` / `['name']`.
    Name(Box<str>),
    /// `[i]`; negative counts from the end.
    Index(i64),
    /// `.*` / `[*]`.
    Wildcard,
    /// `['a','b']`.
    Names(Box<[Box<str>]>),
    /// `[0,2]`.
    Indexes(Box<[i64]>),
    /// `[start:end:step]`.
    Slice(Option<i64>, Option<i64>, Option<i64>),
    /// `..` followed by a step: that step applied to every descendant.
    Descendant(Box<Step>),
    /// `.length()`: the length of an array (or string).
    Length,
    /// `[?(…)]`: the elements (objects) the filter accepts.
    Filter(Box<crate::filter::Filter>),
}

/// A pre-parsed path.
#[derive(Clone, Debug, PartialEq)]
pub struct Path {
    root: Root,
    steps: Box<[Step]>,
    definite: bool,
    text: Box<str>,
}

impl Path {
    /// A path from its parts; `text` is the path as written (for error messages).
    pub fn new(root: Root, steps: Vec<Step>, text: &str) -> Self {
        let definite = steps
            .iter()
            .all(|s| matches!(s, Step::Name(_) | Step::Index(_) | Step::Length));
        Path {
            root,
            steps: steps.into_boxed_slice(),
            definite,
            text: text.into(),
        }
    }

    /// `$`.
    pub fn root_input() -> Self {
        Path::new(Root::Input, Vec::new(), "$")
    }

    /// The path as written.
    pub fn text(&self) -> &str {
        &self.text
    }

    /// What it starts from.
    pub fn root(&self) -> &Root {
        &self.root
    }

    /// Its steps.
    pub fn steps(&self) -> &[Step] {
        &self.steps
    }

    /// Whether it names at most one value.
    pub fn is_definite(&self) -> bool {
        self.definite
    }

    /// Whether it is a reference path: member names and single indexes only (what InputPath,
    /// OutputPath and the `…Path` fields take; `length()` and wildcards are not references).
    pub fn is_reference(&self) -> bool {
        self.steps
            .iter()
            .all(|s| matches!(s, Step::Name(_) | Step::Index(_)))
    }

    /// Whether a value can be written at the path (what ResultPath needs): member names and
    /// non-negative indexes only.
    pub fn is_writable(&self) -> bool {
        self.steps.iter().all(|s| match s {
            Step::Name(_) => true,
            Step::Index(i) => *i >= 0,
            _ => false,
        })
    }

    /// Whether it is `$` itself.
    pub fn is_root(&self) -> bool {
        self.steps.is_empty() && self.root == Root::Input
    }

    /// Jayway's rendering of the path in error messages: `$['a']['b'][0]`.
    pub fn bracketed(&self) -> String {
        let mut out = String::from(match &self.root {
            Root::Input => "$",
            Root::Context => "$$",
            Root::Variable(_) => "$",
        });
        for s in self.steps.iter() {
            match s {
                Step::Name(n) => out.push_str(&format!("['{n}']")),
                Step::Index(i) => out.push_str(&format!("[{i}]")),
                Step::Wildcard => out.push_str("[*]"),
                Step::Names(ns) => out.push_str(&format!(
                    "[{}]",
                    ns.iter()
                        .map(|n| format!("'{n}'"))
                        .collect::<Vec<_>>()
                        .join(",")
                )),
                Step::Indexes(is) => out.push_str(&format!(
                    "[{}]",
                    is.iter().map(i64::to_string).collect::<Vec<_>>().join(",")
                )),
                Step::Slice(a, b, _) => out.push_str(&format!(
                    "[{}:{}]",
                    a.map(|x| x.to_string()).unwrap_or_default(),
                    b.map(|x| x.to_string()).unwrap_or_default()
                )),
                Step::Descendant(inner) => out.push_str(&format!(
                    "..{}",
                    Path::new(Root::Input, vec![(**inner).clone()], "")
                        .bracketed()
                        .trim_start_matches('$')
                )),
                Step::Length => out.push_str(".length()"),
                Step::Filter(_) => out.push_str("[?]"),
            }
        }
        out
    }
}
