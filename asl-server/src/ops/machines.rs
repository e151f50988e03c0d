//! DescribeStateMachine, ListStateMachines, CreateStateMachine, UpdateStateMachine,
//! DeleteStateMachine and ValidateStateMachineDefinition.
//!
//! Machines are compiled into the program: CreateStateMachine and UpdateStateMachine accept a
//! definition that is the same JSON document as a compiled machine's (so deployment scripts
//! run unchanged) and refuse any other, saying how to compile it in.

use asl_codegen::{CheckOptions, Syntax};
use serde_json::{Value, json};

use crate::api::Api;
use crate::error::ApiError;
use crate::registry::{MachineType, Registered};
use crate::validate::{self, required, string};
use crate::wire;

fn describe_json(r: &Registered) -> Value {
    let mut answer = json!({
        "stateMachineArn": r.arn,
        "name": r.name,
        "status": "ACTIVE",
        "definition": r.definition,
        "roleArn": r.role_arn,
        "type": r.kind.as_str(),
        "creationDate": wire::epoch(r.creation_date),
        "loggingConfiguration": {"level": "OFF", "includeExecutionData": false},
        "tracingConfiguration": {"enabled": false},
    });
    if let (Some(revision), Value::Object(m)) = (&r.revision_id, &mut answer) {
        m.insert("revisionId".into(), json!(revision));
    }
    answer
}

/// DescribeStateMachine.
pub(crate) fn describe(api: &Api, body: &Value) -> Result<Value, ApiError> {
    let machine = api.machine(required(body, "stateMachineArn")?)?;
    Ok(describe_json(&machine))
}

/// ListStateMachines, by name, by pages.
pub(crate) fn list(api: &Api, body: &Value) -> Result<Value, ApiError> {
    let max = validate::max_results(body)?;
    let token = string(body, "nextToken")?;
    if let Some(t) = token {
        validate::length(t, "nextToken", 1, 1024)?;
    }
    let all: Vec<Value> = api
        .read()
        .machines
        .values()
        .filter(|r| !r.deleted)
        .map(|r| {
            json!({
                "stateMachineArn": r.arn,
                "name": r.name,
                "type": r.kind.as_str(),
                "creationDate": wire::epoch(r.creation_date),
            })
        })
        .collect();
    let (page, next) = super::executions::page(&all, "stateMachines", token, max)?;
    let mut answer = json!({ "stateMachines": page });
    if let (Some(next), Value::Object(m)) = (next, &mut answer) {
        m.insert("nextToken".into(), json!(next));
    }
    Ok(answer)
}

/// The machine type a request names (`STANDARD` when absent).
fn machine_type(body: &Value) -> Result<MachineType, ApiError> {
    match string(body, "type")? {
        None => Ok(MachineType::Standard),
        Some(t) => MachineType::from_name(t).ok_or_else(|| {
            ApiError::validation(
                t,
                "type",
                "Member must satisfy enum value set: [STANDARD, EXPRESS]",
            )
        }),
    }
}

/// An IAM role's ARN, as CreateStateMachine takes it.
fn role_arn(arn: &str) -> Result<(), ApiError> {
    validate::length(arn, "roleArn", 1, 256)?;
    let Some(rest) = arn.strip_prefix("arn:") else {
        return Err(ApiError::invalid_arn(format_args!(
            "Invalid ARN prefix: {arn}"
        )));
    };
    match rest.split(':').collect::<Vec<_>>().as_slice() {
        [_, "iam", "", _, resource] if resource.starts_with("role/") => Ok(()),
        _ => Err(ApiError::invalid_arn(format_args!(
            "Invalid ARN format: {arn}"
        ))),
    }
}

