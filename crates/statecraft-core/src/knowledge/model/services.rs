//! The services (services.json): their capabilities, the usage each turns into a bill item, and the
//! requirements (rules.json) a service's capabilities must meet.

use serde::{Deserialize, Serialize};

use super::{Archetype, Condition, SessionPlacement, StackTier};

/// What turns a simulated run into a quantity of a bill item (see `Capabilities::usage`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum UsageDriver {
    /// Requests served.
    Request,
    /// Minutes of open sessions (connections).
    SessionMinute,
    /// Hours of the month.
    MonthHour,
    /// Instance (task, server) hours the run used.
    InstanceHour,
    /// GB sent to clients.
    GbOut,
    /// A fixed quantity per month.
    Month,
    /// GB of data the database keeps (`traffic.stored_gb`): what a search index holds a copy of.
    StoredGb,
    /// Minutes of video uploaded in the month (`traffic.video_minutes`).
    VideoMinute,
    /// Hours broadcast live in the month (`traffic.live_hours`).
    LiveHour,
    /// Hours of live video delivered to viewers: the month's users × `traffic.viewer_hours_per_user`.
    ViewerHour,
}

/// One bill item a simulated month gives a service the cost model has no code for.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct UsageRule {
    pub meter: String,
    pub per: UsageDriver,
    pub factor: f64,
    #[serde(default)]
    pub variant: Option<String>,
    #[serde(default)]
    pub note: Option<String>,
}

/// What a service can do, as the composer reads it (see knowledge/SCHEMA.md).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Capabilities {
    pub tiers: Vec<StackTier>,
    #[serde(default)]
    pub protocols: Vec<String>,
    #[serde(default)]
    pub max_connection_minutes: Option<f64>,
    #[serde(default)]
    pub idle_timeout_s: Option<f64>,
    #[serde(default)]
    pub max_item_kb: Option<f64>,
    #[serde(default)]
    pub consistency: Vec<String>,
    #[serde(default)]
    pub client_auth: Vec<String>,
    #[serde(default)]
    pub multi_az: bool,
    #[serde(default)]
    pub multi_region: bool,
    /// Front door: keeps a client on one target. Compute: a long-lived server that can hold a
    /// client's state in memory.
    #[serde(default)]
    pub sticky: bool,
    /// Front door: the compute services it can send requests to (`none` when it needs none).
    #[serde(default)]
    pub targets: Vec<String>,
    /// Front door: the protocols it can hand to a target, where that target takes fewer than the
    /// door speaks (an ALB hands a Lambda function HTTP requests, never a WebSocket). A target not
    /// listed takes every protocol the door speaks.
    #[serde(default)]
    pub target_protocols: std::collections::BTreeMap<String, Vec<String>>,
    /// Front door, CDN or sign-in: a web application firewall (an AWS WAF web ACL) can be
    /// associated with it. AWS WAF inspects HTTP requests, so a front door or CDN that says so
    /// must carry HTTP.
    #[serde(default)]
    pub firewall: bool,
    /// Front door: it can be reached from inside a VPC only (an internal load balancer, a private
    /// API endpoint), for a system that is not on the public internet.
    #[serde(default)]
    pub private: bool,
    /// Session tier: where the session lives when this service holds it.
    #[serde(default)]
    pub placement: Option<SessionPlacement>,
    /// Session tier: the archetypes that placing sessions here makes.
    #[serde(default)]
    pub archetypes: Vec<Archetype>,
    /// Services that come with this one (Fargate runs under ECS).
    #[serde(default)]
    pub companions: Vec<String>,
    /// The service whose simulator model stands in for this one.
    #[serde(default)]
    pub simulated_as: Option<String>,
    #[serde(default)]
    pub usage: Vec<UsageRule>,
    #[serde(default)]
    pub as_of: Option<String>,
    #[serde(default)]
    pub source: Option<String>,
    #[serde(default)]
    pub note: Option<String>,
}

/// What a requirement asks of the service that fills its tier; every field given must hold.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Needs {
    /// The tier is called for (without it, a tier no requirement calls for is left out).
    #[serde(default)]
    pub present: bool,
    /// The tier must be left out.
    #[serde(default)]
    pub absent: bool,
    #[serde(default)]
    pub protocol: Option<String>,
    /// The service's latency class must be this or faster.
    #[serde(default)]
    pub latency_class: Option<LatencyClass>,
    /// A number question whose answer (minutes) the service's `max_connection_minutes` must reach.
    #[serde(default)]
    pub connection_minutes_from: Option<String>,
    /// A number question whose answer (KB) the service's `max_item_kb` must hold.
    #[serde(default)]
    pub item_kb_from: Option<String>,
    #[serde(default)]
    pub consistency: Option<String>,
    #[serde(default)]
    pub client_auth: Option<String>,
    #[serde(default)]
    pub multi_region: bool,
    #[serde(default)]
    pub multi_az: bool,
    #[serde(default)]
    pub sticky: bool,
    /// The service must be one a web application firewall can be associated with.
    #[serde(default)]
    pub firewall: bool,
    /// The service must offer an endpoint reachable only from inside a VPC.
    #[serde(default)]
    pub private: bool,
    /// The service must be one of these.
    #[serde(default)]
    pub one_of: Vec<String>,
}

/// A hard constraint read from the answers: when `when` holds, the service in `tier` must meet `needs`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Requirement {
    pub id: String,
    /// What is required, as a person says it ("Clients speak raw TCP").
    pub text: String,
    pub when: Condition,
    pub tier: StackTier,
    pub needs: Needs,
    /// An improvement rather than a need (a CDN for shared reads): where the design review finds a
    /// blocker on every service that could fill the tier, the composer leaves the tier out instead
    /// of keeping the blocker.
    #[serde(default)]
    pub optional: bool,
    /// The archetypes whose stacks it applies to (empty: every archetype). A journal for state in
    /// the servers' memory is asked of the stateful design only: the others keep no state there.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub archetypes: Vec<Archetype>,
    #[serde(default)]
    pub source: Option<String>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum ServiceCategory {
    FrontDoor,
    Cdn,
    Compute,
    SessionStore,
    Database,
    Storage,
    Auth,
    Streaming,
    /// Firewalls, keys and audit trails: controls that sit across the stack rather than on the
    /// request path's own work.
    Security,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum LatencyClass {
    Microseconds,
    SubMs,
    SingleDigitMs,
    TensOfMs,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Service {
    pub id: String,
    pub name: String,
    pub category: ServiceCategory,
    pub role: String,
    pub latency_class: LatencyClass,
    pub scaling: String,
    pub holds_state: bool,
    #[serde(default)]
    pub source: Option<String>,
    /// The name a stack's title uses ("ALB"); the full name otherwise.
    #[serde(default)]
    pub short: Option<String>,
    /// Not an AWS service but a place for state (the server's memory, a signed cookie): never billed.
    #[serde(default)]
    pub pattern: bool,
    #[serde(default)]
    pub capabilities: Option<Capabilities>,
    /// Other names a usage file may bill it by: the command-line contract's and AWS's (`rds` for
    /// `rds-postgres`), checked at load to name no other service.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub aliases: Vec<String>,
    /// The compliance programs (the `compliance` question's options: `hipaa`, `pci-dss`, `soc2`)
    /// whose scope AWS lists the service in; a check with `outside_scope` blocks a service
    /// outside a program the answers name. None for a pattern (the compute it runs on is scoped).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub in_scope: Option<Vec<String>>,
}
