//! The EventBridge API (`X-Amz-Target: AWSEvents.<Operation>`): event buses, rules, targets,
//! TestEventPattern and PutEvents, whose matching rules start their state machines.

use serde_json::{Map, Value, json};

use crate::api::Api;
use crate::error::ApiError;
use crate::events::bus::{Rule, Target};
use crate::events::pattern::{self, Pattern};
use crate::events::transform::TargetInput;
use crate::validate::{required, string};

/// Every operation of the EventBridge API the server answers.
pub const OPERATIONS: &[&str] = &[
    "CreateEventBus",
    "DeleteEventBus",
    "DeleteRule",
    "DescribeEventBus",
    "DescribeRule",
    "DisableRule",
    "EnableRule",
    "ListEventBuses",
    "ListRules",
    "ListTargetsByRule",
    "PutEvents",
    "PutRule",
    "PutTargets",
    "RemoveTargets",
    "TestEventPattern",
];

/// Runs EventBridge operation `op` on `body`.
pub(crate) async fn dispatch(
    api: &std::sync::Arc<Api>,
    op: &str,
    body: &Value,
) -> Result<Value, ApiError> {
    match op {
        "PutEvents" => put_events(api, body).await,
        "PutRule" => changing(api, body, put_rule),
        "DescribeRule" => describe_rule(api, body),
        "ListRules" => list_rules(api, body),
        "DeleteRule" => changing(api, body, delete_rule),
        "EnableRule" => changing(api, body, |api, body| set_state(api, body, true)),
        "DisableRule" => changing(api, body, |api, body| set_state(api, body, false)),
        "PutTargets" => changing(api, body, put_targets),
        "RemoveTargets" => changing(api, body, remove_targets),
        "ListTargetsByRule" => list_targets(api, body),
        "TestEventPattern" => test_event_pattern(body),
        "CreateEventBus" => {
            let answer = create_bus(api, body)?;
            api.persist_bus(required(body, "Name")?)?;
            Ok(answer)
        }
        "DescribeEventBus" => describe_bus(api, body),
        "ListEventBuses" => list_buses(api),
        "DeleteEventBus" => {
            let answer = delete_bus(api, body)?;
            api.persist_bus(required(body, "Name")?)?;
            Ok(answer)
        }
        other => Err(ApiError::new(
            "UnknownOperationException",
            format!(
                "The operation {other} is not served here; this server answers {}",
                OPERATIONS.join(", ")
            ),
        )),
    }
}

/// Runs an operation that changes a bus's rules, then records the bus as it is now.
fn changing(
    api: &Api,
    body: &Value,
    op: impl FnOnce(&Api, &Value) -> Result<Value, ApiError>,
) -> Result<Value, ApiError> {
    let answer = op(api, body)?;
    api.persist_bus(&bus_name(api, body)?)?;
    api.schedules_changed.notify_one();
    Ok(answer)
}

fn not_found(message: String) -> ApiError {
    ApiError::new("ResourceNotFoundException", message)
}

/// The bus a request names (`default` when it names none), which must exist.
fn bus_name(api: &Api, body: &Value) -> Result<String, ApiError> {
    let name = string(body, "EventBusName")?.unwrap_or("default");
    // An ARN names the bus after its last `/`.
    let name = name.rsplit('/').next().unwrap_or(name).to_owned();
    if api.events().buses.contains_key(&name) {
        Ok(name)
    } else {
        Err(not_found(format!("Event bus {name} does not exist.")))
    }
}

fn no_rule(name: &str, bus: &str) -> ApiError {
    not_found(format!("Rule {name} does not exist on EventBus {bus}."))
}

/// A rule's name: 1 to 64 letters, digits, `.`, `-` and `_`.
fn rule_name(body: &Value, member: &str) -> Result<String, ApiError> {
    let name = required(body, member)?;
    let ok = !name.is_empty()
        && name.len() <= 64
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || ".-_".contains(c));
    if !ok {
        return Err(ApiError::validation(
            name,
            &member.to_lowercase(),
            "Member must satisfy regular expression pattern: [\\.\\-_A-Za-z0-9]+",
        ));
    }
    Ok(name.to_owned())
}

