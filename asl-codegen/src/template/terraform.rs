//! Terraform: the `definition` of each `resource "aws_sfn_state_machine"`, written as a JSON
//! string, a heredoc, or `templatefile(…)`/`file(…)` of a local file. Interpolations
//! (`${aws_lambda_function.f.arn}`) become placeholders named by their expression.

use std::path::Path;

use hcl_edit::Span as _;
use hcl_edit::expr::{Expression, ObjectKey};
use hcl_edit::structure::{BlockLabel, Structure};
use hcl_edit::template::{Element, Template};

use super::text::Mapped;
use super::{Found, Problem, local_definition, parse_mapped, with_values};
use crate::source::{self, Span};

pub(super) fn machines(
    path: &Path,
    text: &str,
    values: &[(String, String)],
) -> Result<Vec<Found>, Vec<Problem>> {
    let body = hcl_edit::parser::parse_body(text).map_err(|e| {
        let at = e.location().offset();
        vec![Problem::at(
            path,
            text,
            Some(Span::new(at, at)),
            format!("the Terraform file does not parse: {}", e.message()),
        )]
    })?;
    let mut found = Vec::new();
    let mut problems = Vec::new();
    for structure in body.iter() {
        let Structure::Block(block) = structure else {
            continue;
        };
        let label = |i: usize| {
            block.labels.get(i).map(|l| match l {
                BlockLabel::Ident(id) => id.as_str().to_owned(),
                BlockLabel::String(s) => s.as_str().to_owned(),
            })
        };
        if block.ident.as_str() != "resource"
            || label(0).as_deref() != Some("aws_sfn_state_machine")
        {
            continue;
        }
        let name = label(1).unwrap_or_default();
        let at = span(block.span());
        let reader = Reader {
            path,
            text,
            name: &name,
            user: values,
        };
        let definition = block.body.iter().find_map(|s| match s {
            Structure::Attribute(a) if a.key.as_str() == "definition" => Some(&a.value),
            _ => None,
        });
        let result = match definition {
            Some(expr) => reader.machine(expr),
            None => Err(Problem::at(
                path,
                text,
                Some(at),
                format!("aws_sfn_state_machine.{name} has no definition"),
            )),
        };
        match result {
            Ok(f) => found.push(f),
            Err(p) => problems.push(p),
        }
    }
    if found.is_empty() && problems.is_empty() {
        problems.push(Problem::at(
            path,
            text,
            None,
            "the Terraform file has no aws_sfn_state_machine resource",
        ));
    }
    if problems.is_empty() {
        Ok(found)
    } else {
        Err(problems)
    }
}

fn span(r: Option<std::ops::Range<usize>>) -> Span {
    r.map_or_else(Span::default, |r| Span::new(r.start, r.end))
}

struct Reader<'a> {
    path: &'a Path,
    text: &'a str,
    name: &'a str,
    user: &'a [(String, String)],
}

