//! Task resources: the optimized service integrations AWS recognizes, and what express
//! workflows can not call.

use super::{CheckOptions, MachineType};
use crate::diag::{Code, Diagnostic, did_you_mean};
use crate::model::{StateKind, StateMachine};

/// Optimized integrations (`arn:aws:states:::<service>:<action>`) by service. Services not
/// listed here are not checked (AWS adds integrations; an unknown one is not our error).
const INTEGRATIONS: &[(&str, &[&str])] = &[
    ("lambda", &["invoke"]),
    (
        "dynamodb",
        &["getItem", "putItem", "updateItem", "deleteItem"],
    ),
    ("sns", &["publish"]),
    ("sqs", &["sendMessage"]),
    ("states", &["startExecution"]),
    ("events", &["putEvents"]),
    ("ecs", &["runTask"]),
    ("batch", &["submitJob"]),
    ("glue", &["startJobRun"]),
    ("databrew", &["startJobRun"]),
    (
        "athena",
        &[
            "startQueryExecution",
            "stopQueryExecution",
            "getQueryExecution",
            "getQueryResults",
        ],
    ),
    ("apigateway", &["invoke"]),
    ("http", &["invoke"]),
    ("s3", &["getObject", "putObject", "listObjectsV2"]),
    ("bedrock", &["invokeModel", "createModelCustomizationJob"]),
    ("mediaconvert", &["createJob"]),
    (
        "codebuild",
        &[
            "startBuild",
            "stopBuild",
            "batchDeleteBuilds",
            "batchGetReports",
            "startBuildBatch",
        ],
    ),
    (
        "eks",
        &[
            "createCluster",
            "deleteCluster",
            "createFargateProfile",
            "deleteFargateProfile",
            "createNodegroup",
            "deleteNodegroup",
            "runJob",
            "call",
        ],
    ),
    (
        "emr-containers",
        &[
            "startJobRun",
            "createVirtualCluster",
            "deleteVirtualCluster",
        ],
    ),
    (
        "emr-serverless",
        &[
            "createApplication",
            "startApplication",
            "stopApplication",
            "deleteApplication",
            "startJobRun",
            "cancelJobRun",
        ],
    ),
    (
        "elasticmapreduce",
        &[
            "createCluster",
            "terminateCluster",
            "addStep",
            "cancelStep",
            "setClusterTerminationProtection",
            "modifyInstanceFleetByName",
            "modifyInstanceGroupByName",
        ],
    ),
    (
        "sagemaker",
        &[
            "createTrainingJob",
            "createTransformJob",
            "createModel",
            "createEndpointConfig",
            "createEndpoint",
            "updateEndpoint",
            "createHyperParameterTuningJob",
            "createLabelingJob",
            "createProcessingJob",
        ],
    ),
];

/// `(service, action)` of an optimized-integration ARN, without its `.sync`/`.waitForTaskToken`.
fn integration(resource: &str) -> Option<(&str, &str)> {
    let mut parts = resource.splitn(7, ':');
    let (arn, _partition, states, _region, _account) = (
        parts.next()?,
        parts.next()?,
        parts.next()?,
        parts.next()?,
        parts.next()?,
    );
    if arn != "arn" || states != "states" {
        return None;
    }
    let service = parts.next()?;
    let action = parts.next()?;
    let action = action.split(".sync").next().unwrap_or(action);
    let action = action.strip_suffix(".waitForTaskToken").unwrap_or(action);
    Some((service, action))
}

pub(super) fn check(machine: &StateMachine, options: &CheckOptions, diags: &mut Vec<Diagnostic>) {
    for state in super::all_states(machine) {
        let StateKind::Task(t) = &state.kind else {
            continue;
        };
        let Some(r) = &t.resource else { continue };
        if let Some((service, action)) = integration(&r.value)
            && let Some((_, actions)) = INTEGRATIONS.iter().find(|(s, _)| *s == service)
            && !actions.contains(&action)
            && !action.contains("${")
        {
            let mut d = Diagnostic::new(
                Code::SchemaValidationFailed,
                format!(
                    "The resource provided {} is not recognized. The value is not a valid resource ARN, or the resource is not available in this region.",
                    r.value
                ),
                r.pointer.clone(),
                Some(r.span),
            )
            .with_help(format!("the optimized {service} integration offers {}; other actions go through arn:aws:states:::aws-sdk:{service}:<action>", actions.join(", ")));
            if let Some(s) = did_you_mean(action, actions.iter().copied()) {
                d = d.with_help(format!("did you mean '{s}'?"));
            }
            diags.push(d);
        }
        if options.machine_type == MachineType::Express {
            let msg = if r.value.ends_with(".waitForTaskToken") {
                Some(
                    "Express state machine does not support '.waitForTaskToken' service integration ",
                )
            } else if r.value.contains(".sync") {
                Some("Express state machine does not support '.sync' service integration")
            } else if r.value.starts_with("arn:") && r.value.split(':').nth(5) == Some("activity") {
                Some("Express state machine does not support Activity ARN")
            } else {
                None
            };
            if let Some(msg) = msg {
                diags.push(Diagnostic::new(
                    Code::SchemaValidationFailed,
                    msg,
                    r.pointer.clone(),
                    Some(r.span),
                ));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::integration;

    #[test]
    fn reads_integration_arns() {
        assert_eq!(
            integration("arn:aws:states:::lambda:invoke"),
            Some(("lambda", "invoke"))
        );
        assert_eq!(
            integration("arn:aws:states:::states:startExecution.sync:2"),
            Some(("states", "startExecution"))
        );
        assert_eq!(
            integration("arn:aws:states:::sqs:sendMessage.waitForTaskToken"),
            Some(("sqs", "sendMessage"))
        );
        assert_eq!(integration("arn:aws:lambda:us-east-1:1:function:f"), None);
    }
}
