//! The mutation test's generator: a seeded xorshift and the ways it changes a file (truncation,
//! byte flips, extreme numbers, type swaps, deep nesting, duplicate keys, unicode, a BOM, long
//! strings, YAML constructs, control characters).

/// xorshift64*: each case replays from its seed.
pub struct Gen(pub u64);

impl Gen {
    pub fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }
    pub fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
    pub fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }
}

const NUMBERS: &[&str] = &[
    "1e308",
    "-1e308",
    "1e-300",
    "-0",
    "0",
    "-1",
    "1e999",
    "NaN",
    "Infinity",
    "-Infinity",
    "18446744073709551616",
    "0.5",
    "4294967296",
    "-2147483649",
    "1.7976931348623157e309",
];
const VALUES: &[&str] = &[
    "null",
    "true",
    "false",
    "\"\"",
    "[]",
    "{}",
    "\"x\"",
    "[[[[[[]]]]]]",
    "{\"a\":{\"b\":[]}}",
    "\"\\u0000\"",
    "\"\\ud800\"",
    "\"é😀\u{202e}\"",
];

/// One mutation of `bytes`.
pub fn mutate(g: &mut Gen, bytes: &[u8]) -> Vec<u8> {
    let mut b = bytes.to_vec();
    let at = |g: &mut Gen, b: &[u8]| g.below(b.len() + 1);
    match g.below(13) {
        // truncation
        0 => {
            let cut = at(g, &b);
            b.truncate(cut);
        }
        // byte flips
        1 => {
            for _ in 0..=g.below(8) {
                if !b.is_empty() {
                    let i = g.below(b.len());
                    b[i] ^= 1 << g.below(8);
                }
            }
        }
        // a number replaced by a huge, tiny, negative or non-finite one
        2 | 3 => {
            let digits: Vec<usize> = (0..b.len()).filter(|&i| b[i].is_ascii_digit()).collect();
            if !digits.is_empty() {
                let start = *g.pick(&digits);
                let end = (start..b.len())
                    .find(|&i| !(b[i].is_ascii_digit() || b[i] == b'.'))
                    .unwrap_or(b.len());
                let n = g.pick(NUMBERS).as_bytes().to_vec();
                b.splice(start..end, n);
            }
        }
        // a value swapped for one of another type (after a colon)
        4 | 5 => {
            let colons: Vec<usize> = (0..b.len()).filter(|&i| b[i] == b':').collect();
            if !colons.is_empty() {
                let start = *g.pick(&colons) + 1;
                let end = (start..b.len())
                    .find(|&i| matches!(b[i], b',' | b'}' | b'\n'))
                    .unwrap_or(b.len());
                let v = format!(" {}", g.pick(VALUES)).into_bytes();
                b.splice(start..end, v);
            }
        }
        // deep nesting
        6 => {
            let depth = [10, 200, 5_000, 100_000][g.below(4)];
            let i = at(g, &b);
            let mut nested = "[".repeat(depth).into_bytes();
            nested.extend("]".repeat(depth * g.below(2)).into_bytes());
            b.splice(i..i, nested);
        }
        // a key given twice: a `"key": value,` copied right after itself
        7 => {
            let text = String::from_utf8_lossy(&b).into_owned();
            if let Some(start) = text
                .match_indices("\n  \"")
                .map(|(i, _)| i)
                .nth(g.below(20))
            {
                let end = text[start + 1..]
                    .find('\n')
                    .map_or(text.len(), |e| start + 1 + e);
                let line = text[start..end].to_string();
                let mut copy = line.clone();
                if !copy.trim_end().ends_with(',') {
                    copy.push(',');
                }
                b = format!("{}{copy}{}", &text[..start], &text[start..]).into_bytes();
            }
        }
        // unicode: bidi overrides, a surrogate escape, a zero-width space, invalid UTF-8
        8 => {
            let i = at(g, &b);
            let insert: &[u8] = match g.below(4) {
                0 => "\u{202e}\u{2066}".as_bytes(),
                1 => b"\\ud83d",
                2 => "\u{200b}é".as_bytes(),
                _ => &[0xff, 0xfe, 0xc3],
            };
            b.splice(i..i, insert.iter().copied());
        }
        // a byte-order mark
        9 => {
            b.splice(0..0, [0xef, 0xbb, 0xbf]);
        }
        // a long string or key
        10 => {
            let i = at(g, &b);
            let long = format!("\"{}\"", "x".repeat([100, 100_000, 1_000_000][g.below(3)]));
            b.splice(i..i, long.into_bytes());
        }
        // YAML's own constructs where a front matter (or any file) has a line: an anchor and aliases
        // of it, a merge key, a tag, a flow mapping, a document marker
        12 => {
            let lines: Vec<usize> = (0..b.len()).filter(|&i| b[i] == b'\n').collect();
            let i = lines.get(g.below(lines.len().max(1))).map_or(0, |&i| i + 1);
            let insert: &str = match g.below(6) {
                0 => "x: &x [a, b, c]\ny: [*x, *x, *x, *x]\n",
                1 => "<<: *missing\n",
                2 => "z: !!binary aGVsbG8=\n",
                3 => "{status: proposed, statecraft: {format: x}\n",
                4 => "---\n",
                _ => "? [a, b]\n: c\n",
            };
            b.splice(i..i, insert.bytes());
        }
        // control characters
        _ => {
            let i = at(g, &b);
            b.splice(i..i, [0x1b, b'[', b'2', b'J', 0x07, 0x00]);
        }
    }
    b
}
