//! EventBridge: the event pattern language, compiled once per rule and matched per event, and
//! what a rule's target is given.

pub mod bus;
pub(crate) mod delivery;
pub mod pattern;
pub mod schedule;
pub mod transform;
