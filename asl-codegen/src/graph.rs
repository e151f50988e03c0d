//! Drawings of a workflow: Mermaid (for Markdown and rustdoc) and Graphviz DOT. States are
//! shaped by type, Choice edges carry their rules, Catch edges are dashed, Parallel branches
//! and Map processors are subgraphs; an execution's path can be coloured (succeeded, failed,
//! not visited), as the Step Functions console colours it.

use std::cell::Cell;
use std::collections::{HashMap, HashSet};
use std::fmt::Write as _;

use crate::model::{ChoiceRule, Condition, Container, State, StateKind, StateMachine};

/// How far an execution got in a state.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Visit {
    /// Entered and left.
    Succeeded,
    /// Entered and never left (it failed, or the execution stopped there).
    Failed,
    /// Never entered.
    NotVisited,
}

/// Which way an edge leaves its state.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Via {
    /// `Next`.
    Next,
    /// The Choice rule at this index of `Choices`.
    Rule(usize),
    /// The Choice's `Default`.
    Default,
    /// The Catcher at this index of `Catch`.
    Catch(usize),
}

/// What a test suite covered, to colour: states entered (green) or not (red), edges taken
/// (green) or not (red).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Covered {
    /// The states entered.
    pub states: HashSet<String>,
    /// The edges taken: the state left and the way it left.
    pub edges: HashSet<(String, Via)>,
}

/// The workflow as a Mermaid flowchart, coloured by what a test suite covered.
pub fn mermaid_covered(machine: &StateMachine, covered: &Covered) -> String {
    let mut g = Graph::new(machine, None);
    g.covered = Some(covered);
    g.mermaid()
}

/// The workflow as a Graphviz digraph, coloured by what a test suite covered.
pub fn dot_covered(machine: &StateMachine, covered: &Covered) -> String {
    let mut g = Graph::new(machine, None);
    g.covered = Some(covered);
    g.dot()
}

/// The workflow as a Mermaid flowchart; with `visits`, coloured by them.
pub fn mermaid(machine: &StateMachine, visits: Option<HashMap<String, Visit>>) -> String {
    Graph::new(machine, visits).mermaid()
}

/// The workflow as a Graphviz digraph; with `visits`, coloured by them.
pub fn dot(machine: &StateMachine, visits: Option<HashMap<String, Visit>>) -> String {
    Graph::new(machine, visits).dot()
}

struct Graph<'m> {
    machine: &'m StateMachine,
    ids: HashMap<&'m str, String>,
    visits: Option<HashMap<String, Visit>>,
    covered: Option<&'m Covered>,
    /// Mermaid's number of the next edge written (for `linkStyle`).
    edge_count: Cell<usize>,
}

fn rule_label(r: &ChoiceRule) -> String {
    let text = match &r.condition {
        Condition::Compare {
            variable,
            operator,
            operand,
            ..
        } => {
            let operand = serde_json::to_string(&operand.value.to_json()).unwrap_or_default();
            format!(
                "{} {} {}",
                variable.value.text,
                operator.value.as_str(),
                operand
            )
        }
        Condition::And(rules) => rules
            .iter()
            .map(|r| format!("({})", rule_label(r)))
            .collect::<Vec<_>>()
            .join(" and "),
        Condition::Or(rules) => rules
            .iter()
            .map(|r| format!("({})", rule_label(r)))
            .collect::<Vec<_>>()
            .join(" or "),
        Condition::Not(r) => format!("not ({})", rule_label(r)),
        Condition::Jsonata(n) => match n.value.as_str() {
            Some(s) => s.to_owned(),
            None => serde_json::to_string(&n.value.to_json()).unwrap_or_default(),
        },
        Condition::Invalid => String::new(),
    };
    if text.chars().count() > 60 {
        format!("{}…", text.chars().take(59).collect::<String>())
    } else {
        text
    }
}

/// An edge out of a state.
struct Edge<'s> {
    target: &'s str,
    label: Option<String>,
    dashed: bool,
    via: Via,
}

/// The edges out of a state.
fn edges(s: &State) -> Vec<Edge<'_>> {
    let mut out = Vec::new();
    if let Some(n) = &s.next {
        out.push(Edge {
            target: n.value.as_str(),
            label: None,
            dashed: false,
            via: Via::Next,
        });
    }
    if let StateKind::Choice(c) = &s.kind {
        for (i, r) in c.choices.iter().enumerate() {
            if let Some(n) = &r.next {
                out.push(Edge {
                    target: n.value.as_str(),
                    label: Some(rule_label(r)),
                    dashed: false,
                    via: Via::Rule(i),
                });
            }
        }
        if let Some(d) = &c.default {
            out.push(Edge {
                target: d.value.as_str(),
                label: Some("Default".to_owned()),
                dashed: false,
                via: Via::Default,
            });
        }
    }
    if let Some(h) = s.kind.result_handling() {
        for (i, c) in h.catch.iter().enumerate() {
            if let Some(n) = &c.next {
                let errors: Vec<&str> = c.error_equals.iter().map(|e| e.value.as_str()).collect();
                out.push(Edge {
                    target: n.value.as_str(),
                    label: Some(format!("Catch {}", errors.join(", "))),
                    dashed: true,
                    via: Via::Catch(i),
                });
            }
        }
    }
    out
}

