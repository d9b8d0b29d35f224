//! The knowledge base's types, exactly as the JSON files in `knowledge/` hold them (see `knowledge/SCHEMA.md`).
//! Optional fields that validation insists on (a price's `source`, say) are `Option` here so that a missing
//! one is reported with its place and fix instead of a bare serde message.
//!
//! Here: the archetypes, the manifest, sources, prices, figures and the files' outer shapes.
//! `questions.rs` holds the questions and rules, `tiers.rs` a stack's tiers and protocols,
//! `services.rs` the services, their capabilities and the requirements, `stacks.rs` the reference
//! stacks.

mod questions;
mod services;
mod stacks;
mod tiers;

pub use questions::*;
pub use services::*;
pub use stacks::*;
pub use tiers::*;

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
