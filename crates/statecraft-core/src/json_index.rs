//! One pass over a JSON text that finds every object key given twice (serde_json keeps the last one
//! silently) and, when asked, an index of where each value starts, so that placing any number of
//! problems costs one scan of the file, not one parse per problem.
//!
//! The scanner is iterative (no recursion, whatever the nesting) and never fails: on text that is
//! not JSON it stops and keeps what it has seen, which callers read as "place it at the parent".

use std::collections::HashMap;

use super::diagnostic::PathSeg;

/// A key given twice in one object: where the first and the second start (byte offsets).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DuplicateKey {
    pub key: String,
    pub first: usize,
    pub second: usize,
}

/// Where each value starts, per container, for `locate`.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct JsonIndex {
    containers: Vec<Container>,
    root: Option<Child>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct Child {
    /// Where the key starts (objects) or the value starts (arrays).
    place: usize,
    /// The container this value is, when it is an object or an array.
    container: Option<usize>,
}

#[derive(Clone, Debug, Default, PartialEq, Eq)]
struct Container {
    /// The first child of each key (objects).
    keys: HashMap<String, Child>,
    /// Elements in order (arrays).
    elements: Vec<Child>,
}

impl JsonIndex {
    /// Byte offset of the value at `path` (for an object key, where the key starts), or of its
    /// nearest ancestor that exists.
    pub fn locate(&self, path: &[PathSeg]) -> usize {
        let Some(mut at) = self.root else { return 0 };
        for seg in path {
            let Some(container) = at.container.and_then(|c| self.containers.get(c)) else {
                return at.place;
            };
            let next = match seg {
                PathSeg::Key(key) => container.keys.get(key),
                PathSeg::Index(i) => container.elements.get(*i),
            };
            match next {
                Some(child) => at = *child,
                None => return at.place,
            }
        }
        at.place
    }
}

enum Frame {
    /// An object, with its keys so far (and where each was first given), and the key whose value
    /// comes next.
    Object {
        container: Option<usize>,
        seen: HashMap<String, usize>,
        pending: Option<(String, usize)>,
    },
    Array {
        container: Option<usize>,
    },
}

/// The duplicate keys of `text`, in the order they appear.
pub fn duplicate_keys(text: &str) -> Vec<DuplicateKey> {
    scan(text, false).1
}

/// The index of `text` (and its duplicate keys).
pub fn index(text: &str) -> JsonIndex {
    scan(text, true).0
}

fn scan(text: &str, build: bool) -> (JsonIndex, Vec<DuplicateKey>) {
    let bytes = text.as_bytes();
    let mut index = JsonIndex::default();
    let mut duplicates = Vec::new();
    let mut stack: Vec<Frame> = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        match b {
            b' ' | b'\t' | b'\n' | b'\r' | b',' | b':' => {
                i += 1;
                continue;
            }
            b'}' | b']' => {
                stack.pop();
                i += 1;
                continue;
            }
            _ => {}
        }
        // a string in key position is a key
        if b == b'"'
            && let Some(Frame::Object { pending, seen, .. }) = stack.last_mut()
            && pending.is_none()
        {
            let end = string_end(bytes, i);
            let key = decode_key(&text[i..end]);
            match seen.get(&key) {
                Some(&first) => duplicates.push(DuplicateKey {
                    key: key.clone(),
                    first,
                    second: i,
                }),
                None => {
                    seen.insert(key.clone(), i);
                }
            }
            *pending = Some((key, i));
            i = end;
            continue;
        }
        // a value: where it starts, and what it is
        let start = i;
        let opens = matches!(b, b'{' | b'[');
        let container = (build && opens).then(|| {
            index.containers.push(Container::default());
            index.containers.len() - 1
        });
        let owner = match stack.last_mut() {
            Some(Frame::Object {
                container, pending, ..
            }) => pending
                .take()
                .map(|(key, place)| (*container, Some(key), place)),
            Some(Frame::Array { container }) => Some((*container, None, start)),
            None => None,
        };
        if build {
            let child = Child {
                place: owner.as_ref().map_or(start, |(_, _, place)| *place),
                container,
            };
            match owner {
                Some((Some(parent), Some(key), _)) => {
                    index.containers[parent].keys.entry(key).or_insert(child);
                }
                Some((Some(parent), None, _)) => index.containers[parent].elements.push(child),
                Some((None, _, _)) => {}
                None if index.root.is_none() => index.root = Some(child),
                None => {}
            }
        }
        match b {
            b'{' => {
                stack.push(Frame::Object {
                    container,
                    seen: HashMap::new(),
                    pending: None,
                });
                i += 1;
            }
            b'[' => {
                stack.push(Frame::Array { container });
                i += 1;
            }
            b'"' => i = string_end(bytes, i),
            _ => {
                // a number or a literal: up to the next delimiter
                let rest = bytes[i..]
                    .iter()
                    .position(|c| {
                        matches!(
                            c,
                            b',' | b'}' | b']' | b':' | b' ' | b'\t' | b'\n' | b'\r' | b'"'
                        )
                    })
                    .unwrap_or(bytes.len() - i);
                i += rest.max(1);
            }
        }
    }
    (index, duplicates)
}

