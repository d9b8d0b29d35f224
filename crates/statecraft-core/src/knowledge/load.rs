//! Reading knowledge files and merging a team's pack over the shipped base, keeping each item's origin.

use std::path::Path;

use serde::de::DeserializeOwned;

use super::model::*;
use super::profiles::Profile;
use super::{BilledService, Check, Conflict, Knowledge, Origins, validate};
use crate::diagnostic::{Diagnostic, Diagnostics, JsonPath};
use crate::json_source::SourceText;

/// How the shipped knowledge is named in messages.
pub const SHIPPED_DIR_NAME: &str = "knowledge";

/// The files of a knowledge folder.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum KnowledgeFile {
    Manifest,
    Sources,
    Questions,
    Rules,
    Services,
    Stacks,
    Prices,
    Figures,
}

impl KnowledgeFile {
    pub const ALL: [KnowledgeFile; 8] = [
        KnowledgeFile::Manifest,
        KnowledgeFile::Sources,
        KnowledgeFile::Questions,
        KnowledgeFile::Rules,
        KnowledgeFile::Services,
        KnowledgeFile::Stacks,
        KnowledgeFile::Prices,
        KnowledgeFile::Figures,
    ];

    pub fn file_name(self) -> &'static str {
        match self {
            KnowledgeFile::Manifest => "manifest.json",
            KnowledgeFile::Sources => "sources.json",
            KnowledgeFile::Questions => "questions.json",
            KnowledgeFile::Rules => "rules.json",
            KnowledgeFile::Services => "services.json",
            KnowledgeFile::Stacks => "stacks.json",
            KnowledgeFile::Prices => "prices.json",
            KnowledgeFile::Figures => "figures.json",
        }
    }

    /// The top-level key that holds the list (the manifest has none).
    pub fn key(self) -> &'static str {
        match self {
            KnowledgeFile::Manifest => "",
            KnowledgeFile::Sources => "sources",
            KnowledgeFile::Questions => "questions",
            KnowledgeFile::Rules => "rules",
            KnowledgeFile::Services => "services",
            KnowledgeFile::Stacks => "stacks",
            KnowledgeFile::Prices => "prices",
            KnowledgeFile::Figures => "figures",
        }
    }

    fn expected(self) -> String {
        match self {
            KnowledgeFile::Manifest => {
                "a JSON object {\"name\", \"version\", \"description\", \"mode\", \"disable_rules\"} (see knowledge/SCHEMA.md)".into()
            }
            other => format!(
                "a JSON object {{\"{}\": [...]}} (see knowledge/SCHEMA.md)",
                other.key()
            ),
        }
    }

    fn shipped_text(self) -> &'static str {
        match self {
            KnowledgeFile::Manifest => include_str!("../../../../knowledge/manifest.json"),
            KnowledgeFile::Sources => include_str!("../../../../knowledge/sources.json"),
            KnowledgeFile::Questions => include_str!("../../../../knowledge/questions.json"),
            KnowledgeFile::Rules => include_str!("../../../../knowledge/rules.json"),
            KnowledgeFile::Services => include_str!("../../../../knowledge/services.json"),
            KnowledgeFile::Stacks => include_str!("../../../../knowledge/stacks.json"),
            KnowledgeFile::Prices => include_str!("../../../../knowledge/prices.json"),
            KnowledgeFile::Figures => include_str!("../../../../knowledge/figures.json"),
        }
    }
}

/// One file that took part in the merge.
#[derive(Clone, Debug)]
pub struct LoadedFile {
    pub kind: KnowledgeFile,
    pub src: SourceText,
}

/// An item's file (an index into `Origins::files`) and its index in that file's list.
#[derive(Clone, Copy, Debug)]
pub struct Origin {
    pub file: usize,
    pub index: usize,
}

/// A folder of knowledge files: all of them for the shipped base, those it has for a pack.
pub(crate) struct Layer {
    files: Vec<LoadedFile>,
    /// Regional price packs (`prices/<code>.json`), read apart from the lists above.
    regions: Vec<SourceText>,
}

