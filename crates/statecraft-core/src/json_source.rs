//! Reading JSON that people write by hand: a size cap before reading, UTF-8 checked with the place of
//! the first bad byte, serde errors turned into diagnostics with line, column and JSON path, and a
//! locator that finds the line and column of any JSON path for errors found after parsing.

use std::io::Read;
use std::path::Path;

use serde::de::DeserializeOwned;

use super::diagnostic::{Diagnostic, JsonPath, PathSeg};

/// Larger inputs are refused before they are read: no hand-written scenario, answers file or knowledge
/// file comes near this, and reading a 100 MB file into memory only to reject it helps nobody.
pub const MAX_INPUT_BYTES: u64 = 8 * 1024 * 1024;

/// A file's text and the name to show for it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SourceText {
    pub name: String,
    pub text: String,
}

impl SourceText {
    pub fn new(name: impl Into<String>, text: impl Into<String>) -> Self {
        SourceText {
            name: name.into(),
            text: text.into(),
        }
    }

    /// Reads `path`, refusing what is missing, too large or not UTF-8, each with its fix.
    pub fn read(path: &Path, what: &str) -> Result<SourceText, Diagnostic> {
        let name = path.display().to_string();
        let metadata = std::fs::metadata(path).map_err(|e| {
            Diagnostic::new(
                &name,
                format!("cannot read the {what} file: {}", describe_io(&e)),
                format!("check the path; expected an existing {what} file"),
            )
        })?;
        if metadata.is_dir() {
            return Err(Diagnostic::new(
                &name,
                format!("this is a folder, not {} file", article(what)),
                format!("name the {what} file itself"),
            ));
        }
        if metadata.len() > MAX_INPUT_BYTES {
            return Err(Diagnostic::new(
                &name,
                format!(
                    "the file is {:.1} MB; {} file is at most {} MB",
                    metadata.len() as f64 / 1_000_000.0,
                    article(what),
                    MAX_INPUT_BYTES / (1024 * 1024)
                ),
                format!(
                    "check that this is the right file; {} file is a few kilobytes of JSON",
                    article(what)
                ),
            ));
        }
        let mut bytes = Vec::with_capacity(metadata.len() as usize);
        std::fs::File::open(path)
            .and_then(|file| file.take(MAX_INPUT_BYTES + 1).read_to_end(&mut bytes))
            .map_err(|e| {
                Diagnostic::new(
                    &name,
                    format!("cannot read the {what} file: {}", describe_io(&e)),
                    "check the file's permissions",
                )
            })?;
        Self::from_bytes(name, bytes, what)
    }

    /// Turns bytes into text, naming the line and column of the first byte that is not UTF-8.
    pub fn from_bytes(name: String, bytes: Vec<u8>, what: &str) -> Result<SourceText, Diagnostic> {
        match String::from_utf8(bytes) {
            Ok(text) => Ok(SourceText { name, text }),
            Err(e) => {
                let valid = e.utf8_error().valid_up_to();
                let prefix = String::from_utf8_lossy(&e.as_bytes()[..valid]).into_owned();
                let (line, column) = line_col(&prefix, prefix.len());
                Err(Diagnostic::new(
                    name,
                    format!("the {what} file is not UTF-8 text (byte {valid} is not valid UTF-8)"),
                    "save the file as UTF-8 JSON",
                )
                .at(line, column))
            }
        }
    }

    /// Deserialises the whole text as `T`, or says where and why it cannot.
    pub fn parse<T: DeserializeOwned>(&self, expected: &str) -> Result<T, Diagnostic> {
        if self.text.trim().is_empty() {
            return Err(Diagnostic::new(
                &self.name,
                format!("the file is empty; expected {expected}"),
                format!("write {expected} into the file"),
            )
            .at(1, 1));
        }
        let mut de = serde_json::Deserializer::from_str(&self.text);
        let value: T = serde_path_to_error::deserialize(&mut de)
            .map_err(|err| self.serde_diagnostic(&err.path().to_string(), err.inner(), expected))?;
        de.end()
            .map_err(|err| self.serde_diagnostic("", &err, expected))?;
        Ok(value)
    }

    fn serde_diagnostic(
        &self,
        path: &str,
        inner: &serde_json::Error,
        expected: &str,
    ) -> Diagnostic {
        let message = strip_position(&inner.to_string());
        let (message, fix) = match inner.classify() {
            serde_json::error::Category::Eof => (
                format!("the file ends early ({message}); it may be truncated"),
                "close every open bracket, brace and quote, or restore the file from a copy".to_string(),
            ),
            serde_json::error::Category::Syntax => (
                format!("this is not valid JSON: {message}"),
                "correct the JSON at that place (a missing comma, quote or bracket is the usual cause; JSON has no NaN, Infinity or comments)".to_string(),
            ),
            serde_json::error::Category::Data => (
                if path.is_empty() || path == "." {
                    format!("{}; expected {expected}", plain_types(&message))
                } else {
                    plain_types(&message)
                },
                data_fix(&message),
            ),
            serde_json::error::Category::Io => (message, "check the file".to_string()),
        };
        let mut diagnostic = Diagnostic::new(&self.name, message, fix);
        if inner.line() > 0 {
            diagnostic = diagnostic.at(inner.line(), inner.column().max(1));
        }
        // serde_path_to_error writes `?` for a place it could not name (inside a truncated value)
        let path = path.trim_end_matches(".?").trim_end_matches('?');
        if path != "." && !path.is_empty() {
            diagnostic.path = Some(path.to_string());
        }
        diagnostic
    }

