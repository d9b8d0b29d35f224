//! The document the desktop app's File menu opens and saves: the wizard's answers, the named
//! scenarios a team compares, and the seed every simulated result is drawn from.
//!
//! A project file is JSON with a `schema_version`. Reading it refuses — with the file, line, column
//! and fix — anything broken, truncated, foreign or written by a newer Statecraft, so the app can keep
//! the user's current work untouched. Saving is atomic: the text goes to a temporary file in the same
//! folder, which is then renamed over the target, so a crash leaves the old file or the new one.

use std::path::Path;

use serde::{Deserialize, Serialize};

use super::answers::Answers;
use super::diagnostic::{Diagnostic, Diagnostics, JsonPath};
pub use super::export::Supersedes;
use super::export::{DEFAULT_STATUS, Style};
use super::json_source::SourceText;
use super::knowledge::Knowledge;
use super::sim::Scenario;
use super::sim::chaos::ChaosChoice;

/// The schema this version of Statecraft writes, and the newest it reads.
pub const PROJECT_SCHEMA_VERSION: u32 = 1;

/// What the `kind` field of a project file says, so a project is told apart from other JSON.
pub const PROJECT_KIND: &str = "statecraft-project";

/// The file extension the save dialog suggests.
pub const PROJECT_EXTENSION: &str = "statecraft.json";

pub use super::sim::scenario::DEFAULT_SEED;

/// A scenario the user saved under a name, to compare with others.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SavedScenario {
    pub name: String,
    pub scenario: ScenarioDoc,
}

/// The scenario as the simulator defines it.
pub type ScenarioDoc = Scenario;

/// One project: what the File menu opens and saves.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Project {
    pub kind: String,
    pub schema_version: u32,
    /// The answers so far, including answers to questions the branching now hides (going back
    /// restores them).
    #[serde(default, with = "answers_map")]
    pub answers: Answers,
    /// The seed of every simulation in this project.
    pub seed: u64,
    /// The scenario on the simulator screen (the one being edited), kept with the project so that it
    /// is there again after a restart.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub working: Option<Scenario>,
    /// The scenarios the user saved, in the order they were saved.
    #[serde(default)]
    pub scenarios: Vec<SavedScenario>,
    /// What the decision record carries, as the Export screen sets it.
    #[serde(default)]
    pub record: RecordSettings,
}

/// The Export screen's choices, kept with the project so that `statecraft export --project FILE`
/// writes the very record the screen shows.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct RecordSettings {
    /// The record simulates the simulator screen's working scenario.
    pub working: bool,
    /// The saved scenarios ticked for the record, by name.
    pub scenarios: Vec<String>,
    /// The Chaos Monkey test the user ran, for the record to run on the chosen stack and the other options.
    pub chaos: Option<ChaosChoice>,
    /// Monte Carlo bands for scenarios with ranges (off: their likely values only).
    pub bands: bool,
    pub layout: Style,
    /// MADR's status; a generated record goes to review, so `proposed`.
    pub status: String,
    pub decision_makers: Vec<String>,
    pub consulted: Vec<String>,
    pub informed: Vec<String>,
    /// The record this one supersedes, in the folder it is written to.
    pub supersedes: Option<Supersedes>,
}

impl Default for RecordSettings {
    fn default() -> Self {
        RecordSettings {
            working: true,
            scenarios: Vec::new(),
            chaos: None,
            bands: true,
            layout: Style::Madr,
            status: DEFAULT_STATUS.to_string(),
            decision_makers: Vec::new(),
            consulted: Vec::new(),
            informed: Vec::new(),
            supersedes: None,
        }
    }
}

impl Default for Project {
    fn default() -> Self {
        Project {
            kind: PROJECT_KIND.to_string(),
            schema_version: PROJECT_SCHEMA_VERSION,
            answers: Answers::default(),
            seed: DEFAULT_SEED,
            working: None,
            scenarios: Vec::new(),
            record: RecordSettings::default(),
        }
    }
}

/// The top-level fields, read before the whole document so that a foreign or newer file gets a
/// message about that rather than about its first unexpected field.
#[derive(Deserialize)]
struct Header {
    kind: Option<serde_json::Value>,
    schema_version: Option<serde_json::Value>,
}

const PROJECT_SHAPE: &str = "a Statecraft project: {\"kind\": \"statecraft-project\", \"schema_version\": 1, \"answers\": {...}, \"seed\": 42, \"scenarios\": [...]}";

impl Project {
    /// Reads and checks a project file. Every problem names the file and, where it has one, the
    /// line and column.
    pub fn read(path: &Path, knowledge: &Knowledge) -> Result<Project, Diagnostics> {
        let src = SourceText::read(path, "project")?;
        Self::parse(&src, knowledge)
    }

