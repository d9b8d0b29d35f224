//! A problem in a user's or a team's file, told the way the house style asks: what is wrong, where
//! (file, line, column and the JSON path), what was expected, and how to fix it.

use std::fmt;

/// A place in a JSON document: `rules[3].when.q`.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct JsonPath(pub Vec<PathSeg>);

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum PathSeg {
    Key(String),
    Index(usize),
}

impl JsonPath {
    pub fn root() -> Self {
        JsonPath(Vec::new())
    }

    pub fn key(&self, key: &str) -> Self {
        let mut next = self.clone();
        next.0.push(PathSeg::Key(key.to_string()));
        next
    }

    pub fn index(&self, index: usize) -> Self {
        let mut next = self.clone();
        next.0.push(PathSeg::Index(index));
        next
    }

    pub fn is_root(&self) -> bool {
        self.0.is_empty()
    }
}

impl fmt::Display for JsonPath {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.0.is_empty() {
            return f.write_str("(the whole document)");
        }
        for (i, seg) in self.0.iter().enumerate() {
            match seg {
                PathSeg::Key(key) if i == 0 => write!(f, "{key}")?,
                PathSeg::Key(key) => write!(f, ".{key}")?,
                PathSeg::Index(index) => write!(f, "[{index}]")?,
            }
        }
        Ok(())
    }
}

/// The candidate nearest to a misspelt id (within three edits), for "did you mean …?" hints.
pub fn nearest<'a>(wanted: &str, candidates: impl Iterator<Item = &'a str>) -> Option<&'a str> {
    // Edit distance is at least the difference in length: skipping those keeps a megabyte-long id
    // from costing a billion steps per candidate.
    let len = wanted.chars().count();
    candidates
        .filter(|c| c.len().abs_diff(wanted.len()) <= 3 * 4 && c.chars().count().abs_diff(len) <= 3)
        .map(|c| (strsim::levenshtein(wanted, c), c))
        .filter(|(d, _)| *d <= 3)
        .min()
        .map(|(_, c)| c)
}

/// One problem, with everything a reader needs to fix it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Diagnostic {
    /// The file as the user named it (or `knowledge/rules.json` for the shipped base).
    pub file: String,
    /// 1-based line and column (in characters), where the problem has a place in the file.
    pub line: Option<usize>,
    pub column: Option<usize>,
    /// Where in the JSON document, where that is known.
    pub path: Option<String>,
    /// What is wrong and what was expected.
    pub message: String,
    /// How to fix it.
    pub fix: String,
}

impl Diagnostic {
    pub fn new(
        file: impl Into<String>,
        message: impl Into<String>,
        fix: impl Into<String>,
    ) -> Self {
        Diagnostic {
            file: file.into(),
            line: None,
            column: None,
            path: None,
            message: message.into(),
            fix: fix.into(),
        }
    }

    pub fn at(mut self, line: usize, column: usize) -> Self {
        self.line = Some(line);
        self.column = Some(column);
        self
    }

    pub fn with_path(mut self, path: &JsonPath) -> Self {
        if !path.is_root() {
            self.path = Some(path.to_string());
        }
        self
    }

    /// `file:line:column` or just `file`.
    pub fn place(&self) -> String {
        match (self.line, self.column) {
            (Some(line), Some(column)) => format!("{}:{line}:{column}", self.file),
            _ => self.file.clone(),
        }
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: ", shown(&self.place()))?;
        if let Some(path) = &self.path {
            write!(f, "at `{}`: ", shown(path))?;
        }
        write!(f, "{}\n  fix: {}", shown(&self.message), shown(&self.fix))
    }
}

/// A quoted value (between backticks) longer than this is cut in messages.
const MAX_QUOTED_CHARS: usize = 80;
/// A whole message longer than this keeps its start and its end.
const MAX_MESSAGE_CHARS: usize = 600;