    /// The 1-based line and column of a JSON path, or of the nearest ancestor that exists.
    pub fn locate(&self, path: &JsonPath) -> (usize, usize) {
        let offset = locate_offset(&self.text, path).unwrap_or(0);
        line_col(&self.text, offset)
    }

    /// A diagnostic placed at `path` in this file.
    pub fn diagnostic_at(
        &self,
        path: &JsonPath,
        message: impl Into<String>,
        fix: impl Into<String>,
    ) -> Diagnostic {
        let (line, column) = self.locate(path);
        Diagnostic::new(&self.name, message, fix)
            .at(line, column)
            .with_path(path)
    }
}

/// "an answers", "a scenario".
fn article(what: &str) -> String {
    match what.chars().next() {
        Some('a' | 'e' | 'i' | 'o' | 'u') => format!("an {what}"),
        _ => format!("a {what}"),
    }
}

fn describe_io(e: &std::io::Error) -> String {
    match e.kind() {
        std::io::ErrorKind::NotFound => "no such file".to_string(),
        std::io::ErrorKind::PermissionDenied => "permission denied".to_string(),
        _ => e.to_string(),
    }
}

/// serde_json appends " at line L column C"; the diagnostic carries those separately.
fn strip_position(message: &str) -> String {
    match message.rfind(" at line ") {
        Some(i) => message[..i].to_string(),
        None => message.to_string(),
    }
}

/// serde names Rust types; people read JSON types.
fn plain_types(message: &str) -> String {
    [
        ("expected f64", "expected a number"),
        ("expected f32", "expected a number"),
        ("expected i32", "expected a whole number"),
        ("expected i64", "expected a whole number"),
        ("expected u64", "expected a whole number of 0 or more"),
        ("expected u32", "expected a whole number of 0 or more"),
        ("expected usize", "expected a whole number of 0 or more"),
        ("expected a boolean", "expected true or false"),
        ("expected a string", "expected a string in quotes"),
        ("expected a sequence", "expected a list [ … ]"),
        ("expected a map", "expected an object { … }"),
    ]
    .iter()
    .fold(message.to_string(), |m, (from, to)| m.replace(from, to))
}

fn data_fix(message: &str) -> String {
    if message.starts_with("unknown field") {
        "remove or rename the field; the names it accepts are listed in the message".into()
    } else if message.starts_with("missing field") {
        "add the field named in the message".into()
    } else if message.starts_with("unknown variant") {
        "use one of the values listed in the message".into()
    } else {
        "give the value the type named in the message".into()
    }
}

/// 1-based line and column (in characters) of a byte offset.
pub fn line_col(text: &str, offset: usize) -> (usize, usize) {
    let offset = offset.min(text.len());
    let before = &text[..floor_char_boundary(text, offset)];
    let line = before.matches('\n').count() + 1;
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    let column = before[line_start..].chars().count() + 1;
    (line, column)
}

fn floor_char_boundary(text: &str, mut offset: usize) -> usize {
    while offset > 0 && !text.is_char_boundary(offset) {
        offset -= 1;
    }
    offset
}

/// Byte offset where the value at `path` starts (for an object key, where the key starts).
fn locate_offset(text: &str, path: &JsonPath) -> Option<usize> {
    use jsonc_parser::ast::Value;
    use jsonc_parser::common::Ranged;
    let parsed = jsonc_parser::parse_to_ast(text, &Default::default(), &Default::default()).ok()?;
    let mut value = parsed.value?;
    let mut offset = value.range().start;
    for seg in &path.0 {
        let next = match (seg, value) {
            // A key or element that is not there (a missing field) is placed at its parent.
            (PathSeg::Key(key), Value::Object(object)) => {
                let Some(prop) = object
                    .properties
                    .into_iter()
                    .find(|p| p.name.as_str() == key)
                else {
                    return Some(offset);
                };
                offset = prop.range.start;
                prop.value
            }
            (PathSeg::Index(index), Value::Array(array)) => {
                let Some(element) = array.elements.into_iter().nth(*index) else {
                    return Some(offset);
                };
                offset = element.range().start;
                element
            }
            _ => return Some(offset),
        };
        value = next;
    }
    Some(offset)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn locates_nested_paths_by_line_and_column() {
        let src = SourceText::new(
            "x.json",
            "{\n  \"rules\": [\n    {\"id\": \"a\"},\n    {\"id\": \"b\"}\n  ]\n}",
        );
        let path = JsonPath::root().key("rules").index(1).key("id");
        assert_eq!(src.locate(&path), (4, 6));
    }

    #[test]
    fn line_col_counts_characters_not_bytes() {
        assert_eq!(line_col("é\nab", 5), (2, 3));
    }
}
