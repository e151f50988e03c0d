//! Diagnostics as data: a code, a message, a JSON pointer and a span. Only the macro, the build
//! script API and the CLI render them.

use std::fmt;

use crate::source::{LineIndex, Span};

/// What a diagnostic is about, named as AWS's `ValidateStateMachineDefinition` names it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Code {
    /// The text is not JSON (or YAML), or holds a duplicate key.
    InvalidJsonDescription,
    /// A field is missing, unknown, of the wrong type, out of range, or not allowed here.
    SchemaValidationFailed,
    /// A `StartAt`, `Next`, `Default` or Catch `Next` names no state of its container, or a
    /// state cannot be reached.
    MissingTransitionTarget,
    /// A container where no state ends the execution (or a loop with no way out).
    MissingEndState,
    /// Two states share a name.
    DuplicateStateName,
    /// A state name is empty or longer than 80 characters.
    InvalidStateName,
    /// A JSONata expression does not parse.
    InvalidJsonataExpression,
    /// A JSONata expression uses something Step Functions forbids (`$`, top-level field names,
    /// `$states.result` outside Output/Assign, `$eval`).
    UnsupportedJsonataExpression,
    /// A Task `Resource` Step Functions does not accept here.
    InvalidResource,
    /// Two Map states share a `Label`.
    DuplicateLabelName,
    /// A Map `Label` is too long or holds a forbidden character.
    InvalidLabelName,
    /// Intrinsic functions nested deeper than AWS allows.
    TooDeeplyNested,
    /// A variable name or a scope rule is broken.
    InvalidVariable,
    /// A valid definition uses something this release can not execute yet.
    UnsupportedFeature,
    /// A deployment template (CloudFormation, SAM, CDK output, Terraform) that holds no
    /// readable state machine where it should, or writes one in a way that cannot be read
    /// without deploying it.
    InvalidTemplate,
    /// The generator met something its checks should have refused: a bug of the generator,
    /// reported instead of generating a machine that would do something else.
    InternalError,
}

impl Code {
    /// The code as AWS spells it.
    pub fn as_str(self) -> &'static str {
        match self {
            Code::InvalidJsonDescription => "INVALID_JSON_DESCRIPTION",
            Code::SchemaValidationFailed => "SCHEMA_VALIDATION_FAILED",
            Code::MissingTransitionTarget => "MISSING_TRANSITION_TARGET",
            Code::MissingEndState => "MISSING_END_STATE",
            Code::DuplicateStateName => "DUPLICATE_STATE_NAME",
            Code::InvalidStateName => "INVALID_STATE_NAME",
            Code::InvalidJsonataExpression => "INVALID_JSONATA_EXPRESSION",
            Code::UnsupportedJsonataExpression => "UNSUPPORTED_JSONATA_EXPRESSION",
            Code::InvalidResource => "INVALID_RESOURCE",
            Code::DuplicateLabelName => "DUPLICATE_LABEL_NAME",
            Code::InvalidLabelName => "INVALID_LABEL_NAME",
            Code::TooDeeplyNested => "TOO_DEEPLY_NESTED",
            Code::InvalidVariable => "SCHEMA_VALIDATION_FAILED",
            Code::UnsupportedFeature => "UNSUPPORTED_FEATURE",
            Code::InvalidTemplate => "INVALID_TEMPLATE",
            Code::InternalError => "INTERNAL_ERROR",
        }
    }
}

impl fmt::Display for Code {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// How bad a diagnostic is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Severity {
    /// Worth knowing; the definition is still accepted.
    Warning,
    /// The definition is rejected.
    Error,
}

/// A JSON pointer (RFC 6901) into the definition, e.g. `/States/Validate/Next`.
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Pointer(String);

impl Pointer {
    /// The document root, rendered `/` as AWS does.
    pub fn root() -> Self {
        Pointer(String::new())
    }

    /// This pointer with one more reference token (escaped per RFC 6901).
    pub fn join(&self, token: impl fmt::Display) -> Self {
        let token = token.to_string().replace('~', "~0").replace('/', "~1");
        Pointer(format!("{}/{}", self.0, token))
    }

