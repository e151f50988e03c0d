//! Throttling as AWS throttles the Step Functions API: a token bucket per operation, with AWS's
//! default bucket sizes and refill rates (those of its larger regions), configurable; a call
//! that finds its bucket empty is `ThrottlingException` ("Rate exceeded"), which the AWS SDKs
//! retry with back-off.

use std::collections::HashMap;
use std::num::NonZeroU32;

use governor::{DefaultDirectRateLimiter, Quota, RateLimiter};

use crate::error::ApiError;

/// One operation's bucket: how many calls it holds, and how many it regains a second.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Bucket {
    /// The most calls in a burst.
    pub size: u32,
    /// Calls regained a second.
    pub refill_per_second: u32,
}

impl Bucket {
    /// A bucket of `size` calls regaining `refill_per_second` a second.
    pub const fn new(size: u32, refill_per_second: u32) -> Self {
        Bucket {
            size,
            refill_per_second,
        }
    }
}

/// AWS's default buckets for the operations the server answers (Step Functions service
/// quotas, API action throttling, larger regions).
pub const AWS_DEFAULTS: &[(&str, Bucket)] = &[
    ("CreateStateMachine", Bucket::new(100, 1)),
    ("DeleteStateMachine", Bucket::new(100, 1)),
    ("DescribeExecution", Bucket::new(250, 15)),
    ("DescribeStateMachine", Bucket::new(200, 20)),
    ("DescribeStateMachineForExecution", Bucket::new(200, 1)),
    ("GetExecutionHistory", Bucket::new(400, 20)),
    ("ListExecutions", Bucket::new(100, 2)),
    ("ListStateMachines", Bucket::new(100, 5)),
    ("ListTagsForResource", Bucket::new(100, 1)),
    ("SendTaskFailure", Bucket::new(3000, 500)),
    ("SendTaskHeartbeat", Bucket::new(3000, 500)),
    ("SendTaskSuccess", Bucket::new(3000, 500)),
    ("StartExecution", Bucket::new(1300, 300)),
    ("StartSyncExecution", Bucket::new(6000, 6000)),
    ("StopExecution", Bucket::new(1000, 200)),
    ("TagResource", Bucket::new(200, 1)),
    ("UntagResource", Bucket::new(200, 1)),
    ("UpdateStateMachine", Bucket::new(200, 1)),
    ("ValidateStateMachineDefinition", Bucket::new(100, 1)),
];

/// Which operations are throttled, and how.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Throttle {
    buckets: HashMap<String, Bucket>,
}

impl Default for Throttle {
    fn default() -> Self {
        Self::aws()
    }
}

impl Throttle {
    /// AWS's defaults ([`AWS_DEFAULTS`]).
    pub fn aws() -> Self {
        Throttle {
            buckets: AWS_DEFAULTS
                .iter()
                .map(|(op, b)| ((*op).to_owned(), *b))
                .collect(),
        }
    }

    /// No throttling at all (for load tests of the server itself).
    pub fn unlimited() -> Self {
        Throttle {
            buckets: HashMap::new(),
        }
    }

    /// `operation` throttled with `bucket` instead.
    pub fn with(mut self, operation: &str, bucket: Bucket) -> Self {
        self.buckets.insert(operation.to_owned(), bucket);
        self
    }

    /// `operation` not throttled.
    pub fn without(mut self, operation: &str) -> Self {
        self.buckets.remove(operation);
        self
    }

    /// The bucket of `operation`, if it is throttled.
    pub fn bucket(&self, operation: &str) -> Option<Bucket> {
        self.buckets.get(operation).copied()
    }
}

/// The live buckets of a server.
#[derive(Debug)]
pub(crate) struct Limiters {
    by_operation: HashMap<String, DefaultDirectRateLimiter>,
}

impl Limiters {
    pub fn new(throttle: &Throttle) -> Self {
        let by_operation = throttle
            .buckets
            .iter()
            .filter_map(|(op, b)| {
                let refill = NonZeroU32::new(b.refill_per_second)?;
                let size = NonZeroU32::new(b.size)?;
                let quota = Quota::per_second(refill).allow_burst(size);
                Some((op.clone(), RateLimiter::direct(quota)))
            })
            .collect();
        Limiters { by_operation }
    }

    /// Takes a token for a call of `operation` (`ThrottlingException` when there is none).
    pub fn take(&self, operation: &str) -> Result<(), ApiError> {
        match self.by_operation.get(operation) {
            Some(limiter) if limiter.check().is_err() => {
                Err(ApiError::new("ThrottlingException", "Rate exceeded"))
            }
            _ => Ok(()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_burst_past_the_bucket_is_throttled() {
        let limiters =
            Limiters::new(&Throttle::unlimited().with("StartExecution", Bucket::new(3, 1)));
        for _ in 0..3 {
            assert!(limiters.take("StartExecution").is_ok());
        }
        let refused = limiters
            .take("StartExecution")
            .expect_err("the bucket is empty");
        assert_eq!(
            (refused.code, refused.message.as_str()),
            ("ThrottlingException", "Rate exceeded")
        );
        assert!(limiters.take("DescribeExecution").is_ok(), "not throttled");
    }

    #[test]
    fn awss_default_buckets() {
        let t = Throttle::aws();
        assert_eq!(t.bucket("StartExecution"), Some(Bucket::new(1300, 300)));
        assert_eq!(t.bucket("SendTaskSuccess"), Some(Bucket::new(3000, 500)));
        assert_eq!(t.bucket("GetExecutionHistory"), Some(Bucket::new(400, 20)));
        assert_eq!(Throttle::unlimited().bucket("StartExecution"), None);
    }
}
