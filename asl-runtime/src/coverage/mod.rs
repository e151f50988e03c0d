//! Coverage of a definition by a test suite: the states entered, transitions taken, Choice
//! branches (rules and Default) chosen, and Retry and Catch clauses used, counted over every
//! execution of a run.
//!
//! A [`Report`] lists every part of one definition with how often executions used it; it is
//! made from the machine ([`Report::new`]), fed outcomes ([`Report::record`]), and merged with
//! the reports of other processes ([`Report::merge`]). Set `ASL_COVERAGE` to a directory and
//! every execution of every machine in the process is counted there ([`collect`]); `asl
//! coverage DIR` merges the files and prints the table, the JSON, or the workflow drawn with
//! the covered and uncovered parts coloured.

pub mod collect;
mod table;

use std::collections::HashMap;

use serde::{Deserialize, Serialize};

use crate::definition::Definition;
use crate::plan::{Kind, Plan, StatePlan};
use crate::trace::{Branch, Decision};
use crate::{Machine, Outcome};

/// What a test suite covered of one definition.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Report {
    /// The machine's name (its type's name).
    pub machine: String,
    /// The definition's file, as the macro call or build script named it.
    pub file: String,
    /// A fingerprint of the definition's text: reports merge only when it is the same.
    pub fingerprint: String,
    /// The definition as JSON text (to draw it).
    pub definition: String,
    /// The executions counted.
    pub executions: u64,
    /// Every state, nested ones included, in the definition's order.
    pub states: Vec<StateUse>,
    /// Every transition between two states of one container (by `Next`, a Choice branch or a
    /// Catcher).
    pub transitions: Vec<TransitionUse>,
    /// Every Choice rule and Default.
    pub branches: Vec<BranchUse>,
    /// Every Retrier.
    pub retriers: Vec<ClauseUse>,
    /// Every Catcher.
    pub catchers: Vec<ClauseUse>,
}

/// A state and how often it was entered.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct StateUse {
    /// Its name.
    pub name: String,
    /// Its type, as ASL names it (`Task`, `Choice`, …).
    #[serde(rename = "type")]
    pub state_type: String,
    /// How often it was entered.
    pub entered: u64,
}

/// A transition and how often it was taken.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct TransitionUse {
    /// The state left.
    pub from: String,
    /// The state entered next.
    pub to: String,
    /// How often.
    pub taken: u64,
}

/// A Choice branch and how often it was taken.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct BranchUse {
    /// The Choice state.
    pub state: String,
    /// The rule's index in `Choices` (from 0); `null` for the Default.
    pub rule: Option<usize>,
    /// Where the branch goes.
    pub next: String,
    /// How often it was taken.
    pub taken: u64,
}

impl BranchUse {
    /// The branch.
    pub fn branch(&self) -> Branch {
        self.rule.map_or(Branch::Default, Branch::Rule)
    }
}

/// A Retrier or Catcher and how often it was used.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ClauseUse {
    /// The state it belongs to.
    pub state: String,
    /// Its index in `Retry` or `Catch` (from 0).
    pub index: usize,
    /// Its `ErrorEquals`.
    pub errors: Vec<String>,
    /// A Catcher's `Next`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub next: Option<String>,
    /// How often it retried or caught.
    pub used: u64,
}

/// A part of a definition that no execution used.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Uncovered {
    /// A state never entered.
    State(String),
    /// A transition never taken.
    Transition {
        /// The state left.
        from: String,
        /// The state it would enter.
        to: String,
    },
    /// A Choice branch never taken.
    Branch {
        /// The Choice state.
        state: String,
        /// The branch.
        branch: Branch,
        /// Where it goes.
        next: String,
    },
    /// A Retrier that never retried.
    Retrier {
        /// The state.
        state: String,
        /// Its index in `Retry`.
        index: usize,
        /// Its `ErrorEquals`.
        errors: Vec<String>,
    },
    /// A Catcher that never caught.
    Catcher {
        /// The state.
        state: String,
        /// Its index in `Catch`.
        index: usize,
        /// Its `ErrorEquals`.
        errors: Vec<String>,
    },
}

impl std::fmt::Display for Uncovered {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Uncovered::State(s) => write!(f, "state      {s:?}"),
            Uncovered::Transition { from, to } => write!(f, "transition {from:?} → {to:?}"),
            Uncovered::Branch {
                state,
                branch,
                next,
            } => write!(f, "branch     {state:?} {branch} → {next:?}"),
            Uncovered::Retrier {
                state,
                index,
                errors,
            } => write!(
                f,
                "retrier    {state:?} Retry[{index}] {}",
                errors.join(", ")
            ),
            Uncovered::Catcher {
                state,
                index,
                errors,
            } => write!(
                f,
                "catcher    {state:?} Catch[{index}] {}",
                errors.join(", ")
            ),
        }
    }
}

/// Covered and total counts of one kind of part.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Tally {
    /// How many were used at least once.
    pub covered: usize,
    /// How many there are.
    pub total: usize,
}

