//! Event buses, their rules and the rules' targets, and which targets an event goes to.

use std::collections::{BTreeMap, HashMap};

use serde_json::{Map, Value, json};

use super::pattern::{Event, Pattern};
use super::transform::TargetInput;

/// A rule's target: a state machine, and how its input is made.
#[derive(Clone, Debug, PartialEq)]
pub struct Target {
    /// The target's id within its rule.
    pub id: String,
    /// The state machine's ARN.
    pub arn: String,
    /// Its input.
    pub input: TargetInput,
    /// The role EventBridge would assume.
    pub role_arn: Option<String>,
}

impl Target {
    /// The target as ListTargetsByRule lists it (and the store keeps it): `Id`, `Arn`,
    /// `RoleArn`, and its input's members.
    pub fn to_json(&self) -> Value {
        let mut m = Map::new();
        m.insert("Id".into(), json!(self.id));
        m.insert("Arn".into(), json!(self.arn));
        if let Some(role) = &self.role_arn {
            m.insert("RoleArn".into(), json!(role));
        }
        self.input.members(&mut m);
        Value::Object(m)
    }
}

/// A rule: an event pattern or a schedule, and its targets.
#[derive(Clone, Debug)]
pub struct Rule {
    /// Its name.
    pub name: String,
    /// Its ARN.
    pub arn: String,
    /// The pattern's text as given, and the pattern compiled.
    pub pattern: Option<(String, Pattern)>,
    /// `rate(...)` or `cron(...)`.
    pub schedule: Option<String>,
    /// Whether it is enabled.
    pub enabled: bool,
    /// Its description.
    pub description: Option<String>,
    /// Its role.
    pub role_arn: Option<String>,
    /// Its targets, by id.
    pub targets: BTreeMap<String, Target>,
}

/// An event bus and its rules.
#[derive(Clone, Debug)]
pub struct Bus {
    /// Its name (`default`, or a name CreateEventBus gave).
    pub name: String,
    /// Its ARN.
    pub arn: String,
    /// Its rules, by name.
    rules: BTreeMap<String, Rule>,
    /// The rules by the `source` values their patterns require, made again after a change.
    index: std::sync::OnceLock<Index>,
}

/// Which rules an event's `source` can match: those whose pattern requires one of a few exact
/// sources, by source; the others are tried for every event.
#[derive(Clone, Debug, Default)]
struct Index {
    by_source: HashMap<String, Vec<String>>,
    others: Vec<String>,
}

impl Bus {
    /// Its rules, by name.
    pub fn rules(&self) -> &BTreeMap<String, Rule> {
        &self.rules
    }

    /// Its rules, to change (the index of their sources is made again on the next event).
    pub fn rules_mut(&mut self) -> &mut BTreeMap<String, Rule> {
        self.index = std::sync::OnceLock::new();
        &mut self.rules
    }

    fn index(&self) -> &Index {
        self.index.get_or_init(|| {
            let mut index = Index::default();
            for rule in self.rules.values() {
                let Some((_, pattern)) = &rule.pattern else {
                    continue;
                };
                match pattern.required_strings("source") {
                    Some(sources) => {
                        for s in sources {
                            index
                                .by_source
                                .entry(s.to_owned())
                                .or_default()
                                .push(rule.name.clone());
                        }
                    }
                    None => index.others.push(rule.name.clone()),
                }
            }
            index
        })
    }

    /// The rules that may match an event with this `source` (all others cannot), in name order.
    fn candidates(&self, source: Option<&str>) -> Vec<&Rule> {
        let index = self.index();
        let mut names: Vec<&String> = index.others.iter().collect();
        if let Some(found) = source.and_then(|s| index.by_source.get(s)) {
            names.extend(found);
        }
        names.sort_unstable();
        names.dedup();
        names
            .into_iter()
            .filter_map(|n| self.rules.get(n))
            .collect()
    }

    /// What a store keeps of it: its name, ARN, rules and their targets.
    pub fn to_record(&self) -> Value {
        let rules: Vec<Value> = self
            .rules
            .values()
            .map(|r| {
                let targets: Vec<Value> = r.targets.values().map(Target::to_json).collect();
                json!({
                    "name": r.name, "arn": r.arn,
                    "pattern": r.pattern.as_ref().map(|(text, _)| text),
                    "schedule": r.schedule, "enabled": r.enabled,
                    "description": r.description, "roleArn": r.role_arn,
                    "targets": targets,
                })
            })
            .collect();
        json!({"name": self.name, "arn": self.arn, "rules": rules})
    }