pub(crate) fn shipped_files() -> Layer {
    Layer {
        files: KnowledgeFile::ALL
            .iter()
            .map(|&kind| LoadedFile {
                kind,
                src: SourceText::new(
                    format!("{SHIPPED_DIR_NAME}/{}", kind.file_name()),
                    kind.shipped_text(),
                ),
            })
            .collect(),
        regions: super::prices::SHIPPED_REGIONS
            .iter()
            .map(|(name, text)| SourceText::new(*name, *text))
            .collect(),
    }
}

/// Reads the knowledge files a pack folder has. Its manifest is required: it says how to combine.
pub(crate) fn read_pack(dir: &Path) -> Result<Layer, Diagnostics> {
    let shown = dir.display().to_string();
    match std::fs::metadata(dir) {
        Ok(m) if m.is_dir() => {}
        Ok(_) => {
            return Err(Diagnostic::new(
                &shown,
                "this is a file, not a knowledge folder",
                "name the folder that holds manifest.json and the knowledge files (see knowledge/SCHEMA.md)",
            )
            .into());
        }
        Err(e) => {
            let (message, fix) = crate::json_source::describe_open_error(dir, &e, "knowledge");
            let message = if e.kind() == std::io::ErrorKind::NotFound
                && std::fs::symlink_metadata(dir).is_err()
            {
                "no such knowledge folder".to_string()
            } else {
                message.replace("the knowledge file", "the knowledge folder")
            };
            return Err(Diagnostic::new(
                &shown,
                message,
                if e.kind() == std::io::ErrorKind::NotFound {
                    "name a folder that holds manifest.json and the knowledge files (see knowledge/SCHEMA.md)".to_string()
                } else {
                    fix
                },
            )
            .into());
        }
    }
    let mut files = Vec::new();
    let mut problems = Diagnostics::default();
    for kind in KnowledgeFile::ALL {
        let path = dir.join(kind.file_name());
        // Only a name that is truly absent means "not in this pack": a link that loops or points
        // nowhere, or a folder that cannot be searched, is reported as what it is, never taken as
        // "use the shipped file".
        match std::fs::symlink_metadata(&path) {
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                if kind == KnowledgeFile::Manifest {
                    problems.push(Diagnostic::new(
                        path.display().to_string(),
                        "a knowledge pack needs a manifest.json",
                        "add {\"name\": \"…\", \"version\": \"…\", \"mode\": \"overlay\"} (or \"replace\")",
                    ));
                }
                continue;
            }
            Err(e) => {
                let (message, fix) =
                    crate::json_source::describe_open_error(&path, &e, "knowledge");
                problems.push(Diagnostic::new(path.display().to_string(), message, fix));
                continue;
            }
            Ok(_) => {}
        }
        match SourceText::read(&path, "knowledge") {
            Ok(src) => files.push(LoadedFile { kind, src }),
            Err(d) => problems.push(d),
        }
    }
    let regions = super::regions::read_dir(&dir.join("prices"), &mut problems);
    problems.into_result(Layer { files, regions })
}

/// The parsed lists of one layer, each item tagged with its file.
#[derive(Default)]
struct Parsed {
    manifest: Option<(Manifest, usize)>,
    sources: Vec<(Source, Origin)>,
    questions: Vec<(Question, Origin)>,
    rules: Vec<(Rule, Origin)>,
    requirements: Vec<(Requirement, Origin)>,
    checks: Vec<(Check, Origin)>,
    conflicts: Vec<(Conflict, Origin)>,
    services: Vec<(Service, Origin)>,
    stacks: Vec<(Stack, Origin)>,
    prices: Vec<(Price, Origin)>,
    billing: Vec<(BilledService, Origin)>,
    figures: Vec<(Figure, Origin)>,
    profiles: Vec<(Profile, Origin)>,
}

trait HasId {
    fn id(&self) -> &str;
    /// The key that holds the id.
    fn id_key() -> &'static str {
        "id"
    }
}

/// A billed service is known by its AWS service code: a pack's entry of the same code replaces it.
impl HasId for BilledService {
    fn id(&self) -> &str {
        &self.service_code
    }
    fn id_key() -> &'static str {
        "service_code"
    }
}
macro_rules! has_id {
    ($($t:ty),*) => { $(impl HasId for $t { fn id(&self) -> &str { &self.id } })* };
}
has_id!(
    Source,
    Question,
    Rule,
    Requirement,
    Check,
    Conflict,
    Service,
    Stack,
    Price,
    Figure,
    Profile
);

