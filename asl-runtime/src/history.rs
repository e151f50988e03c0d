//! Execution history, event by event, numbered as AWS numbers them (so causes that cite
//! "entered at the event id #N" agree with AWS).

use serde_json::Value;

/// One history event, as GetExecutionHistory reports it.
#[derive(Clone, Debug, PartialEq)]
pub struct Event {
    /// 1-based id.
    pub id: u64,
    /// The id of the event before it (0 for the first).
    pub previous_event_id: u64,
    /// When it happened, by the execution's clock.
    pub timestamp: jiff::Timestamp,
    /// The event type (`ExecutionStarted`, `TaskStateEntered`, `TaskSucceeded`, …).
    pub kind: &'static str,
    /// The event's details (`name`, `input`, `output`, `error`, `cause`, …).
    pub details: Value,
}

/// An execution's history.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct History {
    events: Vec<Event>,
}

impl History {
    /// Appends an event and returns its id.
    pub fn push(&mut self, timestamp: jiff::Timestamp, kind: &'static str, details: Value) -> u64 {
        let id = self.events.len() as u64 + 1;
        self.events.push(Event {
            id,
            previous_event_id: id - 1,
            timestamp,
            kind,
            details,
        });
        id
    }

    /// The events so far.
    pub fn events(&self) -> &[Event] {
        &self.events
    }

    /// The id the next event will get.
    pub fn next_id(&self) -> u64 {
        self.events.len() as u64 + 1
    }
}
