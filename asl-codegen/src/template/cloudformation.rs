//! CloudFormation and SAM templates (and CDK's synthesized ones): their
//! `AWS::StepFunctions::StateMachine` and `AWS::Serverless::StateMachine` resources.

use std::cell::RefCell;
use std::path::Path;

use super::text::Mapped;
use super::{Found, Problem, local_definition, parse_mapped, with_values};
use crate::source::{self, Node, Span, Syntax, Value};

/// What CloudFormation's pseudo parameters stand for when the user gives no value: the
/// account, region and partition executions run in here.
const PSEUDO: [(&str, &str); 5] = [
    ("AWS::Partition", "aws"),
    ("AWS::Region", "us-east-1"),
    ("AWS::AccountId", "111111111111"),
    ("AWS::URLSuffix", "amazonaws.com"),
    ("AWS::NoValue", ""),
];

pub(super) fn machines(
    path: &Path,
    text: &str,
    values: &[(String, String)],
) -> Result<Vec<Found>, Vec<Problem>> {
    let syntax = Syntax::from_file_name(&path.to_string_lossy());
    let root = source::parse_template(text, syntax).map_err(|diagnostic| {
        vec![Problem {
            file: path.to_owned(),
            text: text.to_owned(),
            diagnostic: Box::new(diagnostic),
        }]
    })?;
    let Some(resources) = root.get("Resources").and_then(Node::as_object) else {
        return Err(vec![Problem::at(
            path,
            text,
            Some(root.span),
            "the template has no Resources",
        )]);
    };
    let mut found = Vec::new();
    let mut problems = Vec::new();
    for r in resources {
        let kind = r.value.get("Type").and_then(Node::as_str);
        let serverless = match kind {
            Some("AWS::StepFunctions::StateMachine") => false,
            Some("AWS::Serverless::StateMachine") => true,
            _ => continue,
        };
        let reader = Reader {
            path,
            text,
            name: &r.key,
            at: r.key_span,
            serverless,
            user: values,
            extra: RefCell::new(Vec::new()),
        };
        match reader.machine(r.value.get("Properties")) {
            Ok(f) => found.push(f),
            Err(p) => problems.push(p),
        }
    }
    if found.is_empty() && problems.is_empty() {
        problems.push(Problem::at(
            path,
            text,
            Some(root.span),
            "the template has no AWS::StepFunctions::StateMachine or AWS::Serverless::StateMachine resource",
        ));
    }
    if problems.is_empty() {
        Ok(found)
    } else {
        Err(problems)
    }
}

/// One state machine resource.
struct Reader<'a> {
    path: &'a Path,
    text: &'a str,
    name: &'a str,
    /// The resource's logical id in the template.
    at: Span,
    serverless: bool,
    user: &'a [(String, String)],
    /// `Fn::Sub` variables met on the way.
    extra: RefCell<Vec<(String, String)>>,
}