fn tag<T>(items: Vec<T>, file: usize) -> Vec<(T, Origin)> {
    items
        .into_iter()
        .enumerate()
        .map(|(index, item)| (item, Origin { file, index }))
        .collect()
}

fn parse_file<T: DeserializeOwned>(file: &LoadedFile, problems: &mut Diagnostics) -> Option<T> {
    file.src
        .parse::<T>(&file.kind.expected())
        .map_err(|d| problems.push(d))
        .ok()
}

fn parse_layer(layer: &Layer, offset: usize, problems: &mut Diagnostics) -> Parsed {
    let mut parsed = Parsed::default();
    for (i, file) in layer.files.iter().enumerate() {
        let at = offset + i;
        match file.kind {
            KnowledgeFile::Manifest => {
                parsed.manifest = parse_file::<Manifest>(file, problems).map(|m| (m, at));
            }
            KnowledgeFile::Sources => {
                if let Some(f) = parse_file::<SourcesFile>(file, problems) {
                    parsed.sources = tag(f.sources, at);
                }
            }
            KnowledgeFile::Questions => {
                if let Some(f) = parse_file::<QuestionsFile>(file, problems) {
                    parsed.questions = tag(f.questions, at);
                }
            }
            KnowledgeFile::Rules => {
                if let Some(f) = parse_file::<RulesFile>(file, problems) {
                    parsed.rules = tag(f.rules, at);
                    parsed.requirements = tag(f.requirements, at);
                    parsed.checks = tag(f.checks, at);
                    parsed.conflicts = tag(f.conflicts, at);
                }
            }
            KnowledgeFile::Services => {
                if let Some(f) = parse_file::<ServicesFile>(file, problems) {
                    parsed.services = tag(f.services, at);
                }
            }
            KnowledgeFile::Stacks => {
                if let Some(f) = parse_file::<StacksFile>(file, problems) {
                    parsed.stacks = tag(f.stacks, at);
                }
            }
            KnowledgeFile::Prices => {
                if let Some(f) = parse_file::<PricesFile>(file, problems) {
                    parsed.prices = tag(f.prices, at);
                    parsed.billing = tag(f.billing, at);
                }
            }
            KnowledgeFile::Figures => {
                if let Some(f) = parse_file::<FiguresFile>(file, problems) {
                    parsed.figures = tag(f.figures, at);
                    parsed.profiles = tag(f.profiles, at);
                }
            }
        }
    }
    parsed
}

/// Reports an id used twice within one file (across files an id overlays on purpose).
fn check_duplicates<T: HasId>(
    items: &[(T, Origin)],
    files: &[LoadedFile],
    problems: &mut Diagnostics,
) {
    check_duplicates_in(items, files, None, problems);
}

/// As `check_duplicates`, for a list under `list_key` rather than the file's own key (rules.json's
/// `requirements`).
fn check_duplicates_in<T: HasId>(
    items: &[(T, Origin)],
    files: &[LoadedFile],
    list_key: Option<&str>,
    problems: &mut Diagnostics,
) {
    let mut seen: std::collections::HashMap<(usize, &str), usize> =
        std::collections::HashMap::new();
    for (item, origin) in items {
        let file = &files[origin.file];
        let key = list_key.unwrap_or(file.kind.key());
        if let Some(first) = seen.insert((origin.file, item.id()), origin.index) {
            let path = JsonPath::root()
                .key(key)
                .index(origin.index)
                .key(T::id_key());
            let (line, _) = file.src.locate(&JsonPath::root().key(key).index(first));
            problems.push(file.src.diagnostic_at(
                &path,
                format!(
                    "duplicate {} `{}`: it is already used at line {line}",
                    T::id_key().replace('_', " "),
                    item.id()
                ),
                "give each entry its own id, or delete one of the two",
            ));
        }
    }
}