fn put_rule(api: &Api, body: &Value) -> Result<Value, ApiError> {
    let name = rule_name(body, "Name")?;
    let bus = bus_name(api, body)?;
    let pattern = match string(body, "EventPattern")? {
        Some(text) => Some((
            text.to_owned(),
            Pattern::parse(text)
                .map_err(|e| ApiError::new("InvalidEventPatternException", e.message))?,
        )),
        None => None,
    };
    let schedule = string(body, "ScheduleExpression")?.map(str::to_owned);
    if pattern.is_none() && schedule.is_none() {
        return Err(ApiError::new(
            "ValidationException",
            "Parameter(s) EventPattern or ScheduleExpression must be specified.",
        ));
    }
    if let Some(s) = &schedule {
        if bus != "default" {
            return Err(ApiError::new(
                "ValidationException",
                "ScheduleExpression is supported only on the default event bus.",
            ));
        }
        if let Err(why) = crate::events::schedule::Schedule::parse(s) {
            tracing::debug!(reason = %why, "a schedule expression refused");
            return Err(ApiError::new(
                "ValidationException",
                "Parameter ScheduleExpression is not valid.",
            ));
        }
    }
    let enabled = match string(body, "State")? {
        None | Some("ENABLED") => true,
        Some("DISABLED") => false,
        Some(other) => {
            return Err(ApiError::validation(
                other,
                "state",
                "Member must satisfy enum value set: [ENABLED, DISABLED]",
            ));
        }
    };
    let mut buses = api.events_mut();
    let arn = buses.rule_arn(&bus, &name);
    let rules = buses
        .buses
        .get_mut(&bus)
        .ok_or_else(|| not_found(format!("Event bus {bus} does not exist.")))?
        .rules_mut();
    let targets = rules.remove(&name).map(|r| r.targets).unwrap_or_default();
    rules.insert(
        name.clone(),
        Rule {
            name,
            arn: arn.clone(),
            pattern,
            schedule,
            enabled,
            description: string(body, "Description")?.map(str::to_owned),
            role_arn: string(body, "RoleArn")?.map(str::to_owned),
            targets,
        },
    );
    Ok(json!({ "RuleArn": arn }))
}

fn rule_json(rule: &Rule, bus: &str) -> Value {
    let mut m = Map::new();
    m.insert("Name".into(), json!(rule.name));
    m.insert("Arn".into(), json!(rule.arn));
    if let Some((text, _)) = &rule.pattern {
        m.insert("EventPattern".into(), json!(text));
    }
    if let Some(s) = &rule.schedule {
        m.insert("ScheduleExpression".into(), json!(s));
    }
    m.insert(
        "State".into(),
        json!(if rule.enabled { "ENABLED" } else { "DISABLED" }),
    );
    if let Some(d) = &rule.description {
        m.insert("Description".into(), json!(d));
    }
    if let Some(r) = &rule.role_arn {
        m.insert("RoleArn".into(), json!(r));
    }
    m.insert("EventBusName".into(), json!(bus));
    Value::Object(m)
}

fn describe_rule(api: &Api, body: &Value) -> Result<Value, ApiError> {
    let name = required(body, "Name")?;
    let bus = bus_name(api, body)?;
    let buses = api.events();
    let rule = buses.rule(&bus, name).ok_or_else(|| no_rule(name, &bus))?;
    Ok(rule_json(rule, &bus))
}

fn list_rules(api: &Api, body: &Value) -> Result<Value, ApiError> {
    let bus = bus_name(api, body)?;
    let prefix = string(body, "NamePrefix")?.unwrap_or("");
    let buses = api.events();
    let rules: Vec<Value> = buses
        .buses
        .get(&bus)
        .into_iter()
        .flat_map(|b| b.rules().values())
        .filter(|r| r.name.starts_with(prefix))
        .map(|r| rule_json(r, &bus))
        .collect();
    Ok(json!({ "Rules": rules }))
}

fn delete_rule(api: &Api, body: &Value) -> Result<Value, ApiError> {
    let name = required(body, "Name")?;
    let bus = bus_name(api, body)?;
    let force = body["Force"].as_bool().unwrap_or(false);
    let mut buses = api.events_mut();
    if let Some(rules) = buses.buses.get_mut(&bus).map(|b| b.rules_mut()) {
        if rules.get(name).is_some_and(|r| !r.targets.is_empty()) && !force {
            return Err(ApiError::new(
                "ValidationException",
                "Rule can't be deleted since it has targets.",
            ));
        }
        rules.remove(name);
    }
    Ok(json!({}))
}

fn set_state(api: &Api, body: &Value, enabled: bool) -> Result<Value, ApiError> {
    let name = required(body, "Name")?;
    let bus = bus_name(api, body)?;
    let mut buses = api.events_mut();
    let rule = buses
        .rule_mut(&bus, name)
        .ok_or_else(|| no_rule(name, &bus))?;
    rule.enabled = enabled;
    Ok(json!({}))
}

/// The most targets a rule has, as AWS allows.
const MAX_TARGETS: usize = 5;

