//! The record as one self-contained HTML file, rendered by comrak from the very markdown that is
//! written: the plots are embedded as data URIs, the style is inline, nothing is fetched.

use std::sync::Arc;

use base64::Engine as _;

use comrak::adapters::CodefenceRendererAdapter;

use super::Asset;
use super::front_matter::RecordMeta;

/// The stack diagram: its mermaid source as the record holds it, and the same graph as SVG.
pub struct Diagram<'a> {
    pub mermaid: &'a str,
    pub svg: &'a str,
}

/// Draws the record's own mermaid block as the SVG (the HTML runs no script, so mermaid cannot draw
/// it there); any other mermaid block shows its source.
struct MermaidAsSvg {
    mermaid: String,
    svg: String,
}

impl CodefenceRendererAdapter for MermaidAsSvg {
    fn write(
        &self,
        output: &mut dyn std::fmt::Write,
        _lang: &str,
        _meta: &str,
        code: &str,
        _sourcepos: Option<comrak::nodes::Sourcepos>,
    ) -> std::fmt::Result {
        if code == self.mermaid {
            write!(
                output,
                "<figure class=\"diagram\">\n{}<figcaption><details><summary>Mermaid source</summary><pre><code>{}</code></pre></details></figcaption>\n</figure>\n",
                self.svg,
                escape(code)
            )
        } else {
            writeln!(
                output,
                "<pre><code class=\"language-mermaid\">{}</code></pre>",
                escape(code)
            )
        }
    }
}

/// comrak's options for reading a record: GitHub's tables, footnotes and autolinks, and the YAML
/// front matter recognised (and left out of the HTML).
pub fn comrak_options<'c>() -> comrak::Options<'c> {
    let mut options = comrak::Options::default();
    options.extension.table = true;
    options.extension.footnotes = true;
    options.extension.autolink = true;
    options.extension.strikethrough = true;
    options.extension.tasklist = true;
    options.extension.front_matter_delimiter = Some("---".to_string());
    options
}

const STYLE: &str = "
body { font: 16px/1.5 system-ui, -apple-system, 'Segoe UI', sans-serif; max-width: 60rem; margin: 2rem auto; padding: 0 1rem; color: #1f2328; }
h1 { font-size: 1.8rem; border-bottom: 1px solid #d0d7de; padding-bottom: .3rem; }
h2 { font-size: 1.4rem; border-bottom: 1px solid #d0d7de; padding-bottom: .2rem; margin-top: 2rem; }
table { border-collapse: collapse; margin: 1rem 0; }
th, td { border: 1px solid #d0d7de; padding: .3rem .6rem; vertical-align: top; }
td a, td code { overflow-wrap: anywhere; }
th { background: #f6f8fa; }
pre { background: #f6f8fa; padding: .8rem; overflow-x: auto; font-size: .85rem; }
code { font-family: ui-monospace, SFMono-Regular, Menlo, monospace; }
img { max-width: 100%; }
.meta { color: #59636e; font-size: .9rem; }
.footnotes { font-size: .85rem; color: #59636e; }
figure.diagram { margin: 1rem 0; }
figure.diagram svg { max-width: 100%; height: auto; }
figure.diagram summary { color: #59636e; font-size: .85rem; cursor: pointer; }
";

/// The full HTML document.
pub fn document(
    markdown: &str,
    title: &str,
    meta: &RecordMeta,
    assets: &[Asset],
    diagram: Option<Diagram>,
) -> String {
    let mut options = comrak_options();
    let embedded: Vec<(String, String)> = assets
        .iter()
        .map(|a| {
            (
                a.file_name.clone(),
                format!(
                    "data:image/svg+xml;base64,{}",
                    base64::engine::general_purpose::STANDARD.encode(a.svg.as_bytes())
                ),
            )
        })
        .collect();
    options.extension.image_url_rewriter = Some(Arc::new(move |url: &str| {
        embedded
            .iter()
            .find(|(name, _)| name == url)
            .map_or_else(|| url.to_string(), |(_, data)| data.clone())
    }));
    let mermaid = diagram.map(|d| MermaidAsSvg {
        mermaid: d.mermaid.to_string(),
        svg: d.svg.to_string(),
    });
    let mut plugins = comrak::options::Plugins::default();
    if let Some(renderer) = &mermaid {
        plugins
            .render
            .codefence_renderers
            .insert("mermaid".to_string(), renderer);
    }
    let body = comrak::markdown_to_html_with_plugins(markdown, &options, &plugins);
    // comrak aligns table cells with HTML's obsolete `align` attribute; the same alignment as CSS
    // (a quote in text is escaped as `&quot;`, so only tags match)
    let body = ["left", "right", "center"].iter().fold(body, |body, side| {
        body.replace(
            &format!(" align=\"{side}\""),
            &format!(" style=\"text-align: {side}\""),
        )
    });
    let people = |label: &str, names: &[String]| {
        if names.is_empty() {
            String::new()
        } else {
            format!(" · {label}: {}", escape(&names.join(", ")))
        }
    };
    format!(
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<meta name=\"generator\" content=\"statecraft export\">\n<title>{}</title>\n<style>{STYLE}</style>\n</head>\n<body>\n<p class=\"meta\">Status: {} · Date: {}{}{}{}</p>\n{body}</body>\n</html>\n",
        escape(title),
        escape(&meta.status),
        escape(&meta.date),
        people("Decision-makers", &meta.decision_makers),
        people("Consulted", &meta.consulted),
        people("Informed", &meta.informed),
    )
}

fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            c => out.push(c),
        }
    }
    out
}
