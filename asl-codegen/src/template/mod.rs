//! State machines read straight out of infrastructure code: CloudFormation and SAM templates
//! (JSON, or YAML with the short-form tags `!Sub`, `!Ref`, `!GetAtt`, `!Join`), the templates
//! CDK synthesizes, and Terraform's `aws_sfn_state_machine`.
//!
//! Each machine found is a definition tree whose spans point into the file its text is in (the
//! template, or a local file it names), with the `${Name}` values the template itself gives
//! (`DefinitionSubstitutions`, `Fn::Sub`'s variables, `templatefile`'s). References the template
//! cannot resolve without deploying (`Ref`, `Fn::GetAtt`, Terraform's `aws_lambda_function.f.arn`)
//! become named placeholders (`${Name}`, `${Function.Arn}`, `${aws_lambda_function.f.arn}`)
//! that the user's values (`substitute`, `--set`) fill.

mod cloudformation;
mod terraform;
pub(crate) mod text;

use std::path::{Path, PathBuf};

use crate::diag::{Code, Diagnostic, Pointer};
use crate::source::{self, Node, Span, Syntax};

/// A state machine read from a template.
#[derive(Clone, Debug)]
pub struct Found {
    /// Its name in the template: the CloudFormation logical id, or Terraform's resource name.
    pub name: String,
    /// The file its definition's text is in: the template, or a local file the template names.
    pub file: PathBuf,
    /// That file's text.
    pub text: String,
    /// The definition, its spans pointing into `text`, the user's and the template's
    /// substitutions made.
    pub root: Node,
}

/// A problem with a template, in the file it is in.
#[derive(Clone, Debug)]
pub struct Problem {
    /// The file.
    pub file: PathBuf,
    /// Its text (empty when it could not be read).
    pub text: String,
    /// What is wrong, and where.
    pub diagnostic: Box<Diagnostic>,
}

impl Problem {
    fn at(file: &Path, text: &str, span: Option<Span>, message: impl Into<String>) -> Self {
        Problem {
            file: file.to_owned(),
            text: text.to_owned(),
            diagnostic: Box::new(Diagnostic::new(
                Code::InvalidTemplate,
                message,
                Pointer::root(),
                span,
            )),
        }
    }

    /// The problem as `asl check` and the build show it, with its `file:line:col`.
    pub fn render(&self) -> String {
        self.diagnostic
            .render(&self.file.display().to_string(), &self.text)
    }
}

impl std::fmt::Display for Problem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.render())
    }
}

/// Whether the file is a template rather than a definition: Terraform (`.tf`), or JSON or YAML
/// with a top-level `Resources` and no `States`.
pub fn is_template(path: &Path, text: &str) -> bool {
    if path.extension().is_some_and(|e| e == "tf") {
        return true;
    }
    let syntax = Syntax::from_file_name(&path.to_string_lossy());
    match source::parse_template(text, syntax) {
        Ok(root) => root.get("Resources").is_some() && root.get("States").is_none(),
        Err(_) => false,
    }
}

/// Every state machine of the template at `path` (whose text is `text`), in the template's
/// order, with `values` (the user's `${Name}` values, which win over the template's) put in.
pub fn machines(
    path: &Path,
    text: &str,
    values: &[(String, String)],
) -> Result<Vec<Found>, Vec<Problem>> {
    if path.extension().is_some_and(|e| e == "tf") {
        terraform::machines(path, text, values)
    } else {
        cloudformation::machines(path, text, values)
    }
}

/// A definition in a local file the template names (`DefinitionUri`, `DefinitionS3Location`,
/// `templatefile`), relative to the template's folder.
fn local_definition(
    template: &Path,
    template_text: &str,
    at: Span,
    name: &str,
    relative: &str,
    values: &[(String, String)],
) -> Result<Found, Problem> {
    let file = template
        .parent()
        .unwrap_or_else(|| Path::new(""))
        .join(relative);
    let text = std::fs::read_to_string(&file).map_err(|e| {
        Problem::at(
            template,
            template_text,
            Some(at),
            format!("the definition file {} cannot be read: {e}", file.display()),
        )
    })?;
    let syntax = Syntax::from_file_name(&file.to_string_lossy());
    let mut root = source::parse(&text, syntax).map_err(|diagnostic| Problem {
        file: file.clone(),
        text: text.clone(),
        diagnostic: Box::new(diagnostic),
    })?;
    source::substitute(&mut root, values);
    Ok(Found {
        name: name.to_owned(),
        file,
        text,
        root,
    })
}

/// The definition in `mapped` (text assembled from the template at `path`, whose text is
/// `text`), parsed as JSON and pointed into the template; a parse error points there too,
/// its message prefixed with the field it came from (`what`).
fn parse_mapped(
    mapped: &text::Mapped,
    path: &Path,
    text: &str,
    what: &str,
) -> Result<Node, Problem> {
    let mut root = source::parse(&mapped.text, Syntax::Json).map_err(|mut diagnostic| {
        diagnostic.span = diagnostic.span.map(|s| mapped.span(s));
        diagnostic.message = format!("{what}: {}", diagnostic.message);
        Problem {
            file: path.to_owned(),
            text: text.to_owned(),
            diagnostic: Box::new(diagnostic),
        }
    })?;
    mapped.remap(&mut root);
    Ok(root)
}

/// The user's values first (they win), then the template's.
fn with_values(
    user: &[(String, String)],
    template: Vec<(String, String)>,
) -> Vec<(String, String)> {
    let mut all = user.to_vec();
    all.extend(template);
    all
}