fn put_targets(api: &Api, body: &Value) -> Result<Value, ApiError> {
    let name = required(body, "Rule")?;
    let bus = bus_name(api, body)?;
    let given = body["Targets"]
        .as_array()
        .filter(|t| !t.is_empty())
        .ok_or_else(|| {
            ApiError::validation(
                "[]",
                "targets",
                "Member must have length greater than or equal to 1",
            )
        })?;
    let mut targets = Vec::new();
    for t in given {
        let id = required(t, "Id")?.to_owned();
        let arn = required(t, "Arn")?.to_owned();
        let input =
            TargetInput::from_target(t).map_err(|e| ApiError::new("ValidationException", e))?;
        targets.push(Target {
            id,
            arn,
            input,
            role_arn: string(t, "RoleArn")?.map(str::to_owned),
        });
    }
    let mut failed = Vec::new();
    let mut buses = api.events_mut();
    let rule = buses
        .rule_mut(&bus, name)
        .ok_or_else(|| no_rule(name, &bus))?;
    for target in targets {
        if !target.arn.contains(":states:") || !target.arn.contains(":stateMachine:") {
            failed.push(json!({"TargetId": target.id, "ErrorCode": "ValidationException",
                "ErrorMessage": format!("{} is not a state machine this server serves; targets here are state machines.", target.arn)}));
            continue;
        }
        if !rule.targets.contains_key(&target.id) && rule.targets.len() >= MAX_TARGETS {
            return Err(ApiError::new(
                "LimitExceededException",
                format!(
                    "The requested resource exceeds the maximum number allowed: a rule has at most {MAX_TARGETS} targets."
                ),
            ));
        }
        rule.targets.insert(target.id.clone(), target);
    }
    Ok(json!({"FailedEntryCount": failed.len(), "FailedEntries": failed}))
}