    /// The last reference token, unescaped (the field name of `/States/A/Next` is `Next`).
    pub fn last_token(&self) -> String {
        self.0
            .rsplit('/')
            .next()
            .unwrap_or_default()
            .replace("~1", "/")
            .replace("~0", "~")
    }

    /// This pointer with `prefix` (a pointer's text) taken off its front, when it starts
    /// with it.
    pub fn strip_prefix(&self, prefix: &str) -> Option<Pointer> {
        let rest = self.0.strip_prefix(prefix)?;
        (rest.is_empty() || rest.starts_with('/')).then(|| Pointer(rest.to_owned()))
    }

    /// The pointer text; the root is `/`.
    pub fn as_str(&self) -> &str {
        if self.0.is_empty() { "/" } else { &self.0 }
    }
}

impl fmt::Display for Pointer {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One problem found in a definition.
#[derive(Clone, Debug, PartialEq)]
pub struct Diagnostic {
    /// The AWS-style code.
    pub code: Code,
    /// What is wrong, in AWS's words where AWS has words for it.
    pub message: String,
    /// Where, as a JSON pointer.
    pub pointer: Pointer,
    /// Where, as a byte span in the source (absent for whole-document problems).
    pub span: Option<Span>,
    /// Error or warning.
    pub severity: Severity,
    /// A hint on the fix ("did you mean `Next`?").
    pub help: Option<String>,
    /// The deployment placeholder (`Name` of `${Name}`) left unsubstituted where a number,
    /// boolean, object or array belongs: a warning for `asl check`, an error when generating
    /// code (the machine would run without the field).
    pub placeholder: Option<Box<str>>,
}

impl Diagnostic {
    /// An error.
    pub fn new(
        code: Code,
        message: impl Into<String>,
        pointer: Pointer,
        span: Option<Span>,
    ) -> Self {
        Diagnostic {
            code,
            message: message.into(),
            pointer,
            span,
            severity: Severity::Error,
            help: None,
            placeholder: None,
        }
    }

    /// This diagnostic with a hint.
    pub fn with_help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }

    /// This diagnostic as a warning.
    pub fn warning(mut self) -> Self {
        self.severity = Severity::Warning;
        self
    }

    /// This diagnostic as about the unsubstituted placeholder `${name}`.
    pub fn unresolved(mut self, name: impl Into<Box<str>>) -> Self {
        self.placeholder = Some(name.into());
        self
    }

    /// Whether it rejects the definition.
    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }

    /// Whether it stops code generation: every error, and a placeholder left where another
    /// type belongs.
    pub fn blocks_generation(&self) -> bool {
        self.is_error() || self.placeholder.is_some()
    }

    /// The line and column the diagnostic points at, if it has a span.
    pub fn line_col(&self, text: &str) -> Option<crate::source::LineCol> {
        self.span
            .map(|s| LineIndex::new(text).line_col(text, s.start))
    }

    /// Renders the diagnostic as rustc renders errors in another file:
    ///
    /// ```text
    /// MISSING_TRANSITION_TARGET: Missing 'Next' target: Pay at /States/Order/Next
    ///  --> workflows/order.asl.json:12:17
    ///   = help: did you mean `Payment`?
    /// ```
    pub fn render(&self, file: &str, text: &str) -> String {
        let mut out = format!("{}: {} at {}", self.code, self.message, self.pointer);
        let at = self
            .line_col(text)
            .unwrap_or(crate::source::LineCol { line: 1, column: 1 });
        out.push_str(&format!("\n --> {file}:{}:{}", at.line, at.column));
        if let Some(help) = &self.help {
            out.push_str(&format!("\n  = help: {help}"));
        }
        out
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {} at {}", self.code, self.message, self.pointer)
    }
}

pub use asl_lang::ident::did_you_mean;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pointer_escapes_tokens() {
        let p = Pointer::root().join("States").join("a/b~c");
        assert_eq!(p.as_str(), "/States/a~1b~0c");
        assert_eq!(p.last_token(), "a/b~c");
        assert_eq!(Pointer::root().as_str(), "/");
    }

    #[test]
    fn suggestions() {}
}