/// `definition` checked as AWS checks it for a machine of `kind`, and parsed.
fn checked_definition(definition: &str, kind: MachineType) -> Result<Value, ApiError> {
    validate::length(definition, "definition", 1, 1_048_576)?;
    let options = CheckOptions {
        machine_type: match kind {
            MachineType::Standard => asl_codegen::MachineType::Standard,
            MachineType::Express => asl_codegen::MachineType::Express,
        },
    };
    let checked = asl_codegen::check_source(definition, Syntax::Json, &options);
    // AWS checks the schema first and reports only its failures when there are any.
    let schema = |d: &asl_codegen::Diagnostic| {
        d.code.as_str() == asl_codegen::Code::SchemaValidationFailed.as_str()
    };
    let errors: Vec<&asl_codegen::Diagnostic> = checked.errors().collect();
    let reported: Vec<String> = if errors.iter().any(|d| schema(d)) {
        errors
            .iter()
            .filter(|d| schema(d))
            .map(ToString::to_string)
            .collect()
    } else {
        errors.iter().map(ToString::to_string).collect()
    };
    if !reported.is_empty() || checked.machine.is_none() {
        let errors = reported;
        return Err(ApiError::new(
            "InvalidDefinition",
            format!("Invalid State Machine Definition: '{}'", errors.join(", ")),
        ));
    }
    serde_json::from_str(definition).map_err(|e| {
        ApiError::new(
            "InvalidDefinition",
            format!("Invalid State Machine Definition: 'INVALID_JSON_DESCRIPTION: {e}'"),
        )
    })
}

/// The refusal of a definition no compiled machine has.
fn not_compiled_in() -> ApiError {
    ApiError::new(
        "InvalidDefinition",
        "Invalid State Machine Definition: 'This server runs state machines compiled into it, and none has this definition. Compile it in (asl_runtime::asl!(\"file.asl.json\") or asl_codegen::Builder in build.rs), serve it with asl_server::Server::builder().machine(...), and create it with the same definition.'",
    )
}

/// CreateStateMachine: a compiled machine served under a new name (the same request again
/// returns the machine created before).
pub(crate) fn create(api: &Api, body: &Value) -> Result<Value, ApiError> {
    let name = required(body, "name")?;
    validate::name(name)?;
    let definition = required(body, "definition")?;
    let role = required(body, "roleArn")?;
    role_arn(role)?;
    let kind = machine_type(body)?;
    let parsed = checked_definition(definition, kind)?;
    let arn = api.machine_arn(name);
    let mut registry = api.write();
    if let Some(existing) = registry.active(name) {
        // As AWS: the same request again (the definition's very text, the role, the type).
        let same =
            existing.definition == definition && existing.role_arn == role && existing.kind == kind;
        return if same {
            Ok(
                json!({"stateMachineArn": existing.arn, "creationDate": wire::epoch(existing.creation_date)}),
            )
        } else {
            Err(ApiError::new(
                "StateMachineAlreadyExists",
                format!("State Machine Already Exists: '{arn}'"),
            ))
        };
    }
    let compiled = registry.compiled_for(&parsed).ok_or_else(not_compiled_in)?;
    let machine = match kind {
        MachineType::Standard => compiled.machine.clone(),
        MachineType::Express => compiled.in_memory.clone(),
    };
    let now = jiff::Timestamp::now();
    let mut tags = std::collections::BTreeMap::new();
    super::tags::read_tags(body, &mut tags)?;
    let registered = Registered {
        name: name.to_owned(),
        arn: arn.clone(),
        machine,
        kind,
        role_arn: role.to_owned(),
        definition: definition.to_owned(),
        creation_date: now,
        update_date: now,
        tags,
        deleted: false,
        revision_id: None,
        service: match kind {
            MachineType::Standard => compiled.service.clone(),
            MachineType::Express => None,
        },
    };
    registry.machines.insert(name.to_owned(), registered);
    drop(registry);
    api.persist(name)?;
    tracing::info!(state_machine = %arn, "CreateStateMachine");
    Ok(json!({"stateMachineArn": arn, "creationDate": wire::epoch(now)}))
}