impl Reader<'_> {
    fn problem(&self, span: Span, message: impl Into<String>) -> Problem {
        Problem::at(self.path, self.text, Some(span), message)
    }

    /// The source text of `s`.
    fn source(&self, s: Span) -> &str {
        self.text.get(s.start..s.end).unwrap_or("")
    }

    fn machine(&self, expr: &Expression) -> Result<Found, Problem> {
        let mut mapped = Mapped::default();
        match expr {
            Expression::String(s) => {
                let at = span(s.span());
                mapped.push_scalar(s.as_str(), self.source(at), at.start);
            }
            Expression::StringTemplate(t) => self.template(t, true, &mut mapped)?,
            Expression::HeredocTemplate(h) => self.template(&h.template, false, &mut mapped)?,
            Expression::FuncCall(call) => return self.function(call),
            other => {
                return Err(self.problem(
                    span(other.span()),
                    "the definition must be a JSON string, a heredoc, or templatefile(…)/file(…) of a local file",
                ));
            }
        }
        let mut root = parse_mapped(&mapped, self.path, self.text, "definition")?;
        source::substitute(&mut root, self.user);
        Ok(Found {
            name: self.name.to_owned(),
            file: self.path.to_owned(),
            text: self.text.to_owned(),
            root,
        })
    }

    /// A string template or heredoc: its literal text, and each interpolation as the
    /// placeholder named by its expression.
    fn template(&self, t: &Template, quoted: bool, out: &mut Mapped) -> Result<(), Problem> {
        for element in t.iter() {
            match element {
                Element::Literal(lit) => {
                    let at = span(lit.span());
                    out.push_literal(lit.value(), self.source(at), at.start, quoted);
                }
                Element::Interpolation(i) => {
                    let at = span(i.expr.span());
                    out.push_at(&format!("${{{}}}", self.source(at).trim()), at.start);
                }
                Element::Directive(d) => {
                    return Err(self.problem(
                        span(d.span()),
                        "template directives (%{if}, %{for}) cannot be read without running Terraform",
                    ));
                }
            }
        }
        Ok(())
    }

    /// `templatefile(path, vars)` or `file(path)`.
    fn function(&self, call: &hcl_edit::expr::FuncCall) -> Result<Found, Problem> {
        let at = span(call.span());
        let name = call.name.name.as_str();
        if name != "templatefile" && name != "file" {
            return Err(self.problem(
                at,
                format!(
                    "{name}(…) cannot be read without running Terraform; write the definition as JSON, a heredoc, or templatefile(…) of a local file"
                ),
            ));
        }
        let mut args = call.args.iter();
        let file = match args.next() {
            Some(expr) => self.path_of(expr)?,
            None => return Err(self.problem(at, format!("{name}(…) names no file"))),
        };
        let mut vars = Vec::new();
        if let Some(Expression::Object(object)) = args.next() {
            for (key, value) in object.iter() {
                let key = match key {
                    ObjectKey::Ident(id) => id.as_str().to_owned(),
                    ObjectKey::Expression(e) => match e {
                        Expression::String(s) => s.as_str().to_owned(),
                        other => self.source(span(other.span())).to_owned(),
                    },
                };
                let expr = value.expr();
                let text = match expr {
                    Expression::String(s) => Some(s.as_str().to_owned()),
                    Expression::Number(n) => Some(n.to_string()),
                    Expression::Bool(b) => Some(b.to_string()),
                    // A reference: the user's value for it, if given (else `${key}` stays).
                    other => {
                        let reference = self.source(span(other.span())).trim().to_owned();
                        self.user
                            .iter()
                            .find(|(k, _)| *k == reference)
                            .map(|(_, v)| v.clone())
                    }
                };
                if let Some(text) = text {
                    vars.push((key, text));
                }
            }
        }
        let values = with_values(self.user, vars);
        local_definition(self.path, self.text, at, self.name, &file, &values)
    }

    /// A file path argument: a string, with `${path.module}` (and `path.root`, `path.cwd`) as
    /// the template's folder.
    fn path_of(&self, expr: &Expression) -> Result<String, Problem> {
        match expr {
            Expression::String(s) => Ok(s.as_str().to_owned()),
            Expression::StringTemplate(t) => {
                let mut out = String::new();
                for element in t.iter() {
                    match element {
                        Element::Literal(lit) => out.push_str(lit.value()),
                        Element::Interpolation(i)
                            if matches!(
                                self.source(span(i.expr.span())).trim(),
                                "path.module" | "path.root" | "path.cwd"
                            ) =>
                        {
                            out.push('.');
                        }
                        other => {
                            return Err(self.problem(
                                span(other.span()),
                                "a file path may only interpolate path.module",
                            ));
                        }
                    }
                }
                Ok(out)
            }
            other => Err(self.problem(span(other.span()), "the file must be named by a string")),
        }
    }
}
