//! What AWS checks in a request before it looks anything up: ARNs, names, execution input,
//! page sizes and tokens, with AWS's error codes and texts.

use serde_json::Value;

use crate::error::ApiError;

/// The most bytes of an execution's input (and a task's output): 256 KiB.
pub const MAX_PAYLOAD: usize = 262_144;

/// A parsed Step Functions ARN: `arn:<partition>:states:<region>:<account>:<type>:<rest>`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Arn<'a> {
    /// `us-east-1`.
    pub region: &'a str,
    /// `111111111111`.
    pub account: &'a str,
    /// `stateMachine`, `execution`, `express`, `activity`, `mapRun`.
    pub kind: &'a str,
    /// What follows the type, split at `:`.
    pub parts: Vec<&'a str>,
}

/// Parses `arn` as a Step Functions ARN, with AWS's `InvalidArn` when it is not one.
pub fn arn(arn: &str) -> Result<Arn<'_>, ApiError> {
    let Some(rest) = arn.strip_prefix("arn:") else {
        return Err(ApiError::invalid_arn(format_args!(
            "Invalid ARN prefix: {arn}"
        )));
    };
    let fields: Vec<&str> = rest.splitn(6, ':').collect();
    match fields.as_slice() {
        [partition, "states", region, account, kind, tail]
            if !partition.is_empty() && !region.is_empty() && !account.is_empty() =>
        {
            Ok(Arn {
                region,
                account,
                kind,
                parts: tail.split(':').collect(),
            })
        }
        [_, service, ..] if *service != "states" => Err(ApiError::invalid_arn(format_args!(
            "Invalid ARN service: {arn}"
        ))),
        _ => Err(ApiError::invalid_arn(format_args!(
            "Invalid ARN format: {arn}"
        ))),
    }
}

/// The state machine an ARN names (its name), refusing versions and aliases this server does
/// not have, and ARNs of other resource types.
pub fn state_machine_arn(text: &str) -> Result<&str, ApiError> {
    let a = arn(text)?;
    if a.kind != "stateMachine" {
        return Err(ApiError::invalid_arn(format_args!(
            "Resource type not valid in this context: {}",
            a.kind
        )));
    }
    match a.parts.as_slice() {
        [name] if !name.is_empty() => Ok(name),
        _ => Err(ApiError::invalid_arn(format_args!(
            "Invalid ARN format: {text}"
        ))),
    }
}

/// `(state machine name, execution name)` of an execution's ARN.
pub fn execution_arn(text: &str) -> Result<(&str, &str), ApiError> {
    let a = arn(text)?;
    if a.kind != "execution" {
        return Err(ApiError::invalid_arn(format_args!(
            "Resource type not valid in this context: {}",
            a.kind
        )));
    }
    match a.parts.as_slice() {
        [machine, name] if !machine.is_empty() && !name.is_empty() => Ok((machine, name)),
        _ => Err(ApiError::invalid_arn(format_args!(
            "Invalid ARN format: {text}"
        ))),
    }
}

/// A state machine's or an execution's name, by AWS's rules: 1 to 80 characters, none of them
/// white space, brackets, wildcards, the characters `" # % \ ^ | ~ ` $ & , ; : /`, or control
/// characters (`InvalidName` otherwise).
pub fn name(name: &str) -> Result<(), ApiError> {
    let count = name.chars().count();
    let bad = |c: char| {
        c.is_whitespace()
            || "<>{}[]?*\"#%\\^|~`$&,;:/".contains(c)
            || ('\u{0}'..='\u{1f}').contains(&c)
            || ('\u{7f}'..='\u{9f}').contains(&c)
    };
    if count == 0 || count > 80 || name.chars().any(bad) {
        return Err(ApiError::new(
            "InvalidName",
            format!("Invalid Name: '{name}'"),
        ));
    }
    Ok(())
}