/// UpdateStateMachine: another compiled machine's definition, or another role.
pub(crate) fn update(api: &Api, body: &Value) -> Result<Value, ApiError> {
    let arn = required(body, "stateMachineArn")?;
    let definition = string(body, "definition")?;
    let role = string(body, "roleArn")?;
    let other = body
        .get("loggingConfiguration")
        .is_some_and(|v| !v.is_null())
        || body
            .get("tracingConfiguration")
            .is_some_and(|v| !v.is_null());
    if definition.is_none() && role.is_none() && !other {
        return Err(ApiError::new(
            "MissingRequiredParameter",
            "Either the definition, the role ARN, the LoggingConfiguration, or the TracingConfiguration must be specified",
        ));
    }
    if let Some(role) = role {
        role_arn(role)?;
    }
    let current = api.machine(arn)?;
    let compiled = match definition {
        Some(d) => {
            let parsed = checked_definition(d, current.kind)?;
            let registry = api.read();
            let compiled = registry.compiled_for(&parsed).ok_or_else(not_compiled_in)?;
            Some(match current.kind {
                MachineType::Standard => compiled.machine.clone(),
                MachineType::Express => compiled.in_memory.clone(),
            })
        }
        None => None,
    };
    let now = jiff::Timestamp::now();
    let mut registry = api.write();
    let r = registry
        .machines
        .get_mut(&current.name)
        .filter(|r| !r.deleted)
        .ok_or_else(|| ApiError::no_state_machine(arn))?;
    if let (Some(machine), Some(d)) = (compiled, definition) {
        r.machine = machine;
        r.definition = d.to_owned();
    }
    if let Some(role) = role {
        r.role_arn = role.to_owned();
    }
    r.update_date = now;
    let revision = uuid::Uuid::new_v4().to_string();
    r.revision_id = Some(revision.clone());
    drop(registry);
    api.persist(&current.name)?;
    Ok(json!({"updateDate": wire::epoch(now), "revisionId": revision}))
}

/// DeleteStateMachine: from now on the machine answers as one that does not exist (its
/// executions stay readable, running ones go on), until it is created again.
pub(crate) fn delete(api: &Api, body: &Value) -> Result<Value, ApiError> {
    let arn = required(body, "stateMachineArn")?;
    let name = validate::state_machine_arn(arn)?;
    let deleted = match api.write().machines.get_mut(name) {
        Some(r) => {
            r.deleted = true;
            true
        }
        None => false,
    };
    if deleted {
        api.persist(name)?;
        tracing::info!(state_machine = %arn, "DeleteStateMachine");
    }
    Ok(json!({}))
}

/// ValidateStateMachineDefinition: the project's checks, in AWS's response shape.
pub(crate) fn validate_definition(body: &Value) -> Result<Value, ApiError> {
    let definition = required(body, "definition")?;
    validate::length(definition, "definition", 1, 1_048_576)?;
    let kind = machine_type(body)?;
    let max = match body.get("maxResults").and_then(Value::as_u64) {
        None | Some(0) => 100,
        Some(n) => n.min(100) as usize,
    };
    let options = CheckOptions {
        machine_type: match kind {
            MachineType::Standard => asl_codegen::MachineType::Standard,
            MachineType::Express => asl_codegen::MachineType::Express,
        },
    };
    let checked = asl_codegen::check_source(definition, Syntax::Json, &options);
    let diagnostics: Vec<Value> = checked
        .diagnostics
        .iter()
        .map(|d| {
            json!({
                "severity": if d.is_error() { "ERROR" } else { "WARNING" },
                "code": d.code.as_str(),
                "message": d.message,
                "location": d.pointer.to_string(),
            })
        })
        .collect();
    let truncated = diagnostics.len() > max;
    Ok(json!({
        "result": if checked.is_ok() { "OK" } else { "FAIL" },
        "diagnostics": diagnostics.into_iter().take(max).collect::<Vec<_>>(),
        "truncated": truncated,
    }))
}
