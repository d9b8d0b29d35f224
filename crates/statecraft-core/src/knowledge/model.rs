//! The knowledge base's types, exactly as the JSON files in `knowledge/` hold them (see `knowledge/SCHEMA.md`).
//! Optional fields that validation insists on (a price's `source`, say) are `Option` here so that a missing
//! one is reported with its place and fix instead of a bare serde message.

use std::collections::BTreeMap;
use std::fmt;

use serde::{Deserialize, Serialize};

pub use super::prices::{
    FreeAllowance, FreeKind, Metering, MissingFigures, OfferMatch, PageMatch, RegionPack,
    RegionPrice, Tier,
};

/// The three ways to hold state that Statecraft decides between.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Archetype {
    Stateless,
    Stateful,
    Hybrid,
}

impl Archetype {
    /// Tie-break order: the seeds' general rule is "go stateless", then mix, then stateful.
    pub const PREFERENCE: [Archetype; 3] =
        [Archetype::Stateless, Archetype::Hybrid, Archetype::Stateful];
    pub const ALL: [Archetype; 3] = [Archetype::Stateless, Archetype::Stateful, Archetype::Hybrid];

    pub fn as_str(self) -> &'static str {
        match self {
            Archetype::Stateless => "stateless",
            Archetype::Stateful => "stateful",
            Archetype::Hybrid => "hybrid",
        }
    }
}

