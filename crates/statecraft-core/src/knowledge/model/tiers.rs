//! A stack's tiers (the composer picks at most one service per tier) and the protocols a door can
//! carry, as services.json's capabilities name them.

use std::fmt;

use serde::{Deserialize, Serialize};

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
