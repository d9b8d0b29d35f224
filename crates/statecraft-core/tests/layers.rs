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
