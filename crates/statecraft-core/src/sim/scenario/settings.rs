//! A scenario's compute and store settings: the instance group and its scaling, Lambda's memory
//! and concurrency, and the session stores' and database's sizes.

use serde::{Deserialize, Serialize};

use super::{half, one};

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum LambdaArch {
    #[default]
    X86,
    Arm64,
}

/// How compute is sized and scaled. Absent values take the knowledge base's figures.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ComputeSettings {
    /// A price id of an EC2 instance type (for EC2 and EKS nodes).
    #[serde(default = "default_instance_price")]
    pub instance_price: String,
    #[serde(default = "two")]
    pub vcpus_per_instance: f64,
    #[serde(default = "one")]
    pub fargate_task_vcpu: f64,
    #[serde(default = "two")]
    pub fargate_task_gb: f64,
    #[serde(default = "two_u32")]
    pub min: u32,
    #[serde(default = "default_max")]
    pub max: u32,
    /// Instances at the start; the minimum when absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub initial: Option<u32>,
    /// Target-tracking policy: average CPU utilisation to hold.
    #[serde(default = "half")]
    pub target_utilisation: f64,
    /// Seconds from launch until an instance serves (boot + health check); the knowledge base's figure
    /// when absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub warmup_s: Option<f64>,
    /// Turn target tracking off: the group stays at `initial` (the Chaos Monkey's three servers).
    #[serde(default = "yes")]
    pub autoscaling: bool,
    #[serde(default = "default_lambda_memory")]
    pub lambda_memory_mb: f64,
    #[serde(default)]
    pub lambda_arch: LambdaArch,
    /// The knowledge base's figure when absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub lambda_concurrency: Option<u32>,
    /// Scheduled scaling ahead of a known burst: from `at_s` until `until_s` the group keeps at
    /// least `min` instances (the review's mitigation for instances that warm up too slowly).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub scheduled: Option<ScheduledMin>,
    /// API Gateway's account throttle (steady requests/s) after a quota increase; the knowledge
    /// base's default quota when absent (its burst grows in proportion).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub apigw_throttle_rps: Option<f64>,
    #[serde(default = "three")]
    pub availability_zones: u32,
    /// Seconds the load balancer keeps sending requests to a dead server before its health check fails.
    #[serde(default = "default_detect")]
    pub detect_s: f64,
    /// Requests waiting longer than this fail with a timeout.
    #[serde(default = "default_timeout")]
    pub timeout_s: f64,
}

fn default_instance_price() -> String {
    "ec2-m5-large".to_string()
}
fn two() -> f64 {
    2.0
}
fn two_u32() -> u32 {
    2
}
fn three() -> u32 {
    3
}
fn default_max() -> u32 {
    20
}
pub(super) fn yes() -> bool {
    true
}
fn default_lambda_memory() -> f64 {
    512.0
}
fn default_detect() -> f64 {
    // ALB defaults: a health check every 30 s, unhealthy after 2 failures; a refused connection is
    // noticed sooner, so take the first failed check as the typical moment
    30.0
}
fn default_timeout() -> f64 {
    30.0
}

impl Default for ComputeSettings {
    fn default() -> Self {
        ComputeSettings {
            instance_price: default_instance_price(),
            vcpus_per_instance: 2.0,
            fargate_task_vcpu: 1.0,
            fargate_task_gb: 2.0,
            min: 2,
            max: default_max(),
            initial: None,
            target_utilisation: 0.5,
            warmup_s: None,
            autoscaling: true,
            lambda_memory_mb: default_lambda_memory(),
            lambda_arch: LambdaArch::default(),
            lambda_concurrency: None,
            scheduled: None,
            apigw_throttle_rps: None,
            availability_zones: 3,
            detect_s: default_detect(),
            timeout_s: default_timeout(),
        }
    }
}

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Consistency {
    /// Read-your-writes, as a session needs: one read unit per 4 KB.
    #[default]
    Strong,
    /// Half a read unit per 4 KB.
    Eventual,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct StoreSettings {
    /// ElastiCache replicas per primary (Multi-AZ needs at least one).
    #[serde(default = "one_u32")]
    pub cache_replicas: u32,
    /// A price id of an ElastiCache node type; the smallest that holds the sessions when absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cache_node: Option<String>,
    #[serde(default)]
    pub dynamodb_reads: Consistency,
    /// A price id of an RDS instance class.
    #[serde(default = "default_rds")]
    pub rds_instance: String,
    #[serde(default = "yes")]
    pub rds_multi_az: bool,
    /// Aurora Serverless v2 minimum capacity.
    #[serde(default = "default_min_acu")]
    pub aurora_min_acu: f64,
    /// RDS Proxy pools the functions' connections to the RDS database: without it, each Lambda
    /// environment holds its own and the database refuses those past its `max_connections`.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub rds_proxy: bool,
    /// An on-demand DynamoDB table pre-warmed before the day's burst: switched to provisioned
    /// capacity at the burst's peak for an hour (billed as capacity-hours), so the burst is not
    /// throttled while the table adds partitions.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub dynamodb_prewarm: bool,
}

/// A scheduled action's minimum size: at least `min` instances from `at_s` until `until_s`.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ScheduledMin {
    pub at_s: f64,
    pub until_s: f64,
    pub min: u32,
}

fn one_u32() -> u32 {
    1
}
fn default_rds() -> String {
    "rds-t4g-medium".to_string()
}
fn default_min_acu() -> f64 {
    0.5
}

impl Default for StoreSettings {
    fn default() -> Self {
        StoreSettings {
            cache_replicas: 1,
            cache_node: None,
            dynamodb_reads: Consistency::Strong,
            rds_instance: default_rds(),
            rds_multi_az: true,
            aurora_min_acu: default_min_acu(),
            rds_proxy: false,
            dynamodb_prewarm: false,
        }
    }
}
