//! Task resources: the grammar of the service integrations a `Resource` names
//! (`arn:aws:states:::[aws-sdk:]<service>:<action>[.<pattern>]`, a Lambda function's ARN), and
//! which of them the ready-made service handlers serve (`asl-aws`). The generator reads this
//! table to know which Task states a set of services fills; the services read it to answer
//! for exactly those.

/// How Step Functions waits for a service integration.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Pattern {
    /// Call the service and go on with its response.
    RequestResponse,
    /// `.sync`: wait for the job to finish.
    Sync,
    /// `.sync:2`: wait for the job to finish, its output as JSON.
    Sync2,
    /// `.waitForTaskToken`: wait for the task token to be answered.
    WaitForTaskToken,
}

/// A service integration's resource, parsed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Integration<'a> {
    /// Whether it is an AWS SDK integration (`aws-sdk:`) rather than an optimized one.
    pub sdk: bool,
    /// The service as the resource names it (`dynamodb`, `sns`, ...).
    pub service: &'a str,
    /// The API action as the resource names it (`putItem`).
    pub action: &'a str,
    /// The integration pattern.
    pub pattern: Pattern,
}

/// `resource` as a service integration, when it is one.
pub fn integration(resource: &str) -> Option<Integration<'_>> {
    let rest = resource.strip_prefix("arn:aws:states:::")?;
    let (sdk, rest) = match rest.strip_prefix("aws-sdk:") {
        Some(rest) => (true, rest),
        None => (false, rest),
    };
    let (service, call) = rest.split_once(':')?;
    let (action, pattern) = match call.split_once('.') {
        None => (call, Pattern::RequestResponse),
        Some((action, "sync")) => (action, Pattern::Sync),
        Some((action, "sync:2")) => (action, Pattern::Sync2),
        Some((action, "waitForTaskToken")) => (action, Pattern::WaitForTaskToken),
        Some(_) => return None,
    };
    (!service.is_empty() && !action.is_empty()).then_some(Integration {
        sdk,
        service,
        action,
        pattern,
    })
}

/// Whether `resource` is a Lambda function's ARN (`arn:aws:lambda:REGION:ACCOUNT:function:NAME`,
/// optionally with a version or alias).
pub fn is_function_arn(resource: &str) -> bool {
    let fields: Vec<&str> = resource.split(':').collect();
    matches!(
        fields.as_slice(),
        ["arn", _, "lambda", _, _, "function", name] | ["arn", _, "lambda", _, _, "function", name, _]
            if !name.is_empty()
    )
}

/// The services the ready-made handlers serve.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Service {
    /// AWS Lambda: `lambda:invoke` and functions' ARNs.
    Lambda,
    /// Amazon SNS.
    Sns,
    /// Amazon SQS.
    Sqs,
    /// Amazon EventBridge.
    EventBridge,
    /// Amazon DynamoDB.
    DynamoDb,
    /// Amazon S3.
    S3,
    /// AWS Step Functions.
    StepFunctions,
}

impl Service {
    /// Every service, in a fixed order.
    pub const ALL: [Service; 7] = [
        Service::Lambda,
        Service::Sns,
        Service::Sqs,
        Service::EventBridge,
        Service::DynamoDb,
        Service::S3,
        Service::StepFunctions,
    ];

    /// The name of the service's marker type (in `asl_runtime::integration::service`).
    pub fn marker(self) -> &'static str {
        match self {
            Service::Lambda => "Lambda",
            Service::Sns => "Sns",
            Service::Sqs => "Sqs",
            Service::EventBridge => "EventBridge",
            Service::DynamoDb => "DynamoDb",
            Service::S3 => "S3",
            Service::StepFunctions => "StepFunctions",
        }
    }
}

/// The integrations of one service the ready-made handlers serve.
struct Served {
    service: Service,
    /// The service's name in optimized integrations (`events`), and their actions.
    name: &'static str,
    actions: &'static [&'static str],
    /// The service's name in AWS SDK integrations (`eventbridge`), and their actions.
    sdk_name: &'static str,
    sdk_actions: &'static [&'static str],
}

