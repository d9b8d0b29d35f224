//! The domain's modules depend one way: no module reaches, through `crate::` or `super::` paths, a
//! module that reaches back to it. (The crate boundary keeps egui out; this keeps the layers apart.)

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

fn sources(dir: &Path, out: &mut Vec<(String, String)>) {
    for entry in std::fs::read_dir(dir).expect("src folder").flatten() {
        let path = entry.path();
        if path.is_dir() {
            sources(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            let text = std::fs::read_to_string(&path).expect("source");
            out.push((path.display().to_string(), text));
        }
    }
}

/// The top-level module a path under `src/` belongs to, and how deep its file sits.
fn module_of(src: &Path, file: &str) -> (String, usize) {
    let rel = Path::new(file).strip_prefix(src).expect("under src");
    let parts: Vec<String> = rel
        .iter()
        .map(|p| p.to_string_lossy().trim_end_matches(".rs").to_string())
        .collect();
    (parts[0].clone(), parts.len())
}

#[test]
fn the_domain_modules_depend_one_way() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = Vec::new();
    sources(&src, &mut files);
    let tops: BTreeSet<String> = files
        .iter()
        .map(|(f, _)| module_of(&src, f).0)
        .filter(|m| m != "lib")
        .collect();
    let mut edges: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for (file, text) in &files {
        let (top, depth) = module_of(&src, file);
        if top == "lib" {
            continue;
        }
        let code = text.split("#[cfg(test)]").next().unwrap_or_default();
        let words: Vec<&str> = code
            .split(|c: char| !(c.is_alphanumeric() || c == '_' || c == ':'))
            .collect();
        for word in words {
            let segments: Vec<&str> = word.split("::").collect();
            let target = if segments.first() == Some(&"crate") {
                segments.get(1).copied()
            } else {
                let supers = segments.iter().take_while(|s| **s == "super").count();
                (supers > 0 && supers == depth)
                    .then(|| segments.get(supers).copied())
                    .flatten()
            };
            if let Some(t) = target
                && t != top
                && tops.contains(t)
            {
                edges.entry(top.clone()).or_default().insert(t.to_string());
            }
        }
    }
    let reaches = |from: &str, to: &str| {
        let mut seen = BTreeSet::new();
        let mut todo = vec![from.to_string()];
        while let Some(m) = todo.pop() {
            for next in edges.get(&m).into_iter().flatten() {
                if next == to {
                    return true;
                }
                if seen.insert(next.clone()) {
                    todo.push(next.clone());
                }
            }
        }
        false
    };
    let cycles: Vec<String> = edges
        .iter()
        .flat_map(|(a, bs)| bs.iter().map(move |b| (a, b)))
        .filter(|(a, b)| reaches(b, a))
        .map(|(a, b)| format!("{a} -> {b}"))
        .collect();
    assert!(
        edges.len() > 8,
        "the walk found the modules' uses: {edges:?}"
    );
    assert!(cycles.is_empty(), "modules that reach back: {cycles:?}");
}

/// The modules whose computing the record must not reach: it renders what `decision::findings`
/// computed, so a record never simulates or advises on its own.
const COMPUTING: [&str; 3] = ["sim", "rules", "jobs"];

/// Items of those modules that compute though they are named like types.
const COMPUTING_TYPES: [&str; 2] = ["Engine", "Model"];

/// The code of a file without its tests and comments.
fn code_of(text: &str) -> String {
    text.split("#[cfg(test)]")
        .next()
        .unwrap_or_default()
        .lines()
        .filter(|l| !l.trim_start().starts_with("//"))
        .collect::<Vec<_>>()
        .join("\n")
}