impl Tally {
    fn of<T>(items: &[T], used: impl Fn(&T) -> bool) -> Self {
        Tally {
            covered: items.iter().filter(|i| used(i)).count(),
            total: items.len(),
        }
    }

    /// The covered share in percent (100 when there is nothing to cover).
    pub fn percent(self) -> f64 {
        if self.total == 0 {
            100.0
        } else {
            self.covered as f64 * 100.0 / self.total as f64
        }
    }

    fn add(self, other: Tally) -> Tally {
        Tally {
            covered: self.covered + other.covered,
            total: self.total + other.total,
        }
    }
}

/// Why two reports cannot merge.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MergeError(pub String);

impl std::fmt::Display for MergeError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for MergeError {}

impl Report {
    /// An empty report of `machine`'s definition: every part listed, none used.
    pub fn of(machine: &Machine) -> Self {
        Report::new(machine.name(), machine.definition(), machine.plan())
    }

    /// An empty report of the definition `plan` was made from.
    pub fn new(machine: &str, definition: &Definition, plan: &Plan) -> Self {
        let mut report = Report {
            machine: machine.to_owned(),
            file: definition.file.to_owned(),
            fingerprint: fingerprint(definition.source),
            definition: definition.source.to_owned(),
            executions: 0,
            states: Vec::new(),
            transitions: Vec::new(),
            branches: Vec::new(),
            retriers: Vec::new(),
            catchers: Vec::new(),
        };
        report.list(&plan.states);
        report
    }

    /// Lists the parts of one container, then of the containers inside its states.
    fn list(&mut self, states: &[StatePlan]) {
        let name = |i: usize| states.get(i).map(|s| s.name.to_string());
        for s in states {
            self.states.push(StateUse {
                name: s.name.to_string(),
                state_type: type_name(&s.kind).to_owned(),
                entered: 0,
            });
            let mut targets: Vec<String> = Vec::new();
            targets.extend(s.next.and_then(name));
            if let Kind::Choice { choices, default } = &s.kind {
                for (i, c) in choices.iter().enumerate() {
                    if let Some(next) = name(c.next) {
                        self.branches.push(BranchUse {
                            state: s.name.to_string(),
                            rule: Some(i),
                            next: next.clone(),
                            taken: 0,
                        });
                        targets.push(next);
                    }
                }
                if let Some(next) = default.and_then(name) {
                    self.branches.push(BranchUse {
                        state: s.name.to_string(),
                        rule: None,
                        next: next.clone(),
                        taken: 0,
                    });
                    targets.push(next);
                }
            }
            let (retry, catch) = match &s.kind {
                Kind::Task(t) => (&t.retry[..], &t.catch[..]),
                Kind::Parallel(p) => (&p.outcomes.retry[..], &p.outcomes.catch[..]),
                Kind::Map(m) => (&m.outcomes.retry[..], &m.outcomes.catch[..]),
                _ => (&[][..], &[][..]),
            };
            for (i, r) in retry.iter().enumerate() {
                self.retriers.push(ClauseUse {
                    state: s.name.to_string(),
                    index: i,
                    errors: r.error_equals.iter().map(|e| e.to_string()).collect(),
                    next: None,
                    used: 0,
                });
            }
            for (i, c) in catch.iter().enumerate() {
                let next = name(c.next);
                targets.extend(next.clone());
                self.catchers.push(ClauseUse {
                    state: s.name.to_string(),
                    index: i,
                    errors: c.error_equals.iter().map(|e| e.to_string()).collect(),
                    next,
                    used: 0,
                });
            }
            for to in targets {
                let known = self
                    .transitions
                    .iter()
                    .any(|t| t.from.as_str() == &*s.name && t.to == to);
                if !known {
                    self.transitions.push(TransitionUse {
                        from: s.name.to_string(),
                        to,
                        taken: 0,
                    });
                }
            }
        }
        for s in states {
            match &s.kind {
                Kind::Parallel(p) => {
                    for b in &p.branches {
                        self.list(&b.states);
                    }
                }
                Kind::Map(m) => self.list(&m.processor.states),
                _ => {}
            }
        }
    }

    /// Counts one execution's decisions (see [`Outcome::decisions`]).
    pub fn record(&mut self, outcome: &Outcome) {
        self.record_decisions(&outcome.decisions);
    }

