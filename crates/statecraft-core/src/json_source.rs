//! Reading JSON that people write by hand: a size cap before reading, UTF-8 checked with the place of
//! the first bad byte, serde errors turned into diagnostics with line, column and JSON path, and a
//! locator that finds the line and column of any JSON path for errors found after parsing.

use std::io::Read;
use std::path::Path;
use std::sync::{Arc, OnceLock};

use serde::de::DeserializeOwned;

use super::diagnostic::{Diagnostic, JsonPath};
use super::json_index::{self, JsonIndex, LineIndex};

/// Larger inputs are refused before they are read: no hand-written scenario, answers file or knowledge
/// file comes near this, and reading a 100 MB file into memory only to reject it helps nobody.
pub const MAX_INPUT_BYTES: u64 = 8 * 1024 * 1024;

/// The name `-` (standard input) is shown as.
pub const STDIN_NAME: &str = "<stdin>";

/// A file's text and the name to show for it.
#[derive(Clone, Debug)]
pub struct SourceText {
    pub name: String,
    pub text: String,
    /// Built on the first problem that needs a place, then shared by every other one (and clones).
    index: Arc<OnceLock<(JsonIndex, LineIndex)>>,
}

impl PartialEq for SourceText {
    fn eq(&self, other: &Self) -> bool {
        self.name == other.name && self.text == other.text
    }
}

impl Eq for SourceText {}

impl SourceText {
    pub fn new(name: impl Into<String>, text: impl Into<String>) -> Self {
        SourceText {
            name: name.into(),
            text: text.into(),
            index: Arc::default(),
        }
    }

    /// Reads `path` (`-` is standard input), refusing what is missing, unreadable, not a regular file,
    /// too large or not UTF-8, each named as what it is, with its fix. A named pipe or a device is
    /// refused before it is opened, so reading never blocks.
    pub fn read(path: &Path, what: &str) -> Result<SourceText, Diagnostic> {
        if path.as_os_str() == "-" {
            return Self::read_stdin(what);
        }
        let name = path.display().to_string();
        let metadata = std::fs::metadata(path).map_err(|e| {
            let (message, fix) = describe_open_error(path, &e, what);
            Diagnostic::new(&name, message, fix)
        })?;
        if metadata.is_dir() {
            return Err(Diagnostic::new(
                &name,
                format!("this is a folder, not {} file", article(what)),
                format!("name the {what} file itself"),
            ));
        }
        if !metadata.is_file() {
            return Err(Diagnostic::new(
                &name,
                format!(
                    "this is {}, not a regular file; it was not opened, so nothing waits on it",
                    special_kind(&metadata)
                ),
                format!(
                    "name a saved {what} file; to pipe the input in, pass `-` and pipe into statecraft"
                ),
            ));
        }
        if crate::safe_fs::is_system_file(path) {
            return Err(Diagnostic::new(
                &name,
                "this is one of the system's own files (under /proc, /sys or /dev), not a saved file; it was not read, since such files can block or never end",
                format!("name a saved {what} file"),
            ));
        }
        if metadata.len() > MAX_INPUT_BYTES {
            return Err(too_large(&name, what, metadata.len()));
        }
        let mut bytes = Vec::with_capacity(metadata.len() as usize);
        std::fs::File::open(path)
            .and_then(|file| file.take(MAX_INPUT_BYTES + 1).read_to_end(&mut bytes))
            .map_err(|e| {
                let (message, fix) = describe_open_error(path, &e, what);
                Diagnostic::new(&name, message, fix)
            })?;
        // the file grew between the size check and the read: refuse rather than cut it
        if bytes.len() as u64 > MAX_INPUT_BYTES {
            return Err(too_large(&name, what, bytes.len() as u64));
        }
        Self::from_bytes(name, bytes, what)
    }

    /// Standard input, up to `MAX_INPUT_BYTES`; more is refused with a message, never cut silently.
    fn read_stdin(what: &str) -> Result<SourceText, Diagnostic> {
        let mut bytes = Vec::new();
        std::io::stdin()
            .lock()
            .take(MAX_INPUT_BYTES + 1)
            .read_to_end(&mut bytes)
            .map_err(|e| {
                Diagnostic::new(
                    STDIN_NAME,
                    format!("cannot read the {what} input: {e}"),
                    "pipe the file into statecraft again",
                )
            })?;
        if bytes.len() as u64 > MAX_INPUT_BYTES {
            return Err(Diagnostic::new(
                STDIN_NAME,
                format!(
                    "the piped {what} input is more than {} MB and was refused (not cut)",
                    MAX_INPUT_BYTES / (1024 * 1024)
                ),
                format!(
                    "check that the right file is piped in; {} file is a few kilobytes of JSON",
                    article(what)
                ),
            ));
        }
        Self::from_bytes(STDIN_NAME.to_string(), bytes, what)
    }