    /// Parses a project from `src` and checks its answers against the knowledge.
    pub fn parse(src: &SourceText, knowledge: &Knowledge) -> Result<Project, Diagnostics> {
        let value: serde_json::Value = src.parse(PROJECT_SHAPE)?;
        if !value.is_object() {
            return Err(Diagnostic::new(
                &src.name,
                format!(
                    "this is not a Statecraft project: the file holds {}, expected {PROJECT_SHAPE}",
                    json_kind(&value)
                ),
                "open a file that Statecraft saved (File → Save)",
            )
            .at(1, 1)
            .into());
        }
        let header: Header = serde_json::from_value(value.clone()).map_err(|e| {
            src.diagnostic_at(
                &JsonPath::root(),
                format!("cannot read the project header: {e}"),
                "open a file that Statecraft saved",
            )
        })?;
        check_header(src, &header)?;
        let mut project: Project =
            serde_path_to_error::deserialize(value.clone()).map_err(|e| {
                let path = path_from_serde(&e.path().to_string());
                src.diagnostic_at(
                    &path,
                    format!("the project is not valid: {}", e.inner()),
                    "correct the value at that place, or save the project again from Statecraft",
                )
            })?;
        if value.get("answers").is_some() {
            project.answers =
                Answers::from_json(&value, src, &JsonPath::root().key("answers"), knowledge)?;
        }
        let mut problems = Diagnostics::default();
        let mut names: Vec<&str> = Vec::new();
        for (i, saved) in project.scenarios.iter().enumerate() {
            let at = JsonPath::root().key("scenarios").index(i);
            if saved.name.trim().is_empty() {
                problems.push(src.diagnostic_at(
                    &at.key("name"),
                    "a saved scenario has an empty name",
                    "give every scenario a name",
                ));
            } else if names.contains(&saved.name.as_str()) {
                problems.push(src.diagnostic_at(
                    &at.key("name"),
                    format!("two saved scenarios are called `{}`", saved.name),
                    "give each scenario its own name",
                ));
            }
            names.push(&saved.name);
            check_scenario(
                src,
                &at.key("scenario"),
                &saved.scenario,
                knowledge,
                &mut problems,
            );
        }
        check_supersedes(src, &project, &mut problems);
        if let Some(working) = &project.working {
            check_scenario(
                src,
                &JsonPath::root().key("working"),
                working,
                knowledge,
                &mut problems,
            );
        }
        problems.into_result(project)
    }

    /// The project as the file holds it: pretty JSON ending with a newline.
    pub fn to_json(&self) -> String {
        let mut text = serde_json::to_string_pretty(self).unwrap_or_else(|_| "{}".to_string());
        text.push('\n');
        text
    }

    /// Writes the project to `path` atomically: a temporary file in the same folder, flushed to disk,
    /// then renamed over `path`. On failure the old file (if any) is untouched.
    pub fn save(&self, path: &Path) -> Result<(), Diagnostic> {
        write_atomically(path, self.to_json().as_bytes(), "project")
    }

    /// The saved scenario called `name`.
    pub fn scenario(&self, name: &str) -> Option<&SavedScenario> {
        self.scenarios.iter().find(|s| s.name == name)
    }

    /// Saves `scenario` under `name` as the app's Save does: a scenario saved for the first time is
    /// also ticked for the record, so the next record carries it (the Export screen unticks it);
    /// saving again under a name keeps the tick as the user left it.
    pub fn save_scenario(&mut self, name: &str, scenario: ScenarioDoc) {
        let new = self.scenario(name).is_none();
        self.put_scenario(name, scenario);
        if new
            && !self.record.scenarios.iter().any(|n| n == name)
            && self.record.scenarios.len() < crate::export::MAX_RECORD_SCENARIOS
        {
            self.record.scenarios.push(name.to_string());
        }
    }

    /// Saves `scenario` under `name`, replacing a scenario of that name.
    pub fn put_scenario(&mut self, name: &str, scenario: ScenarioDoc) {
        match self.scenarios.iter_mut().find(|s| s.name == name) {
            Some(existing) => existing.scenario = scenario,
            None => self.scenarios.push(SavedScenario {
                name: name.to_string(),
                scenario,
            }),
        }
    }
}

/// The answers as a plain `{"<question id>": value}` object inside the project (the `Answers` type
/// itself serialises with its own `answers` wrapper, as an answers file does).
mod answers_map {
    use std::collections::BTreeMap;

    use serde::{Deserialize, Deserializer, Serialize, Serializer};

    use crate::answers::Answers;
    use crate::knowledge::AnswerValue;

