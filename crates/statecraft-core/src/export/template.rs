//! Rendering the record's body with minijinja: the shipped MADR 4.0 and Nygard templates, or a
//! team's own. Every value a template prints is escaped for markdown unless it is marked safe, so a
//! rationale with a `|` or `*` in it cannot break a table or start emphasis.

use std::path::Path;

use minijinja::value::Value;
use minijinja::{AutoEscape, Environment, Error, ErrorKind, UndefinedBehavior};

use super::super::diagnostic::Diagnostic;
use super::super::json_source::SourceText;
use super::content::RecordData;

/// The shipped layouts.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Style {
    /// MADR 4.0: context, drivers, options, outcome with consequences and confirmation, pros and
    /// cons, more information.
    #[default]
    Madr,
    /// Michael Nygard's short record: status, context, decision, consequences.
    Nygard,
}

impl Style {
    pub fn as_str(self) -> &'static str {
        match self {
            Style::Madr => "madr",
            Style::Nygard => "nygard",
        }
    }
}

const MADR: &str = include_str!("../../../../assets/templates/madr.md.j2");
const NYGARD: &str = include_str!("../../../../assets/templates/nygard.md.j2");

/// The template a record is rendered with: a shipped style or a team's file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Template {
    Shipped(Style),
    /// A team's template: its name (for errors) and text.
    Team {
        name: String,
        text: String,
    },
}

impl Default for Template {
    fn default() -> Self {
        Template::Shipped(Style::Madr)
    }
}

impl Template {
    /// Reads a team's template file (size-capped, UTF-8 checked) and checks that it compiles.
    pub fn read(path: &Path) -> Result<Template, Diagnostic> {
        let src = SourceText::read(path, "template")?;
        let template = Template::Team {
            name: src.name,
            text: src.text,
        };
        let env = environment();
        let (name, text) = template.name_and_text();
        check_shape(name, text)?;
        env.template_from_named_str(name, text)
            .map(|_| ())
            .map_err(|e| diagnostic(name, &e))?;
        Ok(template)
    }

    fn name_and_text(&self) -> (&str, &str) {
        match self {
            Template::Shipped(Style::Madr) => ("assets/templates/madr.md.j2", MADR),
            Template::Shipped(Style::Nygard) => ("assets/templates/nygard.md.j2", NYGARD),
            Template::Team { name, text } => (name, text),
        }
    }

    /// The record's body (everything after the front matter).
    pub fn render(&self, data: &RecordData, stem: &str) -> Result<String, Diagnostic> {
        let env = environment();
        let (name, text) = self.name_and_text();
        check_shape(name, text)?;
        let template = env
            .template_from_named_str(name, text)
            .map_err(|e| diagnostic(name, &e))?;
        let ctx = minijinja::context! {
            file => format!("{stem}.md"),
            stem => stem,
            ..Value::from(minijinja::value::Serde(data))
        };
        let mut body = template.render(ctx).map_err(|e| diagnostic(name, &e))?;
        // One trailing newline, whatever the template's last line does.
        let trimmed = body.trim_end().len();
        body.truncate(trimmed);
        body.push('\n');
        Ok(body)
    }
}

/// Lines and line length a template may have. minijinja counts lines and columns in 16 bits, so a
/// longer template would have its errors placed at the wrong line (and overflows in a debug build);
/// no record template comes near these.
const MAX_TEMPLATE_LINES: usize = 10_000;
const MAX_TEMPLATE_LINE_CHARS: usize = 10_000;

fn check_shape(name: &str, text: &str) -> Result<(), Diagnostic> {
    let lines = text.lines().count();
    if lines > MAX_TEMPLATE_LINES {
        return Err(Diagnostic::new(
            name,
            format!("the template has {lines} lines; a template has at most {MAX_TEMPLATE_LINES}"),
            "check that this is the right file; split the record's long parts into includes of data, not text",
        ));
    }
    if let Some((i, line)) = text.lines().enumerate().find(|(_, l)| {
        l.len() > MAX_TEMPLATE_LINE_CHARS && l.chars().count() > MAX_TEMPLATE_LINE_CHARS
    }) {
        return Err(Diagnostic::new(
            name,
            format!(
                "line {} of the template has {} characters; a line has at most {MAX_TEMPLATE_LINE_CHARS}",
                i + 1,
                line.chars().count()
            ),
            "break the line",
        )
        .at(i + 1, 1));
    }
    Ok(())
}