/// An execution's input: JSON text of at most 256 KiB (`InvalidExecutionInput` with AWS's
/// wording otherwise); absent is `{}`.
pub fn execution_input(input: Option<&str>) -> Result<Value, ApiError> {
    let Some(text) = input else {
        return Ok(Value::Object(Default::default()));
    };
    if text.len() > MAX_PAYLOAD {
        return Err(ApiError::validation(
            "<input>",
            "input",
            &format!("Member must have length less than or equal to {MAX_PAYLOAD}"),
        ));
    }
    json_text(text).map_err(|why| {
        ApiError::new(
            "InvalidExecutionInput",
            format!("Invalid State Machine Execution Input: '{why}'"),
        )
    })
}

/// A task's output (SendTaskSuccess): JSON text of at most 256 KiB (`InvalidOutput`).
pub fn task_output(output: &str) -> Result<Value, ApiError> {
    if output.len() > MAX_PAYLOAD {
        return Err(ApiError::validation(
            "<output>",
            "output",
            &format!("Member must have length less than or equal to {MAX_PAYLOAD}"),
        ));
    }
    json_text(output).map_err(|why| {
        ApiError::new(
            "InvalidOutput",
            format!("Invalid State Machine Output: '{why}'"),
        )
    })
}

/// `text` as JSON, or why not in the words of the JSON parser AWS runs (Jackson) for the
/// mistakes people make: a bare word, single quotes, nothing at all.
fn json_text(text: &str) -> Result<Value, String> {
    if text.trim().is_empty() {
        return Err("Invalid execution input.".to_owned());
    }
    serde_json::from_str(text).map_err(|e| json_error(text, &e))
}

/// Why `text` is not JSON, in the words of the JSON parser AWS runs (Jackson).
pub(crate) fn json_error(text: &str, e: &serde_json::Error) -> String {
    const VALUES: &str = "(JSON String, Number, Array, Object or token 'null', 'true' or 'false')";
    // serde_json counts lines and columns from 1; find the byte it stopped at.
    let offset = text
        .split_inclusive('\n')
        .take(e.line().saturating_sub(1))
        .map(str::len)
        .sum::<usize>()
        + e.column().saturating_sub(1);
    // A bare word is reported from its start (serde_json stops inside it).
    let before = text.get(..offset).unwrap_or_default();
    let word_start = before
        .char_indices()
        .rev()
        .take_while(|(_, c)| c.is_alphanumeric() || *c == '_')
        .last()
        .map_or(offset, |(i, _)| i);
    let at = text.get(word_start..).unwrap_or_default();
    let word: String = at
        .chars()
        .take_while(|c| c.is_alphanumeric() || *c == '_')
        .collect();
    let message = e.to_string();
    let ch = at.chars().next();
    if e.is_eof() {
        "Unexpected end-of-input".to_owned()
    } else if message.starts_with("key must be a string") {
        let c = ch.unwrap_or(' ');
        format!(
            "Unexpected character ('{c}' (code {})): was expecting double-quote to start field name",
            c as u32
        )
    } else if !word.is_empty() && word.chars().next().is_some_and(char::is_alphabetic) {
        format!("Unrecognized token '{word}': was expecting {VALUES}")
    } else if let Some(c) = ch {
        format!(
            "Unexpected character ('{c}' (code {})): expected a valid value {VALUES}",
            c as u32
        )
    } else {
        message
    }
}

/// `maxResults` of a list: 0 to 1000, 0 (or absent) meaning 100.
pub fn max_results(body: &Value) -> Result<usize, ApiError> {
    match body.get("maxResults") {
        None | Some(Value::Null) => Ok(100),
        Some(v) => match v.as_i64() {
            Some(n) if n > 1000 => Err(ApiError::validation(
                n,
                "maxResults",
                "Member must have value less than or equal to 1000",
            )),
            Some(n) if n < 0 => Err(ApiError::validation(
                n,
                "maxResults",
                "Member must have value greater than or equal to 0",
            )),
            Some(0) => Ok(100),
            Some(n) => Ok(n as usize),
            None => Err(ApiError::serialization(format!(
                "maxResults must be an integer, not {v}"
            ))),
        },
    }
}

