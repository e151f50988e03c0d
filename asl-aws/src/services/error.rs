//! Service errors as Step Functions names them: `<Service>.<Exception>` (`DynamoDB.…` for
//! the optimized integrations; for `aws-sdk:` ones the service in PascalCase, as AWS
//! documents: `DynamoDb.ConditionalCheckFailedException`), the error always with an
//! `Exception` suffix (`S3.NoSuchKeyException`), with a cause in the form AWS's Java SDK gives
//! it.

use asl_runtime::Failure;
use asl_runtime::error::names;
use aws_smithy_types::error::metadata::ProvideErrorMetadata;
use aws_types::request_id::RequestId;

/// The prefix of error names for the service a resource names.
pub(crate) fn prefix(service: &str, sdk: bool) -> &'static str {
    match (service, sdk) {
        ("lambda", _) => "Lambda",
        ("sns", false) => "SNS",
        ("sns", true) => "Sns",
        ("sqs", false) => "SQS",
        ("sqs", true) => "Sqs",
        ("events", _) | ("eventbridge", _) => "EventBridge",
        ("dynamodb", false) => "DynamoDB",
        ("dynamodb", true) => "DynamoDb",
        ("s3", _) => "S3",
        ("states", _) => "StepFunctions",
        ("sfn", _) => "Sfn",
        _ => "Aws",
    }
}

/// The title of the service in causes (`Service: AmazonDynamoDBv2`).
fn title(prefix: &str) -> &'static str {
    match prefix {
        "Lambda" => "AWSLambda",
        "SNS" | "Sns" => "AmazonSNS",
        "SQS" | "Sqs" => "AmazonSQS",
        "EventBridge" => "AmazonEventBridge",
        "DynamoDB" | "DynamoDb" => "AmazonDynamoDBv2",
        "S3" => "Amazon S3",
        "StepFunctions" | "Sfn" => "AWSStepFunctions",
        _ => "AWS",
    }
}

/// A call's failure. A service's error is named by its code; a request that never got an
/// answer from the service (no connection, a timeout, a request the SDK could not build) is
/// `States.TaskFailed` with what went wrong.
pub(crate) fn failure<E, R>(
    prefix: &str,
    error: aws_smithy_runtime_api::client::result::SdkError<E, R>,
) -> Failure
where
    E: ProvideErrorMetadata + std::error::Error + Send + Sync + 'static,
    R: std::fmt::Debug + HttpStatus,
{
    use aws_smithy_runtime_api::client::result::SdkError;
    match &error {
        SdkError::ServiceError(service) => {
            let status = service.raw().status();
            let err = service.err();
            let code = err.code().unwrap_or("UnknownError");
            let message = err.message().unwrap_or("");
            let request_id = err.meta().request_id().unwrap_or("");
            let name = error_name(prefix, code);
            Failure::new(
                name,
                format!(
                    "{message} (Service: {}; Status Code: {status}; Error Code: {code}; Request ID: {request_id}; Proxy: null)",
                    title(prefix)
                ),
            )
        }
        _ => Failure::new(
            names::TASK_FAILED,
            format!(
                "The call to {} did not get an answer: {}",
                title(prefix),
                aws_smithy_types::error::display::DisplayErrorContext(&error)
            ),
        ),
    }
}

/// The error's name: the service's prefix and the exception the error code stands for, as
/// Step Functions names errors after the AWS SDK's exception classes (`NoSuchKey` is
/// `S3.NoSuchKeyException`, SNS's `NotFound` is `SNS.NotFoundException`, SQS's
/// `AWS.SimpleQueueService.NonExistentQueue` is `SQS.QueueDoesNotExistException`).
fn error_name(prefix: &str, code: &str) -> String {
    let code = match code {
        "AWS.SimpleQueueService.NonExistentQueue" => "QueueDoesNotExist",
        other => other
            .strip_prefix("AWS.SimpleQueueService.")
            .unwrap_or(other),
    };
    if code.ends_with("Exception") {
        format!("{prefix}.{code}")
    } else {
        format!("{prefix}.{code}Exception")
    }
}

/// The HTTP status of a raw response.
pub(crate) trait HttpStatus {
    /// The status code.
    fn status(&self) -> u16;
}

impl HttpStatus for aws_smithy_runtime_api::http::Response {
    fn status(&self) -> u16 {
        self.status().as_u16()
    }
}

/// A parameter that is missing or of the wrong type, which AWS's validation would refuse.
pub(crate) fn invalid(prefix: &str, message: impl std::fmt::Display) -> Failure {
    Failure::new(
        names::TASK_FAILED,
        format!("Invalid parameters for {}: {message}", title(prefix)),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_follow_the_exception_classes() {
        assert_eq!(
            error_name("DynamoDB", "ConditionalCheckFailedException"),
            "DynamoDB.ConditionalCheckFailedException"
        );
        assert_eq!(error_name("S3", "NoSuchKey"), "S3.NoSuchKeyException");
        assert_eq!(error_name("SNS", "NotFound"), "SNS.NotFoundException");
        assert_eq!(
            error_name("SQS", "AWS.SimpleQueueService.NonExistentQueue"),
            "SQS.QueueDoesNotExistException"
        );
    }
}
