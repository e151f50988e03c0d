//! Task resources served on the AWS SDK for Rust: [`Aws`] answers for every resource
//! `asl_lang::resource::served` lists whose service this build has (one cargo feature per
//! service), with AWS's parameters, results and error names.

use std::sync::Arc;
use std::time::Duration;

use asl_runtime::integration::{Serves, Services, service};
use asl_runtime::lang::resource::{self, Integration, Pattern, Service};
use asl_runtime::{BoxFuture, BoxHandler, Failure, TaskCall};
use aws_types::SdkConfig;
use serde_json::Value;

mod error;
mod params;

#[cfg(feature = "dynamodb")]
mod dynamodb;
#[cfg(feature = "eventbridge")]
mod eventbridge;
#[cfg(feature = "lambda")]
mod lambda;
#[cfg(feature = "s3")]
mod s3;
#[cfg(feature = "sfn")]
mod sfn;
#[cfg(feature = "sns")]
mod sns;
#[cfg(feature = "sqs")]
mod sqs;

#[cfg(feature = "s3")]
pub use s3::S3Items;

/// The AWS services Task resources name, served through the AWS SDK for Rust with one
/// [`SdkConfig`] (credentials, region, endpoint): give it to a generated builder with
/// [`WithAws::with_aws`](crate::WithAws::with_aws) or `with_services`.
///
/// Each Task gets what Step Functions would send the service (its effective `Parameters`)
/// and each service's answer becomes the state's result as Step Functions shapes it; a
/// service's error becomes the task's failure named as AWS names it (`DynamoDB.…` for the
/// optimized integrations, `DynamoDb.…Exception` for `aws-sdk:` ones), so Retry and Catch
/// written for AWS behave the same.
#[derive(Clone, Debug)]
pub struct Aws {
    inner: Arc<Clients>,
}

#[derive(Clone, Debug)]
struct Clients {
    #[cfg(feature = "lambda")]
    lambda: aws_sdk_lambda::Client,
    #[cfg(feature = "sns")]
    sns: aws_sdk_sns::Client,
    #[cfg(feature = "sqs")]
    sqs: aws_sdk_sqs::Client,
    #[cfg(feature = "eventbridge")]
    eventbridge: aws_sdk_eventbridge::Client,
    #[cfg(feature = "dynamodb")]
    dynamodb: aws_sdk_dynamodb::Client,
    #[cfg(feature = "s3")]
    s3: aws_sdk_s3::Client,
    #[cfg(feature = "sfn")]
    sfn: aws_sdk_sfn::Client,
    /// How often a `.sync` integration asks whether its job has finished.
    poll_interval: Duration,
}

impl Aws {
    /// Clients for every service this build serves, from `config`.
    pub fn new(config: &SdkConfig) -> Self {
        Aws {
            inner: Arc::new(Clients {
                #[cfg(feature = "lambda")]
                lambda: aws_sdk_lambda::Client::new(config),
                #[cfg(feature = "sns")]
                sns: aws_sdk_sns::Client::new(config),
                #[cfg(feature = "sqs")]
                sqs: aws_sdk_sqs::Client::new(config),
                #[cfg(feature = "eventbridge")]
                eventbridge: aws_sdk_eventbridge::Client::new(config),
                #[cfg(feature = "dynamodb")]
                dynamodb: aws_sdk_dynamodb::Client::new(config),
                #[cfg(feature = "s3")]
                s3: s3::client(config),
                #[cfg(feature = "sfn")]
                sfn: aws_sdk_sfn::Client::new(config),
                poll_interval: Duration::from_secs(5),
            }),
        }
    }

    /// The same services, with `.sync` integrations (`states:startExecution.sync`) asking
    /// every `interval` whether their job has finished (5 seconds otherwise).
    pub fn with_poll_interval(self, interval: Duration) -> Self {
        let mut clients = Arc::unwrap_or_clone(self.inner);
        clients.poll_interval = interval;
        Aws {
            inner: Arc::new(clients),
        }
    }