/// A string member, if present (`SerializationException` when it is not a string).
pub fn string<'a>(body: &'a Value, member: &str) -> Result<Option<&'a str>, ApiError> {
    match body.get(member) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(s)) => Ok(Some(s)),
        Some(other) => Err(ApiError::serialization(format!(
            "{member} must be a string, not {other}"
        ))),
    }
}

/// A required string member (`ValidationException` with AWS's wording when absent).
pub fn required<'a>(body: &'a Value, member: &str) -> Result<&'a str, ApiError> {
    string(body, member)?
        .ok_or_else(|| ApiError::validation("null", member, "Member must not be null"))
}

/// A string member's length, by AWS's limits.
pub fn length(value: &str, member: &str, min: usize, max: usize) -> Result<(), ApiError> {
    let n = value.chars().count();
    if n < min {
        return Err(ApiError::validation(
            value,
            member,
            &format!("Member must have length greater than or equal to {min}"),
        ));
    }
    if n > max {
        return Err(ApiError::validation(
            value,
            member,
            &format!("Member must have length less than or equal to {max}"),
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn arns_as_aws_refuses_them() {
        assert_eq!(
            arn("not_an_arn").err().map(|e| e.message),
            Some("Invalid Arn: 'Invalid ARN prefix: not_an_arn'".to_owned())
        );
        let express = "arn:aws:states:us-east-1:111111111111:express:m:eb10bb2f-5e12-7571:f14b5578";
        assert_eq!(
            execution_arn(express).err().map(|e| e.message),
            Some("Invalid Arn: 'Resource type not valid in this context: express'".to_owned())
        );
        assert_eq!(
            execution_arn("arn:aws:states:us-east-1:111111111111:execution:m:run-1").ok(),
            Some(("m", "run-1"))
        );
        assert_eq!(
            state_machine_arn("arn:aws:states:us-east-1:111111111111:stateMachine:m").ok(),
            Some("m")
        );
        assert!(state_machine_arn("arn:aws:states:us-east-1:111111111111:stateMachine:").is_err());
    }

    #[test]
    fn names_by_awss_rules() {
        assert!(name("order-1_A.b").is_ok());
        assert!(name(&"x".repeat(80)).is_ok());
        for bad in ["", "a b", "a/b", "a:b", "a*", "a\u{1}", &"x".repeat(81)] {
            let e = name(bad).expect_err(bad);
            assert_eq!(e.code, "InvalidName");
        }
    }

    #[test]
    fn input_errors_in_jacksons_words() {
        let message = |s: &str| execution_input(Some(s)).err().map(|e| e.message);
        assert_eq!(
            message("not some json"),
            Some("Invalid State Machine Execution Input: 'Unrecognized token 'not': was expecting (JSON String, Number, Array, Object or token 'null', 'true' or 'false')'".to_owned())
        );
        assert_eq!(
            message("{'not': 'json'"),
            Some("Invalid State Machine Execution Input: 'Unexpected character (''' (code 39)): was expecting double-quote to start field name'".to_owned())
        );
        assert_eq!(
            message(""),
            Some("Invalid State Machine Execution Input: 'Invalid execution input.'".to_owned())
        );
        assert_eq!(execution_input(None).ok(), Some(serde_json::json!({})));
        let big = format!("\"{}\"", "x".repeat(MAX_PAYLOAD));
        assert_eq!(
            execution_input(Some(&big)).err().map(|e| e.code),
            Some("ValidationException")
        );
    }

    #[test]
    fn page_sizes() {
        use serde_json::json;
        assert_eq!(max_results(&json!({})).ok(), Some(100));
        assert_eq!(max_results(&json!({"maxResults": 0})).ok(), Some(100));
        assert_eq!(max_results(&json!({"maxResults": 7})).ok(), Some(7));
        assert_eq!(
            max_results(&json!({"maxResults": 1001})).err().map(|e| e.message),
            Some("1 validation error detected: Value '1001' at 'maxResults' failed to satisfy constraint: Member must have value less than or equal to 1000".to_owned())
        );
    }
}
