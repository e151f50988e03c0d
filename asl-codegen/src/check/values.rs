//! Value rules the schema alone does not catch: Wait timestamps, heartbeat shorter than the
//! timeout, Map labels, and what express workflows can not do.

use std::collections::HashSet;

use super::{CheckOptions, MachineType};
use crate::diag::{Code, Diagnostic};
use crate::lang::timestamp;
use crate::model::lower::jsonata_text;
use crate::model::{NumberOrExpr, Spanned, StateKind, StateMachine};

/// Longest Map `Label`.
pub const MAX_LABEL: usize = 40;

pub(super) fn check(machine: &StateMachine, options: &CheckOptions, diags: &mut Vec<Diagnostic>) {
    let mut labels = HashSet::new();
    for state in super::all_states(machine) {
        match &state.kind {
            StateKind::Wait(w) => {
                if let Some(t) = &w.timestamp
                    && jsonata_text(&t.value).is_none()
                    && let Err(e) = timestamp::parse(&t.value)
                {
                    diags.push(Diagnostic::new(Code::SchemaValidationFailed, e, t.pointer.clone(), Some(t.span)));
                }
            }
            StateKind::Task(t) => {
                if let (Some(Spanned { value: NumberOrExpr::Literal(h), span, pointer }), Some(Spanned { value: NumberOrExpr::Literal(to), .. })) =
                    (&t.heartbeat_seconds, &t.timeout_seconds)
                    && h >= to
                {
                    diags.push(Diagnostic::new(
                        Code::SchemaValidationFailed,
                        format!("HeartbeatSeconds ({h}) must be smaller than TimeoutSeconds ({to})"),
                        pointer.clone(),
                        Some(*span),
                    ));
                }
                if options.machine_type == MachineType::Express
                    && let Some(r) = &t.resource
                {
                    let msg = if r.value.ends_with(".waitForTaskToken") {
                        Some("Express state machine does not support '.waitForTaskToken' service integration ")
                    } else if r.value.ends_with(".sync") || r.value.contains(".sync:") {
                        Some("Express state machine does not support '.sync' service integration")
                    } else if r.value.starts_with("arn:") && r.value.split(':').nth(5) == Some("activity") {
                        Some("Express state machine does not support Activity ARN")
                    } else {
                        None
                    };
                    if let Some(msg) = msg {
                        diags.push(Diagnostic::new(Code::SchemaValidationFailed, msg, r.pointer.clone(), Some(r.span)));
                    }
                }
            }
            StateKind::Map(m) => {
                if let Some(l) = &m.label {
                    let bad = l.value.chars().find(|c| c.is_whitespace() || c.is_control() || "<>{}[]?*\"#%\\^|~`$&,;:/".contains(*c));
                    if l.value.chars().count() > MAX_LABEL || l.value.is_empty() || bad.is_some() {
                        let why = bad.map_or(format!("1 to {MAX_LABEL} characters"), |c| format!("no '{c}'"));
                        diags.push(Diagnostic::new(Code::InvalidLabelName, format!("Invalid Label '{}': a Map Label has {why}", l.value), l.pointer.clone(), Some(l.span)));
                    } else if !labels.insert(l.value.as_str()) {
                        diags.push(Diagnostic::new(Code::DuplicateLabelName, format!("Duplicate Label: {}", l.value), l.pointer.clone(), Some(l.span)));
                    }
                }
            }
            _ => {}
        }
    }
}