    /// A bus a store kept; `None` when the record is unreadable.
    pub fn from_record(record: &Value) -> Option<Bus> {
        let text = |v: &Value, k: &str| v[k].as_str().map(str::to_owned);
        let mut rules = BTreeMap::new();
        for r in record["rules"].as_array()? {
            let pattern = match text(r, "pattern") {
                Some(t) => Some((t.clone(), Pattern::parse(&t).ok()?)),
                None => None,
            };
            let mut targets = BTreeMap::new();
            for t in r["targets"].as_array()? {
                let target = Target {
                    id: text(t, "Id")?,
                    arn: text(t, "Arn")?,
                    input: TargetInput::from_target(t).ok()?,
                    role_arn: text(t, "RoleArn"),
                };
                targets.insert(target.id.clone(), target);
            }
            let rule = Rule {
                name: text(r, "name")?,
                arn: text(r, "arn")?,
                pattern,
                schedule: text(r, "schedule"),
                enabled: r["enabled"].as_bool().unwrap_or(true),
                description: text(r, "description"),
                role_arn: text(r, "roleArn"),
                targets,
            };
            rules.insert(rule.name.clone(), rule);
        }
        Some(Bus {
            name: text(record, "name")?,
            arn: text(record, "arn")?,
            rules,
            index: std::sync::OnceLock::new(),
        })
    }
}

/// Every bus of a server; `default` always exists.
#[derive(Clone, Debug)]
pub struct Buses {
    /// By name.
    pub buses: BTreeMap<String, Bus>,
    region: String,
    account: String,
}

impl Buses {
    /// The buses of a server in `region` and `account`: only `default`.
    pub fn new(region: &str, account: &str) -> Self {
        let mut buses = Buses {
            buses: BTreeMap::new(),
            region: region.to_owned(),
            account: account.to_owned(),
        };
        buses.create("default");
        buses
    }

    /// Makes the bus `name` (if absent) and returns it.
    pub fn create(&mut self, name: &str) -> &Bus {
        let arn = format!(
            "arn:aws:events:{}:{}:event-bus/{name}",
            self.region, self.account
        );
        self.buses.entry(name.to_owned()).or_insert_with(|| Bus {
            name: name.to_owned(),
            arn,
            rules: BTreeMap::new(),
            index: std::sync::OnceLock::new(),
        })
    }

    /// The rule `name` of bus `bus`, if both exist.
    pub fn rule(&self, bus: &str, name: &str) -> Option<&Rule> {
        self.buses.get(bus)?.rules().get(name)
    }

    /// [`rule`](Self::rule), to change.
    pub fn rule_mut(&mut self, bus: &str, name: &str) -> Option<&mut Rule> {
        self.buses.get_mut(bus)?.rules_mut().get_mut(name)
    }

    /// The ARN a rule `name` of bus `bus` has.
    pub fn rule_arn(&self, bus: &str, name: &str) -> String {
        let prefix = format!("arn:aws:events:{}:{}:rule", self.region, self.account);
        if bus == "default" {
            format!("{prefix}/{name}")
        } else {
            format!("{prefix}/{bus}/{name}")
        }
    }

    /// The targets of the enabled pattern rules of `bus` that `event` matches, with the input
    /// each gets.
    pub fn deliveries(&self, bus: &str, event: &Value) -> Vec<Delivery> {
        let Some(bus) = self.buses.get(bus) else {
            return Vec::new();
        };
        let flat = Event::new(event);
        bus.candidates(event["source"].as_str())
            .into_iter()
            .filter(|r| r.enabled)
            .filter(|r| r.pattern.as_ref().is_some_and(|(_, p)| p.matches(&flat)))
            .flat_map(|r| {
                r.targets.values().map(|t| Delivery {
                    rule: r.name.clone(),
                    target: t.id.clone(),
                    state_machine_arn: t.arn.clone(),
                    input: t.input.apply(event),
                })
            })
            .collect()
    }
}

/// An event's way to one target.
#[derive(Clone, Debug, PartialEq)]
pub struct Delivery {
    /// The rule that matched.
    pub rule: String,
    /// The target's id.
    pub target: String,
    /// The state machine to start.
    pub state_machine_arn: String,
    /// Its input.
    pub input: Value,
}

/// A rule declared in Rust when the server is built: an event pattern or a schedule, and the
/// served state machines (by name) it starts.
#[derive(Clone, Debug, PartialEq)]
pub struct EventRule {
    /// The bus (`default` unless set).
    pub bus: String,
    /// The rule's name.
    pub name: String,
    /// Its event pattern.
    pub pattern: Option<Value>,
    /// Its schedule expression.
    pub schedule: Option<String>,
    /// Its targets: a served state machine's name, and its input.
    pub targets: Vec<(String, TargetInput)>,
}