/// Every path written in `code`, with the groups of its `use` declarations spread out
/// (`use crate::sim::{self, Scenario}` gives `crate::sim::self` and `crate::sim::Scenario`).
fn paths_in(code: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut other = String::new();
    let mut lines = code.lines();
    while let Some(line) = lines.next() {
        let trimmed = line.trim_start();
        // a `use` declaration starts a line (after `pub` or `pub(crate)`), and runs to its `;`
        let decl = trimmed.strip_prefix("use ").or_else(|| {
            trimmed
                .strip_prefix("pub")
                .and_then(|r| r.split_once("use ").map(|(_, d)| d))
                .filter(|_| trimmed.starts_with("pub use") || trimmed.starts_with("pub("))
        });
        match decl {
            Some(first) => {
                let mut tree = first.to_string();
                while !tree.contains(';') {
                    match lines.next() {
                        Some(more) => tree.push_str(more),
                        None => break,
                    }
                }
                let end = tree.find(';').unwrap_or(tree.len());
                spread("", &tree[..end], &mut out);
            }
            None => {
                other.push_str(line);
                other.push('\n');
            }
        }
    }
    let words = other.split(|c: char| !(c.is_alphanumeric() || c == '_' || c == ':'));
    out.extend(words.filter(|w| w.contains("::")).map(str::to_string));
    out
}

fn spread(prefix: &str, tree: &str, out: &mut Vec<String>) {
    let tree: String = tree.chars().filter(|c| !c.is_whitespace()).collect();
    match tree.find('{') {
        None => out.push(format!("{prefix}{tree}")),
        Some(open) => {
            let head = format!("{prefix}{}", &tree[..open]);
            let inner = &tree[open + 1..tree.len() - 1];
            // split the group at its top-level commas
            let (mut depth, mut start) = (0, 0);
            for (i, c) in inner.char_indices() {
                match c {
                    '{' => depth += 1,
                    '}' => depth -= 1,
                    ',' if depth == 0 => {
                        spread(&head, &inner[start..i], out);
                        start = i + 1;
                    }
                    _ => {}
                }
            }
            if start < inner.len() {
                spread(&head, &inner[start..], out);
            }
        }
    }
}

/// The paths in `code` that reach a computing module for anything but a type or a constant: a
/// function, a module (whose functions would then be called), or the engine.
fn reaches_computing(code: &str) -> Vec<String> {
    paths_in(code)
        .into_iter()
        .filter(|path| {
            let segments: Vec<&str> = path.split("::").filter(|s| !s.is_empty()).collect();
            let rooted = segments
                .iter()
                .take_while(|s| **s == "crate" || **s == "super")
                .count();
            let into = segments.get(rooted).is_some_and(|s| COMPUTING.contains(s));
            let leaf = segments.last().copied().unwrap_or_default();
            let not_a_type = !leaf.starts_with(|c: char| c.is_ascii_uppercase());
            rooted > 0 && into && (not_a_type || COMPUTING_TYPES.contains(&leaf))
        })
        .collect()
}

#[test]
fn the_check_on_the_record_finds_a_call_into_the_simulator() {
    let reaching = "use crate::sim::simulate;\nuse super::super::sim::{self, Scenario};\n\
                    fn f() { crate::rules::advise(k, a); }\nuse super::rules::Engine;\n";
    assert_eq!(
        reaches_computing(&code_of(reaching)),
        vec![
            "crate::sim::simulate",
            "super::super::sim::self",
            "super::rules::Engine",
            "crate::rules::advise",
        ]
    );
    let rendering = "use crate::sim::{Scenario, SimReport};\nuse super::super::sim::units::Millis;\n\
                     // computed by crate::sim::simulate\nfn f() -> Millis { Millis(1.0) }\n";
    assert!(reaches_computing(&code_of(rendering)).is_empty());
}

#[test]
fn the_record_renders_what_the_decision_found_and_never_simulates_or_advises() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = vec![(
        src.join("export.rs").display().to_string(),
        std::fs::read_to_string(src.join("export.rs")).expect("export.rs"),
    )];
    sources(&src.join("export"), &mut files);
    assert!(files.len() > 10, "the record's files: {}", files.len());
    let reaching: Vec<String> = files
        .iter()
        .flat_map(|(file, text)| {
            reaches_computing(&code_of(text))
                .into_iter()
                .map(move |p| format!("{file}: {p}"))
        })
        .collect();
    assert!(
        reaching.is_empty(),
        "export reaches the simulator or the advice engine (compute it in decision::findings): {reaching:?}"
    );
}