    /// Turns bytes into text, naming the line and column of the first byte that is not UTF-8.
    pub fn from_bytes(name: String, bytes: Vec<u8>, what: &str) -> Result<SourceText, Diagnostic> {
        match String::from_utf8(bytes) {
            Ok(text) => Ok(SourceText::new(name, text)),
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
        // serde_json settles a key given twice in a map by keeping the last one, and names only the
        // second place of a struct field given twice: both are refused here with both places.
        let mut de = serde_json::Deserializer::from_str(&self.text);
        let value: T = serde_path_to_error::deserialize(&mut de).map_err(|err| {
            if err.inner().to_string().starts_with("duplicate field")
                && let Err(d) = self.check_duplicate_keys()
            {
                return d;
            }
            self.serde_diagnostic(&err.path().to_string(), err.inner(), expected)
        })?;
        de.end()
            .map_err(|err| self.serde_diagnostic("", &err, expected))?;
        self.check_duplicate_keys()?;
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

    fn indexes(&self) -> &(JsonIndex, LineIndex) {
        self.index
            .get_or_init(|| (json_index::index(&self.text), LineIndex::new(&self.text)))
    }

    /// The 1-based line and column of a JSON path, or of the nearest ancestor that exists.
    pub fn locate(&self, path: &JsonPath) -> (usize, usize) {
        let (json, _) = self.indexes();
        self.line_col(json.locate(&path.0))
    }

    /// The 1-based line and column (in characters) of a byte offset.
    pub fn line_col(&self, offset: usize) -> (usize, usize) {
        let (_, lines) = self.indexes();
        lines.line_col(&self.text, offset)
    }

    /// A key given twice in one object is refused, with both places: serde_json would keep the
    /// second silently, and a reader may well see the first.
    pub fn check_duplicate_keys(&self) -> Result<(), Diagnostic> {
        let found = json_index::duplicate_keys(&self.text);
        let Some(first) = found.first() else {
            return Ok(());
        };
        let (line, column) = self.line_col(first.second);
        let (first_line, first_column) = self.line_col(first.first);
        let more = match found.len() - 1 {
            0 => String::new(),
            1 => " (and 1 more key given twice)".to_string(),
            n => format!(
                " (and {} more keys given twice)",
                super::format::number(n as f64)
            ),
        };
        Err(Diagnostic::new(
            &self.name,
            format!(
                "the key `{}` is given twice in one object: first at line {first_line}, column {first_column}, again here{more}",
                first.key
            ),
            "keep one of the two (JSON readers disagree about which one counts)",
        )
        .at(line, column))
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

fn too_large(name: &str, what: &str, len: u64) -> Diagnostic {
    Diagnostic::new(
        name,
        format!(
            "the file is {:.1} MB; {} file is at most {} MB",
            len as f64 / 1_000_000.0,
            article(what),
            MAX_INPUT_BYTES / (1024 * 1024)
        ),
        format!(
            "check that this is the right file; {} file is a few kilobytes of JSON",
            article(what)
        ),
    )
}

/// A named pipe, a socket, a device: what a path that is not a regular file or folder is.
fn special_kind(metadata: &std::fs::Metadata) -> &'static str {
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        let t = metadata.file_type();
        if t.is_fifo() {
            return "a named pipe (FIFO)";
        }
        if t.is_socket() {
            return "a socket";
        }
        if t.is_char_device() {
            return "a character device";
        }
        if t.is_block_device() {
            return "a block device";
        }
    }
    let _ = metadata;
    "a special file"
}

/// Whether `e` is the system's "too many levels of symbolic links".
pub fn is_symlink_loop(e: &std::io::Error) -> bool {
    // ELOOP is 40 on Linux, 62 on the BSDs and macOS
    let code = if cfg!(target_os = "linux") { 40 } else { 62 };
    e.raw_os_error() == Some(code) || format!("{:?}", e.kind()) == "FilesystemLoop"
}

/// What went wrong opening `path`, named as what it is, and the fix.
pub fn describe_open_error(path: &Path, e: &std::io::Error, what: &str) -> (String, String) {
    let dangling = std::fs::symlink_metadata(path).is_ok_and(|m| m.file_type().is_symlink());
    if is_symlink_loop(e) {
        (
            format!(
                "cannot read the {what} file: it is a symbolic link that loops (too many levels of links)"
            ),
            "point the link at the real file, or replace it with the file".into(),
        )
    } else if e.kind() == std::io::ErrorKind::NotFound && dangling {
        (
            format!(
                "cannot read the {what} file: it is a symbolic link to a file that does not exist"
            ),
            "point the link at an existing file, or remove it".into(),
        )
    } else if e.kind() == std::io::ErrorKind::NotFound {
        (
            format!("cannot read the {what} file: no such file"),
            format!("check the path; expected an existing {what} file"),
        )
    } else if e.kind() == std::io::ErrorKind::PermissionDenied {
        (
            format!("cannot read the {what} file: permission denied"),
            "check the file's permissions (and those of its folders), e.g. `chmod u+r`".into(),
        )
    } else {
        (
            format!("cannot read the {what} file: {}", describe_io(e)),
            "check the file".into(),
        )
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

/// 1-based line and column (in characters) of a byte offset, for a one-off place.
pub fn line_col(text: &str, offset: usize) -> (usize, usize) {
    LineIndex::new(text).line_col(text, offset)
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
