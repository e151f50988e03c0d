//! Schedule rules: `rate(N minute|minutes|hour|hours|day|days)` and AWS's six-field
//! `cron(minutes hours day-of-month month day-of-week year)` in UTC (`?`, `L`, `W`, `#`,
//! ranges, lists, steps; day-of-week 1-7 is SUN-SAT; one of the two day fields is `?`), read
//! with croner. A firing starts the rule's targets with EventBridge's `Scheduled Event`,
//! through the durable deliveries (one execution per firing, even across a restart).
//!
//! Firings missed while the server was down are not made up: as EventBridge, the schedule
//! goes on from the first firing after the server starts.

use std::collections::HashMap;
use std::sync::Arc;
use std::time::Duration;

use croner::Cron;
use croner::parser::{CronParser, Seconds, Year};
use serde_json::json;

use crate::api::Api;

/// A parsed schedule expression.
#[derive(Clone, Debug)]
pub enum Schedule {
    /// Every so long.
    Rate(Duration),
    /// At the times a cron pattern names (UTC).
    Cron(Box<Cron>),
}

impl Schedule {
    /// Reads `rate(...)` or `cron(...)` as AWS does (the reason when it does not read).
    pub fn parse(expression: &str) -> Result<Schedule, String> {
        if let Some(rate) = expression
            .strip_prefix("rate(")
            .and_then(|r| r.strip_suffix(')'))
        {
            let mut parts = rate.split_whitespace();
            let n = parts
                .next()
                .and_then(|n| n.parse::<u64>().ok())
                .filter(|n| *n > 0);
            let unit = parts.next();
            let seconds = match (n, unit, parts.next()) {
                (Some(1), Some("minute"), None) => 60,
                (Some(1), Some("hour"), None) => 3600,
                (Some(1), Some("day"), None) => 86_400,
                (Some(n), Some("minutes"), None) if n > 1 => n * 60,
                (Some(n), Some("hours"), None) if n > 1 => n * 3600,
                (Some(n), Some("days"), None) if n > 1 => n * 86_400,
                _ => {
                    return Err(format!(
                        "'{expression}': a rate is rate(1 minute|hour|day) or rate(N minutes|hours|days)"
                    ));
                }
            };
            return Ok(Schedule::Rate(Duration::from_secs(seconds)));
        }
        let Some(fields) = expression
            .strip_prefix("cron(")
            .and_then(|c| c.strip_suffix(')'))
        else {
            return Err(format!("'{expression}' is neither rate(...) nor cron(...)"));
        };
        let parts: Vec<&str> = fields.split_whitespace().collect();
        if parts.len() != 6 {
            return Err(format!(
                "'{expression}': cron has six fields (minutes hours day-of-month month day-of-week year)"
            ));
        }
        if (parts[2] == "?") == (parts[4] == "?") {
            return Err(format!(
                "'{expression}': one of day-of-month and day-of-week is ?, and only one"
            ));
        }
        let parser = CronParser::builder()
            .seconds(Seconds::Required)
            .year(Year::Required)
            .alternative_weekdays(true)
            .sloppy_ranges(true)
            .build();
        let cron = parser
            .parse(&format!("0 {fields}"))
            .map_err(|e| format!("'{expression}': {e}"))?;
        Ok(Schedule::Cron(Box::new(cron)))
    }

    /// The first firing strictly after `after`, if there is one.
    pub fn next_after(&self, after: jiff::Timestamp) -> Option<jiff::Timestamp> {
        match self {
            Schedule::Rate(period) => after
                .checked_add(jiff::SignedDuration::try_from(*period).ok()?)
                .ok(),
            Schedule::Cron(cron) => {
                let at = after.to_zoned(jiff::tz::TimeZone::UTC);
                cron.find_next_occurrence(&at, false)
                    .ok()
                    .map(|z| z.timestamp())
            }
        }
    }
}

/// Wall-clock time that follows tokio's clock (so that under a paused clock, in tests, a day of
/// schedules passes in no real time).
#[derive(Clone, Copy, Debug)]
struct Clock {
    wall: jiff::Timestamp,
    instant: tokio::time::Instant,
}

impl Clock {
    fn now(&self) -> jiff::Timestamp {
        let elapsed = jiff::SignedDuration::try_from(self.instant.elapsed()).unwrap_or_default();
        self.wall.checked_add(elapsed).unwrap_or(self.wall)
    }

    fn instant_at(&self, t: jiff::Timestamp) -> tokio::time::Instant {
        let ahead = t.duration_since(self.wall);
        match Duration::try_from(ahead) {
            Ok(d) => self.instant + d,
            Err(_) => self.instant,
        }
    }
}

/// An enabled schedule rule: its (bus, name), expression, targets and ARN.
type Scheduled = (
    (String, String),
    String,
    Vec<crate::events::bus::Target>,
    String,
);

