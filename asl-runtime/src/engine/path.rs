//! What an execution went through, read from its history: the states entered in order, how
//! often a state's task was retried; from its decisions, the Choice branches, Retriers and
//! Catchers taken; and a test assertion on the path with a readable diff.

use super::Outcome;
use crate::history::Event;
use crate::trace::{Branch, Decision};

/// The states entered, in order (states inside Parallel branches and Map iterations too), as
/// the history records them.
pub fn path(events: &[Event]) -> Vec<&str> {
    events
        .iter()
        .filter_map(|e| e.kind.entered().map(|d| d.name.as_ref()))
        .collect()
}

/// How many times the Task state `state` was retried: its handler calls beyond the first of
/// each time it was entered.
pub fn retries(events: &[Event], state: &str) -> usize {
    let mut current: Option<&str> = None;
    let mut calls: usize = 0;
    let mut entries: usize = 0;
    for e in events {
        if let Some(d) = e.kind.entered() {
            current = Some(d.name.as_ref());
            if d.name.as_ref() == state {
                entries += 1;
            }
        } else if e.kind.name() == "TaskScheduled" && current == Some(state) {
            calls += 1;
        }
    }
    calls.saturating_sub(entries)
}

impl Outcome {
    /// The states the execution entered, in order (see [`path`]); empty when its history was
    /// not kept.
    pub fn path(&self) -> Vec<&str> {
        path(self.history.events())
    }

    /// Whether the execution entered the state named `state`.
    pub fn visited(&self, state: &str) -> bool {
        self.path().contains(&state)
    }

    /// How many times the Task state `state` was retried (see [`retries`]).
    pub fn retries(&self, state: &str) -> usize {
        retries(self.history.events(), state)
    }

    /// The branches the Choice state `state` took, once per time it ran, in order (empty
    /// when decisions were not traced: see [`Outcome::decisions`]).
    pub fn branches(&self, state: &str) -> Vec<Branch> {
        self.decisions
            .iter()
            .filter_map(|d| match d {
                Decision::Chose { state: s, branch } if &**s == state => Some(*branch),
                _ => None,
            })
            .collect()
    }

    /// The Catchers (by their index in `Catch`, from 0) that caught the errors of `state`,
    /// in order.
    pub fn catchers(&self, state: &str) -> Vec<usize> {
        self.decisions
            .iter()
            .filter_map(|d| match d {
                Decision::Caught { state: s, catcher } if &**s == state => Some(*catcher),
                _ => None,
            })
            .collect()
    }

    /// The Retriers (by their index in `Retry`, from 0) that retried `state`, once per retry,
    /// in order.
    pub fn retriers(&self, state: &str) -> Vec<usize> {
        self.decisions
            .iter()
            .filter_map(|d| match d {
                Decision::Retried { state: s, retrier } if &**s == state => Some(*retrier),
                _ => None,
            })
            .collect()
    }

    /// Asserts that the execution entered exactly the states `expected`, in order.
    ///
    /// # Panics
    /// When it did not, with both paths side by side and the first difference marked.
    #[track_caller]
    pub fn assert_path(&self, expected: &[&str]) {
        let actual = self.path();
        if actual == expected {
            return;
        }
        panic!("{}", path_diff(expected, &actual));
    }
}

/// The expected and actual paths side by side, the first difference marked.
fn path_diff(expected: &[&str], actual: &[&str]) -> String {
    let width = expected.iter().map(|s| s.len()).max().unwrap_or(0).max(8);
    let first = expected
        .iter()
        .zip(actual)
        .position(|(e, a)| e != a)
        .unwrap_or(expected.len().min(actual.len()));
    let mut out = format!(
        "the execution took another path (first difference at step {}):\n    {:<width$}   actual\n",
        first + 1,
        "expected"
    );
    for i in 0..expected.len().max(actual.len()) {
        let e = expected.get(i).copied().unwrap_or("-");
        let a = actual.get(i).copied().unwrap_or("-");
        let mark = if i == first {
            ">>"
        } else if e == a {
            "  "
        } else {
            " ~"
        };
        out.push_str(&format!("{mark}  {e:<width$}   {a}\n"));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_diff_marks_the_first_difference() {
        let diff = path_diff(&["A", "B", "C"], &["A", "X"]);
        assert!(diff.contains("first difference at step 2"), "{diff}");
        assert!(diff.contains(">>  B"), "{diff}");
        assert!(diff.contains(" ~  C"), "{diff}");
    }
}
