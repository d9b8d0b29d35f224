//! Fixed inputs for the decision-record tests: the shipped knowledge, the use-case answers and export
//! options with a fixed date, so every record is byte-for-byte reproducible.

use statecraft::domain::answers::Answers;
use statecraft::domain::decision;
use statecraft::domain::export::{Evidence, ExportOptions, Record, RecordMeta, Style, Template};
use statecraft::domain::json_source::SourceText;
use statecraft::domain::knowledge::Knowledge;
use statecraft::domain::sim::Scenario;

use crate::support::fixtures;

pub const DATE: &str = "2026-11-23";

pub fn shipped() -> Knowledge {
    Knowledge::shipped().expect("the shipped knowledge is valid")
}

/// The answers of `tests/fixtures/usecases/<name>.json`.
pub fn usecase(name: &str, k: &Knowledge) -> Answers {
    let path = fixtures().join("usecases").join(format!("{name}.json"));
    Answers::read(&path, k).expect("the use-case answers are valid")
}

pub fn usecase_names() -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(fixtures().join("usecases"))
        .expect("the use-case folder")
        .filter_map(Result::ok)
        .filter_map(|e| e.file_name().into_string().ok())
        .filter_map(|n| n.strip_suffix(".json").map(str::to_string))
        .collect();
    names.sort();
    names
}

pub fn options(style: Style, stem: &str) -> ExportOptions {
    ExportOptions {
        template: Template::Shipped(style),
        meta: RecordMeta {
            status: "accepted".into(),
            date: DATE.into(),
            decision_makers: vec!["Ana Lima".into(), "Ben Okafor".into()],
            consulted: vec!["SRE team".into()],
            informed: vec![],
        },
        stem: Some(stem.to_string()),
        supersedes: None,
    }
}

/// The MADR record for a use case, named `0001-use-<archetype>-stack`.
pub fn madr(name: &str, k: &Knowledge) -> Record {
    let answers = usecase(name, k);
    let draft = decision::record(
        k,
        &answers,
        &Evidence::default(),
        &options(Style::Madr, "draft"),
    )
    .expect("record");
    let stem = format!("0001-{}", draft.slug());
    draft.with_stem(&stem).expect("record")
}

/// The team's own scenarios as a record's evidence.
pub fn with_scenarios(scenarios: Vec<Scenario>) -> Evidence {
    Evidence {
        scenarios,
        ..Evidence::default()
    }
}

pub fn source(name: &str, text: &str) -> SourceText {
    SourceText::new(name, text)
}

/// The front matter between the two `---` lines.
pub fn front_matter(markdown: &str) -> &str {
    let rest = markdown.strip_prefix("---\n").expect("front matter opens");
    let end = rest.find("\n---\n").expect("front matter closes");
    &rest[..end]
}