/// What the ready-made handlers serve. Optimized integrations take every pattern AWS allows
/// them; SDK integrations the request-response and `.waitForTaskToken` patterns.
const SERVED: &[Served] = &[
    Served {
        service: Service::Lambda,
        name: "lambda",
        actions: &["invoke"],
        sdk_name: "lambda",
        sdk_actions: &["invoke"],
    },
    Served {
        service: Service::Sns,
        name: "sns",
        actions: &["publish"],
        sdk_name: "sns",
        sdk_actions: &["publish"],
    },
    Served {
        service: Service::Sqs,
        name: "sqs",
        actions: &["sendMessage"],
        sdk_name: "sqs",
        sdk_actions: &["sendMessage", "receiveMessage", "deleteMessage"],
    },
    Served {
        service: Service::EventBridge,
        name: "events",
        actions: &["putEvents"],
        sdk_name: "eventbridge",
        sdk_actions: &["putEvents"],
    },
    Served {
        service: Service::DynamoDb,
        name: "dynamodb",
        actions: &["getItem", "putItem", "updateItem", "deleteItem"],
        sdk_name: "dynamodb",
        sdk_actions: &[
            "getItem",
            "putItem",
            "updateItem",
            "deleteItem",
            "query",
            "scan",
        ],
    },
    Served {
        service: Service::S3,
        name: "s3",
        actions: &["getObject", "putObject", "listObjectsV2"],
        sdk_name: "s3",
        sdk_actions: &[
            "getObject",
            "putObject",
            "listObjectsV2",
            "headObject",
            "deleteObject",
        ],
    },
    Served {
        service: Service::StepFunctions,
        name: "states",
        actions: &["startExecution"],
        sdk_name: "sfn",
        sdk_actions: &[
            "startExecution",
            "describeExecution",
            "sendTaskSuccess",
            "sendTaskFailure",
        ],
    },
];

/// The service whose ready-made handlers serve `resource`, if they do.
pub fn served(resource: &str) -> Option<Service> {
    if is_function_arn(resource) {
        return Some(Service::Lambda);
    }
    let i = integration(resource)?;
    SERVED.iter().find_map(|served| {
        let Served {
            service,
            name,
            actions,
            sdk_name,
            sdk_actions,
        } = served;
        let ok = if i.sdk {
            i.service == *sdk_name
                && sdk_actions.contains(&i.action)
                && matches!(
                    i.pattern,
                    Pattern::RequestResponse | Pattern::WaitForTaskToken
                )
        } else {
            i.service == *name
                && actions.contains(&i.action)
                && match i.pattern {
                    Pattern::RequestResponse => true,
                    Pattern::WaitForTaskToken => {
                        *service != Service::DynamoDb && *service != Service::S3
                    }
                    Pattern::Sync | Pattern::Sync2 => *service == Service::StepFunctions,
                }
        };
        ok.then_some(*service)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn integrations_parse() {
        assert_eq!(
            integration("arn:aws:states:::states:startExecution.sync:2"),
            Some(Integration {
                sdk: false,
                service: "states",
                action: "startExecution",
                pattern: Pattern::Sync2
            })
        );
        let sdk = integration("arn:aws:states:::aws-sdk:dynamodb:putItem.waitForTaskToken");
        assert_eq!(
            sdk.map(|i| (i.sdk, i.service, i.action)),
            Some((true, "dynamodb", "putItem"))
        );
        assert_eq!(integration("arn:aws:states:::sns:publish.later"), None);
        assert_eq!(integration("arn:aws:lambda:us-east-1:1:function:f"), None);
    }

    #[test]
    fn what_is_served() {
        assert_eq!(
            served("arn:aws:states:::lambda:invoke"),
            Some(Service::Lambda)
        );
        assert_eq!(
            served("arn:aws:lambda:us-east-1:1:function:f:live"),
            Some(Service::Lambda)
        );
        assert_eq!(
            served("arn:aws:states:::dynamodb:updateItem"),
            Some(Service::DynamoDb)
        );
        assert_eq!(
            served("arn:aws:states:::aws-sdk:dynamodb:scan"),
            Some(Service::DynamoDb)
        );
        assert_eq!(
            served("arn:aws:states:::states:startExecution.sync"),
            Some(Service::StepFunctions)
        );
        assert_eq!(
            served("arn:aws:states:::sqs:sendMessage.waitForTaskToken"),
            Some(Service::Sqs)
        );
        // Not served: other actions, other services, patterns AWS does not offer.
        assert_eq!(served("arn:aws:states:::dynamodb:scan"), None);
        assert_eq!(
            served("arn:aws:states:::aws-sdk:dynamodb:batchWriteItem"),
            None
        );
        assert_eq!(served("arn:aws:states:::glue:startJobRun.sync"), None);
        assert_eq!(served("arn:aws:states:::sns:publish.sync"), None);
        assert_eq!(served("arn:aws:states:us-east-1:1:activity:a"), None);
    }
}