/// The title of container `i` inside `s`: a Parallel branch or a Map's item processor.
fn subgraph_title(s: &State, i: usize) -> String {
    match &s.kind {
        StateKind::Parallel(_) => format!("{} · branch {}", s.name, i + 1),
        _ => format!("{} · items", s.name),
    }
}

fn mermaid_escape(s: &str) -> String {
    s.replace('"', "#quot;")
}

fn dot_escape(s: &str) -> String {
    s.replace('\\', "\\\\").replace('"', "\\\"")
}

impl<'m> Graph<'m> {
    fn new(machine: &'m StateMachine, visits: Option<HashMap<String, Visit>>) -> Self {
        let ids = machine
            .containers()
            .into_iter()
            .flat_map(|c| c.states.iter())
            .enumerate()
            .map(|(i, s)| (s.name.as_str(), format!("n{i}")))
            .collect();
        Graph {
            machine,
            ids,
            visits,
            covered: None,
            edge_count: Cell::new(0),
        }
    }

    /// Mermaid's number for the next edge written.
    fn next_edge(&self) -> usize {
        let n = self.edge_count.get();
        self.edge_count.set(n + 1);
        n
    }

    /// With coverage: whether the edge leaving `from` by `via` was taken.
    fn taken(&self, from: &str, via: Via) -> Option<bool> {
        self.covered
            .map(|c| c.edges.contains(&(from.to_owned(), via)))
    }

    fn id(&self, name: &str) -> &str {
        self.ids.get(name).map_or("missing", String::as_str)
    }

    fn visit(&self, name: &str) -> Option<Visit> {
        self.visits
            .as_ref()
            .map(|v| v.get(name).copied().unwrap_or(Visit::NotVisited))
    }

    /// With coverage: whether the state was entered.
    fn entered(&self, name: &str) -> Option<bool> {
        self.covered.map(|c| c.states.contains(name))
    }

    fn mermaid(&self) -> String {
        let mut out = String::from("flowchart TD\n");
        let start = self
            .machine
            .body
            .start_at
            .as_ref()
            .map(|s| self.id(&s.value));
        out.push_str("  start((\" \"))\n");
        if let Some(s) = start {
            let _ = writeln!(out, "  start --> {s}");
            self.next_edge();
        }
        self.mermaid_container(&self.machine.body, &mut out, 1);
        out.push_str("  classDef choice fill:#fff6d5,stroke:#b59b2b\n");
        out.push_str("  classDef terminal fill:#e8e8f8,stroke:#55a\n");
        if self.visits.is_some() {
            out.push_str("  classDef succeeded fill:#d6f5d6,stroke:#2d8a2d\n");
            out.push_str("  classDef failed fill:#f8d0d0,stroke:#c0392b\n");
            out.push_str("  classDef unvisited fill:#f2f2f2,stroke:#aaa,color:#999\n");
        }
        if self.covered.is_some() {
            out.push_str("  classDef covered fill:#d6f5d6,stroke:#2d8a2d\n");
            out.push_str("  classDef uncovered fill:#fde2e2,stroke:#c0392b,stroke-dasharray:4 3\n");
        }
        out
    }