impl EventRule {
    /// A rule starting its targets for the events `pattern` matches.
    pub fn on_events(name: &str, pattern: Value) -> Self {
        EventRule {
            bus: "default".to_owned(),
            name: name.to_owned(),
            pattern: Some(pattern),
            schedule: None,
            targets: Vec::new(),
        }
    }

    /// A rule starting its targets on a schedule (`rate(...)` or `cron(...)`).
    pub fn on_schedule(name: &str, expression: &str) -> Self {
        EventRule {
            bus: "default".to_owned(),
            name: name.to_owned(),
            pattern: None,
            schedule: Some(expression.to_owned()),
            targets: Vec::new(),
        }
    }

    /// The rule on bus `bus`.
    pub fn on_bus(mut self, bus: &str) -> Self {
        self.bus = bus.to_owned();
        self
    }

    /// Starts the served state machine `machine` with the event as its input.
    pub fn target(self, machine: &str) -> Self {
        self.target_with(machine, TargetInput::Event)
    }

    /// Starts the served state machine `machine` with `input`.
    pub fn target_with(mut self, machine: &str, input: TargetInput) -> Self {
        self.targets.push((machine.to_owned(), input));
        self
    }

    /// The rule as the buses keep it, its targets' machines named by `machine_arn`.
    pub(crate) fn into_rule(
        self,
        buses: &Buses,
        machine_arn: impl Fn(&str) -> String,
    ) -> Result<Rule, String> {
        let pattern = match &self.pattern {
            Some(p) => Some((
                p.to_string(),
                Pattern::from_value(p).map_err(|e| e.message)?,
            )),
            None => None,
        };
        if let Some(s) = &self.schedule {
            super::schedule::Schedule::parse(s)?;
        }
        if pattern.is_none() && self.schedule.is_none() {
            return Err(format!(
                "rule {} has neither an event pattern nor a schedule",
                self.name
            ));
        }
        let targets = self
            .targets
            .into_iter()
            .enumerate()
            .map(|(i, (machine, input))| {
                let target = Target {
                    id: format!("{machine}-{i}"),
                    arn: machine_arn(&machine),
                    input,
                    role_arn: None,
                };
                (target.id.clone(), target)
            })
            .collect();
        Ok(Rule {
            arn: buses.rule_arn(&self.bus, &self.name),
            name: self.name,
            pattern,
            schedule: self.schedule,
            enabled: true,
            description: None,
            role_arn: None,
            targets,
        })
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn the_source_index_finds_what_trying_every_rule_finds() {
        let mut buses = Buses::new("us-east-1", "111111111111");
        let patterns = [
            json!({"source": ["shop"]}),
            json!({"source": ["shop", "store"], "detail": {"n": [{"numeric": [">", 1]}]}}),
            json!({"source": [{"prefix": "sh"}]}),
            json!({"detail-type": ["Tick"]}),
            json!({"$or": [{"source": ["shop"]}, {"detail-type": ["Tick"]}]}),
        ];
        let rules: Vec<Rule> = patterns
            .iter()
            .enumerate()
            .map(|(i, p)| {
                EventRule::on_events(&format!("r{i}"), p.clone())
                    .target("M")
                    .into_rule(&buses, |m| {
                        format!("arn:aws:states:us-east-1:111111111111:stateMachine:{m}")
                    })
                    .expect("valid")
            })
            .collect();
        let bus = buses.buses.get_mut("default").expect("default");
        for r in rules {
            bus.rules_mut().insert(r.name.clone(), r);
        }
        for event in [
            json!({"source": "shop", "detail-type": "Tick", "detail": {"n": 2}}),
            json!({"source": "store", "detail-type": "Other", "detail": {"n": 5}}),
            json!({"source": "shed", "detail-type": "Tick"}),
            json!({"detail-type": "Other"}),
        ] {
            let indexed: Vec<String> = buses
                .deliveries("default", &event)
                .into_iter()
                .map(|d| d.rule)
                .collect();
            let flat = Event::new(&event);
            let every: Vec<String> = buses.buses["default"]
                .rules()
                .values()
                .filter(|r| r.pattern.as_ref().is_some_and(|(_, p)| p.matches(&flat)))
                .map(|r| r.name.clone())
                .collect();
            assert_eq!(indexed, every, "{event}");
        }
    }
}
