//! JSONata expressions (`{% … %}`), parsed with jsonata-core's parser, and what Step Functions
//! adds on top of the language: the rules (no `$` or field names at the top level of an
//! expression, never `$$`, no `$eval`) and what an expression refers to (the `$states`
//! members, workflow variables and functions), which the generator checks for placement and
//! the runtime binds.

use jsonata_core::ast::{AstNode, PathStep, Stage};

/// What an expression refers to, for the placement checks.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Analysis {
    /// The `$states.<name>` members used (`input`, `context`, `result`, `errorOutput`, …).
    pub states_members: Vec<String>,
    /// Other variables read (`$x` for workflow variable `x`), lambda parameters excluded.
    pub variables: Vec<String>,
    /// The functions called (`$uuid()` → `uuid`), built-in or not.
    pub functions: Vec<String>,
    /// Whether `$states` is read at all.
    pub states: bool,
}

/// Why an expression is refused.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum JsonataError {
    /// It does not parse (`INVALID_JSONATA_EXPRESSION`).
    Syntax(String),
    /// It uses something Step Functions forbids (`UNSUPPORTED_JSONATA_EXPRESSION`).
    Unsupported(String),
}

/// The functions Step Functions adds to JSONata.
pub const AWS_FUNCTIONS: &[&str] = &["partition", "range", "hash", "random", "uuid", "parse"];

/// Parses `expr` (the text between `{%` and `%}`), checks it against Step Functions' rules
/// and collects what it refers to.
pub fn analyze(expr: &str) -> Result<Analysis, JsonataError> {
    if expr.trim().is_empty() {
        return Err(JsonataError::Syntax("the expression is empty".into()));
    }
    let ast = jsonata_core::parser::parse(expr).map_err(|e| JsonataError::Syntax(e.to_string()))?;
    let (analysis, problem) = walk(&ast);
    match problem {
        Some(p) => Err(p),
        None => Ok(analysis),
    }
}

/// What a parsed expression refers to, all of it, whether or not it keeps Step Functions'
/// rules (what the runtime binds before evaluating it).
pub fn references(ast: &AstNode) -> Analysis {
    walk(ast).0
}

fn walk(ast: &AstNode) -> (Analysis, Option<JsonataError>) {
    let mut w = Walker {
        out: Analysis::default(),
        bound: Vec::new(),
        problem: None,
    };
    w.node(ast, true);
    (w.out, w.problem)
}

/// The value of an expression that is a single string literal (`{% '2016-03-14T01:59:00Z' %}`),
/// so fields that need a particular string can check it at compile time.
pub fn constant_string(expr: &str) -> Option<String> {
    match jsonata_core::parser::parse(expr).ok()? {
        AstNode::String(s) => Some(s),
        _ => None,
    }
}

struct Walker {
    out: Analysis,
    /// Lambda parameters and `:=` bindings in scope (not workflow variables).
    bound: Vec<String>,
    /// The first rule the expression breaks; the walk goes on, collecting references.
    problem: Option<JsonataError>,
}

fn top_level(name: &str) -> JsonataError {
    JsonataError::Unsupported(format!(
        "Reference to '{name}' at the top level is not supported."
    ))
}

impl Walker {
    fn fail(&mut self, problem: JsonataError) {
        if self.problem.is_none() {
            self.problem = Some(problem);
        }
    }

