//! Value rules the schema alone does not catch: Wait timestamps, heartbeat shorter than the
//! timeout, and Map labels.

use std::collections::HashSet;

use crate::diag::{Code, Diagnostic};
use crate::lang::timestamp;
use crate::model::lower::jsonata_text;
use crate::model::{NumberOrExpr, Spanned, StateKind, StateMachine};

/// Longest Map `Label`.
pub const MAX_LABEL: usize = 40;

pub(super) fn check(machine: &StateMachine, diags: &mut Vec<Diagnostic>) {
    let mut labels = HashSet::new();
    for state in super::all_states(machine) {
        match &state.kind {
            StateKind::Wait(w) => {
                if let Some(t) = &w.timestamp {
                    match jsonata_text(&t.value) {
                        None => {
                            if let Err(e) = timestamp::parse(&t.value) {
                                diags.push(Diagnostic::new(Code::SchemaValidationFailed, e, t.pointer.clone(), Some(t.span)));
                            }
                        }
                        // AWS refuses a constant expression here (measured: `{% '2016-03-14T01:59:00Z' %}`
                        // is "not RFC3339"); only expressions computed at run time pass.
                        Some(expr) if crate::lang::jsonata::constant_string(expr).is_some() => diags.push(
                            Diagnostic::new(Code::SchemaValidationFailed, "String does not match RFC3339 timestamp", t.pointer.clone(), Some(t.span))
                                .with_help("write a constant timestamp without {% %}: \"Timestamp\": \"2016-03-14T01:59:00Z\""),
                        ),
                        Some(_) => {}
                    }
                }
            }
            StateKind::Task(t) => {
                if let (
                    Some(Spanned {
                        value: NumberOrExpr::Literal(h),
                        span,
                        pointer,
                    }),
                    Some(Spanned {
                        value: NumberOrExpr::Literal(to),
                        ..
                    }),
                ) = (&t.heartbeat_seconds, &t.timeout_seconds)
                    && h >= to
                {
                    diags.push(Diagnostic::new(
                        Code::SchemaValidationFailed,
                        format!(
                            "HeartbeatSeconds ({h}) must be smaller than TimeoutSeconds ({to})"
                        ),
                        pointer.clone(),
                        Some(*span),
                    ));
                }
            }
            StateKind::Map(m) => {
                if let Some(l) = &m.label {
                    let bad = l.value.chars().find(|c| {
                        c.is_whitespace()
                            || c.is_control()
                            || "<>{}[]?*\"#%\\^|~`$&,;:/".contains(*c)
                    });
                    if l.value.chars().count() > MAX_LABEL || l.value.is_empty() || bad.is_some() {
                        let why = bad.map_or(format!("1 to {MAX_LABEL} characters"), |c| {
                            format!("no '{c}'")
                        });
                        diags.push(Diagnostic::new(
                            Code::InvalidLabelName,
                            format!("Invalid Label '{}': a Map Label has {why}", l.value),
                            l.pointer.clone(),
                            Some(l.span),
                        ));
                    } else if !labels.insert(l.value.as_str()) {
                        diags.push(Diagnostic::new(
                            Code::DuplicateLabelName,
                            format!("Duplicate Label: {}", l.value),
                            l.pointer.clone(),
                            Some(l.span),
                        ));
                    }
                }
            }
            _ => {}
        }
    }
}
