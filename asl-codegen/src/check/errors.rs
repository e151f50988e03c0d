//! Retry and Catch: `States.ALL` alone and last, only predefined `States.*` names (or ones a
//! Fail state of the machine raises).

use crate::diag::{Code, Diagnostic, did_you_mean};
use crate::model::{Spanned, StateKind, StateMachine};

/// The error names Step Functions defines.
pub const PREDEFINED_ERRORS: &[&str] = &[
    "States.ALL",
    "States.HeartbeatTimeout",
    "States.Timeout",
    "States.TaskFailed",
    "States.Permissions",
    "States.ResultPathMatchFailure",
    "States.ParameterPathFailure",
    "States.QueryEvaluationError",
    "States.BranchFailed",
    "States.NoChoiceMatched",
    "States.IntrinsicFailure",
    "States.ExceedToleratedFailureThreshold",
    "States.ItemReaderFailed",
    "States.ResultWriterFailed",
    "States.DataLimitExceeded",
    "States.Runtime",
    "States.Http.Socket",
];

pub(super) fn check(machine: &StateMachine, diags: &mut Vec<Diagnostic>) {
    // AWS lets a Fail state raise a `States.` name of its own; catching that name is fine.
    let raised: Vec<&str> = super::all_states(machine)
        .into_iter()
        .filter_map(|s| match &s.kind {
            StateKind::Fail(f) => f.error.as_ref().map(|e| e.value.as_str()),
            _ => None,
        })
        .collect();
    for state in super::all_states(machine) {
        let Some(rh) = state.kind.result_handling() else {
            continue;
        };
        let retry: Vec<&[Spanned<String>]> =
            rh.retry.iter().map(|r| r.error_equals.as_slice()).collect();
        let catch: Vec<&[Spanned<String>]> =
            rh.catch.iter().map(|c| c.error_equals.as_slice()).collect();
        for (what, lists) in [("Retrier", retry), ("Catcher", catch)] {
            let last = lists.len().saturating_sub(1);
            for (i, names) in lists.iter().enumerate() {
                for name in names.iter() {
                    if name.value == "States.ALL" {
                        if names.len() > 1 {
                            diags.push(Diagnostic::new(
                                Code::SchemaValidationFailed,
                                "'States.ALL' must appear alone in 'ErrorEquals'",
                                name.pointer.clone(),
                                Some(name.span),
                            ));
                        }
                        if i != last {
                            diags.push(Diagnostic::new(
                                Code::SchemaValidationFailed,
                                format!("A {what} with 'States.ALL' must be the last one"),
                                name.pointer.clone(),
                                Some(name.span),
                            ));
                        }
                    } else if name.value.starts_with("States.")
                        && !PREDEFINED_ERRORS.contains(&name.value.as_str())
                        && !raised.contains(&name.value.as_str())
                    {
                        let mut d = Diagnostic::new(
                            Code::SchemaValidationFailed,
                            format!(
                                "'{}' is not a predefined error name; names starting with 'States.' are reserved",
                                name.value
                            ),
                            name.pointer.clone(),
                            Some(name.span),
                        );
                        if let Some(s) =
                            did_you_mean(&name.value, PREDEFINED_ERRORS.iter().copied())
                        {
                            d = d.with_help(format!("did you mean '{s}'?"));
                        }
                        diags.push(d);
                    }
                }
            }
        }
    }
}
