//! Ready-made handlers for the AWS services Task resources name (`lambda:invoke`,
//! `dynamodb:putItem`, `aws-sdk:s3:getObject`, ...), given to a generated builder in one call.
//!
//! A generated builder's `services(provider)` fills the handler of every Task state whose
//! resource [`asl_lang::resource::served`] lists and which has no handler of its own (a
//! handler set before or after it wins). Whether a slot counts as filled at compile time
//! depends on the provider's [`Serves`] implementations, so `build()` still fails to compile
//! when a Task state's service is one the provider was built without (a cargo feature left
//! off, say): the error names the state.

use crate::handler::BoxHandler;

/// Handlers for Task resources that name services: what a generated builder's `services`
/// method takes. `asl-aws` implements it on the AWS SDK for Rust.
pub trait Services: Send + Sync + 'static {
    /// The handler for Task states whose resource is `resource`; `None` when these services
    /// do not serve it. It must be `Some` for every resource of a service `S` for which the
    /// implementation's `Serves<S>::Slot<H>` is [`Set`](crate::handler::Set).
    fn handler(&self, resource: &str) -> Option<BoxHandler>;
}

/// How a provider of services fills the handler slot (of type `H`, a marker) of a Task state
/// whose resource belongs to the service `S` (a type in [`service`]): `Set` when it serves
/// the service, `H` unchanged when it does not.
pub trait Serves<S> {
    /// The slot's marker once the provider is given.
    type Slot<H>;
}

/// The services' marker types, one per [`asl_lang::resource::Service`].
pub mod service {
    /// AWS Lambda.
    #[derive(Debug)]
    pub enum Lambda {}
    /// Amazon SNS.
    #[derive(Debug)]
    pub enum Sns {}
    /// Amazon SQS.
    #[derive(Debug)]
    pub enum Sqs {}
    /// Amazon EventBridge.
    #[derive(Debug)]
    pub enum EventBridge {}
    /// Amazon DynamoDB.
    #[derive(Debug)]
    pub enum DynamoDb {}
    /// Amazon S3.
    #[derive(Debug)]
    pub enum S3 {}
    /// AWS Step Functions.
    #[derive(Debug)]
    pub enum StepFunctions {}
}

/// Implemented by every generated builder: gives it a provider of services (see the module's
/// documentation). Extension traits such as `asl_aws::WithAws` build on it.
pub trait WithServices<P: Services>: Sized {
    /// The builder with the provider's handlers in the slots it fills.
    type Output;

    /// Fills, from `provider`, the handler of every Task state it serves that has none.
    fn with_services(self, provider: P) -> Self::Output;
}