    pub fn serialize<S: Serializer>(answers: &Answers, s: S) -> Result<S::Ok, S::Error> {
        answers.answers.serialize(s)
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Answers, D::Error> {
        Ok(Answers {
            answers: BTreeMap::<String, AnswerValue>::deserialize(d)?,
        })
    }
}

/// Checks a scenario held inside the project with the simulator's own limits, placing each problem
/// at its line and column in the project file.
fn check_scenario(
    src: &SourceText,
    at: &JsonPath,
    scenario: &Scenario,
    knowledge: &Knowledge,
    problems: &mut Diagnostics,
) {
    if let Err(found) = scenario.validate(knowledge) {
        for d in found.0 {
            let mut path = at.clone();
            if let Some(inner) = &d.path {
                path.0.extend(path_from_serde(inner).0);
            }
            problems.push(src.diagnostic_at(&path, d.message, d.fix));
        }
    }
}

/// The record a project supersedes is named by its file name in the decisions folder: a name,
/// never a path, since that file is rewritten.
fn check_supersedes(src: &SourceText, project: &Project, problems: &mut Diagnostics) {
    if let Some(old) = &project.record.supersedes {
        let plain = !old.file.contains(['/', '\\']) && !old.file.starts_with('.');
        if !plain || crate::export::folder::number_of(&old.file) != Some(old.number) {
            problems.push(src.diagnostic_at(
                &JsonPath::root().key("record").key("supersedes").key("file"),
                format!(
                    "the record it supersedes is given as `{}`; expected the file name of record {} in the decisions folder, like `{:04}-use-hybrid-stack.md`",
                    old.file, old.number, old.number
                ),
                "choose the record to supersede again on the Decision log screen",
            ));
        }
    }
}

impl Project {
    /// Reads a project to export its record (`export --project`): as [`Project::read`], and the
    /// scenarios ticked for the record must be saved ones, no more than a record takes, each problem
    /// at its line and column. (The app opens a project with a stale tick, and its Export screen
    /// shows it unticked.)
    pub fn read_for_export(path: &Path, knowledge: &Knowledge) -> Result<Project, Diagnostics> {
        let src = SourceText::read(path, "project")?;
        let project = Self::parse(&src, knowledge)?;
        let at = JsonPath::root().key("record").key("scenarios");
        let ticked = &project.record.scenarios;
        let mut problems = Diagnostics::default();
        if ticked.len() > crate::export::MAX_RECORD_SCENARIOS {
            let d = crate::export::too_many_scenarios(ticked.len(), &src.name);
            problems.push(src.diagnostic_at(&at, d.message, d.fix));
            return Err(problems);
        }
        for (i, name) in ticked.iter().enumerate() {
            if project.scenario(name).is_none() {
                problems.push(src.diagnostic_at(
                    &at.index(i),
                    format!("the record names a saved scenario `{name}` the project does not have"),
                    "tick only saved scenarios on the Export screen",
                ));
            }
        }
        problems.into_result(project)
    }
}

fn check_header(src: &SourceText, header: &Header) -> Result<(), Diagnostic> {
    let root = JsonPath::root();
    match &header.kind {
        Some(serde_json::Value::String(k)) if k == PROJECT_KIND => {}
        Some(other) => {
            return Err(src.diagnostic_at(
                &root.key("kind"),
                format!("this is not a Statecraft project: `kind` is {other}, expected \"{PROJECT_KIND}\""),
                "open a file that Statecraft saved (File → Save)",
            ));
        }
        None => {
            return Err(src.diagnostic_at(
                &root,
                format!("this is not a Statecraft project: it has no `kind` field; expected {PROJECT_SHAPE}"),
                "open a file that Statecraft saved (File → Save); an answers file can be used with `statecraft advise --answers`",
            ));
        }
    }
    let at = root.key("schema_version");
    match &header.schema_version {
        Some(serde_json::Value::Number(n)) => match n.as_u64() {
            Some(v) if v == u64::from(PROJECT_SCHEMA_VERSION) => Ok(()),
            Some(v) if v > u64::from(PROJECT_SCHEMA_VERSION) => Err(src.diagnostic_at(
                &at,
                format!(
                    "the project was written by a newer Statecraft (schema_version {v}); this version reads schema_version {PROJECT_SCHEMA_VERSION}"
                ),
                "open it with a newer Statecraft, or ask whoever saved it to save a copy for this version",
            )),
            _ => Err(src.diagnostic_at(
                &at,
                format!("`schema_version` {n} is not one Statecraft has written; expected {PROJECT_SCHEMA_VERSION}"),
                format!("set \"schema_version\": {PROJECT_SCHEMA_VERSION}"),
            )),
        },
        Some(other) => Err(src.diagnostic_at(
            &at,
            format!("`schema_version` must be a whole number, found {}", json_kind(other)),
            format!("set \"schema_version\": {PROJECT_SCHEMA_VERSION}"),
        )),
        None => Err(src.diagnostic_at(
            &root,
            "the project has no `schema_version`",
            format!("add \"schema_version\": {PROJECT_SCHEMA_VERSION}"),
        )),
    }
}

/// `scenarios[1].name` (as serde_path_to_error writes it) as a `JsonPath`.
fn path_from_serde(text: &str) -> JsonPath {
    let mut path = JsonPath::root();
    for part in text.split('.') {
        if part.is_empty() || part == "?" {
            continue;
        }
        let (key, rest) = part.split_once('[').map_or((part, ""), |(k, r)| (k, r));
        if !key.is_empty() {
            path = path.key(key);
        }
        for index in rest.split('[') {
            if let Ok(i) = index.trim_end_matches(']').parse::<usize>() {
                path = path.index(i);
            }
        }
    }
    path
}

fn json_kind(value: &serde_json::Value) -> &'static str {
    match value {
        serde_json::Value::Null => "null",
        serde_json::Value::Bool(_) => "true or false",
        serde_json::Value::Number(_) => "a number",
        serde_json::Value::String(_) => "a string",
        serde_json::Value::Array(_) => "a list",
        serde_json::Value::Object(_) => "an object",
    }
}

