//! The reference stacks (stacks.json): their services and the topology the simulator builds from.

use serde::{Deserialize, Serialize};

use super::Archetype;

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