    fn mermaid_container(&self, c: &'m Container, out: &mut String, depth: usize) {
        let pad = "  ".repeat(depth);
        for s in &c.states {
            let id = self.id(&s.name);
            let label = mermaid_escape(&s.name);
            let shape = match &s.kind {
                StateKind::Choice(_) => format!("{id}{{\"{label}\"}}"),
                StateKind::Pass(_) => format!("{id}([\"{label}\"])"),
                StateKind::Wait(_) => format!("{id}[/\"{label}\"/]"),
                StateKind::Succeed | StateKind::Fail(_) => format!("{id}((\"{label}\"))"),
                _ => format!("{id}[\"{label}\"]"),
            };
            let _ = writeln!(out, "{pad}{shape}");
            let class = match (self.visit(&s.name), &s.kind) {
                _ if self.entered(&s.name) == Some(true) => Some("covered"),
                _ if self.entered(&s.name) == Some(false) => Some("uncovered"),
                (Some(Visit::Succeeded), _) => Some("succeeded"),
                (Some(Visit::Failed), _) => Some("failed"),
                (Some(Visit::NotVisited), _) => Some("unvisited"),
                (None, StateKind::Choice(_)) => Some("choice"),
                (None, StateKind::Succeed | StateKind::Fail(_)) => Some("terminal"),
                _ => None,
            };
            if let Some(class) = class {
                let _ = writeln!(out, "{pad}class {id} {class}");
            }
            for (i, inner) in s.kind.children().into_iter().enumerate() {
                let title = subgraph_title(s, i);
                let _ = writeln!(
                    out,
                    "{pad}subgraph {id}_{i}[\"{}\"]",
                    mermaid_escape(&title)
                );
                self.mermaid_container(inner, out, depth + 1);
                let _ = writeln!(out, "{pad}end");
                if let Some(start) = &inner.start_at {
                    let _ = writeln!(out, "{pad}{id} -.-> {}", self.id(&start.value));
                    self.next_edge();
                }
            }
            for e in edges(s) {
                let arrow = if e.dashed { "-.->" } else { "-->" };
                let t = self.id(e.target);
                match e.label {
                    Some(l) => {
                        let _ = writeln!(out, "{pad}{id} {arrow}|\"{}\"| {t}", mermaid_escape(&l));
                    }
                    None => {
                        let _ = writeln!(out, "{pad}{id} {arrow} {t}");
                    }
                }
                let n = self.next_edge();
                match self.taken(&s.name, e.via) {
                    Some(true) => {
                        let _ = writeln!(out, "{pad}linkStyle {n} stroke:#2d8a2d,stroke-width:2px");
                    }
                    Some(false) => {
                        let _ = writeln!(out, "{pad}linkStyle {n} stroke:#c0392b,color:#c0392b");
                    }
                    None => {}
                }
            }
        }
    }

    fn dot(&self) -> String {
        let mut out = String::from(
            "digraph workflow {\n  rankdir=TB;\n  node [fontname=\"Helvetica\", style=filled, fillcolor=white];\n  edge [fontname=\"Helvetica\", fontsize=10];\n  start [shape=point];\n",
        );
        if let Some(s) = &self.machine.body.start_at {
            let _ = writeln!(out, "  start -> {};", self.id(&s.value));
        }
        self.dot_container(&self.machine.body, &mut out, 1);
        out.push_str("}\n");
        out
    }

    fn dot_container(&self, c: &'m Container, out: &mut String, depth: usize) {
        let pad = "  ".repeat(depth);
        for s in &c.states {
            let id = self.id(&s.name);
            let shape = match &s.kind {
                StateKind::Choice(_) => "diamond",
                StateKind::Pass(_) => "box, style=\"rounded,filled\"",
                StateKind::Wait(_) => "parallelogram",
                StateKind::Succeed => "doublecircle",
                StateKind::Fail(_) => "doubleoctagon",
                StateKind::Parallel(_) | StateKind::Map(_) => "box3d",
                StateKind::Task(_) => "box",
            };
            let fill = match self.visit(&s.name) {
                _ if self.entered(&s.name) == Some(true) => ", fillcolor=\"#d6f5d6\"",
                _ if self.entered(&s.name) == Some(false) => {
                    ", fillcolor=\"#fde2e2\", color=\"#c0392b\""
                }
                Some(Visit::Succeeded) => ", fillcolor=\"#d6f5d6\"",
                Some(Visit::Failed) => ", fillcolor=\"#f8d0d0\"",
                Some(Visit::NotVisited) => ", fillcolor=\"#f2f2f2\", fontcolor=\"#999999\"",
                None => "",
            };
            let _ = writeln!(
                out,
                "{pad}{id} [label=\"{}\", shape={shape}{fill}];",
                dot_escape(&s.name)
            );
            for (i, inner) in s.kind.children().into_iter().enumerate() {
                let title = subgraph_title(s, i);
                let _ = writeln!(
                    out,
                    "{pad}subgraph cluster_{id}_{i} {{\n{pad}  label=\"{}\";\n{pad}  style=dashed;",
                    dot_escape(&title)
                );
                self.dot_container(inner, out, depth + 1);
                let _ = writeln!(out, "{pad}}}");
                if let Some(start) = &inner.start_at {
                    let _ = writeln!(
                        out,
                        "{pad}{id} -> {} [style=dotted];",
                        self.id(&start.value)
                    );
                }
            }
            for e in edges(s) {
                let mut attrs = Vec::new();
                if let Some(l) = &e.label {
                    attrs.push(format!("label=\"{}\"", dot_escape(l)));
                }
                if e.dashed {
                    attrs.push("style=dashed".to_owned());
                }
                match self.taken(&s.name, e.via) {
                    Some(true) => attrs.push("color=\"#2d8a2d\", penwidth=2".to_owned()),
                    Some(false) => {
                        attrs.push("color=\"#c0392b\", fontcolor=\"#c0392b\"".to_owned());
                    }
                    None => {}
                }
                let target = e.target;
                let attrs = if attrs.is_empty() {
                    String::new()
                } else {
                    format!(" [{}]", attrs.join(", "))
                };
                let _ = writeln!(out, "{pad}{id} -> {}{attrs};", self.id(target));
            }
        }
    }
}
