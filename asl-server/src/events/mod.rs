//! EventBridge: the event pattern language, compiled once per rule and matched per event.

pub mod pattern;
