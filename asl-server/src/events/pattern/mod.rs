//! EventBridge's event patterns, as AWS evaluates them: exact values, `prefix`, `suffix`,
//! `anything-but` (values, `prefix`, `suffix`, `equals-ignore-case`, `wildcard`), `numeric`
//! ranges, `exists`, `equals-ignore-case`, `wildcard`, `cidr` and `$or`, over nested fields
//! and arrays. A pattern is checked and compiled once ([`Pattern::parse`]); matching an event
//! ([`Pattern::matches`]) flattens the event once and tests each field's matchers, with no
//! parsing.
//!
//! Field names are joined with `.` on both sides, as AWS does: a pattern
//! `{"detail": {"state": {"status": [...]}}}` and an event `{"detail": {"state.status": ...}}`
//! meet at `detail.state.status`. An event array is a set of values: a field matches when any
//! of its values matches any of the field's matchers.

mod compile;
mod matcher;
mod text;

use serde_json::Value;

pub use matcher::Event;

/// Why a pattern or an event is refused, with AWS's error code and text.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PatternError {
    /// `InvalidEventPatternException` (the pattern) or `ValidationException` (the event).
    pub code: &'static str,
    /// AWS's message.
    pub message: String,
}

impl PatternError {
    fn pattern(reason: impl std::fmt::Display) -> Self {
        PatternError {
            code: "InvalidEventPatternException",
            message: format!("Event pattern is not valid. Reason: {reason}"),
        }
    }
}

impl std::fmt::Display for PatternError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: {}", self.code, self.message)
    }
}

impl std::error::Error for PatternError {}

/// A checked, compiled event pattern.
#[derive(Clone, Debug, PartialEq)]
pub struct Pattern {
    root: compile::Conjunction,
}

impl Pattern {
    /// Checks the pattern text as AWS does and compiles it.
    pub fn parse(text: &str) -> Result<Pattern, PatternError> {
        let value: Value = serde_json::from_str(text)
            .map_err(|e| PatternError::pattern(crate::validate::json_error(text, &e)))?;
        Self::from_value(&value)
    }

    /// [`parse`](Self::parse) for a pattern already read as JSON.
    pub fn from_value(value: &Value) -> Result<Pattern, PatternError> {
        let Value::Object(fields) = value else {
            return Err(PatternError::pattern("Filter is not an object"));
        };
        Ok(Pattern {
            root: compile::conjunction(fields, "")?,
        })
    }

    /// The strings a top-level field must equal for the pattern to match, when its matchers
    /// are all exact strings (`None` otherwise): what an index of rules by that field needs.
    pub fn required_strings(&self, field: &str) -> Option<Vec<&str>> {
        self.root.required_strings(field)
    }

    /// Whether `event` matches.
    pub fn matches(&self, event: &Event<'_>) -> bool {
        self.root.matches(event)
    }

    /// Whether the JSON `event` matches (flattening it first; to match one event against many
    /// patterns, flatten it once with [`Event::new`]).
    pub fn matches_value(&self, event: &Value) -> bool {
        self.matches(&Event::new(event))
    }
}

/// TestEventPattern: whether the event `event` (JSON text) matches the pattern `pattern`
/// (JSON text), or why either is refused.
pub fn test_event_pattern(pattern: &str, event: &str) -> Result<bool, PatternError> {
    let pattern = Pattern::parse(pattern)?;
    let event = self::event(event)?;
    Ok(pattern.matches_value(&event))
}

/// The fields TestEventPattern requires of an event.
const REQUIRED: [&str; 6] = ["id", "account", "source", "time", "region", "detail-type"];

/// An event as TestEventPattern takes it: a JSON object with AWS's required fields
/// (`ValidationException` otherwise).
pub fn event(text: &str) -> Result<Value, PatternError> {
    let invalid = || PatternError {
        code: "ValidationException",
        message: "Parameter Event is not valid.".to_owned(),
    };
    let value: Value = serde_json::from_str(text).map_err(|_| invalid())?;
    match &value {
        Value::Object(m) if REQUIRED.iter().all(|k| m.contains_key(*k)) => Ok(value),
        _ => Err(invalid()),
    }
}

#[cfg(test)]
mod tests;