impl Reader<'_> {
    fn problem(&self, span: Span, message: impl Into<String>) -> Problem {
        Problem::at(self.path, self.text, Some(span), message)
    }

    fn machine(&self, props: Option<&Node>) -> Result<Found, Problem> {
        let Some(props) = props else {
            return Err(self.problem(self.at, format!("{} has no Properties", self.name)));
        };
        let mut values = Vec::new();
        if let Some(subs) = props.get("DefinitionSubstitutions") {
            let Some(members) = subs.as_object() else {
                return Err(self.problem(subs.span, "DefinitionSubstitutions must be an object"));
            };
            for m in members {
                // A value that names something deployed, and the user did not give, leaves
                // the substitution's own name as the placeholder.
                let v = fill(&self.text_of(&m.value)?, self.user);
                if !v.contains("${") {
                    values.push((m.key.clone(), v));
                }
            }
        }
        values.extend(
            PSEUDO
                .iter()
                .map(|(k, v)| ((*k).to_owned(), (*v).to_owned())),
        );
        let values = with_values(self.user, values);
        let uri = if self.serverless {
            "DefinitionUri"
        } else {
            "DefinitionS3Location"
        };
        let mut root = if let Some(d) = props.get("Definition") {
            let mut root = d.clone();
            self.resolve_tree(&mut root)?;
            root
        } else if let Some(d) = props.get("DefinitionString").filter(|_| !self.serverless) {
            let mut mapped = Mapped::default();
            self.push(d, &mut mapped)?;
            parse_mapped(&mapped, self.path, self.text, "DefinitionString")?
        } else if let Some(d) = props.get(uri) {
            let Some(file) = d.as_str() else {
                return Err(self.problem(
                    d.span,
                    format!(
                        "{uri} names an object in S3; name a local file instead (as `sam build` and `aws cloudformation package` take it)"
                    ),
                ));
            };
            let all = with_values(&values, self.extra.take());
            let found = local_definition(self.path, self.text, d.span, self.name, file, &all)?;
            return Ok(found);
        } else {
            let fields = if self.serverless {
                "Definition or DefinitionUri"
            } else {
                "Definition, DefinitionString or DefinitionS3Location"
            };
            return Err(self.problem(self.at, format!("{} has no {fields}", self.name)));
        };
        source::substitute(&mut root, &with_values(&values, self.extra.take()));
        Ok(Found {
            name: self.name.to_owned(),
            file: self.path.to_owned(),
            text: self.text.to_owned(),
            root,
        })
    }

    /// The intrinsic function `node` is (`{"Ref": …}`, `{"Fn::Sub": …}`, …), if it is one.
    fn intrinsic(node: &Node) -> Option<(&str, &Node)> {
        match node.as_object() {
            Some([m]) if m.key == "Ref" || m.key.starts_with("Fn::") => {
                Some((m.key.as_str(), &m.value))
            }
            _ => None,
        }
    }

    /// Replaces every intrinsic function in a `Definition` with the string it makes (a
    /// reference becomes its `${Name}` placeholder, for the substitutions to fill).
    fn resolve_tree(&self, node: &mut Node) -> Result<(), Problem> {
        if Self::intrinsic(node).is_some() {
            let mut mapped = Mapped::default();
            self.push(node, &mut mapped)?;
            node.value = Value::String(mapped.text);
            return Ok(());
        }
        match &mut node.value {
            Value::Array(items) => items.iter_mut().try_for_each(|n| self.resolve_tree(n)),
            Value::Object(members) => members
                .iter_mut()
                .try_for_each(|m| self.resolve_tree(&mut m.value)),
            _ => Ok(()),
        }
    }

    /// The text `node` makes, references as placeholders.
    fn text_of(&self, node: &Node) -> Result<String, Problem> {
        let mut mapped = Mapped::default();
        self.push(node, &mut mapped)?;
        Ok(mapped.text)
    }

    /// Appends the text `node` makes to `out`.
    fn push(&self, node: &Node, out: &mut Mapped) -> Result<(), Problem> {
        let at = node.span.start;
        match &node.value {
            Value::String(s) => {
                let raw = self.text.get(node.span.start..node.span.end).unwrap_or("");
                out.push_scalar(s, raw, at);
                Ok(())
            }
            Value::Number(n) => {
                out.push_at(n, at);
                Ok(())
            }
            Value::Bool(b) => {
                out.push_at(if *b { "true" } else { "false" }, at);
                Ok(())
            }
            _ => {
                let Some((function, arg)) = Self::intrinsic(node) else {
                    return Err(self.problem(
                        node.span,
                        "a string or an intrinsic function (Ref, Fn::Sub, Fn::Join, Fn::GetAtt) belongs here",
                    ));
                };
                self.function(function, arg, node.span, out)
            }
        }
    }

    fn function(
        &self,
        function: &str,
        arg: &Node,
        span: Span,
        out: &mut Mapped,
    ) -> Result<(), Problem> {
        let placeholder = |name: &str, out: &mut Mapped| {
            out.push_at(&format!("${{{name}}}"), span.start);
        };
        match function {
            "Ref" => match arg.as_str() {
                Some(name) => {
                    placeholder(name, out);
                    Ok(())
                }
                None => Err(self.problem(arg.span, "Ref takes a logical id or a parameter")),
            },
            "Fn::GetAtt" => {
                let name = match (&arg.value, arg.as_array()) {
                    (Value::String(s), _) => s.clone(),
                    (_, Some([resource, attribute])) => {
                        format!("{}.{}", self.text_of(resource)?, self.text_of(attribute)?)
                    }
                    _ => {
                        return Err(self.problem(
                            arg.span,
                            "Fn::GetAtt takes \"Resource.Attribute\" or [Resource, Attribute]",
                        ));
                    }
                };
                placeholder(&name, out);
                Ok(())
            }
            "Fn::ImportValue" => {
                let name = self.text_of(arg)?;
                placeholder(&name, out);
                Ok(())
            }
            "Fn::Sub" => match (&arg.value, arg.as_array()) {
                (Value::String(_), _) => self.push(arg, out),
                (_, Some([template, vars])) => {
                    let Some(vars) = vars.as_object() else {
                        return Err(self.problem(vars.span, "Fn::Sub's variables are an object"));
                    };
                    for v in vars {
                        let value = fill(&self.text_of(&v.value)?, self.user);
                        if !value.contains("${") {
                            self.extra.borrow_mut().push((v.key.clone(), value));
                        }
                    }
                    self.push(template, out)
                }
                _ => Err(self.problem(
                    arg.span,
                    "Fn::Sub takes a string, or [string, {variables}]",
                )),
            },
            "Fn::Join" => {
                let Some([delimiter, parts]) = arg.as_array() else {
                    return Err(self.problem(arg.span, "Fn::Join takes [delimiter, [parts]]"));
                };
                let (Some(delimiter), Some(parts)) = (delimiter.as_str(), parts.as_array()) else {
                    return Err(self.problem(arg.span, "Fn::Join takes [delimiter, [parts]]"));
                };
                for (i, part) in parts.iter().enumerate() {
                    if i > 0 {
                        out.push_at(delimiter, part.span.start);
                    }
                    self.push(part, out)?;
                }
                Ok(())
            }
            other => Err(self.problem(
                span,
                format!(
                    "{other} cannot be worked out without deploying the template; write the value, or a ${{Name}} placeholder given with substitute"
                ),
            )),
        }
    }
}

/// `text` with the `${Name}` placeholders the user gave values for filled.
fn fill(text: &str, values: &[(String, String)]) -> String {
    let mut out = text.to_owned();
    for (k, v) in values {
        let pattern = format!("${{{k}}}");
        if out.contains(&pattern) {
            out = out.replace(&pattern, v);
        }
    }
    out
}