/// Runs the server's schedule rules until the runtime ends: sleeps until the next firing of
/// any enabled schedule rule (or until the rules change), then fires what is due.
pub(crate) fn spawn(api: Arc<Api>) {
    tokio::spawn(async move {
        let clock = Clock {
            wall: jiff::Timestamp::now(),
            instant: tokio::time::Instant::now(),
        };
        // Each schedule rule's expression and next firing, by (bus, rule).
        let mut next: HashMap<(String, String), (String, jiff::Timestamp)> = HashMap::new();
        loop {
            let now = clock.now();
            let rules: Vec<Scheduled> = api
                .events()
                .buses
                .values()
                .flat_map(|b| b.rules().values().map(move |r| (b, r)))
                .filter(|(_, r)| r.enabled)
                .filter_map(|(b, r)| {
                    let s = r.schedule.clone()?;
                    Some((
                        (b.name.clone(), r.name.clone()),
                        s,
                        r.targets.values().cloned().collect(),
                        r.arn.clone(),
                    ))
                })
                .collect();
            next.retain(|k, (expr, _)| rules.iter().any(|(key, e, _, _)| key == k && e == expr));
            let mut earliest: Option<jiff::Timestamp> = None;
            for (key, expression, targets, arn) in &rules {
                let Ok(schedule) = Schedule::parse(expression) else {
                    continue;
                };
                let entry = next.entry(key.clone()).or_insert_with(|| {
                    (
                        expression.clone(),
                        schedule.next_after(now).unwrap_or(jiff::Timestamp::MAX),
                    )
                });
                if entry.1 <= now {
                    fire(&api, &key.0, arn, &key.1, targets, entry.1);
                    entry.1 = schedule
                        .next_after(entry.1.max(now))
                        .unwrap_or(jiff::Timestamp::MAX);
                }
                earliest = Some(earliest.map_or(entry.1, |e: jiff::Timestamp| e.min(entry.1)));
            }
            let wake = earliest.map(|t| clock.instant_at(t));
            tokio::select! {
                () = api.schedules_changed.notified() => {}
                () = async {
                    match wake {
                        Some(at) => tokio::time::sleep_until(at).await,
                        None => std::future::pending().await,
                    }
                } => {}
            }
        }
    });
}

/// One firing of a schedule rule: its targets get EventBridge's `Scheduled Event`.
fn fire(
    api: &Arc<Api>,
    bus: &str,
    rule_arn: &str,
    rule: &str,
    targets: &[crate::events::bus::Target],
    at: jiff::Timestamp,
) {
    let time = at.strftime("%Y-%m-%dT%H:%M:%SZ").to_string();
    // The event's id is the firing's: the same firing delivered twice is one execution.
    let id = format!("{rule_arn}@{time}");
    let event = json!({
        "version": "0",
        "id": firing_id(&id),
        "detail-type": "Scheduled Event",
        "source": "aws.events",
        "account": api.account,
        "time": time,
        "region": api.region,
        "resources": [rule_arn],
        "detail": {},
    });
    tracing::info!(rule = %rule, time = %time, "schedule fired");
    for target in targets {
        let delivery = crate::events::bus::Delivery {
            rule: rule.to_owned(),
            target: target.id.clone(),
            state_machine_arn: target.arn.clone(),
            input: target.input.apply(&event),
        };
        let name = crate::events::delivery::execution_name(&id, bus, &delivery);
        let record = crate::events::delivery::record(&name, &delivery);
        if let Some(store) = &api.store
            && let Err(e) =
                store.put_resources(&[(crate::events::delivery::PENDING, &name, Some(&record))])
        {
            tracing::error!(rule = %rule, error = %e, "a schedule's firing could not be recorded");
        }
        crate::events::delivery::spawn(api.clone(), name, record);
    }
}

/// A uuid made of a firing's text (the same firing, the same id).
fn firing_id(text: &str) -> String {
    use sha2::Digest as _;
    let hash = sha2::Sha256::digest(text.as_bytes());
    let mut bytes = [0u8; 16];
    bytes.copy_from_slice(&hash[..16]);
    uuid::Builder::from_random_bytes(bytes)
        .into_uuid()
        .to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(text: &str) -> jiff::Timestamp {
        text.parse().expect("a time")
    }

    #[test]
    fn rates_and_crons_as_aws_reads_them() {
        let t = at("2026-11-30T10:15:00Z");
        let hourly = Schedule::parse("rate(1 hour)").expect("valid");
        assert_eq!(hourly.next_after(t), Some(at("2026-11-30T11:15:00Z")));
        assert!(Schedule::parse("rate(1 hours)").is_err());
        assert!(Schedule::parse("rate(5 minute)").is_err());
        let noon = Schedule::parse("cron(0 12 * * ? *)").expect("valid");
        assert_eq!(noon.next_after(t), Some(at("2026-11-30T12:00:00Z")));
        // Day-of-week 2 is Monday (1 is Sunday); 2026-11-30 is a Monday.
        let mondays = Schedule::parse("cron(0 9 ? * 2 *)").expect("valid");
        assert_eq!(mondays.next_after(t), Some(at("2026-12-07T09:00:00Z")));
        let last = Schedule::parse("cron(0 0 L * ? *)").expect("valid");
        // November's last day began before `t`: December's is next.
        assert_eq!(last.next_after(t), Some(at("2026-12-31T00:00:00Z")),);
        let second_friday = Schedule::parse("cron(30 8 ? * 6#2 *)").expect("valid");
        assert_eq!(
            second_friday.next_after(t),
            Some(at("2026-12-11T08:30:00Z"))
        );
        let every_15 = Schedule::parse("cron(0/15 * * * ? *)").expect("valid");
        assert_eq!(every_15.next_after(t), Some(at("2026-11-30T10:30:00Z")));
        assert!(
            Schedule::parse("cron(0 12 * * * *)").is_err(),
            "both day fields"
        );
        assert!(Schedule::parse("cron(0 12 * *)").is_err());
    }
}
