//! Confirmation in production: the seeds' Chaos Monkey test ("destroy a server to see what happens")
//! written as an AWS Fault Injection Service experiment template for the chosen stack's compute, with
//! what the team should see if the decision was right.

use serde::Serialize;

use super::super::knowledge::{Archetype, ComputeKind, Knowledge, SessionPlacement, Stack};

/// The seed passage the experiment comes from.
pub const CHAOS_SOURCE: &str = "seed-chaos-monkey";

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Experiment {
    /// What is killed, in words ("one EC2 instance of the Auto Scaling group").
    pub target: String,
    /// The FIS action id (`aws:ec2:terminate-instances`).
    pub action: String,
    /// What the team should see when the decision holds.
    pub expectation: String,
    /// The experiment template, as JSON for `aws fis create-experiment-template --cli-input-json`.
    pub template_json: String,
    /// What AWS requires before the experiment can run on this compute (the FIS Lambda extension
    /// and its S3 configuration bucket; the EKS service account, RBAC and cluster access).
    pub prerequisites: Vec<String>,
    /// Where FIS cannot reach the servers (GameLift runs its managed instances in its own
    /// account), the kill by hand, step by step; `template_json` is then empty.
    pub manual: Vec<String>,
}

/// The kill-a-server experiment for `stack`, or `None` when it has no compute to kill.
pub fn chaos_experiment(k: &Knowledge, stack: &Stack) -> Option<Experiment> {
    let session_store = stack
        .topology
        .session_service
        .as_deref()
        .and_then(|id| k.service(id))
        .map_or_else(|| "the shared store".to_string(), |s| s.name.clone());
    let (target, resource_type, action, target_key, selector, parameters) = match stack
        .topology
        .compute
    {
        ComputeKind::Ec2 => (
            "one running EC2 instance of the Auto Scaling group",
            "aws:ec2:instance",
            "aws:ec2:terminate-instances",
            "Instances",
            serde_json::json!({
                "resourceTags": {"aws:autoscaling:groupName": "REPLACE-WITH-ASG-NAME"},
                "filters": [{"path": "State.Name", "values": ["running"]}],
            }),
            serde_json::json!({}),
        ),
        ComputeKind::Fargate => (
            "one running ECS task of the service",
            "aws:ecs:task",
            "aws:ecs:stop-task",
            "Tasks",
            serde_json::json!({
                "parameters": {"cluster": "REPLACE-WITH-CLUSTER", "service": "REPLACE-WITH-SERVICE"},
            }),
            serde_json::json!({}),
        ),
        ComputeKind::Eks => (
            "one pod of the workload",
            "aws:eks:pod",
            "aws:eks:pod-delete",
            "Pods",
            serde_json::json!({
                "parameters": {
                    "clusterIdentifier": "REPLACE-WITH-CLUSTER",
                    "namespace": "default",
                    "selectorType": "labelSelector",
                    "selectorValue": "app=REPLACE-WITH-APP",
                },
            }),
            serde_json::json!({"kubernetesServiceAccount": "REPLACE-WITH-FIS-SERVICE-ACCOUNT"}),
        ),
        ComputeKind::Lambda => (
            "invocations of the function (half of them fail for ten minutes)",
            "aws:lambda:function",
            "aws:lambda:invocation-error",
            "Functions",
            serde_json::json!({
                "resourceArns": ["arn:aws:lambda:REGION:ACCOUNT:function:REPLACE-WITH-FUNCTION"],
            }),
            serde_json::json!({"duration": "PT10M", "invocationPercentage": "50", "preventExecution": "true"}),
        ),
        ComputeKind::None => return None,
    };
    let mut target_json = serde_json::json!({
        "resourceType": resource_type,
        "selectionMode": "COUNT(1)",
    });
    if let (Some(t), Some(s)) = (target_json.as_object_mut(), selector.as_object()) {
        t.extend(s.clone());
    }
    if stack.topology.compute == ComputeKind::Lambda
        && let Some(t) = target_json.as_object_mut()
    {
        t.insert("selectionMode".into(), "ALL".into());
    }
    let journal = stack
        .topology
        .journal
        .as_deref()
        .filter(|_| stack.topology.session == SessionPlacement::InProcessSticky);
    let expectation = expectation(k, stack, journal, &session_store);
    let loses_sessions = journal.is_none()
        && matches!(
            (stack.archetype, stack.topology.session),
            (Archetype::Stateful, _) | (_, SessionPlacement::InProcessSticky)
        );
    // FIS limits a description to 512 characters; the stack's name is the long part.
    let description: String = if loses_sessions {
        format!(
            "Chaos Monkey test for {}: kill {target} at peak-like load and check that only the killed server's sessions are lost while the others carry on",
            stack.name
        )
    } else {
        format!(
            "Chaos Monkey test for {}: kill {target} at peak-like load and check that no user's session is lost",
            stack.name
        )
    }
    .chars()
    .take(512)
    .collect();
    if stack.services.iter().any(|s| s.service == "gamelift") {
        return Some(Experiment {
            target: "every game server process on one instance of the GameLift fleet".into(),
            action: "GameLift remote access".into(),
            expectation,
            template_json: String::new(),
            prerequisites: Vec::new(),
            manual: gamelift_kill(),
        });
    }
    let template = serde_json::json!({
        "description": description,
        "targets": {"one-server": target_json},
        "actions": {
            "kill-one-server": {
                "actionId": action,
                "description": format!("Kill {target}"),
                "parameters": parameters,
                "targets": {target_key: "one-server"},
            }
        },
        "stopConditions": [{
            "source": "aws:cloudwatch:alarm",
            "value": "arn:aws:cloudwatch:REGION:ACCOUNT:alarm:REPLACE-WITH-ERROR-RATE-ALARM",
        }],
        "roleArn": "arn:aws:iam::ACCOUNT:role/REPLACE-WITH-FIS-ROLE",
        "tags": {"Name": "statecraft-chaos-monkey", "statecraft-stack": stack.id},
    });
    Some(Experiment {
        target: target.to_string(),
        action: action.to_string(),
        expectation,
        template_json: serde_json::to_string_pretty(&template).unwrap_or_default(),
        prerequisites: prerequisites(stack.topology.compute),
        manual: Vec::new(),
    })
}

