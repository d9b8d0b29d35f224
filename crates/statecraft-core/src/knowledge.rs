//! The knowledge base: loads the JSON files of a knowledge folder (the shipped one is compiled into the
//! binary), overlays a team's rule pack, and validates the result, reporting every problem at once.

pub mod billing;
pub mod catalogue;
mod checks;
mod load;
mod model;
pub mod prices;
pub mod profiles;
pub mod regions;
pub mod stack_ids;
mod validate;
pub mod values;

pub use billing::BilledService;
pub use checks::{Check, Conflict, Mitigation, Severity, Threshold};
pub use load::{KnowledgeFile, SHIPPED_DIR_NAME};
pub use model::*;
pub(crate) use validate::{collect_refs, question_refs};

use std::path::Path;

use super::diagnostic::Diagnostics;

/// Where each item came from, so that a problem found after merging names the right file and place.
#[derive(Clone, Debug, Default)]
pub(crate) struct Origins {
    pub files: Vec<load::LoadedFile>,
    pub questions: Vec<load::Origin>,
    pub rules: Vec<load::Origin>,
    pub requirements: Vec<load::Origin>,
    pub checks: Vec<load::Origin>,
    pub conflicts: Vec<load::Origin>,
    pub services: Vec<load::Origin>,
    pub stacks: Vec<load::Origin>,
    pub prices: Vec<load::Origin>,
    pub billing: Vec<load::Origin>,
    pub figures: Vec<load::Origin>,
    pub profiles: Vec<load::Origin>,
    pub sources: Vec<load::Origin>,
}

/// A validated knowledge base.
#[derive(Clone, Debug, Default)]
pub struct Knowledge {
    pub manifest: Manifest,
    pub sources: Vec<Source>,
    pub questions: Vec<Question>,
    pub rules: Vec<Rule>,
    /// Hard constraints read from the answers (rules.json's `requirements`).
    pub requirements: Vec<Requirement>,
    /// The design review's checks (rules.json's `checks`).
    pub checks: Vec<Check>,
    /// Answers that contradict each other (rules.json's `conflicts`).
    pub conflicts: Vec<Conflict>,
    pub services: Vec<Service>,
    pub stacks: Vec<Stack>,
    pub prices: Vec<Price>,
    /// How AWS's bill names each service (prices.json's `billing`).
    pub billing: Vec<BilledService>,
    pub figures: Vec<Figure>,
    /// What one request of each kind of workload asks of the system (figures.json's `profiles`).
    pub profiles: Vec<profiles::Profile>,
    /// Prices per region (`knowledge/prices/`), the base region's included.
    pub regions: Vec<RegionPack>,
    pub(crate) origins: Origins,
}

impl Knowledge {
    /// The knowledge that ships with Statecraft (compiled in, so the binary works from any folder).
    pub fn shipped() -> Result<Knowledge, Diagnostics> {
        load::load_layers(&load::shipped_files(), None)
    }

    /// The shipped knowledge with a team's pack from `dir` overlaid (or replacing it, as its manifest says).
    pub fn with_pack(dir: &Path) -> Result<Knowledge, Diagnostics> {
        let pack = load::read_pack(dir)?;
        load::load_layers(&load::shipped_files(), Some(pack))
    }

    /// The shipped knowledge, or the shipped knowledge with a pack when one is named.
    pub fn load(pack: Option<&Path>) -> Result<Knowledge, Diagnostics> {
        match pack {
            Some(dir) => Self::with_pack(dir),
            None => Self::shipped(),
        }
    }

    /// `name version`, written into every advice and record so a result can be reproduced.
    pub fn version(&self) -> String {
        format!("{} {}", self.manifest.name, self.manifest.version)
    }

    pub fn question(&self, id: &str) -> Option<&Question> {
        self.questions.iter().find(|q| q.id == id)
    }

    pub fn question_index(&self, id: &str) -> Option<usize> {
        self.questions.iter().position(|q| q.id == id)
    }

    pub fn rule(&self, id: &str) -> Option<&Rule> {
        self.rules.iter().find(|r| r.id == id)
    }

    pub fn service(&self, id: &str) -> Option<&Service> {
        self.services.iter().find(|s| s.id == id)
    }

    /// A reference stack of stacks.json, or a composed stack rebuilt from its id (see `composed`).
    pub fn stack(&self, id: &str) -> Option<&Stack> {
        match self.stacks.iter().find(|s| s.id == id) {
            Some(s) => Some(s),
            None if stack_ids::is_composed_id(id) => stack_ids::resolve(self, id),
            None => None,
        }
    }

    pub fn price(&self, id: &str) -> Option<&Price> {
        self.prices.iter().find(|p| p.id == id)
    }

    pub fn figure(&self, id: &str) -> Option<&Figure> {
        self.figures.iter().find(|f| f.id == id)
    }

    /// The request profile of a `workload` option.
    pub fn profile(&self, workload: &str) -> Option<&profiles::Profile> {
        self.profiles.iter().find(|p| p.id == workload)
    }

    pub fn source(&self, id: &str) -> Option<&Source> {
        self.sources.iter().find(|s| s.id == id)
    }

    /// The citation line for a source id, or the id itself when the base does not know it.
    pub fn cite(&self, source_id: &str) -> String {
        self.source(source_id)
            .map_or_else(|| source_id.to_string(), Source::citation)
    }
}