    /// Whether this build serves `resource` (its service's feature is on, and
    /// `asl_lang::resource::served` lists it).
    pub fn serves(&self, resource: &str) -> bool {
        resource::served(resource).is_some_and(built)
    }
}

/// Whether this build has `service`'s feature.
fn built(service: Service) -> bool {
    match service {
        Service::Lambda => cfg!(feature = "lambda"),
        Service::Sns => cfg!(feature = "sns"),
        Service::Sqs => cfg!(feature = "sqs"),
        Service::EventBridge => cfg!(feature = "eventbridge"),
        Service::DynamoDb => cfg!(feature = "dynamodb"),
        Service::S3 => cfg!(feature = "s3"),
        Service::StepFunctions => cfg!(feature = "sfn"),
    }
}

/// What one Task's handler calls, parsed once when the handler is made.
#[derive(Clone, Debug)]
#[allow(dead_code)] // Which fields a service reads depends on the features built.
pub(crate) struct Call {
    /// The action (`putItem`).
    pub action: String,
    /// Whether it is an `aws-sdk:` integration.
    pub sdk: bool,
    /// The integration pattern.
    pub pattern: Pattern,
    /// The prefix of the service's error names (`DynamoDB` or `DynamoDb`).
    pub errors: &'static str,
}

impl Services for Aws {
    fn handler(&self, resource: &str) -> Option<BoxHandler> {
        let service = resource::served(resource).filter(|s| built(*s))?;
        #[allow(unused_variables)]
        let clients = self.inner.clone();
        if resource::is_function_arn(resource) {
            #[cfg(feature = "lambda")]
            return Some(lambda::function(clients, resource.to_owned()));
        }
        let Integration {
            sdk,
            service: name,
            action,
            pattern,
        } = resource::integration(resource)?;
        #[allow(unused_variables)]
        let call = Call {
            action: action.to_owned(),
            sdk,
            pattern,
            errors: error::prefix(name, sdk),
        };
        match service {
            #[cfg(feature = "lambda")]
            Service::Lambda => Some(lambda::handler(clients, call)),
            #[cfg(feature = "sns")]
            Service::Sns => Some(sns::handler(clients, call)),
            #[cfg(feature = "sqs")]
            Service::Sqs => Some(sqs::handler(clients, call)),
            #[cfg(feature = "eventbridge")]
            Service::EventBridge => Some(eventbridge::handler(clients, call)),
            #[cfg(feature = "dynamodb")]
            Service::DynamoDb => Some(dynamodb::handler(clients, call)),
            #[cfg(feature = "s3")]
            Service::S3 => Some(s3::handler(clients, call)),
            #[cfg(feature = "sfn")]
            Service::StepFunctions => Some(sfn::handler(clients, call)),
            #[allow(unreachable_patterns)]
            _ => None,
        }
    }
}

/// What a service does for one call: its answer from the effective parameters.
#[allow(dead_code)]
type Run = fn(Arc<Clients>, Arc<Call>, Value) -> BoxFuture<'static, Result<Value, Failure>>;

/// A raw handler (it takes the effective Parameters and gives the state's whole result)
/// that runs `run`.
#[allow(dead_code)]
fn boxed(clients: Arc<Clients>, call: Call, run: Run) -> BoxHandler {
    let call = Arc::new(call);
    Arc::new(move |params: Value, _: &TaskCall<'_>| run(clients.clone(), call.clone(), params))
}

/// `Set` when the feature is on, the slot unchanged when it is off: a Task state whose
/// service this build lacks still needs a handler of its own to compile.
macro_rules! serves {
    ($marker:ident, $feature:literal) => {
        #[cfg(feature = $feature)]
        impl Serves<service::$marker> for Aws {
            type Slot<H> = asl_runtime::handler::Set;
        }
        #[cfg(not(feature = $feature))]
        impl Serves<service::$marker> for Aws {
            type Slot<H> = H;
        }
    };
}

serves!(Lambda, "lambda");
serves!(Sns, "sns");
serves!(Sqs, "sqs");
serves!(EventBridge, "eventbridge");
serves!(DynamoDb, "dynamodb");
serves!(S3, "s3");
serves!(StepFunctions, "sfn");