pub use super::interrupt::write_atomically;

#[cfg(test)]
mod tests {
    use super::*;

    fn k() -> Knowledge {
        Knowledge::shipped().expect("shipped knowledge loads")
    }

    #[test]
    fn a_saved_project_reads_back_the_same() {
        let dir = tempfile::tempdir().expect("temp dir");
        let path = dir.path().join("p.statecraft.json");
        let mut p = Project::default();
        p.answers
            .set("realtime", crate::knowledge::AnswerValue::Bool(true));
        p.seed = 7;
        p.put_scenario("launch", Scenario::new("alb-fargate-jwt", 100.0));
        p.save(&path).expect("saves");
        assert_eq!(Project::read(&path, &k()).expect("reads"), p);
    }

    #[cfg(unix)]
    #[test]
    fn a_saved_project_is_readable_by_the_team_and_a_resave_keeps_its_permissions() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().expect("temp dir");
        let path = dir.path().join("p.statecraft.json");
        let p = Project::default();
        p.save(&path).expect("saves");
        let mode =
            |path: &Path| std::fs::metadata(path).expect("meta").permissions().mode() & 0o777;
        // a new file as any other (0666 less the umask), never a temporary file's private 0600
        let plain = dir.path().join("plain.txt");
        std::fs::write(&plain, "x").expect("a plain file");
        assert_eq!(mode(&path), mode(&plain), "as any new file");
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o640)).expect("chmod");
        p.save(&path).expect("saves again");
        assert_eq!(mode(&path), 0o640, "a replaced file keeps its permissions");
    }

    #[test]
    fn a_newer_project_is_refused_with_its_version() {
        let src = SourceText::new(
            "new.json",
            "{\"kind\": \"statecraft-project\", \"schema_version\": 9, \"seed\": 1}",
        );
        let e = Project::parse(&src, &k()).expect_err("refused").to_string();
        assert!(e.contains("new.json:1:"), "{e}");
        assert!(e.contains("newer Statecraft (schema_version 9)"), "{e}");
    }

    #[test]
    fn a_foreign_file_is_refused_as_not_a_project() {
        let src = SourceText::new("package.json", "{\"name\": \"left-pad\"}");
        let e = Project::parse(&src, &k()).expect_err("refused").to_string();
        assert!(e.contains("not a Statecraft project"), "{e}");
    }

    #[test]
    fn a_truncated_project_says_it_ends_early() {
        let src = SourceText::new("cut.json", "{\"kind\": \"statecraft-project\", \"schema_");
        let e = Project::parse(&src, &k()).expect_err("refused").to_string();
        assert!(e.contains("ends early"), "{e}");
    }

    #[test]
    fn a_bad_answer_in_a_project_is_placed() {
        let src = SourceText::new(
            "p.json",
            "{\"kind\": \"statecraft-project\", \"schema_version\": 1, \"seed\": 1,\n \"answers\": {\"peak-rps\": -5}}",
        );
        let e = Project::parse(&src, &k()).expect_err("refused").to_string();
        assert!(e.contains("p.json:2:"), "{e}");
        assert!(e.contains("peak-rps"), "{e}");
    }
}