fn remove_targets(api: &Api, body: &Value) -> Result<Value, ApiError> {
    let name = required(body, "Rule")?;
    let bus = bus_name(api, body)?;
    let ids: Vec<&str> = body["Ids"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(Value::as_str)
        .collect();
    let mut buses = api.events_mut();
    let rule = buses
        .rule_mut(&bus, name)
        .ok_or_else(|| no_rule(name, &bus))?;
    for id in ids {
        rule.targets.remove(id);
    }
    Ok(json!({"FailedEntryCount": 0, "FailedEntries": []}))
}

fn list_targets(api: &Api, body: &Value) -> Result<Value, ApiError> {
    let name = required(body, "Rule")?;
    let bus = bus_name(api, body)?;
    let buses = api.events();
    let rule = buses.rule(&bus, name).ok_or_else(|| no_rule(name, &bus))?;
    let targets: Vec<Value> = rule.targets.values().map(Target::to_json).collect();
    Ok(json!({ "Targets": targets }))
}

fn test_event_pattern(body: &Value) -> Result<Value, ApiError> {
    let p = required(body, "EventPattern")?;
    let e = required(body, "Event")?;
    match pattern::test_event_pattern(p, e) {
        Ok(result) => Ok(json!({ "Result": result })),
        Err(err) => Err(ApiError::new(err.code, err.message)),
    }
}

fn create_bus(api: &Api, body: &Value) -> Result<Value, ApiError> {
    let name = rule_name(body, "Name")?;
    let mut buses = api.events_mut();
    if buses.buses.contains_key(&name) {
        return Err(ApiError::new(
            "ResourceAlreadyExistsException",
            format!("Event bus {name} already exists."),
        ));
    }
    let arn = buses.create(&name).arn.clone();
    Ok(json!({ "EventBusArn": arn }))
}

fn describe_bus(api: &Api, body: &Value) -> Result<Value, ApiError> {
    let name = string(body, "Name")?.unwrap_or("default");
    let buses = api.events();
    let bus = buses
        .buses
        .get(name)
        .ok_or_else(|| not_found(format!("Event bus {name} does not exist.")))?;
    Ok(json!({"Name": bus.name, "Arn": bus.arn}))
}

fn list_buses(api: &Api) -> Result<Value, ApiError> {
    let buses: Vec<Value> = api
        .events()
        .buses
        .values()
        .map(|b| json!({"Name": b.name, "Arn": b.arn}))
        .collect();
    Ok(json!({ "EventBuses": buses }))
}

fn delete_bus(api: &Api, body: &Value) -> Result<Value, ApiError> {
    let name = required(body, "Name")?;
    if name == "default" {
        return Err(ApiError::new(
            "ValidationException",
            "Cannot delete event bus default.",
        ));
    }
    api.events_mut().buses.remove(name);
    Ok(json!({}))
}

/// The most bytes of a PutEvents request's entries, as AWS counts them.
const MAX_ENTRIES_BYTES: usize = 256 * 1024;

/// PutEvents: each entry becomes an event (its envelope as EventBridge builds it) on its bus;
/// the starts it owes every matching enabled rule's targets are recorded before the answer,
/// then performed ([`delivery`](crate::events::delivery)).
async fn put_events(api: &std::sync::Arc<Api>, body: &Value) -> Result<Value, ApiError> {
    let entries = body["Entries"]
        .as_array()
        .map(Vec::as_slice)
        .unwrap_or_default();
    if entries.is_empty() || entries.len() > 10 {
        return Err(ApiError::validation(
            format!("{entries:?}").chars().take(100).collect::<String>(),
            "entries",
            if entries.is_empty() {
                "Member must have length greater than or equal to 1"
            } else {
                "Member must have length less than or equal to 10"
            },
        ));
    }
    let size: usize = entries.iter().map(|e| e.to_string().len()).sum();
    if size > MAX_ENTRIES_BYTES {
        return Err(ApiError::new(
            "ValidationException",
            format!(
                "Total size of the entries in the request is over the limit ({MAX_ENTRIES_BYTES} bytes)."
            ),
        ));
    }
    let mut answers = Vec::new();
    let mut failed = 0;
    let mut owed: Vec<(String, Value)> = Vec::new();
    for entry in entries {
        match envelope(api, entry) {
            Ok((bus, event)) => {
                let id = event["id"].as_str().unwrap_or_default().to_owned();
                for d in api.events().deliveries(&bus, &event) {
                    let name = crate::events::delivery::execution_name(&id, &bus, &d);
                    let record = crate::events::delivery::record(&name, &d);
                    owed.push((name, record));
                }
                answers.push(json!({ "EventId": id }));
            }
            Err((code, message)) => {
                failed += 1;
                answers.push(json!({"ErrorCode": code, "ErrorMessage": message}));
            }
        }
    }
    // Durable before the answer (committed with other callers'): a server that dies now
    // performs them when it starts again.
    if let Some(store) = &api.store
        && !owed.is_empty()
    {
        let changes = owed
            .iter()
            .map(|(name, record)| {
                (
                    crate::events::delivery::PENDING.to_owned(),
                    name.clone(),
                    Some(record.clone()),
                )
            })
            .collect();
        store
            .put_resources_later(changes)
            .await
            .map_err(|e| ApiError::internal(format!("The events could not be recorded: {e}")))?;
    }
    for (name, record) in owed {
        crate::events::delivery::spawn(api.clone(), name, record);
    }
    Ok(json!({"FailedEntryCount": failed, "Entries": answers}))
}

/// The event EventBridge makes of a PutEvents entry, and its bus; or the entry's error.
fn envelope(api: &Api, entry: &Value) -> Result<(String, Value), (&'static str, String)> {
    let text = |k: &str| {
        entry
            .get(k)
            .and_then(Value::as_str)
            .filter(|s| !s.is_empty())
    };
    let invalid = |what: &str| {
        (
            "InvalidArgument",
            format!("Parameter {what} is not valid. Reason: {what} is a required argument."),
        )
    };
    let source = text("Source").ok_or_else(|| invalid("Source"))?;
    let detail_type = text("DetailType").ok_or_else(|| invalid("DetailType"))?;
    let detail = text("Detail").ok_or_else(|| invalid("Detail"))?;
    let detail: Value = match serde_json::from_str(detail) {
        Ok(v @ Value::Object(_)) => v,
        _ => return Err(("MalformedDetail", "Detail is malformed.".to_owned())),
    };
    let bus = text("EventBusName").unwrap_or("default");
    let bus = bus.rsplit('/').next().unwrap_or(bus).to_owned();
    if !api.events().buses.contains_key(&bus) {
        return Err((
            "InvalidArgument",
            format!("Event bus {bus} does not exist."),
        ));
    }
    let time = match text("Time") {
        Some(t) => t.to_owned(),
        None => jiff::Timestamp::now()
            .strftime("%Y-%m-%dT%H:%M:%SZ")
            .to_string(),
    };
    let resources = entry.get("Resources").cloned().unwrap_or_else(|| json!([]));
    Ok((
        bus,
        json!({
            "version": "0",
            "id": uuid::Uuid::new_v4().to_string(),
            "detail-type": detail_type,
            "source": source,
            "account": api.account,
            "time": time,
            "region": api.region,
            "resources": resources,
            "detail": detail,
        }),
    ))
}