/// A minijinja error as a diagnostic at the template's line.
fn diagnostic(name: &str, e: &Error) -> Diagnostic {
    let what = match e.kind() {
        ErrorKind::SyntaxError => "the template has a syntax error",
        ErrorKind::UndefinedError => "the template uses a value the record does not have",
        ErrorKind::OutOfFuel => "the template runs too long (a loop that never ends?)",
        _ => "the template cannot be rendered",
    };
    let detail = e.detail().map(|d| format!(": {d}")).unwrap_or_default();
    let mut d = Diagnostic::new(
        name,
        format!("{what}{detail}"),
        "fix the template at that line; the values a template can use are the fields of `RecordData` (see assets/templates/madr.md.j2)",
    );
    if let Some(line) = e.line() {
        d = d.at(line, 1);
    }
    d
}

const MARKDOWN: &str = "markdown";

/// Renders are bounded: a team template that loops forever stops with an error.
const FUEL: u64 = 5_000_000;

fn environment<'source>() -> Environment<'source> {
    let mut env = Environment::new();
    env.set_syntax(
        minijinja::syntax::SyntaxConfig::builder()
            .trim_blocks(true)
            .lstrip_blocks(true)
            .build()
            .unwrap_or_default(),
    );
    env.set_undefined_behavior(UndefinedBehavior::Strict);
    env.set_fuel(Some(FUEL));
    // Markdown auto-escaping: printed values are escaped, macro output and `|safe` values are not.
    env.set_auto_escape_callback(|_| AutoEscape::Custom(MARKDOWN.into()));
    env.set_formatter(|out, state, value| {
        let markdown = matches!(state.auto_escape(), AutoEscape::Custom(name) if name == MARKDOWN);
        if value.is_safe() || !markdown {
            return minijinja::escape_formatter(out, state, value);
        }
        if value.is_none() || value.is_undefined() {
            return Ok(());
        }
        out.write_str(&escape_markdown(&value.to_string()))
            .map_err(|_| Error::new(ErrorKind::WriteFailure, "cannot write the record"))
    });
    env.add_filter("cite", cite);
    env.add_filter("decap", decap);
    env
}

/// `["a", "b"]` → `[^a][^b]`: footnote references to the record's sources.
fn cite(ids: Vec<String>) -> Value {
    Value::from_safe_string(ids.iter().map(|id| format!("[^{id}]")).collect())
}

/// Lowercases the first word when it is an ordinary word ("Any invocation…" → "any invocation…"),
/// so that "Good, because …" reads as a sentence; names and acronyms keep their capitals.
fn decap(text: String) -> String {
    const NAMES: [&str; 14] = [
        "Lambda",
        "Aurora",
        "Kafka",
        "Kubernetes",
        "Fargate",
        "Cognito",
        "Redis",
        "Amazon",
        "Memcached",
        "Valkey",
        "Postgres",
        "Netflix",
        "Graviton",
        "Stateful",
    ];
    let word: String = text
        .chars()
        .take_while(|c| c.is_alphanumeric() || *c == '\'' || *c == '-')
        .collect();
    let mut chars = word.chars();
    let ordinary = chars.next().is_some_and(char::is_uppercase)
        && chars.all(|c| !c.is_uppercase())
        && !NAMES.contains(&word.split(['-', '\'']).next().unwrap_or_default());
    if !ordinary {
        return text;
    }
    let mut out = String::with_capacity(text.len());
    let mut rest = text.chars();
    if let Some(first) = rest.next() {
        out.extend(first.to_lowercase());
    }
    out.extend(rest);
    out
}

/// Backslash-escapes the characters that would turn text into markdown syntax, and keeps a value on
/// one line (a line break would end a table row or a list item).
pub fn escape_markdown(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '\\' | '`' | '*' | '_' | '[' | ']' | '<' | '>' | '|' | '~' => {
                out.push('\\');
                out.push(c);
            }
            '\n' | '\r' | '\t' => out.push(' '),
            c if c.is_control() => {}
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markdown_syntax_in_values_is_escaped() {
        assert_eq!(escape_markdown("a|b *c*\nd"), "a\\|b \\*c\\* d");
    }

    #[test]
    fn ordinary_first_words_are_lowercased_names_are_kept() {
        assert_eq!(decap("Any server".into()), "any server");
        assert_eq!(decap("DynamoDB items".into()), "DynamoDB items");
        assert_eq!(decap("Lambda scales".into()), "Lambda scales");
        assert_eq!(decap("EC2 warm-up".into()), "EC2 warm-up");
        assert_eq!(decap("Pay-per-use".into()), "pay-per-use");
    }
}
