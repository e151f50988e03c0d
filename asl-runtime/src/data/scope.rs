//! What paths, payload templates and expressions read: `$` (the input), `$$` (the context
//! object), the workflow variables, JSONata's `$states` extras, and the execution's seam.

use serde_json::Value;

use asl_lang::jsonpath::{Path, Root};

use super::vars::Vars;
use crate::effects::Seam;

/// What paths and expressions in a template read.
#[derive(Clone, Copy, Debug)]
pub struct Scope<'a> {
    /// The value `$` names.
    pub input: &'a Value,
    /// The context object `$$` names.
    pub context: &'a Value,
    /// Workflow variables, by name.
    pub variables: Option<&'a Vars<'a>>,
    /// `$states.input` in JSONata, when it is not `input`.
    pub state_input: Option<&'a Value>,
    /// `$states.result` in JSONata.
    pub result: Option<&'a Value>,
    /// `$states.errorOutput` in JSONata.
    pub error_output: Option<&'a Value>,
    /// The execution's seam, which `States.UUID`, `States.MathRandom`, `$uuid`, `$random`,
    /// `$now` and `$millis` draw from (`None`: the system's time and randomness).
    pub seam: Option<&'a Seam>,
}

impl<'a> Scope<'a> {
    /// Nothing in scope (every value `null`): the base for `..Scope::PLAIN`.
    pub const PLAIN: Scope<'static> = Scope {
        input: &Value::Null,
        context: &Value::Null,
        variables: None,
        state_input: None,
        result: None,
        error_output: None,
        seam: None,
    };

    /// A state's scope: `$` is `input`, `$$` is `context`, the variables are `variables`,
    /// effects go through `seam` (the `$states` extras of JSONata are added with `..` where a
    /// state has them).
    pub fn new(
        seam: &'a Seam,
        input: &'a Value,
        context: &'a Value,
        variables: &'a Vars<'a>,
    ) -> Self {
        Scope {
            input,
            context,
            variables: Some(variables),
            seam: Some(seam),
            ..Scope::PLAIN
        }
    }

    /// Resolves a path against this scope, borrowing what a definite path names.
    #[inline]
    pub fn select_ref(&self, path: &Path) -> Option<std::borrow::Cow<'a, Value>> {
        match path.root() {
            Root::Input => path.select_ref(self.input),
            Root::Context => path.select_ref(self.context),
            Root::Variable(name) => path.select_ref(self.variables?.get(name)?),
        }
    }

    /// Resolves a path against this scope.
    pub fn select(&self, path: &Path) -> Option<Value> {
        match path.root() {
            Root::Input => path.select(self.input),
            Root::Context => path.select(self.context),
            Root::Variable(name) => path.select(self.variables?.get(name)?),
        }
    }
}
