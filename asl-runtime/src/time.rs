//! Time: timestamps as ASL writes them, and the clock executions read.
//!
//! Executions wait with tokio's timers and read the time from an [`ExecutionClock`] tied to
//! them, so under a paused tokio runtime (`#[tokio::test(start_paused = true)]`, or
//! `tokio::time::pause()`) time is virtual: a `Wait` of a day, a retry back-off or a timeout
//! completes at once, and `$$.State.EnteredTime` still moves on by exactly that much.

use std::time::Duration;

/// Parses an RFC 3339 timestamp as Step Functions accepts it (uppercase `T` and `Z`,
/// fractional seconds, numeric offsets): [`asl_lang::timestamp::parse`].
pub fn parse_timestamp(s: &str) -> Result<jiff::Timestamp, String> {
    asl_lang::timestamp::parse(s)
}

/// Wall-clock time that follows tokio's clock (and so pauses and jumps with it).
#[derive(Clone, Copy, Debug)]
pub struct ExecutionClock {
    base: jiff::Timestamp,
    started: tokio::time::Instant,
}

impl ExecutionClock {
    /// A clock reading the system time now.
    pub fn system() -> Self {
        ExecutionClock::starting_at(jiff::Timestamp::now())
    }

    /// A clock that reads `start` now, and moves on with tokio's time.
    pub fn starting_at(start: jiff::Timestamp) -> Self {
        ExecutionClock {
            base: start,
            started: tokio::time::Instant::now(),
        }
    }

    /// Now.
    pub fn now(&self) -> jiff::Timestamp {
        let elapsed = self.started.elapsed();
        let span = jiff::SignedDuration::try_from(elapsed).unwrap_or(jiff::SignedDuration::MAX);
        self.base.checked_add(span).unwrap_or(self.base)
    }

    /// How long from now until `t` (zero if it is past).
    pub fn until(&self, t: jiff::Timestamp) -> Duration {
        let d = t.duration_since(self.now());
        Duration::try_from(d).unwrap_or(Duration::ZERO)
    }
}

/// How long the waits a definition asks for take: `Wait` states and Retry back-offs (not
/// timeouts: `TimeoutSeconds` and `HeartbeatSeconds` keep their length, so a task that would
/// time out on AWS still does). For integration tests through a server, where tokio's clock
/// cannot be paused: [`Machine::with_waits`](crate::Machine::with_waits).
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub enum Waits {
    /// As written (the default).
    #[default]
    Real,
    /// Each wait multiplied by the factor (`0.01`: a minute's Wait takes 0.6 s).
    Scaled(f64),
    /// No waiting at all.
    Skipped,
}

impl Waits {
    /// Waits scaled by `factor` (a finite number ≥ 0; anything else leaves them real).
    pub fn scaled(factor: f64) -> Self {
        if factor.is_finite() && factor >= 0.0 {
            Waits::Scaled(factor)
        } else {
            Waits::Real
        }
    }

    /// How long a wait of `d` takes.
    #[inline]
    pub fn apply(self, d: Duration) -> Duration {
        match self {
            Waits::Real => d,
            Waits::Scaled(f) => Duration::try_from_secs_f64(d.as_secs_f64() * f).unwrap_or(d),
            Waits::Skipped => Duration::ZERO,
        }
    }
}

/// Renders a timestamp as Step Functions does in the context object (`2024-01-02T03:04:05.678Z`).
pub fn format_timestamp(t: jiff::Timestamp) -> String {
    let millis = t.round(jiff::Unit::Millisecond).unwrap_or(t);
    format!("{}", millis.strftime("%Y-%m-%dT%H:%M:%S%.3fZ"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn timestamps() {
        assert!(parse_timestamp("2016-03-14T01:59:00Z").is_ok());
        assert!(parse_timestamp("2016-03-14T01:59:00.123456789+01:00").is_ok());
        assert!(parse_timestamp("2016-03-14t01:59:00z").is_err());
        assert!(parse_timestamp("2016-03-14 01:59:00Z").is_err());
    }

    #[test]
    fn waits_scale_or_vanish() {
        let minute = Duration::from_secs(60);
        assert_eq!(Waits::Real.apply(minute), minute);
        assert_eq!(
            Waits::scaled(0.01).apply(minute),
            Duration::from_millis(600)
        );
        assert_eq!(Waits::Skipped.apply(minute), Duration::ZERO);
        assert_eq!(Waits::scaled(f64::NAN), Waits::Real);
        assert_eq!(Waits::scaled(-1.0), Waits::Real);
    }

    #[tokio::test(start_paused = true)]
    async fn paused_time_is_virtual() {
        let clock = ExecutionClock::starting_at(jiff::Timestamp::UNIX_EPOCH);
        tokio::time::sleep(Duration::from_secs(86_400)).await;
        assert_eq!(clock.now().as_second(), 86_400);
        assert_eq!(format_timestamp(clock.now()), "1970-01-02T00:00:00.000Z");
    }
}