fn check_all_duplicates(parsed: &Parsed, files: &[LoadedFile], problems: &mut Diagnostics) {
    check_duplicates(&parsed.sources, files, problems);
    check_duplicates(&parsed.questions, files, problems);
    check_duplicates(&parsed.rules, files, problems);
    check_duplicates_in(&parsed.requirements, files, Some("requirements"), problems);
    check_duplicates_in(&parsed.checks, files, Some("checks"), problems);
    check_duplicates_in(&parsed.conflicts, files, Some("conflicts"), problems);
    check_duplicates(&parsed.services, files, problems);
    check_duplicates(&parsed.stacks, files, problems);
    check_duplicates(&parsed.prices, files, problems);
    check_duplicates_in(&parsed.billing, files, Some("billing"), problems);
    check_duplicates(&parsed.figures, files, problems);
    check_duplicates_in(&parsed.profiles, files, Some("profiles"), problems);
}

/// Pack items replace shipped ones with the same id and add the rest; the result keeps origins.
fn overlay<T: HasId>(base: Vec<(T, Origin)>, pack: Vec<(T, Origin)>) -> Vec<(T, Origin)> {
    let mut merged = base;
    // an index by id keeps a 10,000-rule pack from costing a quadratic search
    let mut at: std::collections::HashMap<String, usize> = merged
        .iter()
        .enumerate()
        .map(|(i, (item, _))| (item.id().to_string(), i))
        .collect();
    for (item, origin) in pack {
        match at.get(item.id()) {
            Some(&i) => merged[i] = (item, origin),
            None => {
                at.insert(item.id().to_string(), merged.len());
                merged.push((item, origin));
            }
        }
    }
    merged
}

fn split<T>(items: Vec<(T, Origin)>) -> (Vec<T>, Vec<Origin>) {
    items.into_iter().unzip()
}

pub(crate) fn load_layers(shipped: &Layer, pack: Option<Layer>) -> Result<Knowledge, Diagnostics> {
    let mut problems = Diagnostics::default();
    let base = parse_layer(shipped, 0, &mut problems);
    let mut files = shipped.files.clone();
    let pack_parsed = pack.as_ref().map(|layer| {
        let parsed = parse_layer(layer, files.len(), &mut problems);
        files.extend(layer.files.iter().cloned());
        parsed
    });
    if !problems.is_empty() {
        return Err(problems);
    }
    check_all_duplicates(&base, &files, &mut problems);
    let mut merged = base;
    if let Some(pack) = pack_parsed {
        check_all_duplicates(&pack, &files, &mut problems);
        let before = problems.len();
        let replace = pack
            .manifest
            .as_ref()
            .is_some_and(|(m, _)| m.mode == PackMode::Replace);
        merged = merge(merged, pack, &files, &mut problems);
        // a replace pack without all its files has nothing whole to check: the missing files are
        // the problem, not every reference into them
        if replace && problems.len() > before {
            return Err(problems);
        }
    }

    let Some((manifest, _)) = merged.manifest else {
        problems.push(Diagnostic::new(
            "manifest.json",
            "the knowledge has no manifest",
            "add manifest.json with a name and a version",
        ));
        return Err(problems);
    };
    let (sources, source_origins) = split(merged.sources);
    let (questions, question_origins) = split(merged.questions);
    let (rules, rule_origins) = split(merged.rules);
    let (requirements, requirement_origins) = split(merged.requirements);
    let (checks, check_origins) = split(merged.checks);
    let (conflicts, conflict_origins) = split(merged.conflicts);
    let (services, service_origins) = split(merged.services);
    let (stacks, stack_origins) = split(merged.stacks);
    let (prices, price_origins) = split(merged.prices);
    let (billing, billing_origins) = split(merged.billing);
    let (figures, figure_origins) = split(merged.figures);
    let (profiles, profile_origins) = split(merged.profiles);
    let knowledge = Knowledge {
        manifest,
        sources,
        questions,
        rules,
        requirements,
        checks,
        conflicts,
        services,
        stacks,
        prices,
        billing,
        figures,
        profiles,
        regions: Vec::new(),
        origins: Origins {
            files,
            questions: question_origins,
            rules: rule_origins,
            requirements: requirement_origins,
            checks: check_origins,
            conflicts: conflict_origins,
            services: service_origins,
            stacks: stack_origins,
            prices: price_origins,
            billing: billing_origins,
            figures: figure_origins,
            profiles: profile_origins,
            sources: source_origins,
        },
    };
    validate::validate(&knowledge, &mut problems);
    let mut knowledge = knowledge;
    let pack_regions = pack.as_ref().map_or(&[][..], |p| &p.regions[..]);
    let replace = knowledge.manifest.mode == PackMode::Replace;
    knowledge.regions = super::regions::load(
        &knowledge,
        &shipped.regions,
        pack_regions,
        replace,
        &mut problems,
    );
    problems.into_result(knowledge)
}