/// What the team should see after the kill, when the decision holds.
fn expectation(k: &Knowledge, stack: &Stack, journal: Option<&str>, session_store: &str) -> String {
    // without a load balancer (players connected straight to their server), the dead server
    // stops taking players when the placement stops choosing it
    let drops = if k.service(&stack.topology.front).is_some_and(|s| s.pattern) {
        "once the placement sends new matches to the other servers"
    } else {
        "once the load balancer drops the dead target"
    };
    match (stack.archetype, stack.topology.session) {
        (_, SessionPlacement::InProcessSticky) if journal.is_some() => format!(
            "No acknowledged change is lost: the killed server's users reach another server, which restores their sessions from the journal ({}) that had every change before it was acknowledged; requests in flight fail and succeed on retry, and the error rate falls back to zero {drops}.",
            journal.unwrap_or_default()
        ),
        (Archetype::Stateful, _) | (_, SessionPlacement::InProcessSticky) => format!("The sessions held by the killed server are lost (its share of the live sessions) and its users must start again; the others carry on. The decision holds only if that matches the loss the team accepted; every other server keeps answering and the error rate falls back to zero {drops}."),
        (_, SessionPlacement::None) => "No request is lost for good: the failed requests are retried on another server, nothing per-user lived on the killed one, and the error rate falls back to zero within a health-check interval.".to_string(),
        (_, SessionPlacement::ClientToken) => "No session is lost: the client's token still works on every other server, the failed requests succeed on retry, and the error rate falls back to zero within a health-check interval.".to_string(),
        _ => format!(
            "No session is lost: every cart and login is still there after the kill, because it lives in {session_store}, not on the server; the failed requests succeed on retry and the error rate falls back to zero within a health-check interval."
        ),
    }
}

/// The kill on a GameLift managed fleet, whose instances run in GameLift's own account where FIS
/// has no action: a remote session on one instance, as GameLift's guide to remote access gives it.
fn gamelift_kill() -> Vec<String> {
    vec![
        "AWS Fault Injection Service has no action for GameLift's managed instances, which run in GameLift's own account: the kill is done through GameLift's remote access.".into(),
        "List the fleet's instances and pick one that hosts game sessions: `aws gamelift list-compute --fleet-id REPLACE-WITH-FLEET-ID`.".into(),
        "Get temporary credentials for it: `aws gamelift get-compute-access --fleet-id REPLACE-WITH-FLEET-ID --compute-name REPLACE-WITH-INSTANCE-ID`, and with them open a session: `aws ssm start-session --target REPLACE-WITH-INSTANCE-ID`.".into(),
        "Kill every game server process on it at once: `sudo pkill -KILL -f REPLACE-WITH-SERVER-EXECUTABLE`. GameLift starts new processes from the fleet's runtime configuration; the matches they held are gone.".into(),
    ]
}

/// The one-time set-up AWS documents for each kind of fault, before the template can run.
fn prerequisites(compute: ComputeKind) -> Vec<String> {
    let role = "The role in `roleArn` trusts `fis.amazonaws.com` and may run the action and read the stop-condition alarm.";
    match compute {
        ComputeKind::Lambda => vec![
            "Attach the AWS FIS extension for Lambda to the function as a layer (its ARN for the function's Region and architecture is the public SSM parameter under `/aws/service/fis/lambda-extension/`).".into(),
            "Create an S3 bucket in the experiment's Region for FIS to hand fault configurations to the extension, and set the function's environment: `AWS_FIS_CONFIGURATION_LOCATION=arn:aws:s3:::REPLACE-WITH-BUCKET/FisConfigs/` and `AWS_LAMBDA_EXEC_WRAPPER=/opt/aws-fis/bootstrap`.".into(),
            "Let the function's execution role list and read `FisConfigs/` in that bucket, and the FIS role write to it.".into(),
            role.into(),
        ],
        ComputeKind::Eks => vec![
            "Create the Kubernetes service account named in `kubernetesServiceAccount` in the target namespace.".into(),
            "Give it a Role and RoleBinding that allow `get`, `list`, `create`, `delete` and `deletecollection` on `pods`, `get` on `pods/ephemeralcontainers` and `create` on `pods/exec` in that namespace (AWS FIS's documented RBAC for pod actions).".into(),
            "Map the FIS role into the cluster (an EKS access entry, or the `aws-auth` ConfigMap) so it can act as that service account.".into(),
            role.into(),
        ],
        ComputeKind::Ec2 | ComputeKind::Fargate => vec![role.into()],
        ComputeKind::None => Vec::new(),
    }
}