impl fmt::Display for Archetype {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Manifest {
    pub name: String,
    pub version: String,
    #[serde(default)]
    pub description: String,
    #[serde(default)]
    pub mode: PackMode,
    #[serde(default)]
    pub disable_rules: Vec<String>,
    /// A recommendation that wins by this many points or fewer (a tie included) is shown as a
    /// close call, with its runner-up.
    #[serde(default = "default_close_call_points")]
    pub close_call_points: i32,
}

fn default_close_call_points() -> i32 {
    3
}

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum PackMode {
    #[default]
    Overlay,
    Replace,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum SourceKind {
    Seed,
    Aws,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Source {
    pub id: String,
    pub title: String,
    pub kind: SourceKind,
    #[serde(default)]
    pub document: Option<String>,
    #[serde(default)]
    pub section: Option<String>,
    #[serde(default)]
    pub url: Option<String>,
}

impl Source {
    /// One line a reader can follow back: the seed file and section, or the AWS page.
    pub fn citation(&self) -> String {
        match self.kind {
            // by title and section, the way a reader finds it; the file behind it stays in the data
            SourceKind::Seed => format!(
                "{} — {}",
                self.title,
                self.section.as_deref().unwrap_or("the whole guide")
            ),
            SourceKind::Aws => format!("{} — {}", self.title, self.url.as_deref().unwrap_or("?")),
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum QuestionKind {
    Single,
    Multi,
    Number,
    Bool,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct QuestionOption {
    pub id: String,
    pub label: String,
    /// "None of these": in a multi-choice question it stands alone, never beside another option.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub exclusive: bool,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Question {
    pub id: String,
    pub text: String,
    pub help: String,
    pub kind: QuestionKind,
    #[serde(default)]
    pub options: Vec<QuestionOption>,
    #[serde(default)]
    pub min: Option<f64>,
    #[serde(default)]
    pub max: Option<f64>,
    #[serde(default)]
    pub step: Option<f64>,
    #[serde(default)]
    pub unit: Option<String>,
    #[serde(default)]
    pub default: Option<AnswerValue>,
    #[serde(default)]
    pub show_if: Option<Condition>,
    /// The source (an id in sources.json) of why the question matters.
    #[serde(default)]
    pub source: Option<String>,
    /// Answering it otherwise means building a different product (`workload`): its tipping points
    /// come after those a team can act on, and say so.
    #[serde(default)]
    pub product: bool,
    /// A number question whose usual answer is the answered workload's request profile's figure
    /// (`request_ms`, `response_kb`…): the wizard shows that figure as its default.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub profile_default: Option<String>,
}

impl Question {
    pub fn option(&self, id: &str) -> Option<&QuestionOption> {
        self.options.iter().find(|o| o.id == id)
    }

    pub fn option_index(&self, id: &str) -> Option<usize> {
        self.options.iter().position(|o| o.id == id)
    }

    pub fn step(&self) -> f64 {
        self.step.filter(|s| *s > 0.0).unwrap_or(1.0)
    }

    /// A readable form of an answer to this question ("Yes", "Sticky sessions", "5000 requests/s").
    pub fn describe(&self, value: &AnswerValue) -> String {
        match value {
            AnswerValue::Bool(true) => "yes".into(),
            AnswerValue::Bool(false) => "no".into(),
            AnswerValue::Number(n) => match &self.unit {
                Some(unit) => format!("{} {unit}", crate::format::number(*n)),
                None => crate::format::number(*n),
            },
            AnswerValue::Choice(id) => self
                .option(id)
                .map_or_else(|| id.clone(), |o| o.label.clone()),
            AnswerValue::Choices(ids) if ids.is_empty() => "none".into(),
            AnswerValue::Choices(ids) => ids
                .iter()
                .map(|id| {
                    self.option(id)
                        .map_or_else(|| id.clone(), |o| o.label.clone())
                })
                .collect::<Vec<_>>()
                .join(", "),
        }
    }
}

/// One answer, shaped as its question's kind declares.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum AnswerValue {
    Bool(bool),
    Number(f64),
    Choice(String),
    Choices(Vec<String>),
}

impl AnswerValue {
    pub fn kind_name(&self) -> &'static str {
        match self {
            AnswerValue::Bool(_) => "a bool",
            AnswerValue::Number(_) => "a number",
            AnswerValue::Choice(_) => "an option id",
            AnswerValue::Choices(_) => "a list of option ids",
        }
    }
}

/// A condition over answers. Written as one object with exactly one operator; the struct keeps every
/// operator optional so that a malformed condition is reported by validation with its place, not by serde.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Condition {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub all: Option<Vec<Condition>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub any: Option<Vec<Condition>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub not: Option<Box<Condition>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub q: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub eq: Option<AnswerValue>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ne: Option<AnswerValue>,
    #[serde(default, rename = "in", skip_serializing_if = "Option::is_none")]
    pub one_of: Option<Vec<String>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub has: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub gte: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub gt: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub lte: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub lt: Option<f64>,
}

/// Points a fired rule adds to each archetype.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ScoreDelta {
    #[serde(default)]
    pub stateless: i32,
    #[serde(default)]
    pub stateful: i32,
    #[serde(default)]
    pub hybrid: i32,
}

impl ScoreDelta {
    pub fn get(&self, archetype: Archetype) -> i32 {
        match archetype {
            Archetype::Stateless => self.stateless,
            Archetype::Stateful => self.stateful,
            Archetype::Hybrid => self.hybrid,
        }
    }
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Rule {
    pub id: String,
    pub when: Condition,
    #[serde(default)]
    pub scores: ScoreDelta,
    #[serde(default)]
    pub stacks: BTreeMap<String, i32>,
    /// Points added to a service when it is a candidate for a tier of the composed stack.
    #[serde(default)]
    pub services: BTreeMap<String, i32>,
    pub rationale: String,
    #[serde(default)]
    pub source: Option<String>,
    /// The design-review checks (`checks`) that carry this rule's warning to the stack: where the
    /// rule fires and the stack has the services a check names, the advice gives the finding and
    /// its mitigation, whatever the points chose.
    #[serde(default)]
    pub review: Vec<String>,
    /// The requirements (`requirements`) that enforce this rule's warning as a hard constraint, so
    /// the stack cannot carry what it warns against.
    #[serde(default)]
    pub constrains: Vec<String>,
}

/// A tier of a stack: the composer picks at most one service per tier.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum StackTier {
    Front,
    /// A second front door for the live connections (WebSocket, MQTT, raw TCP or UDP) that the
    /// request door cannot carry to the compute: one door per protocol group.
    Live,
    Cdn,
    Dns,
    Compute,
    Session,
    /// A durable store every change to state held in a server's memory is written to before it is
    /// acknowledged, so a replacement server restores it (a game world, an order book, a document).
    Journal,
    Database,
    Files,
    Auth,
    Ingest,
    /// A web application firewall (AWS WAF) on the public HTTP endpoint: the CDN, or the front door.
    Firewall,
    /// Customer managed encryption keys (KMS) a compliance regime asks for.
    Keys,
    /// An audit trail of every API call (CloudTrail) a compliance regime asks for.
    Audit,
    /// A search engine over the product's content (full text, filters, suggestions).
    Search,
    /// Live video taken in once and delivered to many viewers.
    Broadcast,
    /// Uploaded video transcoded into the renditions players stream.
    Transcode,
}

impl StackTier {
    /// The order tiers are composed, listed and written in a composed stack's id. The
    /// cross-cutting tiers come last, so that the ids of stacks without them are unchanged.
    pub const ALL: [StackTier; 17] = [
        StackTier::Front,
        StackTier::Live,
        StackTier::Cdn,
        StackTier::Dns,
        StackTier::Compute,
        StackTier::Session,
        StackTier::Journal,
        StackTier::Database,
        StackTier::Files,
        StackTier::Auth,
        StackTier::Ingest,
        StackTier::Firewall,
        StackTier::Keys,
        StackTier::Audit,
        StackTier::Search,
        StackTier::Broadcast,
        StackTier::Transcode,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            StackTier::Front => "front",
            StackTier::Live => "live",
            StackTier::Cdn => "cdn",
            StackTier::Dns => "dns",
            StackTier::Compute => "compute",
            StackTier::Session => "session",
            StackTier::Journal => "journal",
            StackTier::Database => "database",
            StackTier::Files => "files",
            StackTier::Auth => "auth",
            StackTier::Ingest => "ingest",
            StackTier::Firewall => "firewall",
            StackTier::Keys => "keys",
            StackTier::Audit => "audit",
            StackTier::Search => "search",
            StackTier::Broadcast => "broadcast",
            StackTier::Transcode => "transcode",
        }
    }

    /// A control that sits across the stack rather than on its request path (a firewall, keys, an
    /// audit trail): reference stacks do not carry them, and any of them can take one.
    pub fn cross_cutting(self) -> bool {
        matches!(
            self,
            StackTier::Firewall | StackTier::Keys | StackTier::Audit
        )
    }

    pub fn parse(s: &str) -> Option<StackTier> {
        StackTier::ALL.into_iter().find(|t| t.as_str() == s)
    }

    /// How a person names the tier.
    pub fn label(self) -> &'static str {
        match self {
            StackTier::Front => "front door",
            StackTier::Live => "live-connection door",
            StackTier::Cdn => "content delivery",
            StackTier::Dns => "DNS",
            StackTier::Compute => "compute",
            StackTier::Session => "session state",
            StackTier::Journal => "state journal",
            StackTier::Database => "database",
            StackTier::Files => "files",
            StackTier::Auth => "sign-in",
            StackTier::Ingest => "ingest",
            StackTier::Firewall => "web application firewall",
            StackTier::Keys => "encryption keys",
            StackTier::Audit => "audit trail",
            StackTier::Search => "search",
            StackTier::Broadcast => "live video",
            StackTier::Transcode => "video transcoding",
        }
    }
}

impl fmt::Display for StackTier {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The protocols a capability may name (what clients or producers speak to a service).
pub const PROTOCOLS: [&str; 10] = [
    "http",
    "websocket",
    "tcp",
    "udp",
    "mqtt",
    "sftp",
    "ftps",
    "ftp",
    "dns",
    "graphql",
];

/// Protocols that ride on another: a layer-4 front that carries TCP carries them too.
const CARRIED: [(&str, &str); 7] = [
    ("http", "tcp"),
    ("websocket", "tcp"),
    ("mqtt", "tcp"),
    ("sftp", "tcp"),
    ("ftps", "tcp"),
    ("ftp", "tcp"),
    ("dns", "udp"),
];

/// Whether a service speaking `protocols` carries `wanted`: it speaks it, or it carries the
/// transport `wanted` rides on (a Network Load Balancer carries SFTP because it carries TCP).
pub fn carries(protocols: &[String], wanted: &str) -> bool {
    protocols.iter().any(|p| p == wanted)
        || CARRIED
            .iter()
            .any(|(over, transport)| *over == wanted && protocols.iter().any(|p| p == transport))
}

/// The consistency levels a store may offer.
pub const CONSISTENCY_LEVELS: [&str; 3] = ["eventual", "per-item", "transactions"];

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

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ComputeKind {
    Ec2,
    Fargate,
    Lambda,
    Eks,
    None,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum SessionPlacement {
    InProcessSticky,
    SharedCache,
    /// A durable in-memory database (MemoryDB): read like a cache, every write in a Multi-AZ
    /// transaction log before it is acknowledged, so a node's loss loses nothing acknowledged.
    DurableMemory,
    Dynamodb,
    Database,
    ClientToken,
    None,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Topology {
    pub front: String,
    pub compute: ComputeKind,
    pub session: SessionPlacement,
    #[serde(default)]
    pub session_service: Option<String>,
    #[serde(default)]
    pub database: Option<String>,
    #[serde(default, rename = "static")]
    pub static_assets: Option<String>,
    /// The durable store that journals state kept in the servers' memory (`None`: the state dies
    /// with its server).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub journal: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct StackService {
    pub service: String,
    pub role: String,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Stack {
    pub id: String,
    pub name: String,
    pub archetype: Archetype,
    pub summary: String,
    pub services: Vec<StackService>,
    pub topology: Topology,
    #[serde(default)]
    pub pros: Vec<String>,
    #[serde(default)]
    pub cons: Vec<String>,
    #[serde(default)]
    pub source: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Price {
    pub id: String,
    pub service: String,
    pub item: String,
    pub usd: f64,
    pub per: f64,
    pub unit: String,
    #[serde(default)]
    pub as_of: Option<String>,
    #[serde(default)]
    pub source: Option<String>,
    #[serde(default)]
    pub note: Option<String>,
    /// The usage item this price bills, as `bill --usage` names it (`requests`, `gb_seconds`).
    #[serde(default)]
    pub meter: Option<String>,
    /// AWS's name of the variant priced: an instance type (`m5.large`), an architecture (`x86`).
    #[serde(default)]
    pub variant: Option<String>,
    /// Cheaper rates above a monthly volume; `usd` is the rate of the first tier.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub tiers: Vec<Tier>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub free: Vec<FreeAllowance>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub metering: Option<Metering>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub offer: Option<OfferMatch>,
    /// Where AWS's pricing-page data carries it, for `statecraft prices import`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub page: Option<PageMatch>,
}

impl Price {
    /// Dollars for one unit (`usd / per`).
    pub fn unit_usd(&self) -> f64 {
        self.usd / self.per
    }
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Figure {
    pub id: String,
    #[serde(default)]
    pub service: Option<String>,
    pub what: String,
    pub value: f64,
    #[serde(default)]
    pub low: Option<f64>,
    #[serde(default)]
    pub high: Option<f64>,
    pub unit: String,
    #[serde(default)]
    pub vendor_claim: bool,
    #[serde(default)]
    pub as_of: Option<String>,
    #[serde(default)]
    pub source: Option<String>,
    #[serde(default)]
    pub note: Option<String>,
}

/// Files as they appear on disk: one top-level key holding the list.
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct SourcesFile {
    pub sources: Vec<Source>,
}
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct QuestionsFile {
    pub questions: Vec<Question>,
}
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RulesFile {
    pub rules: Vec<Rule>,
    #[serde(default)]
    pub requirements: Vec<Requirement>,
    #[serde(default)]
    pub checks: Vec<super::checks::Check>,
    #[serde(default)]
    pub conflicts: Vec<super::checks::Conflict>,
}
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct ServicesFile {
    pub services: Vec<Service>,
}
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct StacksFile {
    pub stacks: Vec<Stack>,
}
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct PricesFile {
    pub prices: Vec<Price>,
    #[serde(default)]
    pub billing: Vec<super::billing::BilledService>,
}
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct FiguresFile {
    pub figures: Vec<Figure>,
    #[serde(default)]
    pub profiles: Vec<super::profiles::Profile>,
}
