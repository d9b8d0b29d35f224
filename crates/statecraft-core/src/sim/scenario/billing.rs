//! A scenario's billing: the month, the free tier, the Region, and the lines a real bill carries
//! beyond the stack's own services (`billing.lines`).

use serde::{Deserialize, Serialize};

use super::settings::yes;

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Billing {
    #[serde(default = "default_month_hours")]
    pub month_hours: f64,
    #[serde(default)]
    pub free_tier: bool,
    /// With `free_tier`, a new account's 12-month allowances apply too.
    #[serde(default)]
    pub new_account: bool,
    /// Charge the services a stack lists as optional (Cognito sign-in, say). Off by default, so
    /// that stacks are compared on what they need; the bill names what it left out.
    #[serde(default)]
    pub optional_services: bool,
    /// AWS's region code; its price pack must exist (`knowledge/prices/`).
    #[serde(default = "default_region")]
    pub region: String,
    /// The lines real bills carry beyond the stack's services, each switchable.
    #[serde(default)]
    pub lines: BillLines,
}

fn default_month_hours() -> f64 {
    730.0
}
fn default_region() -> String {
    "us-east-1".to_string()
}

impl Default for Billing {
    fn default() -> Self {
        Billing {
            month_hours: default_month_hours(),
            free_tier: false,
            new_account: false,
            optional_services: false,
            region: default_region(),
            lines: BillLines::default(),
        }
    }
}

/// The charges an estimate tends to forget and a real bill carries: on by default where AWS would bill
/// them for the stack, each explained in the bill's assumptions with the figures below.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BillLines {
    /// Availability Zones the stack spans (NAT gateways, load balancer addresses, cross-AZ share).
    #[serde(default = "default_azs")]
    pub azs: u32,
    /// A NAT gateway per zone when compute sits in private subnets (EC2, Fargate, EKS, or Lambda in a VPC).
    #[serde(default = "yes")]
    pub nat_gateway: bool,
    /// GB a month through the NAT gateways besides log shipping (third-party APIs, image pulls).
    #[serde(default)]
    pub nat_extra_gb: f64,
    /// $0.005 an hour for each public IPv4 address: a load balancer's one per zone, a NAT gateway's one.
    #[serde(default = "yes")]
    pub public_ipv4: bool,
    /// CloudWatch Logs ingestion and storage from the request volume.
    #[serde(default = "yes")]
    pub cloudwatch_logs: bool,
    #[serde(default = "default_log_kb")]
    pub log_kb_per_request: f64,
    #[serde(default = "default_retention")]
    pub log_retention_months: f64,
    /// Traffic between compute and a store in another zone (ElastiCache, RDS, Aurora).
    #[serde(default = "yes")]
    pub cross_az: bool,
    /// EBS volumes: a root volume per instance or node, and a data volume per EKS node (StatefulSets).
    #[serde(default = "yes")]
    pub ebs: bool,
    #[serde(default = "default_root_gb")]
    pub ebs_root_gb: f64,
    #[serde(default = "default_data_gb")]
    pub ebs_data_gb: f64,
    /// Database backup storage beyond the free allowance (100% of the provisioned storage).
    #[serde(default = "yes")]
    pub backup: bool,
    #[serde(default = "default_backup_days")]
    pub backup_retention_days: f64,
    /// Share of the database that changes each day (each day's incremental backup).
    #[serde(default = "default_daily_change")]
    pub backup_daily_change: f64,
    /// MSK broker-hours and broker storage when the stack has MSK.
    #[serde(default = "yes")]
    pub msk: bool,
    #[serde(default = "default_msk_brokers")]
    pub msk_brokers: u32,
    #[serde(default = "default_msk_broker")]
    pub msk_broker: String,
    #[serde(default = "default_msk_storage")]
    pub msk_storage_gb_per_broker: f64,
    /// S3 GET and PUT requests when the stack has S3.
    #[serde(default = "yes")]
    pub s3_requests: bool,
    #[serde(default = "default_s3_gets")]
    pub s3_gets_per_request: f64,
    #[serde(default = "default_s3_puts")]
    pub s3_puts_per_request: f64,
    /// Share of CloudFront requests that miss the edge and reach the S3 origin.
    #[serde(default = "default_miss")]
    pub cdn_miss_ratio: f64,
}

fn default_azs() -> u32 {
    2
}
/// One access-log line of about 250 bytes per request (Lambda's START/END/REPORT lines are as much).
fn default_log_kb() -> f64 {
    0.25
}
fn default_retention() -> f64 {
    1.0
}
fn default_root_gb() -> f64 {
    8.0
}
fn default_data_gb() -> f64 {
    20.0
}
fn default_backup_days() -> f64 {
    7.0
}
fn default_daily_change() -> f64 {
    0.02
}
fn default_msk_brokers() -> u32 {
    3
}
fn default_msk_broker() -> String {
    "kafka.m5.large".to_string()
}
fn default_msk_storage() -> f64 {
    1000.0
}
fn default_s3_gets() -> f64 {
    0.1
}
fn default_s3_puts() -> f64 {
    0.01
}
fn default_miss() -> f64 {
    0.1
}

impl Default for BillLines {
    fn default() -> Self {
        BillLines {
            azs: default_azs(),
            nat_gateway: true,
            nat_extra_gb: 0.0,
            public_ipv4: true,
            cloudwatch_logs: true,
            log_kb_per_request: default_log_kb(),
            log_retention_months: default_retention(),
            cross_az: true,
            ebs: true,
            ebs_root_gb: default_root_gb(),
            ebs_data_gb: default_data_gb(),
            backup: true,
            backup_retention_days: default_backup_days(),
            backup_daily_change: default_daily_change(),
            msk: true,
            msk_brokers: default_msk_brokers(),
            msk_broker: default_msk_broker(),
            msk_storage_gb_per_broker: default_msk_storage(),
            s3_requests: true,
            s3_gets_per_request: default_s3_gets(),
            s3_puts_per_request: default_s3_puts(),
            cdn_miss_ratio: default_miss(),
        }
    }
}