    /// Counts one execution's decisions.
    pub fn record_decisions(&mut self, decisions: &[Decision]) {
        self.executions += 1;
        let states: HashMap<&str, usize> = self
            .states
            .iter()
            .enumerate()
            .map(|(i, s)| (s.name.as_str(), i))
            .collect();
        let mut entered = vec![0u64; self.states.len()];
        for d in decisions {
            match d {
                Decision::Entered { state } => {
                    if let Some(&i) = states.get(&**state) {
                        entered[i] += 1;
                    }
                }
                Decision::Moved { from, to } => {
                    if let Some(t) = self
                        .transitions
                        .iter_mut()
                        .find(|t| t.from == **from && t.to == **to)
                    {
                        t.taken += 1;
                    }
                }
                Decision::Chose { state, branch } => {
                    let rule = match branch {
                        Branch::Rule(i) => Some(*i),
                        Branch::Default => None,
                    };
                    if let Some(b) = self
                        .branches
                        .iter_mut()
                        .find(|b| b.state == **state && b.rule == rule)
                    {
                        b.taken += 1;
                    }
                }
                Decision::Retried { state, retrier } => {
                    if let Some(r) = self
                        .retriers
                        .iter_mut()
                        .find(|r| r.state == **state && r.index == *retrier)
                    {
                        r.used += 1;
                    }
                }
                Decision::Caught { state, catcher } => {
                    if let Some(c) = self
                        .catchers
                        .iter_mut()
                        .find(|c| c.state == **state && c.index == *catcher)
                    {
                        c.used += 1;
                    }
                }
            }
        }
        for (s, n) in self.states.iter_mut().zip(entered) {
            s.entered += n;
        }
    }

    /// Adds `other`'s counts (a report of the same definition) to this one's.
    pub fn merge(&mut self, other: &Report) -> Result<(), MergeError> {
        if other.fingerprint != self.fingerprint || other.machine != self.machine {
            return Err(MergeError(format!(
                "the report of {} ({}, definition {}) is of another definition than {} ({}, definition {})",
                other.machine,
                other.file,
                other.fingerprint,
                self.machine,
                self.file,
                self.fingerprint
            )));
        }
        self.executions += other.executions;
        for (a, b) in self.states.iter_mut().zip(&other.states) {
            a.entered += b.entered;
        }
        for (a, b) in self.transitions.iter_mut().zip(&other.transitions) {
            a.taken += b.taken;
        }
        for (a, b) in self.branches.iter_mut().zip(&other.branches) {
            a.taken += b.taken;
        }
        for (a, b) in self.retriers.iter_mut().zip(&other.retriers) {
            a.used += b.used;
        }
        for (a, b) in self.catchers.iter_mut().zip(&other.catchers) {
            a.used += b.used;
        }
        Ok(())
    }

    /// What no execution used, states first, then transitions, branches, Retriers, Catchers.
    pub fn uncovered(&self) -> Vec<Uncovered> {
        let mut out = Vec::new();
        out.extend(
            self.states
                .iter()
                .filter(|s| s.entered == 0)
                .map(|s| Uncovered::State(s.name.clone())),
        );
        out.extend(self.transitions.iter().filter(|t| t.taken == 0).map(|t| {
            Uncovered::Transition {
                from: t.from.clone(),
                to: t.to.clone(),
            }
        }));
        out.extend(
            self.branches
                .iter()
                .filter(|b| b.taken == 0)
                .map(|b| Uncovered::Branch {
                    state: b.state.clone(),
                    branch: b.branch(),
                    next: b.next.clone(),
                }),
        );
        out.extend(
            self.retriers
                .iter()
                .filter(|r| r.used == 0)
                .map(|r| Uncovered::Retrier {
                    state: r.state.clone(),
                    index: r.index,
                    errors: r.errors.clone(),
                }),
        );
        out.extend(
            self.catchers
                .iter()
                .filter(|c| c.used == 0)
                .map(|c| Uncovered::Catcher {
                    state: c.state.clone(),
                    index: c.index,
                    errors: c.errors.clone(),
                }),
        );
        out
    }

    /// States entered of all states.
    pub fn states_tally(&self) -> Tally {
        Tally::of(&self.states, |s| s.entered > 0)
    }

    /// Transitions taken of all transitions.
    pub fn transitions_tally(&self) -> Tally {
        Tally::of(&self.transitions, |t| t.taken > 0)
    }

    /// Choice branches taken of all branches.
    pub fn branches_tally(&self) -> Tally {
        Tally::of(&self.branches, |b| b.taken > 0)
    }

    /// Retriers used of all Retriers.
    pub fn retriers_tally(&self) -> Tally {
        Tally::of(&self.retriers, |r| r.used > 0)
    }

    /// Catchers used of all Catchers.
    pub fn catchers_tally(&self) -> Tally {
        Tally::of(&self.catchers, |c| c.used > 0)
    }

    /// Every part together.
    pub fn total(&self) -> Tally {
        self.states_tally()
            .add(self.transitions_tally())
            .add(self.branches_tally())
            .add(self.retriers_tally())
            .add(self.catchers_tally())
    }
}

/// The state type's name as ASL writes it.
fn type_name(kind: &Kind) -> &'static str {
    match kind {
        Kind::Pass { .. } => "Pass",
        Kind::Task(_) => "Task",
        Kind::Choice { .. } => "Choice",
        Kind::Wait(_) => "Wait",
        Kind::Succeed => "Succeed",
        Kind::Fail { .. } => "Fail",
        Kind::Parallel(_) => "Parallel",
        Kind::Map(_) => "Map",
    }
}

/// The first 16 hex digits of the SHA-256 of `text`.
fn fingerprint(text: &str) -> String {
    use sha2::Digest as _;
    let digest = sha2::Sha256::digest(text.as_bytes());
    digest.iter().take(8).map(|b| format!("{b:02x}")).collect()
}