/// The offset just past the string that opens at `start` (or the end of the text).
fn string_end(bytes: &[u8], start: usize) -> usize {
    let mut i = start + 1;
    while i < bytes.len() {
        match bytes[i] {
            b'\\' => i += 2,
            b'"' => return i + 1,
            _ => i += 1,
        }
    }
    bytes.len()
}

/// A key as serde_json reads it (escapes resolved), or its raw text when it is not a valid string.
fn decode_key(quoted: &str) -> String {
    if !quoted.contains('\\') {
        return quoted
            .strip_prefix('"')
            .and_then(|q| q.strip_suffix('"'))
            .unwrap_or(quoted)
            .to_string();
    }
    serde_json::from_str::<String>(quoted).unwrap_or_else(|_| quoted.to_string())
}

/// Line starts and character counts at checkpoints, so a byte offset's line and column cost
/// O(log lines + a checkpoint's span), not a scan from the start of the text.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct LineIndex {
    line_starts: Vec<usize>,
    /// (byte offset, characters before it) every `STEP` bytes, on character boundaries.
    checkpoints: Vec<(usize, usize)>,
}

const STEP: usize = 4096;

impl LineIndex {
    pub fn new(text: &str) -> Self {
        let mut line_starts = vec![0];
        line_starts.extend(
            text.bytes()
                .enumerate()
                .filter(|(_, b)| *b == b'\n')
                .map(|(i, _)| i + 1),
        );
        let mut checkpoints = vec![(0, 0)];
        let mut chars = 0;
        let mut last = 0;
        let mut at = STEP;
        while at < text.len() {
            let boundary = floor_char_boundary(text, at);
            chars += text[last..boundary].chars().count();
            checkpoints.push((boundary, chars));
            last = boundary;
            at += STEP;
        }
        LineIndex {
            line_starts,
            checkpoints,
        }
    }

    fn chars_before(&self, text: &str, offset: usize) -> usize {
        let i = self.checkpoints.partition_point(|(b, _)| *b <= offset) - 1;
        let (byte, chars) = self.checkpoints[i];
        chars + text[byte..offset].chars().count()
    }

    /// 1-based line and column (in characters) of a byte offset.
    pub fn line_col(&self, text: &str, offset: usize) -> (usize, usize) {
        let offset = floor_char_boundary(text, offset.min(text.len()));
        let line = self.line_starts.partition_point(|s| *s <= offset);
        let start = self.line_starts[line - 1];
        let column = self.chars_before(text, offset) - self.chars_before(text, start) + 1;
        (line, column)
    }
}

fn floor_char_boundary(text: &str, mut offset: usize) -> usize {
    while offset > 0 && !text.is_char_boundary(offset) {
        offset -= 1;
    }
    offset
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_a_key_given_twice_with_both_places() {
        let text = r#"{"a": 1, "b": {"c": 2, "c": 3}, "a": 4}"#;
        let found = duplicate_keys(text);
        assert_eq!(
            found,
            vec![
                DuplicateKey {
                    key: "c".into(),
                    first: 15,
                    second: 23
                },
                DuplicateKey {
                    key: "a".into(),
                    first: 1,
                    second: 32
                },
            ]
        );
    }

    #[test]
    fn an_escaped_key_is_the_same_key() {
        let found = duplicate_keys(r#"{"ab": 1, "a\u0062": 2}"#);
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].key, "ab");
    }

    #[test]
    fn keys_in_different_objects_are_not_duplicates() {
        assert!(duplicate_keys(r#"[{"a": 1}, {"a": 2}, {"x": {"a": 3}}]"#).is_empty());
        assert!(duplicate_keys(r#"{"s": "{\"a\": 1, \"a\": 2}"}"#).is_empty());
    }

    #[test]
    fn deep_nesting_does_not_recurse() {
        let text = "[".repeat(1_000_000);
        assert!(duplicate_keys(&text).is_empty());
        assert_eq!(index(&text).locate(&[PathSeg::Index(0)]), 1);
    }

    #[test]
    fn locates_keys_and_elements() {
        let text = "{\"rules\": [{\"id\": \"a\"}, {\"id\": \"b\"}]}";
        let idx = index(text);
        let path = [
            PathSeg::Key("rules".into()),
            PathSeg::Index(1),
            PathSeg::Key("id".into()),
        ];
        assert_eq!(&text[idx.locate(&path)..][..4], "\"id\"");
        assert_eq!(idx.locate(&path), 25);
        // a missing key is placed at its parent
        assert_eq!(idx.locate(&[PathSeg::Key("nope".into())]), 0);
    }

    #[test]
    fn columns_count_characters_across_checkpoints() {
        let text = format!("{}\n{}x", "é".repeat(5000), "é".repeat(3000));
        let lines = LineIndex::new(&text);
        let x = text.len() - 1;
        assert_eq!(lines.line_col(&text, x), (2, 3001));
        assert_eq!(lines.line_col(&text, 0), (1, 1));
    }
}