/// Text from a user's file made safe for a terminal: control characters escaped (`\u{1b}`), each
/// quoted value cut past `MAX_QUOTED_CHARS` and the whole past `MAX_MESSAGE_CHARS`, saying how much
/// was cut, so that a 1 MB id or an escape sequence in a file never floods or drives the terminal.
pub fn shown(text: &str) -> String {
    let mut out = String::new();
    for (i, part) in text.split('`').enumerate() {
        if i > 0 {
            out.push('`');
        }
        let quoted = i % 2 == 1;
        let count = part.chars().count();
        if quoted && count > MAX_QUOTED_CHARS {
            escape_into(&mut out, part.chars().take(MAX_QUOTED_CHARS / 2));
            out += &format!(
                "…({} characters cut)…",
                super::format::number((count - MAX_QUOTED_CHARS) as f64)
            );
            escape_into(&mut out, part.chars().skip(count - MAX_QUOTED_CHARS / 2));
        } else {
            escape_into(&mut out, part.chars());
        }
    }
    let count = out.chars().count();
    if count > MAX_MESSAGE_CHARS {
        let half = MAX_MESSAGE_CHARS / 2;
        let head: String = out.chars().take(half).collect();
        let tail: String = out.chars().skip(count - half).collect();
        out = format!(
            "{head} …({} characters cut)… {tail}",
            super::format::number((count - MAX_MESSAGE_CHARS) as f64)
        );
    }
    out
}

fn escape_into(out: &mut String, chars: impl Iterator<Item = char>) {
    for c in chars {
        match c {
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            '\r' => out.push_str("\\r"),
            // bidirectional overrides reorder what a reader sees
            c if c.is_control()
                || ('\u{202a}'..='\u{202e}').contains(&c)
                || ('\u{2066}'..='\u{2069}').contains(&c) =>
            {
                out.push_str(&c.escape_unicode().to_string())
            }
            c => out.push(c),
        }
    }
}

/// Every problem found in one go, so a user fixes them all in one pass.
#[derive(Clone, Debug, Default, PartialEq, Eq, thiserror::Error)]
pub struct Diagnostics(pub Vec<Diagnostic>);

impl Diagnostics {
    pub fn push(&mut self, diagnostic: Diagnostic) {
        self.0.push(diagnostic);
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    pub fn len(&self) -> usize {
        self.0.len()
    }

    pub fn iter(&self) -> impl Iterator<Item = &Diagnostic> {
        self.0.iter()
    }

    /// `Ok(value)` when nothing was found, else every problem.
    pub fn into_result<T>(self, value: T) -> Result<T, Diagnostics> {
        if self.0.is_empty() {
            Ok(value)
        } else {
            Err(self)
        }
    }
}

impl From<Diagnostic> for Diagnostics {
    fn from(diagnostic: Diagnostic) -> Self {
        Diagnostics(vec![diagnostic])
    }
}

/// At most this many problems are printed; the rest are counted. Past a hundred, a reader fixes
/// the cause (a wrong file, a renamed id) rather than each line.
pub const MAX_SHOWN: usize = 100;

impl fmt::Display for Diagnostics {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, d) in self.0.iter().take(MAX_SHOWN).enumerate() {
            if i > 0 {
                writeln!(f)?;
            }
            write!(f, "error: {d}")?;
        }
        if self.0.len() > MAX_SHOWN {
            write!(
                f,
                "\nerror: … and {} more problems (the first {MAX_SHOWN} are shown)",
                super::format::number((self.0.len() - MAX_SHOWN) as f64)
            )?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_megabyte_id_gets_no_suggestion_and_costs_nothing() {
        let started = std::time::Instant::now();
        let long = "a".repeat(1_000_000);
        assert_eq!(nearest(&long, ["a", "ab"].into_iter()), None);
        assert_eq!(
            nearest("realtim", ["realtime", "chat"].into_iter()),
            Some("realtime")
        );
        assert!(started.elapsed().as_millis() < 100);
    }

    #[test]
    fn control_characters_are_escaped_in_messages() {
        let d = Diagnostic::new("a.json", "there is no question `a\u{1b}[31mb`", "fix\nit");
        assert_eq!(
            d.to_string(),
            "a.json: there is no question `a\\u{1b}[31mb`\n  fix: fix\\nit"
        );
    }

    #[test]
    fn a_long_quoted_value_is_cut_and_the_cut_is_counted() {
        let id = "x".repeat(1_000_000);
        let text = shown(&format!("there is no question `{id}` (did you mean?)"));
        assert_eq!(
            text,
            format!(
                "there is no question `{}…(999,920 characters cut)…{}` (did you mean?)",
                "x".repeat(40),
                "x".repeat(40)
            )
        );
    }

    #[test]
    fn past_a_hundred_problems_the_rest_are_counted() {
        let all = Diagnostics(
            (0..16_000)
                .map(|i| Diagnostic::new("a.json", format!("problem {i}"), "fix"))
                .collect(),
        );
        let text = all.to_string();
        assert_eq!(text.matches("error: a.json").count(), MAX_SHOWN);
        assert!(text.ends_with("error: … and 15,900 more problems (the first 100 are shown)"));
    }
}