/// Combines a pack with the shipped base as the pack's manifest says.
fn merge(base: Parsed, pack: Parsed, files: &[LoadedFile], problems: &mut Diagnostics) -> Parsed {
    let Some((manifest, manifest_file)) = pack.manifest else {
        return base;
    };
    // the pack's name and version are printed in every record, advice and summary: a newline or an
    // escape sequence in them could forge an `error:` line or drive the terminal
    for (key, value) in [("name", &manifest.name), ("version", &manifest.version)] {
        if value.chars().any(char::is_control) {
            problems.push(files[manifest_file].src.diagnostic_at(
                &JsonPath::root().key(key),
                format!(
                    "the pack's `{key}` holds a control character (a newline, a tab or an escape)"
                ),
                format!("write the {key} on one line, in plain characters"),
            ));
        }
    }
    match manifest.mode {
        PackMode::Replace => {
            let present: Vec<KnowledgeFile> =
                files.iter().skip(shipped_count()).map(|f| f.kind).collect();
            for kind in KnowledgeFile::ALL {
                if !present.contains(&kind) {
                    problems.push(files[manifest_file].src.diagnostic_at(
                        &JsonPath::root().key("mode"),
                        format!("a pack with \"mode\": \"replace\" must hold every file, and {} is missing", kind.file_name()),
                        format!("add {} to the pack, or use \"mode\": \"overlay\" to take it from the shipped base", kind.file_name()),
                    ));
                }
            }
            if pack.rules.is_empty()
                && let Some(rules) = files
                    .iter()
                    .skip(shipped_count())
                    .find(|f| f.kind == KnowledgeFile::Rules)
            {
                problems.push(rules.src.diagnostic_at(
                    &JsonPath::root().key("rules"),
                    "a pack with \"mode\": \"replace\" has no rules, so no answers could ever lead to a recommendation",
                    "add the pack's rules, or use \"mode\": \"overlay\" to keep the shipped ones",
                ));
            }
            Parsed {
                manifest: Some((manifest, manifest_file)),
                ..pack
            }
        }
        PackMode::Overlay => {
            let mut rules = overlay(base.rules, pack.rules);
            for (i, id) in manifest.disable_rules.iter().enumerate() {
                if let Some(first) = manifest.disable_rules[..i].iter().position(|d| d == id) {
                    let src = &files[manifest_file].src;
                    let (line, column) =
                        src.locate(&JsonPath::root().key("disable_rules").index(first));
                    problems.push(src.diagnostic_at(
                        &JsonPath::root().key("disable_rules").index(i),
                        format!("`disable_rules` names `{id}` twice (first at line {line}, column {column})"),
                        "remove one of the two",
                    ));
                    continue;
                }
                match rules.iter().position(|(r, _)| &r.id == id) {
                    Some(at) => {
                        rules.remove(at);
                    }
                    None => problems.push(files[manifest_file].src.diagnostic_at(
                        &JsonPath::root().key("disable_rules").index(i),
                        format!("`disable_rules` names `{id}`, which is not a rule of the shipped base"),
                        "use the id of a shipped rule (statecraft check-knowledge lists them), or remove the entry",
                    )),
                }
            }
            Parsed {
                manifest: Some((manifest, manifest_file)),
                sources: overlay(base.sources, pack.sources),
                questions: overlay(base.questions, pack.questions),
                rules,
                requirements: overlay(base.requirements, pack.requirements),
                checks: overlay(base.checks, pack.checks),
                conflicts: overlay(base.conflicts, pack.conflicts),
                services: overlay(base.services, pack.services),
                stacks: overlay(base.stacks, pack.stacks),
                prices: overlay(base.prices, pack.prices),
                billing: overlay(base.billing, pack.billing),
                figures: overlay(base.figures, pack.figures),
                profiles: overlay(base.profiles, pack.profiles),
            }
        }
    }
}

fn shipped_count() -> usize {
    KnowledgeFile::ALL.len()
}
