//! The static description of a compiled definition.

/// A state machine definition as the generator checked it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Definition {
    /// The file it was read from, as written in the macro call or build script.
    pub file: &'static str,
    /// The top-level `Comment`, if any.
    pub comment: Option<&'static str>,
    /// The name of the first state.
    pub start_at: &'static str,
    /// The machine's query language.
    pub query_language: QueryLanguage,
    /// The machine's `TimeoutSeconds`, if set.
    pub timeout_seconds: Option<u64>,
    /// Every state, nested ones included, in source order.
    pub states: &'static [StateInfo],
    /// The definition as JSON text, as AWS's DescribeStateMachine returns it: the file's own
    /// text when it is JSON, else (YAML) the same document written as JSON.
    pub source: &'static str,
}

impl Definition {
    /// The state named `name`.
    pub fn state(&self, name: &str) -> Option<&'static StateInfo> {
        self.states.iter().find(|s| s.name == name)
    }
}

/// One state of a definition.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct StateInfo {
    /// The state's name.
    pub name: &'static str,
    /// Its type.
    pub state_type: StateType,
    /// Its JSON pointer, e.g. `/States/Fan out/Branches/0/States/Work`.
    pub pointer: &'static str,
    /// The line of its name in the definition file (from 1).
    pub line: u32,
    /// The column of its name (from 1).
    pub column: u32,
    /// `Resource` of a Task state.
    pub resource: Option<&'static str>,
    /// Whether the state ends its container (`End: true`, Succeed, Fail).
    pub terminal: bool,
}

/// The eight state types.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[allow(missing_docs)]
pub enum StateType {
    Task,
    Pass,
    Choice,
    Wait,
    Succeed,
    Fail,
    Parallel,
    Map,
}

/// The query language of a machine or state.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Default)]
pub enum QueryLanguage {
    /// JSONPath (the default).
    #[default]
    JsonPath,
    /// JSONata.
    Jsonata,
}