    fn nodes<'a>(&mut self, nodes: impl IntoIterator<Item = &'a AstNode>, top: bool) {
        for n in nodes {
            self.node(n, top);
        }
    }

    fn variable(&mut self, name: &str, top: bool) {
        if name.is_empty() {
            if top {
                self.fail(top_level("$"));
            }
            return;
        }
        if name == "states" && !self.bound.iter().any(|b| b == name) {
            self.out.states = true;
        }
        if name != "states"
            && !self.bound.iter().any(|b| b == name)
            && !self.out.variables.iter().any(|v| v == name)
        {
            self.out.variables.push(name.to_owned());
        }
    }

    fn node(&mut self, node: &AstNode, top: bool) {
        match node {
            AstNode::Name(n) if top => self.fail(top_level(n)),
            AstNode::Variable(v) => self.variable(v, top),
            AstNode::ParentVariable(_) => self.fail(JsonataError::Unsupported(
                "'$$' is not supported; use $states.context".into(),
            )),
            AstNode::Wildcard | AstNode::Descendant | AstNode::Parent(_) if top => {
                self.fail(JsonataError::Unsupported(
                    "A path at the top level must start from a variable such as $states.input."
                        .into(),
                ))
            }
            AstNode::Path { steps } => self.path(steps, top),
            AstNode::Binary { op, lhs, rhs } => {
                if matches!(op, jsonata_core::ast::BinaryOp::ColonEqual)
                    && let AstNode::Variable(name) = lhs.as_ref()
                {
                    self.node(rhs, top);
                    self.bound.push(name.clone());
                    return;
                }
                self.node(lhs, top);
                self.node(rhs, top)
            }
            AstNode::Unary { operand, .. } => self.node(operand, top),
            AstNode::Function {
                name,
                args,
                is_builtin,
            } => {
                if *is_builtin && name == "eval" {
                    self.fail(JsonataError::Unsupported(
                        "The function $eval is not supported; use $parse".into(),
                    ));
                }
                if !self.out.functions.contains(name) {
                    self.out.functions.push(name.clone());
                }
                self.nodes(args, top)
            }
            AstNode::Call { procedure, args } => {
                self.node(procedure, top);
                self.nodes(args, top)
            }
            AstNode::Lambda { params, body, .. } => {
                let before = self.bound.len();
                self.bound.extend(params.iter().cloned());
                self.node(body, false);
                self.bound.truncate(before);
            }
            AstNode::Array(items) | AstNode::ArrayGroup(items) => self.nodes(items, top),
            AstNode::Block(items) => {
                let before = self.bound.len();
                self.nodes(items, top);
                self.bound.truncate(before);
            }
            AstNode::Object(pairs) => {
                for (k, v) in pairs {
                    self.node(k, top);
                    self.node(v, top);
                }
            }
            AstNode::ObjectTransform { input, pattern } => {
                self.node(input, top);
                for (k, v) in pattern {
                    self.node(k, false);
                    self.node(v, false);
                }
            }
            AstNode::Conditional {
                condition,
                then_branch,
                else_branch,
            } => {
                self.node(condition, top);
                self.node(then_branch, top);
                if let Some(e) = else_branch.as_deref() {
                    self.node(e, top);
                }
            }
            AstNode::FunctionApplication(inner) => self.node(inner, false),
            AstNode::Sort { input, terms } => {
                self.node(input, top);
                for (t, _) in terms {
                    self.node(t, false);
                }
            }
            AstNode::Transform {
                location,
                update,
                delete,
            } => {
                self.node(location, false);
                self.node(update, false);
                if let Some(d) = delete.as_deref() {
                    self.node(d, false);
                }
            }
            _ => {}
        }
    }

    fn stages(&mut self, step: &PathStep) {
        for s in &step.stages {
            if let Stage::Filter(f) = s {
                self.node(f, false);
            }
        }
    }

    fn path(&mut self, steps: &[PathStep], top: bool) {
        let Some(first) = steps.first() else {
            return;
        };
        if let AstNode::Variable(v) = &first.node
            && v == "states"
            && !self.bound.iter().any(|b| b == "states")
        {
            self.out.states = true;
            if let Some(AstNode::Name(member)) = steps.get(1).map(|s| &s.node)
                && !self.out.states_members.contains(member)
            {
                self.out.states_members.push(member.clone());
            }
        } else {
            self.node(&first.node, top);
        }
        self.stages(first);
        for step in &steps[1..] {
            self.node(&step.node, false);
            self.stages(step);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn unsupported(e: &str) -> bool {
        matches!(analyze(e), Err(JsonataError::Unsupported(_)))
    }

    #[test]
    fn top_level_references() {
        assert!(unsupported("phone"));
        assert!(unsupported("$"));
        assert!(unsupported("$$"));
        assert!(unsupported("foo.bar + 1"));
        assert!(unsupported("$eval('1')"));
        assert!(!unsupported("$states.input.items[price > 3].name"));
        assert!(!unsupported("$states.input ~> $map(function($v){$v.a})"));
        assert!(!unsupported("$states.input.a.(b)"));
        assert!(!unsupported("{'a': $x}"));
    }

    #[test]
    fn collects_references() {
        let a = analyze("$x + $states.result.n + $sum($states.input.a) + $f($y)").expect("valid");
        assert_eq!(a.states_members, ["result", "input"]);
        assert_eq!(a.variables, ["x", "y"]);
        let a = analyze("($z := 1; $z + $w)").expect("valid");
        assert_eq!(a.variables, ["w"]);
        let a = analyze("$map($states.input, function($v) { $v + $k })").expect("valid");
        assert_eq!(a.variables, ["k"]);
        assert_eq!(a.functions, ["map"]);
        // The runtime's view: everything referred to, rules aside.
        let ast = jsonata_core::parser::parse("foo + $x + $uuid()").expect("parses");
        let r = references(&ast);
        assert!(!r.states && analyze("$states").is_ok_and(|a| a.states));
        assert_eq!(
            (r.variables, r.functions),
            (vec!["x".to_owned()], vec!["uuid".to_owned()])
        );
    }

    #[test]
    fn syntax_errors() {
        for bad in ["(", "1 +", "", "  ", "$states.input[", "'abc"] {
            assert!(
                matches!(analyze(bad), Err(JsonataError::Syntax(_))),
                "{bad}"
            );
        }
    }
}
